/* ascii.h -- classes and case of ASCII characters, whatever the locale */
#ifndef FERRY_ASCII_H
#define FERRY_ASCII_H

/*
 * URLs, HTML syntax and language tags are ASCII by definition; <ctype.h>
 * follows the locale and takes only unsigned char values, so parsers of
 * untrusted bytes use these instead.  Any int is a valid argument.
 */

static inline int
ascii_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static inline int
ascii_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
ascii_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
ascii_tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static inline int
ascii_toupper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* The value of a hexadecimal digit, -1 for anything else. */
static inline int
ascii_hexval(int c)
{
	if (ascii_isdigit(c))
		return c - '0';
	c = ascii_tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

#endif
