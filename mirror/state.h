/* state.h -- what ferry remembers about each URL between passes */
#ifndef FERRY_STATE_H
#define FERRY_STATE_H

#include <stdint.h>

/*
 * One URL's record, keyed by its canonical URL.  Strings are owned and
 * NULL when unknown.  path and blob name the copy in the mirror's HEAD
 * (both NULL when there is none); sha256, size and content_type describe
 * the body as fetched; etag and last_modified are the server's validators
 * for that body, never local times.  redirect is set for a URL that
 * answered with a redirect.  fails counts consecutive failed passes.
 * changed is when the stored copy last changed.  text_path and text_blob
 * name the readable text of a page, or a PDF's .txt.  Entries of kind
 * "link" (an online resource the source lists but ferry does not copy)
 * and "hotline" (a tel: link) have no path: they feed the index only.
 */
struct state_entry {
	char	*url;
	char	*source;
	char	*path;
	char	*blob;
	char	*sha256;
	char	*etag;
	char	*last_modified;
	char	*content_type;
	char	*redirect;
	char	*title;
	char	*section;
	char	*lang;
	char	*kind;
	char	*description;
	char	*heading;
	char	*text_path;
	char	*text_blob;
	char	*error;
	int64_t	 size;
	int64_t	 fetched;
	int64_t	 checked;
	int64_t	 failing_since;
	int64_t	 changed;
	int	 status;
	int	 fails;
	int	 order;
};

struct state;

int		 state_load(const char *, struct state **);
int		 state_save(struct state *, const char *, int);
void		 state_free(struct state *);
struct state_entry *state_get(struct state *, const char *);
struct state_entry *state_add(struct state *, const char *);
void		 state_remove(struct state *, const char *);
size_t		 state_sorted(struct state *, struct state_entry ***);
void		 state_set(char **, const char *);

#endif
