/*
 * fuzz_main.h -- a fuzz target as a plain program: with FERRY_FUZZ_MAIN
 * defined (as make check builds them), it runs its seeds and then each
 * file named on its command line once, under the build's sanitizers.
 * Included by each target once; libFuzzer brings its own main otherwise.
 */
#ifndef FERRY_FUZZ_MAIN_H
#define FERRY_FUZZ_MAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_main(const char *name, const char *const *seeds, size_t nseeds,
    int argc, char **argv)
{
	FILE	*fp;
	char	*buf;
	long	 size;
	size_t	 i;
	int	 j;

	for (i = 0; i < nseeds; i++)
		LLVMFuzzerTestOneInput((const uint8_t *)seeds[i],
		    strlen(seeds[i]));
	for (j = 1; j < argc; j++) {
		if ((fp = fopen(argv[j], "rb")) == NULL ||
		    fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
		    fseek(fp, 0, SEEK_SET) != 0) {
			perror(argv[j]);
			return 1;
		}
		buf = xmalloc((size_t)size + 1);
		if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
			perror(argv[j]);
			return 1;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, (size_t)size);
		free(buf);
	}
	printf("%s: %zu seeds and %d files passed\n", name, nseeds,
	    argc - 1);
	return 0;
}

#endif
