/*
 * fuzz_robots.c -- libFuzzer target for mirror/robots.c.
 *
 * Parses the input as a robots.txt for "ferry" and asks about a few fixed
 * paths and about paths cut from the input itself; checks that the answer
 * is 0 or 1, that a deciding rule is named only with a decision against
 * the default, that robots.txt is always allowed and that the crawl delay
 * is -1 or a finite number of seconds.
 *
 * With clang:
 *	clang -fsanitize=fuzzer,address,undefined -Imirror -I. \
 *	    tests/fuzz/fuzz_robots.c mirror/robots.c mirror/buf.c \
 *	    mirror/err.c mirror/xmalloc.c
 * Built with FERRY_FUZZ_MAIN defined (as make check does), it is a plain
 * program that runs its seeds and then each file named on its command
 * line once.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "robots.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
ask(const struct robots *r, const char *path)
{
	const char	*rule;
	int		 ok;

	ok = robots_allowed(r, path, &rule);
	if (ok != 0 && ok != 1)
		abort();
	if (!ok && rule == NULL)
		abort();
	if (rule != NULL && strlen(rule) > 250)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t len)
{
	static const char *const paths[] = {
		"/", "/a", "/private/x.pdf", "/a?b=c", "/%7Euser/",
		"/%EB%A0%88.pdf", "/index.php", "/x$", "/*",
	};
	const char	*data = (const char *)bytes;
	struct robots	*r;
	double		 d;
	size_t		 i, start, n;
	char		*path;

	r = robots_parse(data, len, "ferry");
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
		ask(r, paths[i]);
	if (robots_allowed(r, "/robots.txt", NULL) != 1)
		abort();
	/* Paths from the input: each line after its first ':'. */
	for (start = 0; start < len && start < 4096; start += n + 1) {
		const char *nl = memchr(data + start, '\n', len - start);
		const char *colon;

		n = nl ? (size_t)(nl - (data + start)) : len - start;
		colon = memchr(data + start, ':', n);
		if (colon == NULL)
			continue;
		path = xstrndup(colon + 1, n - (size_t)(colon + 1 -
		    (data + start)));
		ask(r, path);
		free(path);
	}
	d = robots_crawl_delay(r);
	if (d != -1 && !(isfinite(d) && d >= 0))
		abort();
	robots_free(r);
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
		"User-agent: *\nDisallow: /\n",
		"User-agent: ferry\nAllow: /$\nDisallow: /*.php$\n"
		    "Crawl-delay: 2.5\n",
		"\xef\xbb\xbfUser-agent: *\r\nDisallow: /%zz%4\r\nAllow: *\r",
		"User-agent: *\nDisallow: /********************************"
		    "***************************b$\n",
		"User-agent:\nDisallow:\nCrawl-delay: 1e999\n:::\n#\n",
	};

	return fuzz_main("fuzz_robots", seeds, sizeof seeds / sizeof seeds[0],
	    argc, argv);
}
#endif
