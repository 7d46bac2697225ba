/*
 * strmap.c -- a hash map from strings to pointers.
 *
 * Open addressing with linear probing and tombstones, FNV-1a hashing,
 * grown at 70 % load.  Enough for the tens of thousands of URLs a pass
 * handles; it knows nothing of URLs or paths.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "xmalloc.h"

static char	tombstone[1];

struct slot {
	char	*key;		/* NULL: empty; tombstone: deleted */
	void	*value;
};

struct strmap {
	struct slot	*slots;
	size_t		 cap;	/* a power of two */
	size_t		 used;	/* live keys */
	size_t		 filled;	/* live keys and tombstones */
};

static uint64_t
hash(const char *s)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

struct strmap *
strmap_new(void)
{
	struct strmap	*m;

	m = xcalloc(1, sizeof *m);
	m->cap = 64;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	return m;
}

void
strmap_free(struct strmap *m, void (*free_value)(void *))
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key == NULL || m->slots[i].key == tombstone)
			continue;
		if (free_value != NULL)
			free_value(m->slots[i].value);
		free(m->slots[i].key);
	}
	free(m->slots);
	free(m);
}

static struct slot *
find(const struct strmap *m, const char *key)
{
	size_t	i = (size_t)hash(key) & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct slot *s = &m->slots[i];

		if (s->key == NULL)
			return NULL;
		if (s->key != tombstone && strcmp(s->key, key) == 0)
			return s;
	}
}

static void
grow(struct strmap *m)
{
	struct slot	*old = m->slots;
	size_t		 oldcap = m->cap, i, j;

	if (m->used * 2 >= m->cap)
		m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	m->filled = m->used;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL || old[i].key == tombstone)
			continue;
		j = (size_t)hash(old[i].key) & (m->cap - 1);
		while (m->slots[j].key != NULL)
			j = (j + 1) & (m->cap - 1);
		m->slots[j] = old[i];
	}
	free(old);
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	struct slot	*s = find(m, key);

	return s ? s->value : NULL;
}

/* Set key to value; returns the value it replaced, or NULL. */
void *
strmap_put(struct strmap *m, const char *key, void *value)
{
	struct slot	*s;
	void		*old;
	size_t		 i;

	if ((s = find(m, key)) != NULL) {
		old = s->value;
		s->value = value;
		return old;
	}
	if ((m->filled + 1) * 10 > m->cap * 7)
		grow(m);
	i = (size_t)hash(key) & (m->cap - 1);
	while (m->slots[i].key != NULL && m->slots[i].key != tombstone)
		i = (i + 1) & (m->cap - 1);
	if (m->slots[i].key == NULL)
		m->filled++;
	m->slots[i].key = xstrdup(key);
	m->slots[i].value = value;
	m->used++;
	return NULL;
}

/* Remove key; returns its value, or NULL when it was not there. */
void *
strmap_del(struct strmap *m, const char *key)
{
	struct slot	*s;
	void		*old;

	if ((s = find(m, key)) == NULL)
		return NULL;
	old = s->value;
	free(s->key);
	s->key = tombstone;
	s->value = NULL;
	m->used--;
	return old;
}

size_t
strmap_count(const struct strmap *m)
{
	return m->used;
}

/* Iterate: start with *pos = 0; returns 0 when there is nothing more. */
int
strmap_next(const struct strmap *m, size_t *pos, const char **key,
    void **value)
{
	for (; *pos < m->cap; (*pos)++) {
		struct slot *s = &m->slots[*pos];

		if (s->key == NULL || s->key == tombstone)
			continue;
		*key = s->key;
		if (value != NULL)
			*value = s->value;
		(*pos)++;
		return 1;
	}
	return 0;
}
