/*
 * fuzz_manifest.c -- libFuzzer target for mirror/manifest.c.
 *
 * Parses the input as a MANIFEST (the text comes from a stick: anything
 * goes).  When it parses: every path is one manifest_path_ok accepts, the
 * paths are sorted and unique, every file can be found, and the text
 * written back parses to the same files.  When it does not: the message
 * names the manifest.
 *
 * With clang:
 *	clang -fsanitize=fuzzer,address,undefined -Imirror -I. \
 *	    tests/fuzz/fuzz_manifest.c mirror/manifest.c mirror/buf.c \
 *	    mirror/err.c mirror/xmalloc.c
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "manifest.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct manifest *m)
{
	struct manifest	 back;
	struct buf	 text = BUF_INIT;
	size_t		 i;

	for (i = 0; i < m->nfiles; i++) {
		if (!manifest_path_ok(m->files[i].path) ||
		    (i > 0 && strcmp(m->files[i - 1].path,
		    m->files[i].path) >= 0) ||
		    manifest_find(m, m->files[i].path) != &m->files[i])
			abort();
	}
	manifest_format(m, &text);
	if (manifest_parse(text.ptr, text.len, "again", &back) != 0 ||
	    back.nfiles != m->nfiles || back.sequence != m->sequence ||
	    strcmp(back.commit, m->commit) != 0)
		abort();
	for (i = 0; i < m->nfiles; i++)
		if (strcmp(back.files[i].path, m->files[i].path) != 0 ||
		    strcmp(back.files[i].sha256, m->files[i].sha256) != 0 ||
		    back.files[i].size != m->files[i].size)
			abort();
	manifest_free(&back);
	buf_free(&text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct manifest	m;

	if (manifest_parse((const char *)data, len, "MANIFEST", &m) == 0)
		check(&m);
	else if (strncmp(err_msg(), "MANIFEST", 8) != 0)
		abort();
	manifest_free(&m);
	err_clear();
	return 0;
}

#ifdef FERRY_FUZZ_MAIN
#include "fuzz_main.h"

int	main(int, char **);

int
main(int argc, char **argv)
{
	static const char *const seeds[] = {
		"",
		"ferry manifest 1\nsequence 3\ncommit "
		    "1969bd4f3991cddc192c10e7067b3738cef43161\n"
		    "exported 2026-11-26T13:00:00Z\n"
		    "expires 2027-02-24T13:00:00Z\nfiles 2\n"
		    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
		    "abcdef 12 index.html\n"
		    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
		    "abcdef 0 site/h/\xeb\xa0\x88.pdf\nend\n",
		"ferry manifest 1\nfiles 99999999999\n",
		"ferry manifest 1\nsequence 18446744073709551615\n",
		"ferry manifest 1\nexpires 1970-01-01T00:00:00Z\n",
		"ferry manifest 1\n#\n#\nend\nend\n",
	};

	return fuzz_main("fuzz_manifest", seeds,
	    sizeof seeds / sizeof seeds[0], argc, argv);
}
#endif
