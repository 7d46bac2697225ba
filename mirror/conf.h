/* conf.h -- ferry.conf: reading, validating, printing */
#ifndef FERRY_CONF_H
#define FERRY_CONF_H

#include <stdint.h>
#include <stddef.h>

struct buf;

/* One [source "NAME"] section.  Lists own their strings. */
struct conf_source {
	char	 *name;
	char	 *url;		/* normalised http(s) URL of the source page */
	int	  depth;	/* page hops from the source page, default 1 */
	char	**allow;	/* extra hosts for documents and requisites */
	size_t	  nallow;
	char	**include;	/* URL globs; empty means everything */
	size_t	  ninclude;
	char	**exclude;	/* URL globs, checked after include */
	size_t	  nexclude;
};

/*
 * A whole, validated configuration.  Every field holds its effective
 * value (the default when the file is silent); paths are absolute.
 */
struct conf {
	char			*file;		/* as given by the user */
	char			*mirror_path;	/* absolute */
	char			*author_name;
	char			*author_email;
	char			*user_agent;
	long			 timeout;	/* seconds, whole transfer */
	long			 connect_timeout; /* seconds */
	int64_t			 max_file_size;	/* bytes, decoded */
	int			 connections_per_host;
	struct conf_source	*sources;
	size_t			 nsources;
};

int	 conf_load(const char *, struct conf **);
void	 conf_free(struct conf *);
int	 conf_print(const struct conf *, struct buf *);
const struct conf_source *conf_source(const struct conf *, const char *);
int	 conf_parse_duration(const char *, long *);
int	 conf_parse_size(const char *, int64_t *);

#endif
