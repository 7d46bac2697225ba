/* json.h -- reading JSON texts back: index.json from a commit */
#ifndef FERRY_JSON_H
#define FERRY_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_DEPTH_MAX	64	/* deeper nesting is an error */

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/*
 * One value.  A string is UTF-8 with its escapes decoded and never holds
 * NUL.  An array has n items; an object n members, keys[i] naming
 * items[i], in the order of the text (a repeated key keeps every member;
 * json_get finds the first).  A value owns everything below it.
 */
struct json {
	enum json_type	  type;
	int		  boolean;
	double		  number;
	char		 *string;
	size_t		  n;
	char		**keys;
	struct json	**items;
};

int		 json_parse(const char *, size_t, struct json **);
void		 json_free(struct json *);
const struct json *json_get(const struct json *, const char *);
const char	*json_get_str(const struct json *, const char *);
int		 json_get_int(const struct json *, const char *, int64_t *);

#endif
