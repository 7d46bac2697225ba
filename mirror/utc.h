/* utc.h -- times as ferry writes them: "2026-11-26T04:00:00Z" */
#ifndef FERRY_UTC_H
#define FERRY_UTC_H

#include <stdint.h>

#define UTC_LEN	20	/* "2026-11-26T04:00:00Z" */

void	utc_format(int64_t, char [UTC_LEN + 1]);
int	utc_parse(const char *, int64_t *);

#endif
