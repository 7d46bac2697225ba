/*
 * log.c -- the OpenBSD log API on stderr.
 *
 * On a terminal a message reads "ferry: what went wrong"; under systemd
 * (LOG_TO_JOURNAL) it starts with the syslog priority in angle brackets,
 * which journald turns into the entry's priority.  No syslog code needed.
 * Verbosity: 0 warnings only, 1 adds info, 2 adds debug.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char	*log_name = "ferry";
static int		 log_verbose;
static int		 log_journal;

void
log_init(const char *name, int verbose, int where)
{
	log_name = name;
	log_verbose = verbose;
	log_journal = where == LOG_TO_JOURNAL;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return log_verbose;
}

static void
vlog(int pri, const char *fmt, va_list ap, const char *why)
{
	char	msg[4096];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (log_journal)
		fprintf(stderr, "<%d>%s%s%s\n", pri, msg, why ? ": " : "",
		    why ? why : "");
	else
		fprintf(stderr, "%s: %s%s%s\n", log_name, msg, why ? ": " : "",
		    why ? why : "");
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list		 ap;
	const char	*why = strerror(errno);

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, why);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 2)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list		 ap;
	const char	*why = strerror(errno);

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, why);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
