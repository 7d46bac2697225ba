/*
 * index.c -- the offline index: index.html, search.js, index.json and
 * README.txt.
 *
 * Owns how the catalog is shown: the page a person opens from a USB stick
 * (one part per source, its hotlines, its sections in source order, a
 * search box and a language filter that work from file:// and a list that
 * reads fine with scripts off), the search data beside it, the JSON schema
 * and the bilingual README.  Each renderer turns a catalog into bytes; the
 * same catalog always gives the same bytes, so a pass that changed nothing
 * leaves the files (and git) alone.  Nothing here reads the clock, the
 * locale or a file: what is "updated in the last 30 days" is decided by
 * the page's script against the reader's clock.  Choosing the entries,
 * writing the files and committing them belong to the caller.  A document
 * is built whole and appended at once, so a cap on the caller's buffer
 * leaves it untouched.
 *
 * index.json, version 2 (a change that breaks a reader bumps "version";
 * new keys may appear without one):
 *
 *	{
 *	  "format": "ferry-index",
 *	  "version": 2,
 *	  "sources": [ { "name", "url", "title" } ],
 *	  "resources": [ {
 *	    "source", "source_url", "url",
 *	    "path"		relative to the mirror root; "" for a link
 *	    "sha256", "size"	of the body as fetched (before any rewrite)
 *	    "content_type"
 *	    "fetched"		"YYYY-MM-DDTHH:MM:SSZ", or null for a link
 *	    "changed"		when the content last changed, or null
 *	    "withdrawn"		since when the source no longer offers it
 *				(the copy is kept), or null
 *	    "status"		HTTP status of the stored copy
 *	    "kind"		"page", "document", "requisite", "link" or
 *				"local" (a file the site added under local/:
 *				its "url" is its path, its "source" "")
 *	    "title", "section", "description", "note"
 *	    "languages"		BCP 47 tags, possibly none
 *	    "order"		position in the source's pages
 *	  } ],
 *	  "hotlines": [ { "source", "number", "tel", "heading", "details",
 *	    "order" } ]
 *	}
 *
 * Strings are UTF-8 ("" when unknown); resources come by source, then
 * order.  The readable text used for search is not in index.json: it is
 * in search.js, bounded so that index.html and search.js together stay
 * within INDEX_PAGE_MAX bytes (each entry's text is cut to the first
 * INDEX_TEXT_CHARS characters, or fewer when the page is large).
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ascii.h"
#include "buf.h"
#include "err.h"
#include "index.h"
#include "strmap.h"
#include "xmalloc.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define README_WIDTH	72
#define README_EOL	"\r\n"	/* Notepad before 2018 shows one long line */
#define DOT		" \xc2\xb7 "	/* " · " between facts */
#define OTHER_SECTION	SIZE_MAX	/* rank of entries without a section */
#define LOCAL_EN	"Added by this site"	/* the part of local/ */
#define LOCAL_ES	"A\xc3\xb1" "adido por este sitio"

/*
 * A document being rendered.  The first failure is kept in rc and every
 * later write is skipped, so renderers check once, at the end.
 */
struct doc {
	struct buf	b;
	int		rc;
};

/*
 * One part of the page: a source, configured or only named by entries, or
 * (local) the files the site added itself.
 */
struct part {
	const char	*name;
	const char	*url;
	const char	*title;
	size_t		 nlisted;	/* entries shown */
	size_t		 nsections;
	int		 local;
};

/* A listed entry and where it goes: part, section rank, catalog index. */
struct slot {
	size_t	part;
	size_t	section;
	size_t	entry;
};

/* A hotline and its part. */
struct hotslot {
	size_t	part;
	size_t	hotline;
};

/* A language of the entries shown, and how many carry it. */
struct langcount {
	const char	*tag;		/* in an entry's lang, not terminated */
	size_t		 len;
	size_t		 count;
	const char	*english;	/* for sorting and the filter */
};

/*
 * The page's order, shared by index.html and search.js: the parts, then
 * the listed entries by (part, section of first appearance, catalog
 * order), entries without a section last; the hotlines by (part, order).
 * fp fingerprints the list so the page can tell stale search data.
 */
struct layout {
	struct part		*parts;
	size_t			 nparts;
	struct slot		*slots;
	size_t			 nslots;
	struct hotslot		*hot;
	size_t			 nhot;
	struct langcount	*langs;
	size_t			 nlangs;
	uint32_t		 fp;
};

/* Media types (or their prefix, ending in '/' or '.') and extensions. */
static const struct {
	const char	*type;
	const char	*ext;
	const char	*label;
} index_formats[] = {
	{ "application/pdf", "pdf", "PDF" },
	{ "application/x-pdf", NULL, "PDF" },
	{ "text/html", "html", "page" },
	{ "application/xhtml+xml", "htm", "page" },
	{ "application/msword", "doc", "Word" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.",
	    "docx", "Word" },
	{ "application/vnd.ms-powerpoint", "ppt", "slides" },
	{ "application/vnd.openxmlformats-officedocument.presentationml.",
	    "pptx", "slides" },
	{ "application/vnd.oasis.opendocument.presentation", "odp",
	    "slides" },
	{ "application/vnd.apple.keynote", "key", "slides" },
	{ "application/vnd.ms-excel", "xls", "Excel" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.",
	    "xlsx", "Excel" },
	{ "application/vnd.oasis.opendocument.text", "odt",
	    "OpenDocument text" },
	{ "application/vnd.oasis.opendocument.spreadsheet", "ods",
	    "OpenDocument spreadsheet" },
	{ "application/rtf", "rtf", "RTF" },
	{ "text/rtf", NULL, "RTF" },
	{ "application/epub+zip", "epub", "EPUB" },
	{ "application/zip", "zip", "ZIP archive" },
	{ "text/plain", "txt", "text" },
	{ "text/csv", "csv", "CSV" },
	{ "image/", "jpg", "image" },
	{ NULL, "jpeg", "image" },
	{ NULL, "png", "image" },
	{ NULL, "gif", "image" },
	{ NULL, "webp", "image" },
	{ NULL, "svg", "image" },
	{ "audio/", "mp3", "audio" },
	{ "video/", "mp4", "video" },
};

/* Hosts whose links are videos. */
static const char *const index_video_hosts[] = {
	"youtube.com", "youtu.be", "vimeo.com", "youtube-nocookie.com",
};

/* Languages written right to left, and scripts that are. */
static const char *const index_rtl_langs[] = {
	"ar", "fa", "he", "ur", "ps", "sd", "yi", "dv", "ug", "ckb",
	"iw", "ji", "prs", "syr", "azb",
};
static const char *const index_rtl_scripts[] = {
	"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg",
};

/*
 * Names of languages: the tag (lower case), its English name and its own
 * name, which readers recognise whatever the interface language.
 */
static const struct {
	const char	*tag;
	const char	*english;
	const char	*native;
} index_languages[] = {
	{ "am", "Amharic", "\xe1\x8a\xa0\xe1\x88\x9b\xe1\x88\xad\xe1\x8a\x9b" },
	{ "ar", "Arabic", "\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a"
	    "\xd8\xa9" },
	{ "bn", "Bengali", "\xe0\xa6\xac\xe0\xa6\xbe\xe0\xa6\x82\xe0\xa6\xb2"
	    "\xe0\xa6\xbe" },
	{ "de", "German", "Deutsch" },
	{ "en", "English", "English" },
	{ "es", "Spanish", "Espa\xc3\xb1ol" },
	{ "fa", "Persian", "\xd9\x81\xd8\xa7\xd8\xb1\xd8\xb3\xdb\x8c" },
	{ "fil", "Filipino", "Filipino" },
	{ "fr", "French", "Fran\xc3\xa7" "ais" },
	{ "gu", "Gujarati", "\xe0\xaa\x97\xe0\xab\x81\xe0\xaa\x9c\xe0\xaa\xb0"
	    "\xe0\xaa\xbe\xe0\xaa\xa4\xe0\xab\x80" },
	{ "he", "Hebrew", "\xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa" },
	{ "hi", "Hindi", "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d"
	    "\xe0\xa4\xa6\xe0\xa5\x80" },
	{ "hmn", "Hmong", "Hmoob" },
	{ "ht", "Haitian Creole", "Krey\xc3\xb2l ayisyen" },
	{ "hy", "Armenian", "\xd5\x80\xd5\xa1\xd5\xb5\xd5\xa5\xd6\x80\xd5\xa5"
	    "\xd5\xb6" },
	{ "it", "Italian", "Italiano" },
	{ "ja", "Japanese", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "km", "Khmer", "\xe1\x9e\x97\xe1\x9e\xb6\xe1\x9e\x9f\xe1\x9e\xb6"
	    "\xe1\x9e\x81\xe1\x9f\x92\xe1\x9e\x98\xe1\x9f\x82\xe1\x9e\x9a" },
	{ "ko", "Korean", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4" },
	{ "lo", "Lao", "\xe0\xba\xa5\xe0\xba\xb2\xe0\xba\xa7" },
	{ "mh", "Marshallese", "Kajin M\xcc\xa7" "aje\xc4\xbc" },
	{ "mixtec", "Mixtec", "Mixtec" },
	{ "my", "Burmese", "\xe1\x80\x99\xe1\x80\xbc\xe1\x80\x94\xe1\x80\xba"
	    "\xe1\x80\x99\xe1\x80\xac" },
	{ "ne", "Nepali", "\xe0\xa4\xa8\xe0\xa5\x87\xe0\xa4\xaa\xe0\xa4\xbe"
	    "\xe0\xa4\xb2\xe0\xa5\x80" },
	{ "pa", "Punjabi", "\xe0\xa8\xaa\xe0\xa9\xb0\xe0\xa8\x9c\xe0\xa8\xbe"
	    "\xe0\xa8\xac\xe0\xa9\x80" },
	{ "pl", "Polish", "Polski" },
	{ "prs", "Dari", "\xd8\xaf\xd8\xb1\xdb\x8c" },
	{ "ps", "Pashto", "\xd9\xbe\xda\x9a\xd8\xaa\xd9\x88" },
	{ "pt", "Portuguese", "Portugu\xc3\xaas" },
	{ "ro", "Romanian", "Rom\xc3\xa2n\xc4\x83" },
	{ "ru", "Russian", "\xd0\xa0\xd1\x83\xd1\x81\xd1\x81\xd0\xba\xd0\xb8"
	    "\xd0\xb9" },
	{ "sm", "Samoan", "Gagana S\xc4\x81moa" },
	{ "so", "Somali", "Soomaali" },
	{ "sw", "Swahili", "Kiswahili" },
	{ "ta", "Tamil", "\xe0\xae\xa4\xe0\xae\xae\xe0\xae\xbf\xe0\xae\xb4"
	    "\xe0\xaf\x8d" },
	{ "th", "Thai", "\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2" },
	{ "ti", "Tigrinya", "\xe1\x89\xb5\xe1\x8c\x8d\xe1\x88\xad"
	    "\xe1\x8a\x9b" },
	{ "tl", "Tagalog", "Tagalog" },
	{ "to", "Tongan", "Lea faka-Tonga" },
	{ "tr", "Turkish", "T\xc3\xbcrk\xc3\xa7" "e" },
	{ "uk", "Ukrainian", "\xd0\xa3\xd0\xba\xd1\x80\xd0\xb0\xd1\x97\xd0\xbd"
	    "\xd1\x81\xd1\x8c\xd0\xba\xd0\xb0" },
	{ "ur", "Urdu", "\xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88" },
	{ "vi", "Vietnamese", "Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t" },
	{ "yue", "Cantonese", "\xe7\xb2\xb5\xe8\xaa\x9e" },
	{ "zh", "Chinese", "\xe4\xb8\xad\xe6\x96\x87" },
	{ "zh-cn", "Chinese (Simplified)",
	    "\xe7\xae\x80\xe4\xbd\x93\xe4\xb8\xad\xe6\x96\x87" },
	{ "zh-hans", "Chinese (Simplified)",
	    "\xe7\xae\x80\xe4\xbd\x93\xe4\xb8\xad\xe6\x96\x87" },
	{ "zh-hant", "Chinese (Traditional)",
	    "\xe7\xb9\x81\xe9\xab\x94\xe4\xb8\xad\xe6\x96\x87" },
	{ "zh-hk", "Chinese (Traditional)",
	    "\xe7\xb9\x81\xe9\xab\x94\xe4\xb8\xad\xe6\x96\x87" },
	{ "zh-tw", "Chinese (Traditional)",
	    "\xe7\xb9\x81\xe9\xab\x94\xe4\xb8\xad\xe6\x96\x87" },
};

/* The page's style: readable, large targets, light and dark. */
static const char index_css[] =
	":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--mute:#4d4d4d;"
	"--link:#0b4fbf;--line:#d0d0d0;--card:#f2f5fa;--ok:#0d5c2b;--okbg:#e1"
	"f3e6;--warn:#6b3d00;--warnbg:#fff1d6;--net:#5b2e91;--focus:#0b4fbf}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#121212;-"
	"-mute:#bdbdbd;--link:#9cc2ff;--line:#3d3d3d;--card:#1e232b;--ok:#a6e"
	"3b8;--okbg:#143321;--warn:#ffd699;--warnbg:#3a2a0c;--net:#d4b8ff;--f"
	"ocus:#9cc2ff}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0 auto;max-width:48rem;padding:0 1rem 2rem;font:1.0625re"
	"m/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",Aria"
	"l,sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:brea"
	"k-word;word-wrap:break-word;-webkit-text-size-adjust:100%;text-size-"
	"adjust:100%}\n"
	"a{color:var(--link)}\n"
	"a:focus,button:focus,input:focus,select:focus{outline:3px solid var("
	"--focus);outline-offset:2px}\n"
	"h1{font-size:1.75rem;line-height:1.2;margin:1rem 0 .5rem}\n"
	"h2{font-size:1.35rem;line-height:1.3;margin:1.5rem 0 .25rem}\n"
	"h3{font-size:1.125rem;line-height:1.3;margin:1.5rem 0 .25rem;padding"
	"-bottom:.25rem;border-bottom:2px solid var(--line)}\n"
	"p{margin:.25rem 0}\n"
	"[hidden]{display:none!important}\n"
	".tr{font-weight:normal;color:var(--mute)}\n"
	"h1 .tr,h2 .tr,h3 .tr{display:block;font-size:.8em}\n"
	".lead{margin:.5rem 0 1rem}\n"
	"#find{margin:1rem 0;padding:.75rem;background:var(--card);border-rad"
	"ius:.5rem}\n"
	"#find label{display:block;font-weight:600;margin:.5rem 0 .25rem}\n"
	"#find input,#find select{display:block;width:100%;min-height:3rem;pa"
	"dding:.5rem .75rem;font:inherit;color:var(--fg);background:var(--bg)"
	";border:2px solid var(--mute);border-radius:.375rem}\n"
	".row{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin"
	"-top:.75rem}\n"
	"button{min-height:2.75rem;padding:.5rem 1rem;font:inherit;font-weigh"
	"t:600;color:var(--link);background:var(--bg);border:2px solid var(--"
	"link);border-radius:.375rem;cursor:pointer}\n"
	"#count{flex:1 1 12rem;margin:0;font-weight:600}\n"
	".top{display:flex;align-items:flex-start;justify-content:space-betwe"
	"en;gap:.75rem}\n"
	"#ui{flex:none;margin-top:1rem}\n"
	"summary{display:list-item;padding:.625rem 0;min-height:2.75rem;font-"
	"weight:600;color:var(--link);cursor:pointer}\n"
	"nav ul{margin:0 0 .5rem;padding-left:1rem;list-style:none}\n"
	"nav li li{border-left:2px solid var(--line);padding-left:.75rem}\n"
	"nav a{display:block;padding:.5rem 0}\n"
	"ul{margin:0;padding:0}\n"
	".list,.hl{list-style:none}\n"
	".list>li{padding:.5rem 0 .75rem;border-bottom:1px solid var(--line)}\n"
	".list>li>a,.list>li>.t{display:block;padding:.375rem 0;font-size:1.1"
	"25rem;font-weight:600;line-height:1.35}\n"
	".list .m,.list .u,.m,.u,.o,footer{font-size:.9375rem;color:var(--mut"
	"e)}\n"
	".list .u{font-size:.8125rem;overflow-wrap:anywhere;word-break:break-"
	"all}\n"
	".list .note{border-left:4px solid var(--line);padding-left:.5rem}\n"
	".list .w,.w{color:var(--warn);background:var(--warnbg);padding:.25re"
	"m .5rem;border-radius:.25rem}\n"
	".net{color:var(--net);font-weight:600}\n"
	".new{display:inline-block;margin-right:.5rem;padding:0 .5rem;color:v"
	"ar(--ok);background:var(--okbg);border-radius:.25rem;font-weight:600"
	"}\n"
	".src{margin-top:2rem;padding-top:.5rem;border-top:4px solid var(--fg"
	")}\n"
	".sec{content-visibility:auto;contain-intrinsic-size:auto 40rem}\n"
	".hot h3{border-color:var(--link)}\n"
	".hl>li{margin:.75rem 0;padding:.75rem;background:var(--card);border-"
	"radius:.5rem}\n"
	".area{font-weight:700}\n"
	".tel{display:inline-block;margin:.25rem 0;padding:.5rem 0;min-height"
	":2.75rem;font-size:1.375rem;font-weight:700;text-decoration:none}\n"
	".tel::before{content:\"\\260E\\FE0E  \"}\n"
	".det{margin:.25rem 0 0;font-size:.9375rem}\n"
	".list>li>p{font-size:1rem}\n"
	"@media (min-width:40rem){.hl{display:grid;grid-template-columns:1fr "
	"1fr;gap:0 .75rem}}\n"
	"footer{margin-top:2.5rem;padding-top:1rem;border-top:1px solid var(-"
	"-line)}\n"
	"@media print{#find,nav,#ui{display:none!important}.sec{content-visib"
	"ility:visible}a{color:#000}}\n";

/* The page's script: search, language filter, labels, fragment. */
static const char index_js[] =
	"(function () {\n"
	"\"use strict\";\n"
	"var d = document, main = d.getElementById(\"main\");\n"
	"var form = d.getElementById(\"find\"), q = d.getElementById(\"q\");\n"
	"var sel = d.getElementById(\"lang\"), count = d.getElementById(\"cou"
	"nt\");\n"
	"var none = d.getElementById(\"none\"), nav = d.getElementById(\"toc"
	"\");\n"
	"var clear = d.getElementById(\"clear\"), uib = d.getElementById(\"ui"
	"\");\n"
	"var S = {\n"
	"\ten: { count: \"Showing {n} of {t} resources\", all: \"Showing all "
	"{t} resources\",\n"
	"\t    none: \"Nothing found. Check the spelling, try another word or"
	" language, or clear the search.\",\n"
	"\t    updated: \"Updated\" },\n"
	"\tes: { count: \"Se muestran {n} de {t} recursos\", all: \"Se muestr"
	"an los {t} recursos\",\n"
	"\t    none: \"No se encontr\\u00f3 nada. Revise la ortograf\\u00eda,"
	" pruebe otra palabra u otro idioma, o borre la b\\u00fasqueda.\",\n"
	"\t    updated: \"Actualizado\" }\n"
	"};\n"
	"var W = [[\"Needs internet\", \"Necesita internet\"], [\"web page\","
	" \"p\\u00e1gina web\"],\n"
	"    [\"retrieved\", \"descargado\"], [\"changed\", \"cambi\\u00f3\"]"
	",\n"
	"    [\"added\", \"a\\u00f1adido\"],\n"
	"    [\"slides\", \"diapositivas\"], [\"page\", \"p\\u00e1gina\"], ["
	"\"image\", \"imagen\"],\n"
	"    [\"document\", \"documento\"], [\"text\", \"texto\"],\n"
	"    [\"No longer at the source since\", \"Ya no est\\u00e1 en la fue"
	"nte desde\"],\n"
	"    [\"This copy is kept.\", \"Se conserva esta copia.\"], [\"Note:"
	"\", \"Nota:\"]];\n"
	"var ui = /^es\\b/i.test(navigator.language || navigator.userLanguage"
	" || \"\") ? \"es\" : \"en\";\n"
	"var uiSet = false, items = [], hots = [], texts = null, built = fals"
	"e;\n"
	"var state = { q: \"\", lang: \"\" }, timer = 0, skipHash = \"\";\n"
	"\n"
	"function norm(s) {\n"
	"\ts = String(s).toLowerCase();\n"
	"\tif (s.normalize) s = s.normalize(\"NFD\");\n"
	"\treturn s.replace(/[\\u0300-\\u036f]/g, \"\").replace(/\\u0111/g, "
	"\"d\")\n"
	"\t    .replace(/\\s+/g, \" \");\n"
	"}\n"
	"function up(el, name) {\n"
	"\twhile (el && !(el.classList && el.classList.contains(name))) el = "
	"el.parentNode;\n"
	"\treturn el;\n"
	"}\n"
	"function collect() {\n"
	"\tvar i, li, a, l, els = main.querySelectorAll(\".list>li\");\n"
	"\tfor (i = 0; i < els.length; i++) {\n"
	"\t\tli = els[i]; a = li.firstElementChild;\n"
	"\t\tl = li.getAttribute(\"data-l\") || (a && a.getAttribute(\"lang\""
	")) || \"\";\n"
	"\t\titems.push({ el: li, sec: up(li, \"sec\"), part: up(li, \"src\")"
	",\n"
	"\t\t    langs: l.toLowerCase().split(/[\\s,]+/), hay: null, on: true"
	" });\n"
	"\t}\n"
	"\tels = main.querySelectorAll(\".hl>li\");\n"
	"\tfor (i = 0; i < els.length; i++)\n"
	"\t\thots.push({ el: els[i], sec: up(els[i], \"hot\"),\n"
	"\t\t    part: up(els[i], \"src\"), hay: null, on: true });\n"
	"}\n"
	"function names(langs) {\n"
	"\tvar i, j, o, out = \"\";\n"
	"\tfor (i = 0; i < langs.length; i++)\n"
	"\t\tfor (j = 0; j < sel.options.length; j++) {\n"
	"\t\t\to = sel.options[j];\n"
	"\t\t\tif (o.value && o.value === langs[i])\n"
	"\t\t\t\tout += \" \" + o.text.replace(/ \\(\\d+\\)$/, \"\");\n"
	"\t\t}\n"
	"\treturn out;\n"
	"}\n"
	"function build() {\n"
	"\tvar i, it, t;\n"
	"\tif (built) return;\n"
	"\tfor (i = 0; i < items.length; i++) {\n"
	"\t\tit = items[i];\n"
	"\t\tt = texts && i < texts.length ? texts[i] : \"\";\n"
	"\t\tit.hay = norm(it.el.textContent + names(it.langs) + \" \" + t);\n"
	"\t}\n"
	"\tfor (i = 0; i < hots.length; i++)\n"
	"\t\thots[i].hay = norm(hots[i].el.textContent);\n"
	"\tbuilt = true;\n"
	"}\n"
	"function langOk(it, lang) {\n"
	"\tvar i, l;\n"
	"\tif (!lang) return true;\n"
	"\tfor (i = 0; i < it.langs.length; i++) {\n"
	"\t\tl = it.langs[i];\n"
	"\t\tif (l === lang || l.indexOf(lang + \"-\") === 0) return true;\n"
	"\t}\n"
	"\treturn false;\n"
	"}\n"
	"function textOk(it, terms) {\n"
	"\tfor (var i = 0; i < terms.length; i++)\n"
	"\t\tif (it.hay.indexOf(terms[i]) < 0) return false;\n"
	"\treturn true;\n"
	"}\n"
	"function show(el, on) {\n"
	"\tif (el && el.hidden === on) el.hidden = !on;\n"
	"}\n"
	"function apply() {\n"
	"\tvar terms = norm(state.q).split(\" \"), lang = state.lang.toLowerC"
	"ase();\n"
	"\tvar i, it, n = 0, active = terms.join(\"\") !== \"\" || lang !== "
	"\"\";\n"
	"\tvar seen = [], tally = function (el) {\n"
	"\t\tif (!el) return;\n"
	"\t\tif (el._n === undefined) seen.push(el);\n"
	"\t\tel._n = (el._n || 0) + 1;\n"
	"\t};\n"
	"\tterms = terms.filter(function (t) { return t !== \"\"; });\n"
	"\tif (terms.length) build();\n"
	"\tfor (i = 0; i < items.length; i++) {\n"
	"\t\tit = items[i];\n"
	"\t\tit.on = langOk(it, lang) && (!terms.length || textOk(it, terms))"
	";\n"
	"\t\tshow(it.el, it.on);\n"
	"\t\tif (it.on) { n++; tally(it.sec); tally(it.part); }\n"
	"\t}\n"
	"\tfor (i = 0; i < hots.length; i++) {\n"
	"\t\tit = hots[i];\n"
	"\t\tit.on = !terms.length || textOk(it, terms);\n"
	"\t\tshow(it.el, it.on);\n"
	"\t\tif (it.on) { tally(it.sec); tally(it.part); }\n"
	"\t}\n"
	"\tvar els = main.querySelectorAll(\".sec,.hot,.src\");\n"
	"\tfor (i = 0; i < els.length; i++)\n"
	"\t\tshow(els[i], !active || els[i]._n > 0);\n"
	"\tfor (i = 0; i < seen.length; i++) seen[i]._n = undefined;\n"
	"\tels = main.querySelectorAll(\".empty\");\n"
	"\tfor (i = 0; i < els.length; i++) show(els[i], !active);\n"
	"\tshow(nav, !active);\n"
	"\tshow(none, active && n === 0);\n"
	"\tnone.textContent = S[ui].none;\n"
	"\tshow(clear, active);\n"
	"\tcount.textContent = (active ? S[ui].count : S[ui].all)\n"
	"\t    .replace(\"{n}\", n).replace(\"{t}\", items.length);\n"
	"}\n"
	"function hashState() {\n"
	"\tvar h = location.hash.replace(/^#/, \"\"), p, i, kv, v, got = fals"
	"e;\n"
	"\tif (!/(^|&)(q|lang|ui)=/.test(h)) return false;\n"
	"\tp = h.split(\"&\");\n"
	"\tstate.q = \"\"; state.lang = \"\";\n"
	"\tfor (i = 0; i < p.length; i++) {\n"
	"\t\tkv = p[i].split(\"=\");\n"
	"\t\ttry { v = decodeURIComponent((kv[1] || \"\").replace(/\\+/g, \" "
	"\")); }\n"
	"\t\tcatch (e) { v = \"\"; }\n"
	"\t\tif (kv[0] === \"q\") state.q = v;\n"
	"\t\telse if (kv[0] === \"lang\") state.lang = v;\n"
	"\t\telse if (kv[0] === \"ui\" && (v === \"es\" || v === \"en\")) {\n"
	"\t\t\tui = v; uiSet = true;\n"
	"\t\t}\n"
	"\t\tgot = true;\n"
	"\t}\n"
	"\treturn got;\n"
	"}\n"
	"function writeHash() {\n"
	"\tvar p = [], h;\n"
	"\tif (state.q) p.push(\"q=\" + encodeURIComponent(state.q));\n"
	"\tif (state.lang) p.push(\"lang=\" + encodeURIComponent(state.lang))"
	";\n"
	"\tif (uiSet) p.push(\"ui=\" + ui);\n"
	"\th = p.length ? \"#\" + p.join(\"&\") : \"\";\n"
	"\tif (h === location.hash || (!h && !location.hash)) return;\n"
	"\ttry {\n"
	"\t\thistory.replaceState(null, \"\", h || location.pathname + locati"
	"on.search);\n"
	"\t} catch (e) {\n"
	"\t\tskipHash = h || \"#\";\n"
	"\t\tlocation.replace(h || \"#\");\n"
	"\t}\n"
	"}\n"
	"function words(el, from, to) {\n"
	"\tvar i, j, n, s;\n"
	"\tfor (i = 0; i < el.childNodes.length; i++) {\n"
	"\t\tn = el.childNodes[i];\n"
	"\t\tif (n.nodeType !== 3) continue;\n"
	"\t\ts = n.nodeValue;\n"
	"\t\tfor (j = 0; j < W.length; j++)\n"
	"\t\t\ts = s.split(W[j][from]).join(W[j][to]);\n"
	"\t\tn.nodeValue = s;\n"
	"\t}\n"
	"}\n"
	"function lang() {\n"
	"\tvar i, el, els = d.querySelectorAll(\"[data-es]\"), es = ui === \""
	"es\";\n"
	"\tfor (i = 0; i < els.length; i++) {\n"
	"\t\tel = els[i];\n"
	"\t\tif (el._en === undefined) el._en = el.innerHTML;\n"
	"\t\tif (es) { el.textContent = el.getAttribute(\"data-es\"); el.lang"
	" = \"es\"; }\n"
	"\t\telse { el.innerHTML = el._en; el.removeAttribute(\"lang\"); }\n"
	"\t}\n"
	"\tels = main.querySelectorAll(\".m,.net,.w,.note b\");\n"
	"\tif (es || d.body._es)\n"
	"\t\tfor (i = 0; i < els.length; i++) words(els[i], es ? 0 : 1, es ? "
	"1 : 0);\n"
	"\td.body._es = es;\n"
	"\tels = d.querySelectorAll(\".tr\");\n"
	"\tfor (i = 0; i < els.length; i++) els[i].hidden = true;\n"
	"\tels = d.querySelectorAll(\".new\");\n"
	"\tfor (i = 0; i < els.length; i++) els[i].textContent = S[ui].update"
	"d;\n"
	"\tuib.textContent = es ? \"English\" : \"Espa\\u00f1ol\";\n"
	"\tuib.lang = es ? \"en\" : \"es\";\n"
	"\tapply();\n"
	"}\n"
	"function fresh() {\n"
	"\tvar i, t, s, li, els = main.querySelectorAll(\".chg time\"), now ="
	" Date.now();\n"
	"\tfor (i = 0; i < els.length; i++) {\n"
	"\t\tt = Date.parse(els[i].getAttribute(\"datetime\"));\n"
	"\t\tif (!(now - t >= 0 && now - t <= 30 * 864e5)) continue;\n"
	"\t\tli = els[i].parentNode.parentNode.parentNode;\n"
	"\t\ts = d.createElement(\"span\");\n"
	"\t\ts.className = \"new\";\n"
	"\t\tli.insertBefore(s, li.firstChild);\n"
	"\t}\n"
	"}\n"
	"function later() {\n"
	"\tclearTimeout(timer);\n"
	"\ttimer = setTimeout(function () { apply(); writeHash(); },\n"
	"\t    items.length > 2000 ? 200 : 0);\n"
	"}\n"
	"window.ferryText = function (fp, t) {\n"
	"\tif (fp !== main.getAttribute(\"data-fp\")) return;\n"
	"\ttexts = t; built = false;\n"
	"\tif (state.q) apply();\n"
	"};\n"
	"collect();\n"
	"fresh();\n"
	"hashState();\n"
	"q.value = state.q;\n"
	"sel.value = state.lang;\n"
	"if (sel.value !== state.lang.toLowerCase()) sel.value = \"\";\n"
	"state.lang = sel.value;\n"
	"form.hidden = false;\n"
	"uib.hidden = false;\n"
	"form.onsubmit = function () { q.blur(); return false; };\n"
	"q.oninput = function () { state.q = q.value; later(); };\n"
	"sel.onchange = function () { state.lang = sel.value; apply(); writeH"
	"ash(); };\n"
	"clear.onclick = function () {\n"
	"\tq.value = state.q = \"\"; sel.value = state.lang = \"\";\n"
	"\tapply(); writeHash(); q.focus();\n"
	"};\n"
	"uib.onclick = function () {\n"
	"\tui = ui === \"es\" ? \"en\" : \"es\"; uiSet = true; lang(); writeH"
	"ash();\n"
	"};\n"
	"window.onhashchange = function () {\n"
	"\tif (skipHash && location.hash === skipHash) { skipHash = \"\"; ret"
	"urn; }\n"
	"\tif (!hashState()) return;\n"
	"\tq.value = state.q; sel.value = state.lang.toLowerCase();\n"
	"\tstate.lang = sel.value; lang();\n"
	"};\n"
	"lang();\n"
	"})();\n";

static void
doc_init(struct doc *d, const struct buf *dst)
{
	/* Stop early at the caller's cap instead of building too much. */
	buf_init(&d->b, dst->max != 0 ? dst->max - dst->len : 0);
	d->rc = 0;
}

/*
 * Append the whole document to dst unless rendering failed (rc, or a write
 * into the document), and free it; return the first error.
 */
static int
doc_finish(struct doc *d, int rc, struct buf *dst)
{
	if (rc == 0)
		rc = d->rc;
	if (rc == 0)
		rc = buf_add(dst, d->b.ptr != NULL ? d->b.ptr : "", d->b.len);
	buf_free(&d->b);
	return rc;
}

static void
doc_str(struct doc *d, const char *s)
{
	if (d->rc == 0)
		d->rc = buf_addstr(&d->b, s);
}

static void
doc_add(struct doc *d, const char *s, size_t n)
{
	if (d->rc == 0)
		d->rc = buf_add(&d->b, s, n);
}

static void __attribute__((format(printf, 2, 3)))
doc_fmt(struct doc *d, const char *fmt, ...)
{
	char	small[128], *big = NULL;
	va_list	ap;
	int	n;

	if (d->rc != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	/* vsnprintf fails only for lack of memory: die as xmalloc does. */
	if (n < 0)
		xmalloc((size_t)-1);
	if ((size_t)n < sizeof small) {
		d->rc = buf_add(&d->b, small, (size_t)n);
		return;
	}
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	d->rc = buf_add(&d->b, big, (size_t)n);
	free(big);
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char	c = s[0], lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/*
 * The text as valid UTF-8: s itself when it already is, else a copy in
 * *owned with U+FFFD for each bad byte.  With plain, control characters
 * become spaces too (for the README, where they would break the layout).
 */
static const char *
clean_text(const char *s, int plain, char **owned)
{
	const unsigned char	*p;
	struct buf		 b = BUF_INIT;
	size_t			 n;

	*owned = NULL;
	/* Most text is clean: copy only when it is not.  b has no cap, so
	   adding to it cannot fail (running out of memory dies). */
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if (*p < 0x80 && *p >= 0x20) {
			n = 1;
			continue;
		}
		if ((n = utf8_len(p)) == 0 || (plain && (*p < 0x20 ||
		    *p == 0x7f)))
			break;
	}
	if (*p == '\0')
		return s;
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if ((n = utf8_len(p)) == 0) {
			buf_addstr(&b, "\xef\xbf\xbd");
			n = 1;
		} else if (plain && (*p < 0x20 || *p == 0x7f))
			buf_addc(&b, ' ');
		else
			buf_add(&b, p, n);
	}
	*owned = buf_detach(&b);
	return *owned;
}

/* HTML text or attribute value: runs of plain bytes are added at once. */
static int
add_html(struct buf *b, const char *s)
{
	const char	*rep;
	size_t		 n;
	int		 rc = 0;

	while (*s != '\0' && rc == 0) {
		n = strcspn(s, "&<>\"'");
		if (n > 0)
			rc = buf_add(b, s, n);
		s += n;
		if (*s == '\0' || rc != 0)
			break;
		switch (*s++) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: rep = "&#39;"; break;
		}
		rc = buf_addstr(b, rep);
	}
	return rc;
}

static void
doc_escaped(struct doc *d, const char *s, int (*esc)(struct buf *,
    const char *))
{
	const char	*t;
	char		*owned;

	if (d->rc != 0)
		return;
	t = clean_text(s, 0, &owned);
	d->rc = esc(&d->b, t);
	free(owned);
}

static void
doc_html(struct doc *d, const char *s)
{
	doc_escaped(d, s, add_html);
}

static void
doc_json(struct doc *d, const char *s)
{
	doc_escaped(d, s, buf_addjson);
}

/* HTML text of s[0..n). */
static void
doc_htmln(struct doc *d, const char *s, size_t n)
{
	char	*t;

	t = xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	doc_html(d, t);
	free(t);
}

/* A relative href: every byte but ALPHA DIGIT - . _ ~ / percent-encoded. */
static void
doc_href(struct doc *d, const char *path)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p, *run;
	char			 enc[3];

	for (run = p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~' ||
		    (*p == '/' && p != (const unsigned char *)path))
			continue;
		doc_add(d, (const char *)run, (size_t)(p - run));
		/* A leading '/' would leave the mirror (or reach a server
		   as "//host"): keep the link relative. */
		enc[0] = '%';
		enc[1] = hex[*p >> 4];
		enc[2] = hex[*p & 0xf];
		doc_add(d, enc, 3);
		run = p + 1;
	}
	doc_add(d, (const char *)run, (size_t)(p - run));
}

/* Whether s[0..n) equals the lower-case ASCII word, ignoring case. */
static int
ascii_eq(const char *s, size_t n, const char *word)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (word[i] == '\0' || ascii_tolower((unsigned char)s[i]) !=
		    word[i])
			return 0;
	}
	return word[n] == '\0';
}

static int
is_blank(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	}
	return 1;
}

static int
is_web(const char *url)
{
	return ascii_eq(url, 7, "http://") || ascii_eq(url, 8, "https://");
}

static int
is_link(const struct index_entry *e)
{
	return strcmp(e->kind, "link") == 0;
}

/* A file the site added by hand under local/, not from any source. */
static int
is_local(const struct index_entry *e)
{
	return strcmp(e->kind, "local") == 0;
}

static int
is_listed(const struct index_entry *e)
{
	return strcmp(e->kind, "page") == 0 ||
	    strcmp(e->kind, "document") == 0 || is_link(e) || is_local(e);
}

/* The next language tag of a list at *p ("es", "zh-Hant zh-Hans"). */
static int
next_tag(const char **p, const char **tag, size_t *len)
{
	const char	*s = *p;

	s += strspn(s, " \t\r\n,;");
	if (*s == '\0')
		return 0;
	*tag = s;
	*len = strcspn(s, " \t\r\n,;");
	*p = s + *len;
	return 1;
}

/*
 * Right to left when the tag names a script written that way ("pa-Arab"),
 * or names none and its language is written that way ("fa-AF").
 */
static int
is_rtl(const char *lang, size_t len)
{
	const char	*sub;
	size_t		 n, i;

	n = strcspn(lang, "-_");
	if (n > len)
		n = len;
	sub = lang + n;
	if (n < len) {
		sub++;
		if (strcspn(sub, "-_") >= 4 && (sub + 4 == lang + len ||
		    sub[4] == '-' || sub[4] == '_') && sub + 4 <= lang + len) {
			for (i = 0; i < nitems(index_rtl_scripts); i++) {
				if (ascii_eq(sub, 4, index_rtl_scripts[i]))
					return 1;
			}
			return 0;
		}
	}
	for (i = 0; i < nitems(index_rtl_langs); i++) {
		if (ascii_eq(lang, n, index_rtl_langs[i]))
			return 1;
	}
	return 0;
}

/*
 * The names of a tag: the whole tag ("zh-Hant"), else without its last
 * subtag, down to the language ("es-MX" is Spanish); NULL when unknown.
 */
static int
lang_find(const char *tag, size_t len)
{
	size_t	i;

	while (len > 0) {
		for (i = 0; i < nitems(index_languages); i++) {
			if (ascii_eq(tag, len, index_languages[i].tag))
				return (int)i;
		}
		while (len > 0 && tag[len - 1] != '-' && tag[len - 1] != '_')
			len--;
		if (len > 0)
			len--;
	}
	return -1;
}

static const char *
last_component(const char *path)
{
	const char	*slash;

	slash = strrchr(path, '/');
	if (slash == NULL || slash[1] == '\0')
		return path;
	return slash + 1;
}

/* Whether url's host is host or a subdomain of it. */
static int
url_on_host(const char *url, const char *host)
{
	const char	*h;
	size_t		 n, hl = strlen(host);

	if ((h = strstr(url, "://")) == NULL)
		return 0;
	h += 3;
	n = strcspn(h, "/?#:");
	if (n < hl || !ascii_eq(h + n - hl, hl, host))
		return 0;
	return n == hl || h[n - hl - 1] == '.';
}

/* What a person calls the resource: "PDF", "slides", "page", "video"... */
static const char *
format_label(const struct index_entry *e)
{
	const char	*type = e->content_type, *name, *ext = NULL;
	size_t		 tlen, len, i;

	if (is_link(e)) {
		for (i = 0; i < nitems(index_video_hosts); i++) {
			if (url_on_host(e->url, index_video_hosts[i]))
				return "video";
		}
	}
	while (*type == ' ')
		type++;
	tlen = strcspn(type, "; ");
	if (tlen > 0 && !ascii_eq(type, tlen, "application/octet-stream") &&
	    !ascii_eq(type, tlen, "binary/octet-stream")) {
		for (i = 0; i < nitems(index_formats); i++) {
			const char *t = index_formats[i].type;

			if (t == NULL)
				continue;
			len = strlen(t);
			if (ascii_eq(type, tlen, t) || (tlen > len &&
			    (t[len - 1] == '/' || t[len - 1] == '.') &&
			    ascii_eq(type, len, t)))
				return is_link(e) && strcmp(index_formats[i]
				    .label, "page") == 0 ? "web page" :
				    index_formats[i].label;
		}
	}
	if (is_link(e))
		return "web page";
	name = last_component(e->path);
	if ((ext = strrchr(name, '.')) != NULL && ext != name) {
		ext++;
		for (i = 0; i < nitems(index_formats); i++) {
			if (index_formats[i].ext != NULL &&
			    ascii_eq(ext, strlen(ext), index_formats[i].ext))
				return index_formats[i].label;
		}
	}
	return strcmp(e->kind, "page") == 0 ? "page" : "document";
}

/* n / unit, rounded half up, for n >= 0. */
static int64_t
rounded(int64_t n, int64_t unit)
{
	return n / unit + (n % unit >= unit / 2);
}

/* Sizes in SI units, rounded: "999 B", "12 KB", "3.4 MB", "2.0 GB". */
static void
doc_size(struct doc *d, int64_t size)
{
	int64_t	v;

	if (size < 1000) {
		doc_fmt(d, "%" PRId64 " B", size);
		return;
	}
	if ((v = rounded(size, 1000)) < 1000) {
		doc_fmt(d, "%" PRId64 " KB", v);
		return;
	}
	if ((v = rounded(size, 100000)) < 10000) {
		doc_fmt(d, "%" PRId64 ".%" PRId64 " MB", v / 10, v % 10);
		return;
	}
	v = rounded(size, 100000000);
	doc_fmt(d, "%" PRId64 ".%" PRId64 " GB", v / 10, v % 10);
}

/* t as UTC, or an error naming what and whose time it is. */
static int
utc_time(int64_t when, const char *what, const char *path, struct tm *tm)
{
	time_t	t;

	t = (time_t)when;
	if ((int64_t)t != when || gmtime_r(&t, tm) == NULL ||
	    tm->tm_year < -1900 || tm->tm_year > 9999 - 1900)
		return err_set("cannot show %s time %" PRId64 " of '%s'",
		    what, when, path);
	return 0;
}

/* "YYYY-MM-DD" (date) or "YYYY-MM-DDTHH:MM:SSZ". */
static int
doc_time(struct doc *d, int64_t when, int date, const char *what,
    const char *path)
{
	struct tm	tm;
	int		rc;

	if ((rc = utc_time(when, what, path, &tm)) != 0)
		return rc;
	doc_fmt(d, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
	if (!date)
		doc_fmt(d, "T%02d:%02d:%02dZ", tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
	return 0;
}

static int
check_catalog(const struct index_catalog *cat)
{
	const struct index_entry	*e;
	const struct index_source	*s;
	const struct index_hotline	*h;
	size_t				 i;

	if ((cat->nentries > 0 && cat->entries == NULL) ||
	    (cat->nsources > 0 && cat->sources == NULL) ||
	    (cat->nhotlines > 0 && cat->hotlines == NULL))
		return err_set("cannot render the index: no entries");
	for (i = 0; i < cat->nsources; i++) {
		s = &cat->sources[i];
		if (s->name == NULL || s->url == NULL || s->title == NULL)
			return err_set("cannot render index source %zu: "
			    "missing field", i);
	}
	for (i = 0; i < cat->nentries; i++) {
		e = &cat->entries[i];
		if (e->source == NULL || e->source_url == NULL ||
		    e->url == NULL || e->path == NULL || e->sha256 == NULL ||
		    e->content_type == NULL || e->title == NULL ||
		    e->section == NULL || e->description == NULL ||
		    e->note == NULL || e->lang == NULL || e->kind == NULL ||
		    e->text == NULL)
			return err_set("cannot render index entry %zu: "
			    "missing field", i);
	}
	for (i = 0; i < cat->nhotlines; i++) {
		h = &cat->hotlines[i];
		if (h->source == NULL || h->number == NULL || h->tel == NULL ||
		    h->heading == NULL || h->details == NULL)
			return err_set("cannot render index hotline %zu: "
			    "missing field", i);
	}
	return 0;
}

/* --- layout ---------------------------------------------------------- */

static uint32_t
fnv(uint32_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h ^ 0xff) * 16777619u;
}

/* The part of a source name, added after the configured ones if new. */
static size_t
part_of(struct layout *l, struct strmap *map, const char *name,
    const char *url)
{
	void	*v;

	if ((v = strmap_get(map, name)) != NULL)
		return (size_t)(uintptr_t)v - 1;
	l->parts = xreallocarray(l->parts, l->nparts + 1, sizeof *l->parts);
	l->parts[l->nparts] = (struct part){ .name = name, .url = url,
	    .title = "" };
	strmap_put(map, name, (void *)(uintptr_t)++l->nparts);
	return l->nparts - 1;
}

static int
cmp_slot(const void *a, const void *b)
{
	const struct slot	*x = a, *y = b;

	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	if (x->section != y->section)
		return x->section < y->section ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static const struct index_catalog *sort_cat;

static int
cmp_hot(const void *a, const void *b)
{
	const struct hotslot	*x = a, *y = b;
	int			 ox, oy;

	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	ox = sort_cat->hotlines[x->hotline].order;
	oy = sort_cat->hotlines[y->hotline].order;
	if (ox != oy)
		return ox < oy ? -1 : 1;
	return x->hotline < y->hotline ? -1 : x->hotline > y->hotline;
}

static int
cmp_lang(const void *a, const void *b)
{
	const struct langcount	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->english, y->english)) != 0)
		return c;
	return strcmp(x->tag, y->tag);
}

static void
count_lang(struct layout *l, const char *tag, size_t len)
{
	size_t	i;
	int	k;

	for (i = 0; i < l->nlangs; i++) {
		if (l->langs[i].len == len &&
		    strncasecmp(l->langs[i].tag, tag, len) == 0) {
			l->langs[i].count++;
			return;
		}
	}
	l->langs = xreallocarray(l->langs, l->nlangs + 1, sizeof *l->langs);
	k = lang_find(tag, len);
	l->langs[l->nlangs++] = (struct langcount){ .tag = tag, .len = len,
	    .count = 1, .english = k >= 0 ? index_languages[k].english : "" };
}

static void
layout_free(struct layout *l)
{
	free(l->parts);
	free(l->slots);
	free(l->hot);
	free(l->langs);
}

static void
layout_make(const struct index_catalog *cat, struct layout *l)
{
	const struct index_entry	*e;
	struct strmap			*parts, *sections;
	char				*key;
	const char			*p, *tag;
	size_t				 i, part, len;
	void				*v;

	memset(l, 0, sizeof *l);
	parts = strmap_new();
	sections = strmap_new();
	for (i = 0; i < cat->nsources; i++)
		part_of(l, parts, cat->sources[i].name, cat->sources[i].url);
	for (i = 0; i < cat->nsources; i++) {
		part = part_of(l, parts, cat->sources[i].name, "");
		if (is_blank(l->parts[part].title))
			l->parts[part].title = cat->sources[i].title;
	}
	/* A source without a title is called by its page's. */
	for (i = 0; i < cat->nentries; i++) {
		e = &cat->entries[i];
		if (strcmp(e->url, e->source_url) != 0 || is_blank(e->title) ||
		    (v = strmap_get(parts, e->source)) == NULL)
			continue;
		part = (size_t)(uintptr_t)v - 1;
		if (is_blank(l->parts[part].title))
			l->parts[part].title = e->title;
	}
	l->slots = xreallocarray(NULL, cat->nentries + 1, sizeof *l->slots);
	l->fp = 2166136261u;
	for (i = 0; i < cat->nentries; i++) {
		e = &cat->entries[i];
		part = part_of(l, parts, e->source, e->source_url);
		l->parts[part].local |= is_local(e);
		if (!is_listed(e))
			continue;
		l->parts[part].nlisted++;
		l->slots[l->nslots] = (struct slot){ .part = part,
		    .section = OTHER_SECTION, .entry = i };
		if (!is_blank(e->section)) {
			xasprintf(&key, "%zu\x1f%s", part, e->section);
			if ((v = strmap_get(sections, key)) == NULL) {
				v = (void *)(uintptr_t)
				    ++l->parts[part].nsections;
				strmap_put(sections, key, v);
			}
			l->slots[l->nslots].section = (size_t)(uintptr_t)v;
			free(key);
		}
		l->nslots++;
		for (p = e->lang; next_tag(&p, &tag, &len); )
			count_lang(l, tag, len);
	}
	if (l->nslots > 1)
		qsort(l->slots, l->nslots, sizeof *l->slots, cmp_slot);
	for (i = 0; i < l->nslots; i++) {
		e = &cat->entries[l->slots[i].entry];
		l->fp = fnv(fnv(l->fp, e->path), e->url);
	}
	l->hot = xreallocarray(NULL, cat->nhotlines + 1, sizeof *l->hot);
	for (i = 0; i < cat->nhotlines; i++) {
		part = part_of(l, parts, cat->hotlines[i].source, "");
		l->hot[l->nhot++] = (struct hotslot){ .part = part,
		    .hotline = i };
	}
	sort_cat = cat;
	if (l->nhot > 1)
		qsort(l->hot, l->nhot, sizeof *l->hot, cmp_hot);
	if (l->nlangs > 0)
		if (l->nlangs > 1)
			qsort(l->langs, l->nlangs, sizeof *l->langs, cmp_lang);
	strmap_free(parts, NULL);
	strmap_free(sections, NULL);
}

/* --- index.json ------------------------------------------------------ */

static void
json_field(struct doc *d, const char *key, const char *value, int last)
{
	doc_fmt(d, "      \"%s\": ", key);
	doc_json(d, value);
	doc_str(d, last ? "\n" : ",\n");
}

static int
json_time(struct doc *d, const char *key, int64_t when,
    const struct index_entry *e)
{
	int	rc;

	doc_fmt(d, "      \"%s\": ", key);
	if (when == 0 || (is_link(e) && strcmp(key, "fetched") == 0))
		doc_str(d, "null");
	else {
		doc_str(d, "\"");
		if ((rc = doc_time(d, when, 0, key, e->path[0] != '\0' ?
		    e->path : e->url)) != 0)
			return rc;
		doc_str(d, "\"");
	}
	doc_str(d, ",\n");
	return 0;
}

static void
json_resource(struct doc *d, const struct index_entry *e)
{
	json_field(d, "source", e->source, 0);
	json_field(d, "source_url", e->source_url, 0);
	json_field(d, "url", e->url, 0);
	json_field(d, "path", e->path, 0);
	json_field(d, "sha256", e->sha256, 0);
	doc_fmt(d, "      \"size\": %" PRId64 ",\n", e->size);
	json_field(d, "content_type", e->content_type, 0);
}

int
index_json(const struct index_catalog *cat, struct buf *out)
{
	const struct index_entry	*e;
	const struct index_hotline	*h;
	const char			*p, *tag;
	struct doc			 d;
	size_t				 i, len;
	int				 rc = -1, first;

	doc_init(&d, out);
	if ((rc = check_catalog(cat)) != 0)
		goto out;
	doc_str(&d, "{\n"
	    "  \"format\": \"ferry-index\",\n"
	    "  \"version\": 2,\n"
	    "  \"sources\": [");
	for (i = 0; i < cat->nsources; i++) {
		doc_str(&d, i == 0 ? "\n    {\n" : ",\n    {\n");
		json_field(&d, "name", cat->sources[i].name, 0);
		json_field(&d, "url", cat->sources[i].url, 0);
		json_field(&d, "title", cat->sources[i].title, 1);
		doc_str(&d, "    }");
	}
	doc_str(&d, cat->nsources > 0 ? "\n  ],\n" : "],\n");
	doc_str(&d, "  \"resources\": [");
	for (i = 0; i < cat->nentries; i++) {
		e = &cat->entries[i];
		doc_str(&d, i == 0 ? "\n    {\n" : ",\n    {\n");
		json_resource(&d, e);
		if ((rc = json_time(&d, "fetched", e->fetched, e)) != 0 ||
		    (rc = json_time(&d, "changed", e->changed, e)) != 0 ||
		    (rc = json_time(&d, "withdrawn", e->withdrawn, e)) != 0)
			goto out;
		doc_fmt(&d, "      \"status\": %d,\n", e->status);
		json_field(&d, "kind", e->kind, 0);
		json_field(&d, "title", e->title, 0);
		json_field(&d, "section", e->section, 0);
		json_field(&d, "description", e->description, 0);
		json_field(&d, "note", e->note, 0);
		doc_str(&d, "      \"languages\": [");
		for (first = 1, p = e->lang; next_tag(&p, &tag, &len);
		    first = 0) {
			char *t = xstrndup(tag, len);

			doc_str(&d, first ? "" : ", ");
			doc_json(&d, t);
			free(t);
		}
		doc_str(&d, "],\n");
		doc_fmt(&d, "      \"order\": %d\n    }", e->order);
	}
	doc_str(&d, cat->nentries > 0 ? "\n  ],\n" : "],\n");
	doc_str(&d, "  \"hotlines\": [");
	for (i = 0; i < cat->nhotlines; i++) {
		h = &cat->hotlines[i];
		doc_str(&d, i == 0 ? "\n    {\n" : ",\n    {\n");
		json_field(&d, "source", h->source, 0);
		json_field(&d, "number", h->number, 0);
		json_field(&d, "tel", h->tel, 0);
		json_field(&d, "heading", h->heading, 0);
		json_field(&d, "details", h->details, 0);
		doc_fmt(&d, "      \"order\": %d\n    }", h->order);
	}
	doc_str(&d, cat->nhotlines > 0 ? "\n  ]\n}\n" : "]\n}\n");
	rc = 0;
out:
	return doc_finish(&d, rc, out);
}

/* --- index.html ------------------------------------------------------ */

static const char *
part_title(const struct part *p)
{
	return is_blank(p->title) ? p->name : p->title;
}

/* Element text in English, with the Spanish for the script to swap. */
static void
doc_tr(struct doc *d, const char *tag, const char *attrs, const char *en,
    const char *es)
{
	doc_fmt(d, "<%s%s data-es=\"", tag, attrs);
	doc_html(d, es);
	doc_str(d, "\">");
	doc_html(d, en);
	doc_fmt(d, "</%s>", tag);
}

/* A heading in English with its Spanish beside it (scripts off). */
static void
doc_heading2(struct doc *d, const char *tag, const char *attrs,
    const char *en, const char *es)
{
	doc_fmt(d, "<%s%s data-es=\"", tag, attrs);
	doc_html(d, es);
	doc_str(d, "\">");
	doc_html(d, en);
	doc_str(d, " <span class=\"tr\" lang=\"es\">");
	doc_html(d, es);
	doc_fmt(d, "</span></%s>\n", tag);
}

/*
 * An attribute, its value quoted only when it must be: the page of a large
 * mirror repeats a few attributes per entry tens of thousands of times.
 */
static void
doc_attr(struct doc *d, const char *name, const char *value, size_t len)
{
	size_t	i;
	char	c;

	for (i = 0; i < len; i++) {
		c = value[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || c == '/' || c == '%'))
			break;
	}
	doc_fmt(d, " %s=", name);
	if (len > 0 && i == len) {
		doc_add(d, value, len);
		return;
	}
	doc_str(d, "\"");
	doc_htmln(d, value, len);
	doc_str(d, "\"");
}

/* The languages of an entry by their own names, for its facts line. */
static void
html_langs(struct doc *d, const char *lang)
{
	const char	*p, *tag;
	size_t		 len;
	int		 k, first = 1;

	for (p = lang; next_tag(&p, &tag, &len); first = 0) {
		doc_str(d, first ? DOT : ", ");
		k = lang_find(tag, len);
		if (k < 0) {
			doc_htmln(d, tag, len);
			continue;
		}
		if (ascii_eq(tag, 2, "en") && (len == 2 || tag[2] == '-')) {
			doc_str(d, index_languages[k].native);
			continue;
		}
		doc_str(d, "<span");
		doc_attr(d, "lang", tag, len);
		if (is_rtl(tag, len))	/* two in a row keep their order */
			doc_str(d, " dir=rtl");
		doc_fmt(d, ">%s</span>", index_languages[k].native);
	}
}

/*
 * Text of several lines, one per line; with keys, a short label ending in
 * a colon at the start of a line is bold ("Hours Available: 24/7").
 */
static void
html_lines(struct doc *d, const char *text, int keys)
{
	const char	*p = text;
	size_t		 n, k;
	int		 first = 1;

	while (*p != '\0') {
		n = strcspn(p, "\n");
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0) {
			if (!first)
				doc_str(d, "<br>");
			k = strcspn(p, ":.;!?\n");
			if (keys && k < 32 && k + 1 < n && p[k] == ':' &&
			    p[k + 1] == ' ') {
				doc_str(d, "<b>");
				doc_htmln(d, p, k + 1);
				doc_str(d, "</b>");
				doc_htmln(d, p + k + 1, n - k - 1);
			} else
				doc_htmln(d, p, n);
			first = 0;
		}
		p += n;
		if (*p == '\r')
			p++;
		if (*p == '\n')
			p++;
	}
}

/*
 * One entry, on one line.  Optional end tags (</li>, </p>) are left out,
 * as HTML allows: they would be a tenth of a large page.
 */
static int
html_entry(struct doc *d, const struct index_entry *e)
{
	const char	*title, *p, *tag, *first = "";
	size_t		 len, flen = 0, ntags = 0;
	int		 rc, link = is_link(e), web = is_web(e->url);

	for (p = e->lang; next_tag(&p, &tag, &len); ntags++) {
		if (ntags == 0) {
			first = tag;
			flen = len;
		}
	}
	doc_str(d, "<li");
	if (ntags > 1)
		doc_attr(d, "data-l", e->lang, strlen(e->lang));
	if (link && !web)
		doc_str(d, "><span class=t");
	else if (link) {
		doc_str(d, "><a href=\"");
		doc_html(d, e->url);
		doc_str(d, "\"");
	} else {
		doc_str(d, "><a href=");
		if (d->rc == 0) {
			size_t at = d->b.len;

			doc_href(d, e->path);
			if (d->rc == 0 && d->b.len == at)
				doc_str(d, "\"\"");
		}
	}
	if (ntags > 0) {
		doc_attr(d, "lang", first, flen);
		if (is_rtl(first, flen))
			doc_str(d, " dir=rtl");
	}
	doc_str(d, ">");
	if (!is_blank(e->title))
		title = e->title;
	else
		title = link ? e->url : last_component(e->path);
	doc_html(d, title);
	doc_str(d, link && !web ? "</span>" : "</a>");
	if (!is_blank(e->description) && strcmp(e->description, e->title)) {
		doc_str(d, "<p>");
		html_lines(d, e->description, 0);
	}
	if (!is_blank(e->note)) {
		doc_str(d, "<p class=note><b>Note:</b> ");
		html_lines(d, e->note, 0);
	}
	doc_str(d, "<p class=m>");
	if (link)
		doc_str(d, "<span class=net>Needs internet</span>" DOT);
	doc_html(d, format_label(e));
	if (!link && e->size >= 0) {
		doc_str(d, DOT);
		doc_size(d, e->size);
	}
	html_langs(d, e->lang);
	if (!link && e->fetched > 0) {
		doc_str(d, is_local(e) ? DOT "added " : DOT "retrieved ");
		if ((rc = doc_time(d, e->fetched, 1, "fetch", e->path)) != 0)
			return rc;
	}
	if (e->changed > 0) {
		doc_str(d, DOT "<span class=chg>changed <time datetime=");
		if ((rc = doc_time(d, e->changed, 0, "change", e->path)) != 0)
			return rc;
		doc_str(d, ">");
		doc_time(d, e->changed, 1, "change", e->path);
		doc_str(d, "</time></span>");
	}
	if (e->withdrawn > 0) {
		doc_str(d, "<p class=w>No longer at the source since ");
		if ((rc = doc_time(d, e->withdrawn, 1, "withdrawal",
		    e->path)) != 0)
			return rc;
		doc_str(d, ". This copy is kept.");
	}
	if (is_local(e)) {	/* its url is its path: nothing to show */
		doc_str(d, "\n");
		return 0;
	}
	doc_str(d, "<p class=u>");
	doc_html(d, e->url);
	doc_str(d, "\n");
	return 0;
}

static void
html_hotline(struct doc *d, const struct index_hotline *h)
{
	const char	*number = h->number;

	if (is_blank(number))
		number = ascii_eq(h->tel, 4, "tel:") ? h->tel + 4 : h->tel;
	doc_str(d, "<li>");
	if (!is_blank(h->heading)) {
		doc_str(d, "<p class=\"area\">");
		doc_html(d, h->heading);
		doc_str(d, "</p>");
	}
	if (ascii_eq(h->tel, 4, "tel:")) {
		doc_str(d, "<a class=\"tel\" href=\"");
		doc_html(d, h->tel);
		doc_str(d, "\">");
		doc_html(d, number);
		doc_str(d, "</a>");
	} else {
		doc_str(d, "<p class=\"tel\">");
		doc_html(d, number);
		doc_str(d, "</p>");
	}
	if (!is_blank(h->details)) {
		doc_str(d, "<p class=\"det\">");
		html_lines(d, h->details, 1);
		doc_str(d, "</p>");
	}
	doc_str(d, "</li>\n");
}

/* The hotlines of part k, from *next on; *next moves past them. */
static void
html_hotlines(struct doc *d, const struct index_catalog *cat,
    const struct layout *l, size_t k, size_t *next)
{
	size_t	i = *next;

	if (i >= l->nhot || l->hot[i].part != k)
		return;
	doc_fmt(d, "<section class=\"hot\" id=\"p%zu-h\">\n", k + 1);
	doc_heading2(d, "h3", "", "Hotlines", "L\xc3\xadneas de ayuda");
	doc_str(d, "<ul class=\"hl\">\n");
	for (; i < l->nhot && l->hot[i].part == k; i++)
		html_hotline(d, &cat->hotlines[l->hot[i].hotline]);
	doc_str(d, "</ul>\n</section>\n");
	*next = i;
}

/* The sections of part k, entries from slot *next on. */
static int
html_sections(struct doc *d, const struct index_catalog *cat,
    const struct layout *l, size_t k, size_t *next)
{
	const struct index_entry	*e;
	size_t				 i, section;
	int				 rc;

	for (i = *next; i < l->nslots && l->slots[i].part == k; ) {
		section = l->slots[i].section;
		e = &cat->entries[l->slots[i].entry];
		if (section == OTHER_SECTION) {
			doc_fmt(d, "<section class=\"sec\" id=\"p%zu-o\">\n",
			    k + 1);
			if (l->parts[k].local)
				doc_tr(d, "h3", "", "Files", "Archivos");
			else
				doc_tr(d, "h3", "", "Other resources",
				    "Otros recursos");
		} else {
			doc_fmt(d, "<section class=\"sec\" id=\"p%zu-s%zu\">\n"
			    "<h3>", k + 1, section);
			doc_html(d, e->section);
			doc_str(d, "</h3>");
		}
		doc_str(d, "\n<ul class=\"list\">\n");
		for (; i < l->nslots && l->slots[i].part == k &&
		    l->slots[i].section == section; i++) {
			rc = html_entry(d, &cat->entries[l->slots[i].entry]);
			if (rc != 0)
				return rc;
		}
		doc_str(d, "</ul>\n</section>\n");
	}
	*next = i;
	return 0;
}

static int
html_part(struct doc *d, const struct index_catalog *cat,
    const struct layout *l, size_t k, size_t *slot, size_t *hot)
{
	const struct part	*p = &l->parts[k];

	doc_fmt(d, "<section class=\"src\" id=\"p%zu\">\n", k + 1);
	if (p->local) {
		doc_heading2(d, "h2", "", LOCAL_EN, LOCAL_ES);
		doc_tr(d, "p", " class=\"o\"", "Files the people who keep "
		    "this copy added themselves.", "Archivos que "
		    "a\xc3\xb1" "adieron quienes mantienen esta copia.");
		doc_str(d, "\n");
		return html_sections(d, cat, l, k, slot);
	}
	doc_str(d, "<h2>");
	doc_html(d, part_title(p));
	doc_str(d, "</h2>\n<p class=\"o\">");
	doc_tr(d, "span", "", "Copied from", "Copiado de");
	doc_str(d, " ");
	if (is_web(p->url)) {
		doc_str(d, "<a href=\"");
		doc_html(d, p->url);
		doc_str(d, "\">");
		doc_html(d, p->url);
		doc_str(d, "</a>");
	} else
		doc_html(d, p->url);
	doc_str(d, "</p>\n");
	html_hotlines(d, cat, l, k, hot);
	if (p->nlisted == 0)
		doc_tr(d, "p", " class=\"empty\"", "No pages or documents "
		    "from this source are stored yet.", "Todav\xc3\xad" "a no "
		    "hay p\xc3\xa1ginas ni documentos de esta fuente.");
	return html_sections(d, cat, l, k, slot);
}

/* The contents: each part, its hotlines, its sections. */
static void
html_toc(struct doc *d, const struct index_catalog *cat,
    const struct layout *l)
{
	const struct index_entry	*e;
	size_t				 k, i = 0, h = 0, section;

	doc_str(d, "<nav id=\"toc\" aria-label=\"Contents\">\n"
	    "<details>\n<summary>");
	doc_tr(d, "span", "", "Jump to a section", "Ir a una secci\xc3\xb3n");
	doc_str(d, " <span class=\"tr\" lang=\"es\">\xc2\xb7 Ir a una "
	    "secci\xc3\xb3n</span></summary>\n<ul>\n");
	for (k = 0; k < l->nparts; k++) {
		doc_fmt(d, "<li><a href=\"#p%zu\">", k + 1);
		if (l->parts[k].local)
			doc_tr(d, "span", "", LOCAL_EN, LOCAL_ES);
		else
			doc_html(d, part_title(&l->parts[k]));
		doc_str(d, "</a>\n<ul>\n");
		if (h < l->nhot && l->hot[h].part == k) {
			doc_fmt(d, "<li><a href=\"#p%zu-h\">", k + 1);
			doc_tr(d, "span", "", "Hotlines",
			    "L\xc3\xadneas de ayuda");
			doc_str(d, "</a></li>\n");
			while (h < l->nhot && l->hot[h].part == k)
				h++;
		}
		for (; i < l->nslots && l->slots[i].part == k; i++) {
			section = l->slots[i].section;
			if (i > 0 && l->slots[i - 1].part == k &&
			    l->slots[i - 1].section == section)
				continue;
			e = &cat->entries[l->slots[i].entry];
			if (section == OTHER_SECTION) {
				doc_fmt(d, "<li><a href=\"#p%zu-o\">", k + 1);
				if (l->parts[k].local)
					doc_tr(d, "span", "", "Files",
					    "Archivos");
				else
					doc_tr(d, "span", "", "Other resources",
					    "Otros recursos");
			} else {
				doc_fmt(d, "<li><a href=\"#p%zu-s%zu\">",
				    k + 1, section);
				doc_html(d, e->section);
			}
			doc_str(d, "</a></li>\n");
		}
		doc_str(d, "</ul></li>\n");
	}
	doc_str(d, "</ul>\n</details>\n</nav>\n");
}

/* The search form, hidden until the script shows it. */
static void
html_form(struct doc *d, const struct index_catalog *cat,
    const struct layout *l)
{
	const struct langcount	*c;
	size_t			 i, j;
	int			 k;

	doc_str(d, "<form id=\"find\" role=\"search\" hidden>\n");
	doc_tr(d, "label", " for=\"q\"", "Search", "Buscar");
	doc_str(d, "\n");
	doc_tr(d, "p", " id=\"q-hint\" class=\"m\"", "A word from a title, a "
	    "topic or a document, in any language.", "Una palabra de un "
	    "t\xc3\xadtulo, un tema o un documento, en cualquier idioma.");
	doc_str(d, "\n<input id=\"q\" type=\"search\" autocomplete=\"off\" "
	    "spellcheck=\"false\" aria-describedby=\"q-hint\">\n");
	doc_tr(d, "label", " for=\"lang\"", "Language", "Idioma");
	doc_str(d, "\n<select id=\"lang\">\n");
	doc_tr(d, "option", " value=\"\"", "All languages",
	    "Todos los idiomas");
	doc_str(d, "\n");
	for (i = 0; i < l->nlangs; i++) {
		c = &l->langs[i];
		doc_str(d, "<option value=\"");
		for (j = 0; j < c->len; j++) {
			char ch = (char)ascii_tolower((unsigned char)c->tag[j]);

			if (ch == '_')
				ch = '-';
			doc_htmln(d, &ch, 1);
		}
		doc_str(d, "\">");
		if ((k = lang_find(c->tag, c->len)) < 0)
			doc_htmln(d, c->tag, c->len);
		else {
			doc_str(d, index_languages[k].english);
			if (strcmp(index_languages[k].english,
			    index_languages[k].native) != 0) {
				doc_str(d, " \xe2\x80\x94 ");
				doc_str(d, index_languages[k].native);
			}
		}
		doc_fmt(d, " (%zu)</option>\n", c->count);
	}
	doc_str(d, "</select>\n<div class=\"row\"><p id=\"count\" "
	    "role=\"status\" aria-live=\"polite\"></p>\n");
	doc_tr(d, "button", " type=\"button\" id=\"clear\" hidden", "Clear",
	    "Borrar");
	doc_str(d, "</div>\n<p id=\"none\" class=\"w\" hidden></p>\n"
	    "</form>\n");
}

/* How many resources, from how many sources, in words. */
static void
html_lead(struct doc *d, const struct layout *l, size_t links)
{
	char	*en = NULL, *es = NULL, *t;
	size_t	 k, n = 0;

	for (k = 0; k < l->nparts; k++)
		n += !l->parts[k].local;	/* sources, not local/ */
	xasprintf(&en, "This copy holds %zu %s from %zu %s. They open "
	    "without internet", l->nslots, l->nslots == 1 ? "resource" :
	    "resources", n, n == 1 ? "source" : "sources");
	xasprintf(&es, "Esta copia contiene %zu %s de %zu %s. Se abren sin "
	    "internet", l->nslots, l->nslots == 1 ? "recurso" : "recursos",
	    n, n == 1 ? "fuente" : "fuentes");
	if (links > 0) {
		xasprintf(&t, "%s, except %s marked \xe2\x80\x9cNeeds "
		    "internet\xe2\x80\x9d.", en, links == 1 ? "the link" :
		    "the links");
		free(en);
		en = t;
		xasprintf(&t, "%s, salvo %s \xc2\xabNecesita "
		    "internet\xc2\xbb.", es, links == 1 ? "el enlace marcado" :
		    "los enlaces marcados");
		free(es);
		es = t;
	} else {
		xasprintf(&t, "%s.", en);
		free(en);
		en = t;
		xasprintf(&t, "%s.", es);
		free(es);
		es = t;
	}
	doc_tr(d, "p", " class=\"lead\"", en, es);
	doc_str(d, "\n<p class=\"tr\" lang=\"es\">");
	doc_html(d, es);
	doc_str(d, "</p>\n");
	free(en);
	free(es);
}

static int
html_page(struct doc *d, const struct index_catalog *cat,
    const struct layout *l)
{
	size_t	k, slot = 0, hot = 0, links = 0, i;
	int	rc;

	for (i = 0; i < l->nslots; i++)
		links += is_link(&cat->entries[l->slots[i].entry]);
	doc_str(d, "<!DOCTYPE html>\n"
	    "<html lang=\"en\">\n"
	    "<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta name=\"color-scheme\" content=\"light dark\">\n"
	    "<title>Offline resources \xc2\xb7 Recursos sin "
	    "conexi\xc3\xb3n</title>\n"
	    "<style>\n");
	doc_str(d, index_css);
	doc_str(d, "</style>\n"
	    "</head>\n"
	    "<body>\n"
	    "<header>\n<div class=\"top\">\n");
	doc_heading2(d, "h1", "", "Offline resources",
	    "Recursos sin conexi\xc3\xb3n");
	doc_str(d, "<button type=\"button\" id=\"ui\" lang=\"es\" hidden>"
	    "Espa\xc3\xb1ol</button>\n</div>\n");
	html_lead(d, l, links);
	html_form(d, cat, l);
	if (l->nparts > 0)
		html_toc(d, cat, l);
	doc_fmt(d, "</header>\n<main id=\"main\" data-fp=\"%08" PRIx32
	    "\">\n", l->fp);
	for (k = 0; k < l->nparts; k++) {
		if ((rc = html_part(d, cat, l, k, &slot, &hot)) != 0)
			return rc;
		doc_str(d, "</section>\n");
	}
	doc_str(d, "</main>\n<footer>\n<p>");
	doc_tr(d, "span", "", "Made by ferry. To check that this copy is "
	    "complete, see", "Hecho con ferry. Para comprobar que esta copia "
	    "est\xc3\xa1 completa, vea");
	doc_str(d, " <a href=\"README.txt\">README.txt</a>.</p>\n"
	    "</footer>\n<script>\n");
	doc_str(d, index_js);
	doc_str(d, "</script>\n"
	    "<script src=\"search.js\" async></script>\n"
	    "</body>\n"
	    "</html>\n");
	return 0;
}

int
index_html(const struct index_catalog *cat, struct buf *out)
{
	struct layout	l;
	struct doc	d;
	int		rc = -1;

	memset(&l, 0, sizeof l);
	doc_init(&d, out);
	if ((rc = check_catalog(cat)) != 0)
		goto out;
	layout_make(cat, &l);
	if ((rc = html_page(&d, cat, &l)) != 0)
		goto out;
	rc = 0;
out:
	layout_free(&l);
	return doc_finish(&d, rc, out);
}

/* --- search.js ------------------------------------------------------- */

/*
 * The text as one JavaScript string: whitespace runs become one space,
 * at most INDEX_TEXT_CHARS characters and max bytes between the quotes.
 */
static void
js_text(struct doc *d, const char *text, size_t max)
{
	const unsigned char	*p;
	const char		*t;
	char			*owned;
	size_t			 n, bytes = 0, chars = 0, run;
	int			 space = 0;

	t = clean_text(text, 0, &owned);
	doc_str(d, "\"");
	p = (const unsigned char *)t;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	for (; *p != '\0' && chars < INDEX_TEXT_CHARS; p += n) {
		n = utf8_len(p);
		if (*p < 0x20 || *p == ' ' || *p == 0x7f || (n == 3 &&
		    p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 ||
		    p[2] == 0xa9))) {
			space = 1;
			continue;
		}
		run = n + space + (*p == '"' || *p == '\\');
		if (bytes + run > max)
			break;
		if (space)
			doc_str(d, " ");
		if (*p == '"' || *p == '\\')
			doc_str(d, "\\");
		doc_add(d, (const char *)p, n);
		bytes += run;
		chars += 1 + space;
		space = 0;
	}
	doc_str(d, "\"");
	free(owned);
}

int
index_search(const struct index_catalog *cat, struct buf *out)
{
	struct layout	 l;
	struct doc	 d, page;
	size_t		 i, ntext = 0, max = 0, used, last;
	int		 rc = -1;

	memset(&l, 0, sizeof l);
	doc_init(&d, out);
	buf_init(&page.b, 0);
	page.rc = 0;
	if ((rc = check_catalog(cat)) != 0)
		goto out;
	layout_make(cat, &l);
	/* What the page leaves of INDEX_PAGE_MAX, shared by the texts. */
	if ((rc = html_page(&page, cat, &l)) != 0)
		goto out;
	used = page.b.len + 256 + 4 * l.nslots;
	for (i = 0; i < l.nslots; i++)
		ntext += !is_blank(cat->entries[l.slots[i].entry].text);
	if (ntext > 0 && used < INDEX_PAGE_MAX)
		max = (INDEX_PAGE_MAX - used) / ntext;
	last = max > 0 ? l.nslots : 0;
	doc_fmt(&d, "/* ferry: the text of each resource of index.html, in "
	    "page order, for its\n   search box. At most %d characters "
	    "each. Generated: do not edit. */\n", INDEX_TEXT_CHARS);
	doc_fmt(&d, "if (window.ferryText) ferryText(\"%08" PRIx32 "\", [",
	    l.fp);
	/* Entries after the last one with text need no empty strings. */
	while (max > 0 && last > 0 &&
	    is_blank(cat->entries[l.slots[last - 1].entry].text))
		last--;
	for (i = 0; i < last; i++) {
		doc_str(&d, i == 0 ? "\n" : ",\n");
		js_text(&d, cat->entries[l.slots[i].entry].text, max);
	}
	doc_str(&d, last > 0 ? "\n]);\n" : "]);\n");
	rc = 0;
out:
	buf_free(&page.b);
	layout_free(&l);
	return doc_finish(&d, rc, out);
}

/* Columns taken by the UTF-8 sequence at s (East Asian wide: two). */
static size_t
text_width(const unsigned char *s, size_t n)
{
	uint32_t	cp;

	if (n <= 1)
		return 1;
	cp = s[0] & (0x7f >> n);
	while (--n > 0)
		cp = cp << 6 | (*++s & 0x3f);
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

static size_t
str_width(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 w = 0, n, i;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_len(p + i)) == 0)
			n = 1;
		w += text_width(p + i, n);
	}
	return w;
}

/*
 * One paragraph of the README, words wrapped at README_WIDTH columns; a
 * word longer than a line (a URL) stays whole on a line of its own.  The
 * tail, if any, ends the paragraph and is never broken ("2 resources").
 */
static void
doc_wrap(struct doc *d, const char *text, const char *tail,
    const char *first, const char *rest)
{
	const char	*t, *p;
	char		*owned;
	size_t		 col, len, w;
	int		 words = 0;

	t = clean_text(text, 1, &owned);
	doc_str(d, first);
	col = str_width(first, strlen(first));
	for (p = t; *p != '\0'; p += len) {
		if (*p == ' ') {
			len = 1;
			continue;
		}
		len = strcspn(p, " ");
		w = str_width(p, len);
		if (words > 0 && col + 1 + w > README_WIDTH) {
			doc_str(d, README_EOL);
			doc_str(d, rest);
			col = str_width(rest, strlen(rest));
			words = 0;
		}
		if (words++ > 0) {
			doc_str(d, " ");
			col++;
		}
		doc_add(d, p, len);
		col += w;
	}
	if (tail != NULL) {
		w = str_width(tail, strlen(tail));
		if (words > 0 && col + 1 + w > README_WIDTH) {
			doc_str(d, README_EOL);
			doc_str(d, rest);
		} else if (words > 0)
			doc_str(d, " ");
		doc_str(d, tail);
	}
	doc_str(d, README_EOL);
	free(owned);
}

static void
doc_heading(struct doc *d, const char *text, char rule)
{
	size_t	w;

	doc_str(d, text);
	doc_str(d, README_EOL);
	for (w = str_width(text, strlen(text)); w > 0; w--)
		doc_add(d, &rule, 1);
	doc_str(d, README_EOL);
}

/* The words of the README in one language. */
struct readme_text {
	const char	*title;
	const char	*other;		/* where the other language is */
	const char	*what;
	const char	*open;
	const char	*hotlines;
	const char	*sources;
	const char	*one;		/* after a count of 1 */
	const char	*many;		/* after any other count */
	const char	*none;
	const char	*local;		/* the part of local/ */
	const char	*check;
	const char	*verify;
	const char	*git;
};

static const struct readme_text readme_en = {
	"Offline resources",
	"(Versi\xc3\xb3n en espa\xc3\xb1ol m\xc3\xa1s abajo.)",
	"This folder is an offline copy of official resource pages and the "
	    "documents they link to, kept so that they can be read and "
	    "printed where there is no internet.",
	"To use it, open index.html in any web browser; no internet needed. "
	    "Its search box finds words in titles and in the documents.",
	"Hotlines",
	"Sources",
	"resource",
	"resources",
	"(none yet)",
	LOCAL_EN,
	"Checking this copy",
	"If ferry is installed, run this command in this folder. It checks "
	    "that every file is complete and unchanged:",
	"When git is installed, this command shows every change to these "
	    "files, with its date:",
};

static const struct readme_text readme_es = {
	"Recursos sin conexi\xc3\xb3n",
	NULL,
	"Esta carpeta es una copia sin conexi\xc3\xb3n de p\xc3\xa1ginas "
	    "oficiales de recursos y de los documentos que enlazan, guardada "
	    "para poder leerlos e imprimirlos donde no hay internet.",
	"Para usarla, abra index.html en cualquier navegador web; no "
	    "necesita internet. Su buscador encuentra palabras en los "
	    "t\xc3\xadtulos y en los documentos.",
	"L\xc3\xadneas de ayuda",
	"Fuentes",
	"recurso",
	"recursos",
	"(ninguna todav\xc3\xad" "a)",
	LOCAL_ES,
	"C\xc3\xb3mo comprobar esta copia",
	"Si ferry est\xc3\xa1 instalado, ejecute este comando en esta "
	    "carpeta. Comprueba que cada archivo est\xc3\xa9 completo y sin "
	    "cambios:",
	"Si git est\xc3\xa1 instalado, este comando muestra cada cambio en "
	    "estos archivos, con su fecha:",
};

static void
readme_lang(struct doc *d, const struct readme_text *tx,
    const struct index_catalog *cat, const struct layout *l)
{
	const struct index_hotline	*h;
	const struct part		*p;
	char				*name = NULL, *count_text = NULL;
	const char			*t;
	size_t				 k, i, n;

	doc_heading(d, tx->title, '=');
	if (tx->other != NULL)
		doc_wrap(d, tx->other, NULL, "", "");
	doc_str(d, README_EOL);
	doc_wrap(d, tx->what, NULL, "", "");
	doc_str(d, README_EOL);
	doc_wrap(d, tx->open, NULL, "", "");
	doc_str(d, README_EOL);
	if (l->nhot > 0) {
		doc_heading(d, tx->hotlines, '-');
		for (i = 0; i < l->nhot; i++) {
			h = &cat->hotlines[l->hot[i].hotline];
			t = !is_blank(h->number) ? h->number :
			    ascii_eq(h->tel, 4, "tel:") ? h->tel + 4 : h->tel;
			if (is_blank(h->heading))
				doc_wrap(d, t, NULL, "  * ", "    ");
			else {
				xasprintf(&name, "%s:", h->heading);
				doc_wrap(d, name, t, "  * ", "    ");
				free(name);
			}
			for (t = h->details; *t != '\0'; t += n) {
				n = strcspn(t, "\n");
				name = xstrndup(t, n);
				if (!is_blank(name))
					doc_wrap(d, name, NULL, "    ",
					    "      ");
				free(name);
				if (t[n] == '\n')
					n++;
			}
		}
		doc_str(d, README_EOL);
	}
	doc_heading(d, tx->sources, '-');
	if (l->nparts == 0)
		doc_wrap(d, tx->none, NULL, "  ", "  ");
	for (k = 0; k < l->nparts; k++) {
		p = &l->parts[k];
		xasprintf(&name, "%s:", p->local ? tx->local : part_title(p));
		xasprintf(&count_text, "%zu %s", p->nlisted,
		    p->nlisted == 1 ? tx->one : tx->many);
		doc_wrap(d, name, count_text, "  * ", "    ");
		if (!p->local)
			doc_wrap(d, p->url, NULL, "    ", "    ");
		free(name);
		free(count_text);
	}
	doc_str(d, README_EOL);
	doc_heading(d, tx->check, '-');
	doc_wrap(d, tx->verify, NULL, "", "");
	doc_str(d, README_EOL "    ferry verify" README_EOL README_EOL);
	doc_wrap(d, tx->git, NULL, "", "");
	doc_str(d, README_EOL "    git log" README_EOL);
}

int
index_readme(const struct index_catalog *cat, struct buf *out)
{
	struct layout	l;
	struct doc	d;
	int		rc = -1;

	memset(&l, 0, sizeof l);
	doc_init(&d, out);
	if ((rc = check_catalog(cat)) != 0)
		goto out;
	layout_make(cat, &l);
	readme_lang(&d, &readme_en, cat, &l);
	doc_str(&d, README_EOL README_EOL);
	readme_lang(&d, &readme_es, cat, &l);
	rc = 0;
out:
	layout_free(&l);
	return doc_finish(&d, rc, out);
}
