/* lang.h -- language tags: detection, normalisation, names, direction */
#ifndef FERRY_LANG_H
#define FERRY_LANG_H

#include <stddef.h>

/* Room for any tag these functions write, the NUL included. */
#define LANG_TAG_MAX	64

/*
 * The best BCP 47 tag for a linked resource, or "" when nothing says.
 * Every argument but out may be NULL.  The evidence, strongest first:
 *
 *  own		the link's own hreflang or lang attribute; a language name
 *		there ("Spanish") is read as a name.  "", "und", "mul",
 *		"zxx" and "x-..." (x-default) say nothing.
 *  text	a language named in the link text: "Spanish", "Español",
 *		"한국어", "Farsi/Persian", "Traditional Chinese",
 *		"中文（繁體）".
 *		Names in a text are read in order:
 *		- one language, however many spellings ("Tagalog/Filipino",
 *		  "Español (Spanish)"), gives it;
 *		- variants of one language give the language itself:
 *		  "Chinese (Traditional and Simplified)" gives "zh";
 *		- two different languages give the first one named
 *		  ("English/Spanish" gives "en");
 *		- three or more say nothing: such a text lists languages
 *		  (a multilingual resource), and the next evidence decides.
 *		A name followed by "American(s)", "Town", "Community",
 *		"speaking" or "New" ("Korean American Coalition", "Thai
 *		Town", "Spanish-speaking families", "Chinese New Year") is
 *		no evidence.
 *  url		a language in the path, never in the host: a lang=, hl= or
 *		locale= query parameter; in the file name a code or locale
 *		that is the whole name ("ko.pdf", "zh-hant.pdf", "zh_TW.pdf"),
 *		its last tokens ("card-es.pdf", "card_ko_v2.pdf"), a name
 *		("spanish.pdf", "레드카드-한국어.pdf") or its first tokens
 *		("es-card.pdf"); then each directory from the deepest, as a
 *		whole code ("/es/") or a name ("/espanol/").  Tokens are
 *		delimited by any ASCII character but letters and digits, so
 *		"resources.pdf" holds no "es".  Codes that are also common
 *		words or abbreviations ("he", "hi", "so", "de", "sd") count
 *		only as a whole file name.  A mirror path "site/HOST/..."
 *		is read without its first two parts.
 *  inherited	the language in effect around the link, unless it is the
 *		document's own language doclang (or a narrower or wider
 *		form of it: "en-US" and "en").
 *
 * Returns 0, or FERRY_ETOOBIG (out set to "") when outlen is too small;
 * LANG_TAG_MAX is always enough.
 */
int		 lang_detect(const char *, const char *, const char *,
		    const char *, const char *, char *, size_t);

/*
 * A well-formed tag in canonical case: "ES" -> "es", "zh_tw" -> "zh-TW",
 * "zh-hant" -> "zh-Hant"; deprecated codes replaced ("iw" -> "he", "in"
 * -> "id", "ji" -> "yi") and three-letter codes of languages that have a
 * two-letter one shortened ("spa" -> "es"); "tl" and "fil" stay as given.
 * The shape is checked (RFC 5646 order: language, extlang, script,
 * region, variants, extensions, private use), not the registry.  Returns
 * FERRY_ERROR for anything else, FERRY_ETOOBIG when out is too small.
 */
int		 lang_normalize(const char *, char *, size_t);

/* 1 for tags written right to left: by script if named, else language. */
int		 lang_is_rtl(const char *);

/*
 * The English name ("Korean", "Chinese (Traditional)") and the endonym
 * ("한국어", "中文（繁體）") of a tag in any case, NULL when unknown.  A
 * region or variant falls back to the language ("es-MX" is "Spanish");
 * Chinese for Taiwan, Hong Kong and Macau is Traditional, for China and
 * Singapore Simplified.
 */
const char	*lang_name(const char *);
const char	*lang_native(const char *);

#endif
