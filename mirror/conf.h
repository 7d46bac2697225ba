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
	int	  robots;	/* obey robots.txt (1) or ignore it (0) */
	int	  max_resources; /* requests per pass, 0: no limit */
	int64_t	  max_bytes;	/* body bytes per pass, 0: no limit */
	long	  interval;	/* seconds between ferryd's passes */
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
	char			*admin_name;	/* of edit commits, NULL: the
						   edited file's owner */
	char			*admin_email;
	long			 jitter;	/* seconds, most added to an
						   interval */
	int			 fsync;		/* of objects, packs, refs */
	long			 gc_threshold;	/* loose objects before a pass
						   packs them, 0: never */
	char			*user_agent;
	char			*ca_file;	/* PEM certificates to trust
						   instead of the system's, or
						   NULL */
	long			 timeout;	/* seconds, whole transfer */
	long			 connect_timeout; /* seconds */
	int64_t			 max_file_size;	/* bytes, decoded */
	int64_t			 low_speed_limit; /* bytes/s, 0: none */
	long			 low_speed_time; /* seconds under it fail */
	int			 connections_per_host;
	int			 connections;	/* all hosts together */
	long			 delay;		/* seconds between requests to
						   one host */
	int			 max_redirects;
	int			 retries;	/* extra attempts */
	long			 retry_time;	/* seconds a pass may wait for
						   retries alone */
	int			 remove_after;	/* passes answering 404/410
						   before a copy is removed */
	long			 quiet_period;	/* seconds without an edit
						   before ferryd commits */
	long			 backoff;	/* seconds before ferryd's
						   first retry of a failed
						   pass */
	char			*export_key;	/* secret key file, or NULL */
	long			 valid_for;	/* seconds an export is good */
	char			*export_label;	/* of sticks to export to */
	char			*trusted_key;	/* "RW..." or a .pub file, or
						   NULL: imports refused */
	char			**publish;	/* git remotes the branch is
						   pushed to after a pass */
	size_t			 npublish;
	char			*sign_key;	/* secret key signing every
						   commit, or NULL */
	char			*follow;	/* the hub's git remote, or
						   NULL: this mirror crawls */
	char			*follow_branch;	/* "main" */
	long			 follow_interval; /* seconds between ferryd's
						   follow passes */
	int			 allow_rewrite;	/* take a hub history that
						   does not continue */
	char			*token_file;	/* HTTPS token, or NULL */
	char			*token_user;	/* the user sent with it */
	char			*ssh_key;	/* private key file, or NULL:
						   the SSH agent */
	char			*ssh_host_key;	/* "SHA256:..." the SSH
						   server must present */
	struct conf_source	*sources;
	size_t			 nsources;
};

struct passwd;

int	 conf_load(const char *, struct conf **);
void	 conf_author_user(struct conf *, const struct passwd *);
void	 conf_free(struct conf *);
int	 conf_print(const struct conf *, struct buf *);
const struct conf_source *conf_source(const struct conf *, const char *);
int	 conf_parse_duration(const char *, long *);
int	 conf_parse_size(const char *, int64_t *);
size_t	 conf_distance(const char *, const char *);
int	 conf_has_control(const char *);
void	 conf_remote_display(const char *, struct buf *);
char	*conf_socket_path(const char *);

#endif
