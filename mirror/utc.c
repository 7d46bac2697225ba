/*
 * utc.c -- the one written form of a time: commit trailers, index.json,
 * the stick's manifest and ferry's JSON output all say
 * "2026-11-26T04:00:00Z", seconds in UTC.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "utc.h"

void
utc_format(int64_t t, char out[UTC_LEN + 1])
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	strftime(out, UTC_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* s, exactly of that form, as seconds since the epoch: 0, else -1. */
int
utc_parse(const char *s, int64_t *out)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || strlen(s) != UTC_LEN ||
	    (end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL ||
	    *end != '\0')
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}
