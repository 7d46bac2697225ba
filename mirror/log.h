/* log.h -- messages to stderr, with journald priority prefixes on demand */
#ifndef FERRY_LOG_H
#define FERRY_LOG_H

#include <stdarg.h>

#define LOG_TO_TERMINAL	0	/* "ferry: message" */
#define LOG_TO_JOURNAL	1	/* "<4>message", read by journald */

void	log_init(const char *, int, int);
void	log_setverbose(int);
int	log_getverbose(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
