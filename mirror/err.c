/*
 * err.c -- the last error message.
 *
 * The library reports failure through its return value and leaves the
 * sentence for a person here, the way libgit2 does with git_error_last().
 * Messages follow git's style: lowercase, no full stop, what failed first
 * and the subject quoted.  This module does no output of its own.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static char	err_buf[2048];

int
err_set(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof err_buf, fmt, ap);
	va_end(ap);
	return FERRY_ERROR;
}

/* Set the message and return the given code, for one-line error exits. */
int
err_code(int code, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof err_buf, fmt, ap);
	va_end(ap);
	return code;
}

/* Put context in front of the current message: "what: " + message. */
void
err_prefix(const char *fmt, ...)
{
	char	pre[512];
	size_t	plen, olen;
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	plen = strlen(pre);
	olen = strlen(err_buf);
	if (olen > sizeof err_buf - plen - 3)
		olen = sizeof err_buf - plen - 3;
	memmove(err_buf + plen + 2, err_buf, olen);
	memcpy(err_buf, pre, plen);
	err_buf[plen] = ':';
	err_buf[plen + 1] = ' ';
	err_buf[plen + 2 + olen] = '\0';
}

const char *
err_msg(void)
{
	return err_buf[0] != '\0' ? err_buf : "unknown error";
}

void
err_clear(void)
{
	err_buf[0] = '\0';
}
