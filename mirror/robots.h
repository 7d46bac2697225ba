/* robots.h -- robots.txt: which paths a site lets ferry fetch */
#ifndef FERRY_ROBOTS_H
#define FERRY_ROBOTS_H

#include <stddef.h>

#define ROBOTS_MAX_SIZE	(512 * 1024)	/* bytes of robots.txt read */

/*
 * The rules of one robots.txt that apply to one user agent: the groups
 * naming its product token, or else the groups for "*", merged.  A NULL
 * struct robots (no robots.txt) allows everything.
 */
struct robots;

struct robots	*robots_parse(const char *, size_t, const char *);
void		 robots_free(struct robots *);
int		 robots_allowed(const struct robots *, const char *,
		    const char **);
double		 robots_crawl_delay(const struct robots *);
char		*robots_agent(const char *);

#endif
