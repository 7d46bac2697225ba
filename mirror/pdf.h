/* pdf.h -- a PDF's title, author, page count and text (poppler-glib) */
#ifndef FERRY_PDF_H
#define FERRY_PDF_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * How much one reading of a PDF may take.  pages and text bound the text
 * kept (pages read, bytes after normalisation); text_file_max is the
 * largest file whose text is read (larger ones give metadata only);
 * memory is the address space the reader may add to what it starts
 * with, cpu_seconds its processor time, wall_ms the time it may take in
 * all.
 */
struct pdf_limits {
	int	 pages;
	size_t	 text;
	int64_t	 text_file_max;
	size_t	 memory;
	int	 cpu_seconds;
	int	 wall_ms;
};

#define PDF_LIMITS_DEFAULT {						\
	.pages = 200, .text = 512u << 10,				\
	.text_file_max = (int64_t)64 << 20,				\
	.memory = (size_t)512 << 20,					\
	.cpu_seconds = 20, .wall_ms = 30000 }

/*
 * What a PDF says about itself.  title and author are "" when it names
 * none (UTF-8, whitespace collapsed, never NULL after pdf_read); pages is
 * its page count, 0 when unknown.  text is the normalised text of the
 * first pages_read pages; cut is set when pages or bytes were left out
 * by the limits.  why is NULL when the text was read, else a short
 * reason in plain words ("the document is damaged: ...").  local is set
 * when no reader could even start (no process, no pipe): not the PDF's
 * fault.
 */
struct pdf_info {
	char	*title;
	char	*author;
	int	 pages;
	int	 pages_read;
	int	 cut;
	char	*text;
	char	*why;
	int	 local;
};

/* What the .txt says about the copy besides what the PDF says. */
struct pdf_copy {
	const char	*url;
	const char	*sha256;
	int64_t		 size;
};

int	 pdf_available(void);
int	 pdf_read(const char *, const struct pdf_limits *,
	    struct pdf_info *);
int	 pdf_read_many(const char *const *, size_t,
	    const struct pdf_limits *, size_t, struct pdf_info *);

/*
 * Readers at work in the background: pdf_pool_add queues a file and
 * starts a reader when one of the pool's slots is free; pdf_pool_poll
 * ends the readers that are done (or waits for all of them) and gives
 * each answer to the callback, which owns the info it gets.  The file
 * must stay until its answer has come.
 */
struct pdf_pool;
typedef void	pdf_done_cb(void *, struct pdf_info *, void *);

struct pdf_pool	*pdf_pool_new(const struct pdf_limits *, size_t,
		    pdf_done_cb *, void *);
void		 pdf_pool_add(struct pdf_pool *, const char *, void *);
void		 pdf_pool_poll(struct pdf_pool *, int);
int64_t		 pdf_pool_busy_ms(const struct pdf_pool *);
void		 pdf_pool_free(struct pdf_pool *);
void	 pdf_info_free(struct pdf_info *);
int	 pdf_normalise(const char *, size_t, struct buf *);
int	 pdf_format(const struct pdf_info *, const struct pdf_copy *,
	    struct buf *);
char	*pdf_search_text(const char *, size_t);

#endif
