/*
 * fuzz_json.c -- libFuzzer target for mirror/json.c.
 *
 * Parses the input as a JSON text; when it parses, checks that every
 * string is NUL-free and that every object has a key for each member;
 * when it does not, that the error names a byte inside the input.
 *
 * With clang:
 *	clang -fsanitize=fuzzer,address,undefined -Imirror -I. \
 *	    tests/fuzz/fuzz_json.c mirror/json.c mirror/buf.c \
 *	    mirror/err.c mirror/xmalloc.c
 * Built with FERRY_FUZZ_MAIN defined (as make check does), it is a plain
 * program that runs its seeds and then each file named on its command
 * line once.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct json *v, int depth)
{
	size_t	i;

	if (depth > JSON_DEPTH_MAX + 1)
		abort();
	if (v->type == JSON_STRING && v->string == NULL)
		abort();
	for (i = 0; i < v->n; i++) {
		if (v->type == JSON_OBJECT && v->keys[i] == NULL)
			abort();
		check(v->items[i], depth + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct json	*v = NULL;
	const char	*at;
	size_t		 off;

	if (json_parse((const char *)data, len, &v) == 0) {
		check(v, 0);
		json_free(v);
	} else {
		at = strstr(err_msg(), "at byte ");
		if (at == NULL || sscanf(at, "at byte %zu", &off) != 1 ||
		    off > len)
			abort();
	}
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
		"{\"format\": \"ferry-index\", \"version\": 2, \"resources\": "
		    "[{\"path\": \"site/h/a.pdf\", \"size\": 12, "
		    "\"languages\": [\"ko\"], \"changed\": null}]}",
		"\"\\ud83d\\ude00\\u0041\\n\"",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		    "[[[[[[[[[[]]]]",
		"{\"a\":1e999}",
		"-0.0e+00",
		"\xef\xbb\xbf[true,false,null]",
	};

	return fuzz_main("fuzz_json", seeds, sizeof seeds / sizeof seeds[0],
	    argc, argv);
}
#endif
