/*
 * ctl.c -- the control socket: how "ferry sync --now" reaches ferryd.
 *
 * A UNIX stream socket, ferryd.sock in the mirror's private directory
 * (.git/ferry), mode 0600; a client must also run as the daemon's user
 * or as root (SO_PEERCRED), so nobody else can make it fetch.  A client
 * sends one line and gets one or more lines back, then the connection
 * closes:
 *
 *	now [SOURCE]	->  "ok: ..." or "error: ..."
 *	status		->  "daemon: pid N", "pass: ...", "next: ..."
 *
 * Every socket is non-blocking and watched by the loop; this file only
 * opens, accepts, reads a line and writes the answer.  What a request
 * means is the loop's business.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "xmalloc.h"

#include "ferryd.h"

/* Listens on path, replacing a socket left by a daemon that is gone. */
int
ctl_listen(const char *path)
{
	struct sockaddr_un	sun;
	mode_t			old;
	int			fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		log_warnx("cannot listen on '%s': path too long for a UNIX "
		    "socket (use a shorter mirror.path); ferry sync --now "
		    "will not work", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("cannot create a socket");
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("cannot remove '%s'", path);
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		umask(old);
		log_warn("cannot listen on '%s'", path);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, 0600) == -1 || listen(fd, CTL_MAXCLIENTS) == -1) {
		log_warn("cannot listen on '%s'", path);
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/*
 * Accepts one client into c.  Returns 0, or -1 when there was none or it
 * was refused (another user).
 */
int
ctl_accept(int lfd, struct ctl_client *c)
{
	struct ucred	cred;
	socklen_t	len = sizeof cred;
	int		fd;

	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("cannot accept a control connection");
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    (cred.uid != 0 && cred.uid != geteuid())) {
		log_warnx("control connection refused: user %ld is not the "
		    "daemon's", (long)cred.uid);
		close(fd);
		return -1;
	}
	memset(c, 0, sizeof *c);
	c->fd = fd;
	return 0;
}

/*
 * Reads what the client sent.  1: a whole line is in c->line (without
 * its newline); 0: more to come; -1: gone or too long.
 */
int
ctl_read(struct ctl_client *c)
{
	ssize_t	n;
	char	*nl;

	for (;;) {
		n = read(c->fd, c->line + c->len, sizeof c->line - 1 - c->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return -1;
		c->len += (size_t)n;
		c->line[c->len] = '\0';
		if ((nl = strchr(c->line, '\n')) != NULL) {
			*nl = '\0';
			return 1;
		}
		if (c->len == sizeof c->line - 1)
			return -1;
	}
}

/* Sends text and closes; a client that does not read loses the rest. */
void
ctl_reply(struct ctl_client *c, const char *text)
{
	if (fsutil_write_all(c->fd, text, strlen(text)) != 0)
		log_debug("control client went away before the answer");
	close(c->fd);
	c->fd = -1;
}
