/*
 * pdf.c -- what a PDF says about itself, and the .txt that shows it.
 *
 * It owns reading a PDF's title, author, page count and text through
 * poppler's glib API, the normalisation of that text, and the format of
 * the .txt a PDF gets beside its text path (text/<host>/<path>.txt):
 *
 *	Title: <title>			(when the PDF names one)
 *	Author: <author>		(when the PDF names one)
 *	Pages: <count>			(when the PDF could be opened)
 *	Size: <bytes> bytes
 *	SHA-256: <hex>
 *	URL: <the source URL>
 *	Text: <why there is no text, or not all of it>	(only then)
 *
 *	<the text, one line of the PDF per line; "--- page N ---" before
 *	 each page when there are several>
 *
 * PDFs come from the internet and poppler can crash, hang or eat memory
 * on them: each is read in a child process with limits on its address
 * space (RLIMIT_AS, added to what the process already maps, so that
 * sanitizers and valgrind keep working), processor time (RLIMIT_CPU) and
 * wall-clock time (the parent kills it), no file writes and no core
 * dump; it keeps no descriptor of the parent's but its pipe (not the
 * mirror's lock) and dies with the parent.  The child sends its findings
 * through the pipe as frames (a type byte, a length, the bytes); the
 * parent keeps at most the text limit plus a little, so its memory does
 * not grow with the PDF.  A child that fails, or is killed, leaves the
 * metadata it sent, and the text is reported as not read, with why.
 *
 * The text is read from the first 200 pages and cut at 512 KiB; a file
 * larger than 64 MiB gives its metadata but no text: such files are
 * nearly always scans or image-heavy, their text costs the most to find
 * and rarely holds more than a title page would.  The limits are in
 * struct pdf_limits.
 *
 * The same bytes give the same .txt: the text is normalised (whitespace
 * runs collapsed, form feeds and blank lines dropped, no trailing space,
 * invalid UTF-8 replaced by U+FFFD) and nothing in it depends on the
 * time, but whether a reading ran out of time or memory (the caller keeps
 * a .txt while its PDF's bytes stay the same, so that verdict does not
 * come and go).  Without poppler (configure --without-poppler) the .txt
 * still carries size, SHA-256 and URL, and says the text was not read.
 *
 * It deliberately does not know where the PDF came from (the caller
 * hands it a file), the mirror, or git; Unicode normalisation (NFC) is
 * not done.
 */
#include "config.h"

#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_POPPLER
#include <poppler.h>
#endif

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "pdf.h"
#include "xmalloc.h"

#define META_MAX	1024	/* bytes of a title or an author kept */
#define FRAME_HEAD	5	/* a frame: type, then a 4-byte length */
#define READER_FD	3	/* the reader's end of the pipe */

/* Frames the reader sends, in this order. */
#define F_TITLE		'T'
#define F_AUTHOR	'A'
#define F_PAGES		'N'	/* the page count, in decimal */
#define F_PAGE		'P'	/* one page's text, possibly cut */
#define F_CUT		'C'	/* the text limit was reached */
#define F_SKIP		'S'	/* the file is too large for its text */
#define F_ERROR		'E'	/* the document cannot be opened */
#define F_DONE		'D'

/* --- normalisation ------------------------------------------------------ */

enum cclass { C_CHAR, C_SPACE, C_BREAK, C_DROP };

/*
 * The code point of the UTF-8 sequence at s (n bytes left), its length in
 * *len; -1 for an invalid sequence (overlong, surrogate, cut short, out
 * of range), which counts as one byte.
 */
static long
utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
	static const long	 min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	long			 c;
	size_t			 k, i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return -1;
	if (n < k)
		return -1;
	c = s[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[k] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*len = k;
	return c;
}

static enum cclass
classify(long c)
{
	if (c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
	    c == 0x85 || c == 0x2028 || c == 0x2029)
		return C_BREAK;
	if (c == 0xfeff)
		return C_DROP;
	if (c < 0x20 || c == ' ' || (c >= 0x7f && c <= 0x9f) ||
	    c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x202f || c == 0x205f || c == 0x3000)
		return C_SPACE;
	return C_CHAR;
}

/*
 * Append s[0..n) to out as lines: every line break (LF, CR, form feed,
 * U+2028...) ends a line, runs of spaces and controls become one space,
 * lines are trimmed and empty ones dropped; each line ends with "\n".
 * FERRY_ETOOBIG when out's cap is reached (out keeps whole lines).
 */
int
pdf_normalise(const char *s, size_t n, struct buf *out)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, len, mark = out->len;
	long			 c;
	int			 space = 0, empty = 1, rc = 0;

	while (i < n && rc == 0) {
		c = utf8_decode(p + i, n - i, &len);
		switch (c < 0 ? C_CHAR : classify(c)) {
		case C_BREAK:
			if (!empty && (rc = buf_addc(out, '\n')) == 0)
				mark = out->len;
			space = 0;
			empty = 1;
			break;
		case C_SPACE:
			space = !empty;
			break;
		case C_DROP:
			break;
		case C_CHAR:
			if (space)
				rc = buf_addc(out, ' ');
			if (rc == 0)
				rc = c < 0 ? buf_addstr(out, "\xef\xbf\xbd") :
				    buf_add(out, p + i, len);
			space = 0;
			empty = 0;
			break;
		}
		i += len;
	}
	if (rc == 0 && !empty)
		rc = buf_addc(out, '\n');
	if (rc != 0) {
		out->len = mark;	/* whole lines only */
		if (out->ptr != NULL)
			out->ptr[mark] = '\0';
	}
	return rc;
}

/* --- the .txt ------------------------------------------------------------ */

/* The "Text:" line, or NULL when the whole text is there. */
static char *
text_note(const struct pdf_info *in)
{
	char	*s = NULL;

	if (in->why != NULL)
		xasprintf(&s, "not read (%s)", in->why);
	else if (in->cut && in->pages_read < in->pages)
		xasprintf(&s, "the first %d of %d pages only", in->pages_read,
		    in->pages);
	else if (in->cut)
		xasprintf(&s, "cut short: the document has more text than "
		    "ferry keeps");
	else if (in->text == NULL || *in->text == '\0')
		s = xstrdup("none (the pages carry no text: scanned images?)");
	return s;
}

/* The .txt of a PDF: the header described above, a blank line, the text. */
int
pdf_format(const struct pdf_info *in, const struct pdf_copy *copy,
    struct buf *out)
{
	char	*note = text_note(in);
	size_t	 mark = out->len;
	int	 rc = 0;

	if (in->title != NULL && *in->title != '\0')
		rc |= buf_addf(out, "Title: %s\n", in->title);
	if (in->author != NULL && *in->author != '\0')
		rc |= buf_addf(out, "Author: %s\n", in->author);
	if (in->pages > 0)
		rc |= buf_addf(out, "Pages: %d\n", in->pages);
	rc |= buf_addf(out, "Size: %" PRId64 " bytes\nSHA-256: %s\nURL: %s\n",
	    copy->size, copy->sha256, copy->url);
	if (note != NULL)
		rc |= buf_addf(out, "Text: %s\n", note);
	if (in->why == NULL && in->text != NULL && *in->text != '\0') {
		rc |= buf_addc(out, '\n');
		rc |= buf_addstr(out, in->text);
	}
	free(note);
	if (rc == 0)
		return 0;
	out->len = mark;	/* all or nothing */
	if (out->ptr != NULL)
		out->ptr[mark] = '\0';
	return err_code(FERRY_ETOOBIG, "the text of '%s' is too large",
	    copy->url);
}

/* Whether line (n bytes) is a header field named name. */
static int
is_field(const char *line, size_t n, const char *name)
{
	size_t	k = strlen(name);

	return n > k + 1 && strncmp(line, name, k) == 0 && line[k] == ':' &&
	    line[k + 1] == ' ';
}

/*
 * What the index searches in a PDF's .txt: its title and author, then
 * its text without page marks; none of the copy's size, hash or URL.
 */
char *
pdf_search_text(const char *txt, size_t len)
{
	struct buf	 b = BUF_INIT;
	const char	*p = txt, *end = txt + len, *nl;
	size_t		 n;
	int		 head = 1;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (head && n == 0) {
			head = 0;
			continue;
		}
		if (head && (is_field(p, n, "Title") ||
		    is_field(p, n, "Author")))
			p = (const char *)memchr(p, ':', n) + 2;
		else if (head || (n > 9 && strncmp(p, "--- page ", 9) == 0))
			continue;
		buf_add(&b, p, (size_t)(nl - p));
		buf_addc(&b, '\n');
	}
	return b.ptr ? buf_detach(&b) : xstrdup("");
}

void
pdf_info_free(struct pdf_info *in)
{
	free(in->title);
	free(in->author);
	free(in->text);
	free(in->why);
	memset(in, 0, sizeof *in);
}

/* --- reading, in a child process ---------------------------------------- */

#ifdef HAVE_POPPLER

int
pdf_available(void)
{
	return 1;
}

static int
send_frame(int fd, char type, const char *s, size_t n)
{
	unsigned char	head[FRAME_HEAD];
	uint32_t	len = (uint32_t)n;

	head[0] = (unsigned char)type;
	memcpy(head + 1, &len, sizeof len);
	if (fsutil_write_all(fd, head, sizeof head) == -1 ||
	    (n > 0 && fsutil_write_all(fd, s, n) == -1))
		return -1;
	return 0;
}

static int
send_str(int fd, char type, const char *s, size_t max)
{
	size_t	n = s ? strlen(s) : 0;

	if (n > max) {
		for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80;)
			n--;
	}
	return send_frame(fd, type, s ? s : "", n);
}

/* Each page's text, up to the limits. */
static int
send_pages(int fd, PopplerDocument *doc, int pages,
    const struct pdf_limits *lim)
{
	PopplerPage	*page;
	char		*text;
	size_t		 sent = 0, n;
	int		 i, rc = 0;

	for (i = 0; i < pages && i < lim->pages && rc == 0; i++) {
		if (sent >= lim->text)
			break;
		page = poppler_document_get_page(doc, i);
		text = page ? poppler_page_get_text(page) : NULL;
		n = text ? strlen(text) : 0;
		rc = send_str(fd, F_PAGE, text, lim->text - sent);
		sent += n < lim->text - sent ? n : lim->text - sent;
		if (n > 0 && sent >= lim->text)
			rc |= send_frame(fd, F_CUT, "", 0);
		g_free(text);
		if (page != NULL)
			g_object_unref(page);
	}
	return rc;
}

/* Open file with poppler and send what it says; -1 when the pipe broke. */
static int
read_document(const char *file, const struct pdf_limits *lim, int fd)
{
	PopplerDocument	*doc = NULL;
	GError		*gerr = NULL;
	struct stat	 st;
	char		*abs, *uri, *title = NULL, *author = NULL, num[16];
	int		 pages, rc = -1;

	abs = fsutil_absolute(NULL, file);
	if ((uri = g_filename_to_uri(abs, NULL, &gerr)) == NULL ||
	    (doc = poppler_document_new_from_file(uri, NULL, &gerr)) == NULL) {
		rc = send_str(fd, F_ERROR, gerr ? gerr->message : "unknown "
		    "error", META_MAX);
		goto out;
	}
	title = poppler_document_get_title(doc);
	author = poppler_document_get_author(doc);
	pages = poppler_document_get_n_pages(doc);
	snprintf(num, sizeof num, "%d", pages < 0 ? 0 : pages);
	if (send_str(fd, F_TITLE, title, META_MAX) != 0 ||
	    send_str(fd, F_AUTHOR, author, META_MAX) != 0 ||
	    send_str(fd, F_PAGES, num, sizeof num) != 0)
		goto out;
	if (stat(file, &st) == 0 && (int64_t)st.st_size > lim->text_file_max)
		rc = send_frame(fd, F_SKIP, "", 0);
	else
		rc = send_pages(fd, doc, pages, lim);
	if (rc == 0)
		rc = send_frame(fd, F_DONE, "", 0);
out:
	g_free(title);
	g_free(author);
	if (doc != NULL)
		g_object_unref(doc);
	if (gerr != NULL)
		g_error_free(gerr);
	g_free(uri);
	free(abs);
	return rc;
}

/* The address space this process maps now, in bytes (0: unknown). */
static size_t
mapped_now(void)
{
	FILE		*f;
	unsigned long	 pages = 0;
	long		 size = sysconf(_SC_PAGESIZE);

	if ((f = fopen("/proc/self/statm", "re")) == NULL)
		return 0;
	if (fscanf(f, "%lu", &pages) != 1)
		pages = 0;
	fclose(f);
	return size > 0 ? (size_t)pages * (size_t)size : 0;
}

static void
limit(int what, rlim_t soft, rlim_t hard)
{
	struct rlimit	rl;

	if (getrlimit(what, &rl) == 0) {
		if (rl.rlim_max != RLIM_INFINITY && hard > rl.rlim_max)
			hard = rl.rlim_max;
		if (soft > hard)
			soft = hard;
	}
	rl.rlim_cur = soft;
	rl.rlim_max = hard;
	(void)setrlimit(what, &rl);
}

/* The child: limits, quiet, read, exit. */
static void __attribute__((noreturn))
reader(const char *file, const struct pdf_limits *lim, int fd,
    pid_t parent)
{
	static const int	 dfl[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE,
				    SIGCHLD, SIGXCPU };
	sigset_t		 none;
	size_t			 i, as = mapped_now() + lim->memory;
	int			 null;

	for (i = 0; i < sizeof dfl / sizeof dfl[0]; i++)
		signal(dfl[i], SIG_DFL);
	signal(SIGXFSZ, SIG_IGN);	/* a write fails, it does not kill */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
	/* Gone with the pass, and without its lock or pipes. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(4);
#endif
	if (fd != READER_FD && (dup2(fd, READER_FD) == -1 ||
	    close(fd) == -1))
		_exit(4);
	close_range(READER_FD + 1, ~0U, 0);
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDERR_FILENO);	/* poppler's complaints */
		if (null > STDERR_FILENO)
			close(null);
	}
	limit(RLIMIT_AS, (rlim_t)as, (rlim_t)as);
	limit(RLIMIT_CPU, (rlim_t)lim->cpu_seconds,
	    (rlim_t)lim->cpu_seconds + 1);
	limit(RLIMIT_FSIZE, 0, 0);
	limit(RLIMIT_CORE, 0, 0);
	_exit(read_document(file, lim, READER_FD) == 0 ? 0 : 3);
}

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the reader ended with, besides its exit status. */
enum ending { END_EOF, END_TIME, END_TOOMUCH, END_IO };

/* One reader at work: its process, its pipe, what it sent so far. */
struct reader {
	pid_t		 pid;
	int		 fd;		/* -1: finished */
	int64_t		 deadline;
	struct buf	 in;
};

/* Read what r's pipe has; 1 when r has ended (how says how). */
static int
drain(struct reader *r, enum ending *how)
{
	char	chunk[65536];
	ssize_t	n;

	if ((n = read(r->fd, chunk, sizeof chunk)) == 0) {
		*how = END_EOF;
		return 1;
	}
	if (n == -1) {
		*how = END_IO;
		return errno != EINTR && errno != EAGAIN;
	}
	if (buf_add(&r->in, chunk, (size_t)n) != 0) {
		*how = END_TOOMUCH;
		return 1;
	}
	return 0;
}

/* Wait for pid until the deadline, then kill it; its status. */
static int
reap(pid_t pid, int64_t deadline, int kill_now)
{
	struct timespec	 nap = { 0, 5 * 1000 * 1000 };
	int		 status = 0;
	pid_t		 r;

	if (kill_now)
		kill(pid, SIGKILL);
	while ((r = waitpid(pid, &status, WNOHANG)) == 0 &&
	    now_ms() < deadline)
		nanosleep(&nap, NULL);
	if (r == 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	return status;
}

/* One line of metadata: normalised, cut to META_MAX bytes, no newline. */
static char *
meta_line(const char *s, size_t n)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	char		*line;

	(void)pdf_normalise(s, n, &b);	/* no cap */
	for (i = 0; i < b.len; i++)
		if (b.ptr[i] == '\n')
			b.ptr[i] = i + 1 < b.len ? ' ' : '\0';
	line = b.ptr ? buf_detach(&b) : xstrdup("");
	if (strlen(line) > META_MAX) {
		for (i = META_MAX; i > 0 &&
		    ((unsigned char)line[i] & 0xc0) == 0x80; i--)
			;
		line[i] = '\0';
	}
	buf_free(&b);
	return line;
}

/* Take the frames in in[0..len) into out; 1 when F_DONE came. */
static int
parse_frames(const char *in, size_t len, struct pdf_info *out,
    struct buf *text, int *skipped, char **error)
{
	const char	*s;
	size_t		 at = 0;
	uint32_t	 n;
	int		 done = 0, page = 0;
	char		 num[16];

	while (len - at >= FRAME_HEAD) {
		memcpy(&n, in + at + 1, sizeof n);
		if (n > len - at - FRAME_HEAD)
			break;		/* cut short */
		s = in + at + FRAME_HEAD;
		switch (in[at]) {
		case F_TITLE:
			free(out->title);
			out->title = meta_line(s, n);
			break;
		case F_AUTHOR:
			free(out->author);
			out->author = meta_line(s, n);
			break;
		case F_PAGES:
			snprintf(num, sizeof num, "%.*s", (int)n, s);
			out->pages = atoi(num);
			break;
		case F_PAGE:
			if (out->pages > 1)
				buf_addf(text, "--- page %d ---\n", page + 1);
			if (pdf_normalise(s, n, text) != 0)
				out->cut = 1;
			out->pages_read = ++page;
			break;
		case F_CUT:
			out->cut = 1;
			break;
		case F_SKIP:
			*skipped = 1;
			break;
		case F_ERROR:
			free(*error);
			*error = meta_line(s, n);
			break;
		case F_DONE:
			done = 1;
			break;
		}
		at += FRAME_HEAD + n;
	}
	if (out->pages_read < out->pages)
		out->cut |= out->pages_read >= 1 && !*skipped;
	return done;
}

/* Why the reader gave no text, from how it ended; NULL when it did. */
static char *
verdict(enum ending how, int status, int done, int skipped,
    const char *error, const struct pdf_limits *lim)
{
	char	*why = NULL;
	int	 sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;

	if (error != NULL)
		xasprintf(&why, "the document cannot be opened: %s", error);
	else if (how == END_TIME)
		xasprintf(&why, "reading it took longer than %d s",
		    (lim->wall_ms + 999) / 1000);
	else if (how == END_TOOMUCH)
		why = xstrdup("the reader sent more than it should");
	else if (how == END_IO)
		why = xstrdup("the pipe from the reader failed");
	else if (sig == SIGXCPU || sig == SIGKILL)
		xasprintf(&why, "reading it took more than %d s of processor "
		    "time", lim->cpu_seconds);
	else if (sig != 0)
		xasprintf(&why, "the reader failed (signal %d), perhaps out of "
		    "memory (%zu MiB allowed)", sig, lim->memory >> 20);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !done)
		xasprintf(&why, "the reader failed (exit %d)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else if (skipped)
		xasprintf(&why, "the file is larger than %" PRId64 " MiB",
		    lim->text_file_max >> 20);
	return why;
}

/* Interpret what the reader sent and how it ended. */
static void
conclude(const struct buf *in, enum ending how, int status,
    const struct pdf_limits *lim, struct pdf_info *out)
{
	struct buf	 text = BUF_INIT;
	char		*error = NULL;
	int		 done, skipped = 0;

	buf_init(&text, lim->text + 64 * (size_t)(lim->pages + 1));
	done = parse_frames(in->ptr ? in->ptr : "", in->len, out, &text,
	    &skipped, &error);
	out->why = verdict(how, status, done, skipped, error, lim);
	if (out->why == NULL)
		out->text = text.ptr ? buf_detach(&text) : xstrdup("");
	else {
		out->pages_read = 0;
		out->cut = 0;
	}
	buf_free(&text);
	free(error);
}

/* Start a reader of file; -1 (with out->why) when none could start. */
static int
reader_start(const char *file, const struct pdf_limits *lim,
    struct reader *r, struct pdf_info *out)
{
	pid_t	pid, parent = getpid();
	int	fds[2];

	memset(r, 0, sizeof *r);
	r->fd = -1;
	if (pipe2(fds, O_CLOEXEC) == -1 || (pid = fork()) == -1) {
		err_set("cannot start a reader for '%s': %s", file,
		    strerror(errno));
		out->why = xstrdup(err_msg());
		out->local = 1;
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		reader(file, lim, fds[1], parent);
	}
	close(fds[1]);
	r->pid = pid;
	r->fd = fds[0];
	r->deadline = now_ms() + lim->wall_ms;
	buf_init(&r->in, lim->text + 4 * META_MAX +
	    64 * (size_t)(lim->pages + 4));
	return 0;
}

/* r has ended, how says how: reap it and take what it sent into out. */
static void
reader_finish(struct reader *r, enum ending how,
    const struct pdf_limits *lim, struct pdf_info *out)
{
	int	status;

	close(r->fd);
	r->fd = -1;
	status = reap(r->pid, r->deadline + 1000, how != END_EOF);
	conclude(&r->in, how, status, lim, out);
	buf_free(&r->in);
}

/* One PDF of a pool: waiting in the queue, or being read in a slot. */
struct pool_job {
	char		*file;		/* NULL: a free slot */
	void		*tag;
	struct reader	 r;
	struct pdf_info	 info;
};

struct pdf_pool {
	struct pdf_limits	 lim;
	pdf_done_cb		*done;
	void			*arg;
	struct pool_job		*slot;		/* nslots readers at most */
	size_t			 nslots;
	size_t			 active;
	struct pool_job		*queue;		/* waiting, oldest at head */
	size_t			 head, nqueue, capqueue;
	int64_t			 busy_ms;	/* time with a reader at work */
	int64_t			 mark;
};

struct pdf_pool *
pdf_pool_new(const struct pdf_limits *lim, size_t parallel,
    pdf_done_cb *done, void *arg)
{
	struct pdf_pool	*pool = xcalloc(1, sizeof *pool);

	pool->lim = *lim;
	pool->done = done;
	pool->arg = arg;
	pool->nslots = parallel > 0 ? parallel : 1;
	pool->slot = xcalloc(pool->nslots, sizeof *pool->slot);
	return pool;
}

/* Hand j's answer over (the callback owns its info) and free j. */
static void
pool_deliver(struct pdf_pool *pool, struct pool_job *j)
{
	if (j->info.title == NULL)
		j->info.title = xstrdup("");
	if (j->info.author == NULL)
		j->info.author = xstrdup("");
	pool->done(j->tag, &j->info, pool->arg);
	free(j->file);
	memset(j, 0, sizeof *j);
}

/* Start readers for what waits, as slots allow. */
static void
pool_start(struct pdf_pool *pool)
{
	struct pool_job	*j;
	size_t		 i;

	for (i = 0; i < pool->nslots && pool->head < pool->nqueue; i++) {
		j = &pool->slot[i];
		if (j->file != NULL)
			continue;
		*j = pool->queue[pool->head++];
		if (reader_start(j->file, &pool->lim, &j->r, &j->info) != 0) {
			pool_deliver(pool, j);
			continue;
		}
		if (pool->active++ == 0)
			pool->mark = now_ms();	/* busy from now */
	}
	if (pool->head == pool->nqueue)
		pool->head = pool->nqueue = 0;
}

/* Read file; tag comes back with its answer, from pdf_pool_poll. */
void
pdf_pool_add(struct pdf_pool *pool, const char *file, void *tag)
{
	if (pool->nqueue == pool->capqueue) {
		pool->capqueue = pool->capqueue ? pool->capqueue * 2 : 16;
		pool->queue = xreallocarray(pool->queue, pool->capqueue,
		    sizeof *pool->queue);
	}
	memset(&pool->queue[pool->nqueue], 0, sizeof pool->queue[0]);
	pool->queue[pool->nqueue].file = xstrdup(file);
	pool->queue[pool->nqueue++].tag = tag;
	pool_start(pool);
}

/* One round: wait up to wait_ms for the readers, end those done. */
static void
pool_round(struct pdf_pool *pool, int64_t wait_ms)
{
	struct pollfd	*pfd = xcalloc(pool->nslots, sizeof *pfd);
	struct pool_job	*j;
	enum ending	 how;
	int64_t		 now = now_ms();
	size_t		 i, k;
	int		 failed;

	for (i = k = 0; i < pool->nslots; i++) {
		j = &pool->slot[i];
		if (j->file == NULL || j->r.fd == -1)
			continue;
		if (j->r.deadline - now < wait_ms)
			wait_ms = j->r.deadline - now;
		pfd[k].fd = j->r.fd;
		pfd[k++].events = POLLIN;
	}
	failed = poll(pfd, k, wait_ms > 0 ? (int)wait_ms : 0) == -1 &&
	    errno != EINTR;
	now = now_ms();
	for (i = k = 0; i < pool->nslots; i++) {
		j = &pool->slot[i];
		if (j->file == NULL || j->r.fd == -1)
			continue;
		if (failed)
			how = END_IO;
		else if (!(pfd[k].revents != 0 && drain(&j->r, &how))) {
			how = END_TIME;
			if (now < j->r.deadline) {
				k++;
				continue;
			}
		}
		k++;
		reader_finish(&j->r, how, &pool->lim, &j->info);
		pool->active--;
		pool_deliver(pool, j);
	}
	free(pfd);
}

/*
 * Let the readers get on: with wait, until every PDF added is read;
 * without, only what is ready now.  Answers go to the callback.
 */
void
pdf_pool_poll(struct pdf_pool *pool, int wait)
{
	int64_t	now;

	for (;;) {
		if (pool->active == 0)
			return;
		now = now_ms();
		pool->busy_ms += now - pool->mark;
		pool->mark = now;
		pool_round(pool, wait ? 1000 : 0);
		pool_start(pool);
		if (!wait)
			return;
	}
}

/* How long readers have been at work, in all. */
int64_t
pdf_pool_busy_ms(const struct pdf_pool *pool)
{
	return pool->busy_ms;
}

/* Stop every reader (killed) and forget what waits; no callback. */
void
pdf_pool_free(struct pdf_pool *pool)
{
	struct pool_job	*j;
	size_t		 i;

	if (pool == NULL)
		return;
	for (i = 0; i < pool->nslots; i++) {
		j = &pool->slot[i];
		if (j->file == NULL)
			continue;
		if (j->r.fd != -1) {
			close(j->r.fd);
			(void)reap(j->r.pid, 0, 1);
			buf_free(&j->r.in);
		}
		pdf_info_free(&j->info);
		free(j->file);
	}
	for (i = pool->head; i < pool->nqueue; i++)
		free(pool->queue[i].file);
	free(pool->queue);
	free(pool->slot);
	free(pool);
}

#else /* !HAVE_POPPLER */

int
pdf_available(void)
{
	return 0;
}

/* Without poppler, a pool answers at once: nothing is read. */
struct pdf_pool {
	pdf_done_cb	*done;
	void		*arg;
};

struct pdf_pool *
pdf_pool_new(const struct pdf_limits *lim, size_t parallel,
    pdf_done_cb *done, void *arg)
{
	struct pdf_pool	*pool = xcalloc(1, sizeof *pool);

	(void)lim;
	(void)parallel;
	pool->done = done;
	pool->arg = arg;
	return pool;
}

void
pdf_pool_add(struct pdf_pool *pool, const char *file, void *tag)
{
	struct pdf_info	info;

	(void)file;
	memset(&info, 0, sizeof info);
	info.title = xstrdup("");
	info.author = xstrdup("");
	info.why = xstrdup("ferry was built without poppler");
	pool->done(tag, &info, pool->arg);
}

void
pdf_pool_poll(struct pdf_pool *pool, int wait)
{
	(void)pool;
	(void)wait;
}

int64_t
pdf_pool_busy_ms(const struct pdf_pool *pool)
{
	(void)pool;
	return 0;
}

void
pdf_pool_free(struct pdf_pool *pool)
{
	free(pool);
}

#endif /* HAVE_POPPLER */

static void
many_done(void *tag, struct pdf_info *info, void *arg)
{
	struct pdf_info	*out = arg;

	out[(size_t)(uintptr_t)tag] = *info;
}

/*
 * Read n files, up to parallel at a time, each in a child process within
 * lim.  Each out[i] is filled (title and author "" when unknown); its why
 * says why there is no text.  Returns 0, or -1 when a reader could not
 * even be started (that out's local is set and its why says so).
 */
int
pdf_read_many(const char *const *files, size_t n,
    const struct pdf_limits *lim, size_t parallel, struct pdf_info *out)
{
	struct pdf_pool	*pool;
	size_t		 i;
	int		 rc = 0;

	memset(out, 0, n * sizeof *out);
	pool = pdf_pool_new(lim, parallel, many_done, out);
	for (i = 0; i < n; i++)
		pdf_pool_add(pool, files[i], (void *)(uintptr_t)i);
	pdf_pool_poll(pool, 1);
	pdf_pool_free(pool);
	for (i = 0; i < n; i++)
		if (out[i].local)
			rc = -1;
	return rc;
}

/* Read one file; see pdf_read_many. */
int
pdf_read(const char *file, const struct pdf_limits *lim,
    struct pdf_info *out)
{
	return pdf_read_many(&file, 1, lim, 1, out);
}
