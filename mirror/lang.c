/*
 * lang.c -- language tags: detection for linked resources, BCP 47
 * normalisation, names and writing direction.
 *
 * Owns the table of languages ferry knows by name (English names,
 * endonyms, the spellings link texts use, the codes file names use) and
 * the rules that weigh the evidence around a link (see lang.h).  It does
 * no I/O; its only state is an index of the table, built once on first
 * use and read-only after.  It does not guess a language from the words
 * of a text ("Conozca sus derechos" is Spanish because the page says so
 * with lang attributes, not because this file reads Spanish), does not
 * check tags against the IANA registry (only their shape), and does not
 * decide how the index groups or shows languages.
 */
#include "config.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "ascii.h"
#include "err.h"
#include "lang.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

#define FOLD_MAX	1024	/* bytes of a text or file name looked at */
#define NAMED_MAX	8	/* names kept from one text */
#define TOKENS_MAX	32	/* tokens kept from one file name */
#define SEGMENTS_MAX	64	/* directories kept from one path */
#define QUALIFY_SPAN	64	/* bytes after "Chinese" read for a script */

#define NAMES_MAX	10
#define CODES_MAX	4

/*
 * A language ferry can name.  names are the spellings found in link
 * texts and file names, folded (see fold()); a space in a spelling
 * matches any run of blanks, dashes or underscores.  codes are the codes
 * found in file names; a '*' marks a code that is also a common word or
 * abbreviation ("he", "so", "sd"), trusted only as a whole file name.
 * Both lists end at the first NULL.
 */
struct langdef {
	const char	*tag;
	const char	*name;
	const char	*native;
	const char	*names[NAMES_MAX];
	const char	*codes[CODES_MAX];
};

static const struct langdef langs[] = {
	{ "en", "English", "English",
	    { "english", "inglés", "ingles", "anglais" },
	    { "en", "eng" } },
	{ "es", "Spanish", "Español",
	    { "spanish", "español", "espanol", "castellano", "espagnol" },
	    { "es", "spa", "esp" } },
	{ "ko", "Korean", "한국어",
	    { "korean", "한국어", "한국말", "한글", "조선말" },
	    { "ko", "kor" } },
	{ "zh", "Chinese", "中文",
	    { "chinese", "中文", "汉语", "漢語", "华语", "華語", "mandarin",
	    "普通话", "普通話" },
	    { "zh", "zho", "chi" } },
	{ "zh-Hant", "Chinese (Traditional)", "中文（繁體）",
	    { "繁體中文", "繁体中文", "正體中文", "繁體", "繁体" },
	    { "cht" } },
	{ "zh-Hans", "Chinese (Simplified)", "中文（简体）",
	    { "简体中文", "簡體中文", "简体", "簡體" },
	    { "chs" } },
	{ "yue", "Cantonese", "粵語",
	    { "cantonese", "粵語", "粤语", "廣東話", "广东话" },
	    { "yue" } },
	{ "ja", "Japanese", "日本語",
	    { "japanese", "日本語", "にほんご" },
	    { "ja", "jpn" } },
	{ "vi", "Vietnamese", "Tiếng Việt",
	    { "vietnamese", "tiếng việt", "tieng viet", "việt ngữ" },
	    { "vi", "vie" } },
	{ "tl", "Tagalog", "Tagalog",
	    { "tagalog", "filipino", "pilipino", "wikang filipino" },
	    { "tl", "tgl" } },
	{ "fil", "Filipino", "Filipino",
	    { NULL },
	    { "fil" } },
	{ "ilo", "Ilocano", "Ilokano",
	    { "ilocano", "ilokano", "iloko" },
	    { "ilo" } },
	{ "ceb", "Cebuano", "Sinugbuanong Binisaya",
	    { "cebuano", "binisaya", "bisaya" },
	    { "ceb" } },
	{ "th", "Thai", "ไทย",
	    { "thai", "ภาษาไทย", "ไทย" },
	    { "th", "tha" } },
	{ "km", "Khmer", "ភាសាខ្មែរ",
	    { "khmer", "cambodian", "ភាសាខ្មែរ", "ខ្មែរ" },
	    { "km", "khm" } },
	{ "lo", "Lao", "ລາວ",
	    { "lao", "laotian", "ພາສາລາວ", "ລາວ" },
	    { "*lo", "lao" } },
	{ "my", "Burmese", "မြန်မာဘာသာ",
	    { "burmese", "မြန်မာဘာသာ", "မြန်မာစာ", "မြန်မာ" },
	    { "*my", "mya" } },
	{ "hmn", "Hmong", "Hmoob",
	    { "hmong", "hmoob" },
	    { "hmn" } },
	{ "hy", "Armenian", "Հայերեն",
	    { "armenian", "հայերեն" },
	    { "hy", "hye" } },
	{ "ru", "Russian", "Русский",
	    { "russian", "русский", "по русски" },
	    { "ru", "rus" } },
	{ "uk", "Ukrainian", "Українська",
	    { "ukrainian", "українська" },
	    { "*uk", "ukr" } },
	{ "fa", "Persian", "فارسی",
	    { "persian", "farsi", "فارسی", "پارسی" },
	    { "fa", "fas" } },
	{ "prs", "Dari", "دری",
	    { "dari", "دری" },
	    { "prs" } },
	{ "ps", "Pashto", "پښتو",
	    { "pashto", "pashtu", "pushto", "پښتو" },
	    { "ps", "pus" } },
	{ "ar", "Arabic", "العربية",
	    { "arabic", "العربية", "عربي", "عربى" },
	    { "ar", "ara" } },
	{ "he", "Hebrew", "עברית",
	    { "hebrew", "עברית" },
	    { "*he", "heb" } },
	{ "yi", "Yiddish", "ייִדיש",
	    { "yiddish", "ייִדיש", "יידיש" },
	    { "yi", "yid" } },
	{ "ur", "Urdu", "اردو",
	    { "urdu", "اردو" },
	    { "ur", "urd" } },
	{ "hi", "Hindi", "हिन्दी",
	    { "hindi", "हिन्दी", "हिंदी" },
	    { "*hi", "hin" } },
	{ "pa", "Punjabi", "ਪੰਜਾਬੀ",
	    { "punjabi", "panjabi", "ਪੰਜਾਬੀ", "پنجابی" },
	    { "*pa", "*pan" } },
	{ "bn", "Bengali", "বাংলা",
	    { "bengali", "bangla", "বাংলা" },
	    { "bn", "*ben" } },
	{ "gu", "Gujarati", "ગુજરાતી",
	    { "gujarati", "ગુજરાતી" },
	    { "gu", "guj" } },
	{ "ta", "Tamil", "தமிழ்",
	    { "tamil", "தமிழ்" },
	    { "*ta", "tam" } },
	{ "te", "Telugu", "తెలుగు",
	    { "telugu", "తెలుగు" },
	    { "*te", "*tel" } },
	{ "ne", "Nepali", "नेपाली",
	    { "nepali", "nepalese", "नेपाली" },
	    { "*ne", "nep" } },
	{ "sd", "Sindhi", "سنڌي",
	    { "sindhi", "سنڌي" },
	    { "*sd", "snd" } },
	{ "ckb", "Central Kurdish", "کوردی",
	    { "sorani", "کوردی" },
	    { "ckb" } },
	{ "ku", "Kurdish", "Kurdî",
	    { "kurdish", "kurdî", "kurmanji", "kurmancî" },
	    { "ku", "kur" } },
	{ "dv", "Dhivehi", "ދިވެހި",
	    { "dhivehi", "divehi", "ދިވެހި" },
	    { "dv", "div" } },
	{ "ug", "Uyghur", "ئۇيغۇرچە",
	    { "uyghur", "uighur", "ئۇيغۇرچە" },
	    { "ug", "uig" } },
	{ "am", "Amharic", "አማርኛ",
	    { "amharic", "አማርኛ" },
	    { "*am", "amh" } },
	{ "ti", "Tigrinya", "ትግርኛ",
	    { "tigrinya", "ትግርኛ" },
	    { "*ti", "tir" } },
	{ "om", "Oromo", "Afaan Oromoo",
	    { "oromo", "afaan oromoo", "oromoo" },
	    { "*om", "orm" } },
	{ "so", "Somali", "Soomaali",
	    { "somali", "af soomaali", "soomaali" },
	    { "*so", "som" } },
	{ "sw", "Swahili", "Kiswahili",
	    { "swahili", "kiswahili" },
	    { "*sw", "swa" } },
	{ "fr", "French", "Français",
	    { "french", "français", "francais" },
	    { "fr", "fra", "fre" } },
	{ "ht", "Haitian Creole", "Kreyòl ayisyen",
	    { "haitian creole", "kreyòl ayisyen", "kreyol ayisyen", "kreyòl",
	    "kreyol" },
	    { "ht", "hat" } },
	{ "pt", "Portuguese", "Português",
	    { "portuguese", "português", "portugues" },
	    { "pt", "por" } },
	{ "it", "Italian", "Italiano",
	    { "italian", "italiano" },
	    { "*it", "ita" } },
	{ "de", "German", "Deutsch",
	    { "german", "deutsch" },
	    { "*de", "deu", "ger" } },
	{ "nl", "Dutch", "Nederlands",
	    { "dutch", "nederlands" },
	    { "nl", "nld", "dut" } },
	{ "pl", "Polish", "Polski",
	    { "polish", "polski" },
	    { "pl", "pol" } },
	{ "ro", "Romanian", "Română",
	    { "romanian", "română" },
	    { "ro", "ron" } },
	{ "el", "Greek", "Ελληνικά",
	    { "greek", "ελληνικά" },
	    { "*el", "ell", "gre" } },
	{ "tr", "Turkish", "Türkçe",
	    { "turkish", "türkçe", "turkce" },
	    { "tr", "tur" } },
	{ "id", "Indonesian", "Bahasa Indonesia",
	    { "indonesian", "bahasa indonesia" },
	    { "*id", "*ind" } },
	{ "ms", "Malay", "Bahasa Melayu",
	    { "malay", "bahasa melayu" },
	    { "*ms", "msa" } },
	{ "sm", "Samoan", "Gagana Sāmoa",
	    { "samoan", "gagana sāmoa", "gagana samoa" },
	    { "*sm", "smo" } },
	{ "to", "Tongan", "Lea faka-Tonga",
	    { "tongan", "lea faka tonga" },
	    { "*to", "ton" } },
	{ "mix", "Mixtec", "Tu'un savi",
	    { "mixtec", "mixteco", "tu'un savi" },
	    { "*mix" } },
	{ "zap", "Zapotec", "Diidxazá",
	    { "zapotec", "zapoteco" },
	    { "*zap" } },
	{ "quc", "K'iche'", "K'iche'",
	    { "k'iche'", "k'iche", "kiche", "quiché" },
	    { "quc" } },
	{ "ase", "American Sign Language", "American Sign Language",
	    { "american sign language" },
	    { "ase", "asl" } },
};

/* Written right to left: these languages, unless a script says not. */
static const char *const rtl_langs[] = {
	"ar", "fa", "he", "ur", "ps", "sd", "yi", "dv", "ug", "ckb",
	"prs", "pnb", "azb", "syr", "arz", "ary", "apc",
};

/* Scripts written right to left (ISO 15924, folded). */
static const char *const rtl_scripts[] = {
	"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand",
	"samr",
};

/* Scripts a file name may add to a code: "card-zh-hant.pdf". */
static const char *const name_scripts[] = {
	"hant", "hans", "latn", "cyrl", "arab", "hebr", "deva", "guru",
	"beng", "thai", "khmr", "ethi", "armn", "grek", "jpan", "kore",
	"mymr", "laoo", "taml", "telu", "gujr",
};

/*
 * Regions a file name may add to a code: "guide_es_MX.pdf".  Not "CA"
 * (California), "LA" (Los Angeles), "DO", "PA", "ID": on the pages ferry
 * reads they are far more often words or places than countries.
 */
static const char *const name_regions[] = {
	"us", "gb", "au", "mx", "es", "ar", "co", "pe", "cl", "ve", "gt",
	"sv", "hn", "ni", "cr", "cu", "pr", "419", "br", "pt", "tw", "hk",
	"mo", "cn", "sg", "kr", "jp", "vn", "ph", "ir", "af", "ru", "ua",
	"in", "pk", "bd", "il", "sa", "eg", "ae", "iq", "sy", "lb", "jo",
	"fr", "be", "ch", "de", "at", "it", "th", "kh", "mm", "et", "er",
	"so", "am", "np", "my", "tr", "gr", "ro", "pl", "nl", "ht",
};

/*
 * Words after a name that make it no language: "Korean American",
 * "Spanish-speaking families", "Chinese New Year".
 */
static const char *const not_language[] = {
	"american", "americans", "town", "community", "communities",
	"speaking", "speaker", "speakers", "new",
};

/* Tokens at the ends of a file name that say nothing: "card-es-v2". */
static const char *const noise_words[] = {
	"rev", "final", "print", "printable", "web", "digital", "color",
	"colour", "bw", "letter", "a4", "copy", "draft", "updated",
};

/* Values of a lang attribute that name no language. */
static const char *const no_language[] = {
	"und", "mul", "zxx", "mis",
};

#define Q_TRAD	1
#define Q_SIMP	2

/* Words that say which Chinese script a text means. */
static const struct {
	const char	*word;
	int		 which;
} qualifiers[] = {
	{ "traditional", Q_TRAD }, { "trad", Q_TRAD },
	{ "simplified", Q_SIMP }, { "simp", Q_SIMP },
	{ "繁體", Q_TRAD }, { "繁体", Q_TRAD }, { "正體", Q_TRAD },
	{ "简体", Q_SIMP }, { "簡體", Q_SIMP },
};

/* Deprecated primary subtags and their replacements. */
static const struct {
	const char	*old;
	const char	*new;
} deprecated[] = {
	{ "iw", "he" }, { "in", "id" }, { "ji", "yi" }, { "jw", "jv" },
	{ "mo", "ro" },
};

/*
 * The spellings and codes of langs[] sorted by their first byte: entries
 * first[b] up to first[b + 1] start with byte b.  A text is tried at
 * every word against every spelling; with 10,000 links that must not be
 * a walk through the whole table.
 */
struct entry {
	const char		*s;	/* without a code's '*' */
	size_t			 len;
	const struct langdef	*lang;
	int			 word;	/* a code marked '*' */
};

struct index {
	struct entry	 names[nitems(langs) * NAMES_MAX];
	size_t		 names_first[257];
	struct entry	 codes[nitems(langs) * CODES_MAX];
	size_t		 codes_first[257];
};

static struct index	 idx;
static pthread_once_t	 idx_once = PTHREAD_ONCE_INIT;

/* A run of bytes inside a longer string. */
struct span {
	const char	*s;
	size_t		 n;
};

static int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* What a space in a spelling matches, one or more times. */
static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' ||
	    c == '_' || c == '+';
}

/* Length of the UTF-8 sequence starting with c; 1 for stray bytes. */
static size_t
utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* ASCII case-insensitive comparison of a span with a NUL-ended word. */
static int
span_is(const char *s, size_t n, const char *word)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' || ascii_tolower(s[i]) != ascii_tolower(word[i]))
			return 0;
	return word[n] == '\0';
}

static int
span_in(const char *s, size_t n, const char *const *list, size_t nlist)
{
	size_t	i;

	for (i = 0; i < nlist; i++)
		if (span_is(s, n, list[i]))
			return 1;
	return 0;
}

/* The lower-case form of a code point, for the scripts names use. */
static unsigned long
fold_cp(unsigned long cp)
{
	if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) ||	/* Latin-1 */
	    (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2) ||	/* Greek */
	    (cp >= 0x410 && cp <= 0x42f))			/* Cyrillic */
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 0x50;
	if (cp >= 0x531 && cp <= 0x556)				/* Armenian */
		return cp + 0x30;
	if (((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14a && cp <= 0x177) ||
	    (cp >= 0x1ea0 && cp <= 0x1ef9)) && cp % 2 == 0)	/* Latin A, */
		return cp + 1;					/* Vietnamese */
	if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e)) &&
	    cp % 2 == 1)
		return cp + 1;
	return cp;
}

/*
 * Folds up to FOLD_MAX bytes of s into out (which holds FOLD_MAX + 1):
 * letters lower-cased in the scripts language names are written in, a
 * no-break space made a space, a typographic apostrophe a plain one.
 * The cut falls between characters.  Returns the length written.
 */
static size_t
fold(const char *s, size_t n, char *out)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned long		 cp;
	size_t			 i = 0, o = 0, len;

	while (i < n) {
		len = utf8_len(u[i]);
		if (i + len > n || o + len > FOLD_MAX)
			break;
		if (len == 2 && (u[i + 1] & 0xc0) == 0x80) {
			cp = ((unsigned long)(u[i] & 0x1f) << 6) |
			    (u[i + 1] & 0x3f);
			if (cp == 0xa0) {
				out[o++] = ' ';
				i += 2;
				continue;
			}
			cp = fold_cp(cp);
			out[o++] = (char)(0xc0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3f));
		} else if (len == 3 && (u[i + 1] & 0xc0) == 0x80 &&
		    (u[i + 2] & 0xc0) == 0x80) {
			cp = ((unsigned long)(u[i] & 0x0f) << 12) |
			    ((unsigned long)(u[i + 1] & 0x3f) << 6) |
			    (u[i + 2] & 0x3f);
			if (cp == 0x2019) {
				out[o++] = '\'';
				i += 3;
				continue;
			}
			cp = fold_cp(cp);
			out[o++] = (char)(0xe0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (cp & 0x3f));
		} else if (len == 1) {
			out[o++] = ascii_tolower(s[i]);
		} else {
			memcpy(out + o, s + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
	return o;
}

/*
 * Length of the folded text t[pos..n) matched by the spelling a[0..alen),
 * or 0.  A spelling that starts or ends with an ASCII letter or digit
 * matches whole words only.
 */
static size_t
match_word(const char *t, size_t n, size_t pos, const char *a, size_t alen)
{
	size_t	i = pos, j;

	if (alen == 0 || (is_alnum(a[0]) && pos > 0 && is_alnum(t[pos - 1])))
		return 0;
	for (j = 0; j < alen; j++) {
		if (a[j] == ' ') {
			if (i >= n || !is_blank(t[i]))
				return 0;
			while (i < n && is_blank(t[i]))
				i++;
		} else if (i >= n || t[i] != a[j])
			return 0;
		else
			i++;
	}
	if (is_alnum(a[alen - 1]) && i < n && is_alnum(t[i]))
		return 0;
	return i - pos;
}

/* Sorts n entries of e by first byte (a counting sort), filling first. */
static void
index_sort(struct entry *e, size_t n, size_t *first)
{
	struct entry	tmp[nitems(langs) * NAMES_MAX];
	size_t		at[256], i, b;

	memset(first, 0, 257 * sizeof *first);
	for (i = 0; i < n; i++)
		first[(unsigned char)e[i].s[0] + 1]++;
	for (b = 1; b <= 256; b++)
		first[b] += first[b - 1];
	memcpy(at, first, sizeof at);
	for (i = 0; i < n; i++)
		tmp[at[(unsigned char)e[i].s[0]]++] = e[i];
	memcpy(e, tmp, n * sizeof *e);
}

static void
index_build(void)
{
	const char	*s;
	size_t		 i, j, nnames = 0, ncodes = 0;

	for (i = 0; i < nitems(langs); i++) {
		for (j = 0; j < NAMES_MAX && (s = langs[i].names[j]); j++) {
			idx.names[nnames].s = s;
			idx.names[nnames].len = strlen(s);
			idx.names[nnames].lang = &langs[i];
			nnames++;
		}
		for (j = 0; j < CODES_MAX && (s = langs[i].codes[j]); j++) {
			idx.codes[ncodes].word = *s == '*';
			s += *s == '*';
			idx.codes[ncodes].s = s;
			idx.codes[ncodes].len = strlen(s);
			idx.codes[ncodes].lang = &langs[i];
			ncodes++;
		}
	}
	index_sort(idx.names, nnames, idx.names_first);
	index_sort(idx.codes, ncodes, idx.codes_first);
}

/* The language with the longest spelling at t[pos], and its length. */
static const struct langdef *
name_at(const char *t, size_t n, size_t pos, size_t *len)
{
	const struct langdef	*best = NULL;
	const struct entry	*e;
	unsigned char		 c = (unsigned char)t[pos];
	size_t			 k, m, bestlen = 0;

	pthread_once(&idx_once, index_build);
	for (k = idx.names_first[c]; k < idx.names_first[c + 1]; k++) {
		e = &idx.names[k];
		m = match_word(t, n, pos, e->s, e->len);
		if (m > bestlen) {
			best = e->lang;
			bestlen = m;
		}
	}
	*len = bestlen;
	return best;
}

static int
qualifier_at(const char *t, size_t n, size_t pos, size_t *len)
{
	size_t	i, m;

	for (i = 0; i < nitems(qualifiers); i++) {
		m = match_word(t, n, pos, qualifiers[i].word,
		    strlen(qualifiers[i].word));
		if (m > 0) {
			*len = m;
			return qualifiers[i].which;
		}
	}
	return 0;
}

/*
 * The script words before "Chinese" at pos: "Traditional Chinese",
 * "Traditional and Simplified Chinese".
 */
static int
qualify_before(const char *t, size_t pos)
{
	size_t	j = pos, k, len;
	int	q = 0, words = 0, which;

	while (words++ < 4) {
		while (j > 0 && !is_alnum(t[j - 1]) &&
		    (unsigned char)t[j - 1] < 0x80 && t[j - 1] != '(' &&
		    t[j - 1] != ')')
			j--;
		for (k = j; k > 0 && is_alnum(t[k - 1]); k--)
			;
		if (k == j)
			break;
		if ((which = qualifier_at(t, j, k, &len)) != 0 && k + len == j)
			q |= which;
		else if (!span_is(t + k, j - k, "and") &&
		    !span_is(t + k, j - k, "or"))
			break;
		j = k;
	}
	return q;
}

/*
 * The script words after "Chinese" ending at *end: "Chinese (Traditional
 * and Simplified)", "Chinese - Simplified", "中文（繁體）".  Reads to the
 * end of a bracket, or to a list separator or the next language outside
 * one.  When it found any, *end moves past what was read.
 */
static int
qualify_after(const char *t, size_t n, size_t *end)
{
	size_t	i = *end, last = *end, len;
	int	q = 0, depth = 0, which;

	while (i < n && i - *end < QUALIFY_SPAN) {
		if (t[i] == '(' || strncmp(t + i, "（", 3) == 0) {
			depth++;
			i += t[i] == '(' ? 1 : 3;
			continue;
		}
		if (t[i] == ')' || strncmp(t + i, "）", 3) == 0) {
			if (depth == 0)
				break;
			i += t[i] == ')' ? 1 : 3;
			if (--depth == 0) {
				if (q != 0)
					last = i;
				break;
			}
			continue;
		}
		if (depth == 0 && strchr(",;/|\n", t[i]) != NULL)
			break;
		if ((which = qualifier_at(t, n, i, &len)) != 0) {
			q |= which;
			i += len;
			last = i;
			continue;
		}
		if (depth == 0 && name_at(t, n, i, &len) != NULL)
			break;
		i += utf8_len((unsigned char)t[i]);
	}
	if (q != 0)
		*end = last;
	return q;
}

static const struct langdef *
find_tag(const char *tag)
{
	size_t	i;

	for (i = 0; i < nitems(langs); i++)
		if (strcmp(langs[i].tag, tag) == 0)
			return &langs[i];
	return NULL;
}

/* The next word after t[pos] says the name is no language. */
static int
not_a_language(const char *t, size_t n, size_t pos)
{
	size_t	k;

	while (pos < n && is_blank(t[pos]))
		pos++;
	for (k = pos; k < n && is_alnum(t[k]); k++)
		;
	return k > pos && span_in(t + pos, k - pos, not_language,
	    nitems(not_language));
}

static size_t
primary_len(const char *tag)
{
	return strcspn(tag, "-");
}

/* One language, whatever its script or region; Tagalog is Filipino. */
static int
same_language(const char *a, const char *b)
{
	size_t	na = primary_len(a), nb = primary_len(b);

	if (na == nb && strncmp(a, b, na) == 0)
		return 1;
	return (span_is(a, na, "tl") || span_is(a, na, "fil")) &&
	    (span_is(b, nb, "tl") || span_is(b, nb, "fil"));
}

/*
 * The language a folded text names, by the rule in lang.h, or NULL.
 */
static const struct langdef *
named_in(const char *t, size_t n)
{
	const struct langdef	*named[NAMED_MAX], *d;
	char			 primary[LANG_TAG_MAX];
	size_t			 nnamed = 0, pos = 0, len, end, i, k;
	int			 q, distinct = 1, same = 1;

	while (pos < n && nnamed < NAMED_MAX) {
		if ((unsigned char)t[pos] < 0x80 && is_alnum(t[pos]) &&
		    pos > 0 && is_alnum(t[pos - 1])) {
			pos++;
			continue;
		}
		if ((d = name_at(t, n, pos, &len)) == NULL) {
			pos += utf8_len((unsigned char)t[pos]);
			continue;
		}
		end = pos + len;
		if (strcmp(d->tag, "zh") == 0) {
			q = qualify_before(t, pos) | qualify_after(t, n, &end);
			if (q == Q_TRAD)
				d = find_tag("zh-Hant");
			else if (q == Q_SIMP)
				d = find_tag("zh-Hans");
		}
		if (!not_a_language(t, n, end)) {
			for (i = 0; i < nnamed && named[i] != d; i++)
				;
			if (i == nnamed)
				named[nnamed++] = d;
		}
		pos = end;
	}
	if (nnamed == 0)
		return NULL;
	for (i = 1; i < nnamed; i++) {
		if (named[i] != named[0])
			same = 0;
		for (k = 0; k < i && !same_language(named[k]->tag,
		    named[i]->tag); k++)
			;
		if (k == i)
			distinct++;
	}
	if (same)
		return named[0];
	if (distinct == 1) {
		len = primary_len(named[0]->tag);
		memcpy(primary, named[0]->tag, len);
		primary[len] = '\0';
		return (d = find_tag(primary)) != NULL ? d : named[0];
	}
	return distinct == 2 ? named[0] : NULL;
}

static const struct langdef *
named_in_text(const char *s, size_t n)
{
	char	t[FOLD_MAX + 1];

	return named_in(t, fold(s, n, t));
}

/*
 * Normalisation.  norm() checks and rewrites s[0..n) into out[outlen];
 * it sets no error message, so detection can try spans freely.
 */

enum part {
	P_START, P_LANGUAGE, P_EXTLANG, P_SCRIPT, P_REGION, P_VARIANT,
	P_SINGLETON, P_EXTENSION, P_PRIVATE
};

/* The two-letter code of a three-letter one ferry knows: "spa" -> "es". */
static const char *
short_code(const char *code)
{
	const char	*c;
	size_t		 i, j;

	for (i = 0; i < nitems(langs); i++) {
		if (strlen(langs[i].tag) != 2)
			continue;
		for (j = 0; (c = langs[i].codes[j]) != NULL; j++) {
			if (*c == '*')
				c++;
			if (strlen(c) == 3 && strcmp(c, code) == 0)
				return langs[i].tag;
		}
	}
	return NULL;
}

static int
norm(const char *s, size_t n, char *out, size_t outlen)
{
	char		 buf[LANG_TAG_MAX], sub[9];
	const char	*p, *end, *rep;
	enum part	 part = P_START;
	size_t		 o = 0, len, i, nextlang = 0;
	int		 alpha, digits;

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, n--;
	while (n > 0 && strchr(" \t\n\r", s[n - 1]) != NULL)
		n--;
	if (n == 0 || n >= LANG_TAG_MAX)
		return FERRY_ERROR;
	for (p = s; p <= s + n; p = end + 1) {
		for (end = p; end < s + n && *end != '-' && *end != '_'; end++)
			;
		len = (size_t)(end - p);
		if (len < 1 || len > 8)
			return FERRY_ERROR;
		alpha = digits = 1;
		for (i = 0; i < len; i++) {
			if (!is_alnum(p[i]))
				return FERRY_ERROR;
			alpha &= ascii_isalpha(p[i]);
			digits &= ascii_isdigit(p[i]);
			sub[i] = ascii_tolower(p[i]);
		}
		sub[len] = '\0';
		if (part == P_START) {
			if (len == 1 && sub[0] == 'x')
				part = P_PRIVATE;
			else if (alpha && (len == 2 || len == 3)) {
				part = P_LANGUAGE;
				for (i = 0; i < nitems(deprecated); i++)
					if (strcmp(sub, deprecated[i].old) == 0)
						strcpy(sub, deprecated[i].new);
				if (len == 3 && (rep = short_code(sub)) != NULL)
					strcpy(sub, rep);
			} else
				return FERRY_ERROR;
		} else if (part == P_PRIVATE)
			;
		else if (len == 1) {
			if (part == P_SINGLETON)
				return FERRY_ERROR;
			part = sub[0] == 'x' ? P_PRIVATE : P_SINGLETON;
		} else if (part == P_SINGLETON || part == P_EXTENSION)
			part = P_EXTENSION;
		else if (len == 3 && alpha && part <= P_EXTLANG &&
		    nextlang++ < 3)
			part = P_EXTLANG;
		else if (len == 4 && alpha && part <= P_EXTLANG) {
			part = P_SCRIPT;
			sub[0] = ascii_toupper(sub[0]);
		} else if (((len == 2 && alpha) || (len == 3 && digits)) &&
		    part <= P_SCRIPT) {
			part = P_REGION;
			sub[0] = ascii_toupper(sub[0]);
			sub[1] = ascii_toupper(sub[1]);
		} else if ((len >= 5 || (len == 4 && ascii_isdigit(sub[0]))) &&
		    part <= P_VARIANT)
			part = P_VARIANT;
		else
			return FERRY_ERROR;
		len = strlen(sub);
		if (o + len + 1 >= sizeof buf)
			return FERRY_ERROR;
		if (o > 0)
			buf[o++] = '-';
		memcpy(buf + o, sub, len);
		o += len;
		if (end == s + n)
			break;
	}
	if (part == P_SINGLETON || (part == P_PRIVATE && o == 1))
		return FERRY_ERROR;
	buf[o] = '\0';
	if (o >= outlen)
		return FERRY_ETOOBIG;
	memcpy(out, buf, o + 1);
	return 0;
}

int
lang_normalize(const char *tag, char *out, size_t outlen)
{
	int	rc;

	if (outlen > 0)
		out[0] = '\0';
	if (tag == NULL)
		return err_set("invalid language tag ''");
	rc = norm(tag, strlen(tag), out, outlen);
	if (rc == FERRY_ETOOBIG)
		return err_code(rc, "language tag '%s' does not fit in %zu "
		    "bytes", tag, outlen);
	if (rc != 0)
		return err_set("invalid language tag '%s' (use a BCP 47 tag, "
		    "like es, ko or zh-Hant)", tag);
	return 0;
}

/* A normalised tag that names a language (not "und", not "x-..."). */
static int
names_language(const char *tag)
{
	return !(tag[0] == 'x' && tag[1] == '-') &&
	    !span_in(tag, primary_len(tag), no_language, nitems(no_language));
}

/*
 * Names and direction.
 */

/* The entry for a normalised tag, falling back to shorter forms. */
static const struct langdef *
langdef_for(const char *tag)
{
	const struct langdef	*d;
	char			 t[LANG_TAG_MAX];
	char			*dash;

	if (norm(tag, strlen(tag), t, sizeof t) != 0)
		return NULL;
	if (strncmp(t, "zh-", 3) == 0 && strlen(t) == 5) {
		if (span_in(t + 3, 2, (const char *[]){ "TW", "HK", "MO" }, 3))
			return find_tag("zh-Hant");
		if (span_in(t + 3, 2, (const char *[]){ "CN", "SG", "MY" }, 3))
			return find_tag("zh-Hans");
	}
	for (;;) {
		if ((d = find_tag(t)) != NULL)
			return d;
		if ((dash = strrchr(t, '-')) == NULL)
			return NULL;
		*dash = '\0';
	}
}

const char *
lang_name(const char *tag)
{
	const struct langdef	*d;

	if (tag == NULL || (d = langdef_for(tag)) == NULL)
		return NULL;
	return d->name;
}

const char *
lang_native(const char *tag)
{
	const struct langdef	*d;

	if (tag == NULL || (d = langdef_for(tag)) == NULL)
		return NULL;
	return d->native;
}

int
lang_is_rtl(const char *tag)
{
	char		 t[LANG_TAG_MAX];
	const char	*sub;
	size_t		 n;

	if (tag == NULL || norm(tag, strlen(tag), t, sizeof t) != 0 ||
	    !names_language(t))
		return 0;
	n = primary_len(t);
	for (sub = t + n; *sub == '-'; sub += 1 + strcspn(sub + 1, "-")) {
		if (strcspn(sub + 1, "-") == 4 && ascii_isalpha(sub[1]))
			return span_in(sub + 1, 4, rtl_scripts,
			    nitems(rtl_scripts));
		if (strcspn(sub + 1, "-") != 3)	/* past any extlang */
			break;
	}
	return span_in(t, n, rtl_langs, nitems(rtl_langs));
}

/*
 * Evidence.  Each from_*() writes a normalised tag into tag (which holds
 * LANG_TAG_MAX) and returns 1, or returns 0 when it has nothing to say.
 */

static int
put_tag(const char *s, char *tag)
{
	return norm(s, strlen(s), tag, LANG_TAG_MAX) == 0 &&
	    names_language(tag);
}

static int
from_own(const char *own, char *tag)
{
	const struct langdef	*d;

	if (own == NULL || *own == '\0')
		return 0;
	if (norm(own, strlen(own), tag, LANG_TAG_MAX) == 0)
		return names_language(tag);
	if ((d = named_in_text(own, strlen(own))) == NULL)
		return 0;
	return put_tag(d->tag, tag);
}

static int
from_text(const char *text, char *tag)
{
	const struct langdef	*d;

	if (text == NULL || (d = named_in_text(text, strlen(text))) == NULL)
		return 0;
	return put_tag(d->tag, tag);
}

/* The language whose file-name code is s[0..n); *word for '*' codes. */
static const struct langdef *
code_find(const char *s, size_t n, int *word)
{
	const struct entry	*e;
	unsigned char		 c;
	size_t			 k;

	if (n == 0)
		return NULL;
	pthread_once(&idx_once, index_build);
	c = (unsigned char)ascii_tolower(s[0]);
	for (k = idx.codes_first[c]; k < idx.codes_first[c + 1]; k++) {
		e = &idx.codes[k];
		if (e->len == n && span_is(s, n, e->s)) {
			*word = e->word;
			return e->lang;
		}
	}
	return NULL;
}

/*
 * The tag spelled by k tokens: a code, a code and a script or region, or
 * a code, a script and a region.  A code that is also a word counts only
 * when allow_word is set.
 */
static int
locale(const struct span *tok, size_t k, int allow_word, char *tag)
{
	const struct langdef	*d;
	char			 s[LANG_TAG_MAX];
	size_t			 i, o;
	int			 word;

	if ((d = code_find(tok[0].s, tok[0].n, &word)) == NULL ||
	    (word && !allow_word))
		return 0;
	if (k >= 2) {
		if (span_in(tok[1].s, tok[1].n, name_scripts,
		    nitems(name_scripts))) {
			if (strchr(d->tag, '-') != NULL)
				return 0;
		} else if (k != 2 || !span_in(tok[1].s, tok[1].n,
		    name_regions, nitems(name_regions)))
			return 0;
		if (k == 3 && !span_in(tok[2].s, tok[2].n, name_regions,
		    nitems(name_regions)))
			return 0;
	}
	o = strlen(d->tag);
	memcpy(s, d->tag, o);
	for (i = 1; i < k; i++) {
		if (o + 1 + tok[i].n >= sizeof s)
			return 0;
		s[o++] = '-';
		memcpy(s + o, tok[i].s, tok[i].n);
		o += tok[i].n;
	}
	s[o] = '\0';
	return put_tag(s, tag);
}

/* Splits s[0..n) at every ASCII byte that is no letter or digit. */
static size_t
tokenize(const char *s, size_t n, struct span *tok, size_t max)
{
	size_t	i = 0, start, ntok = 0;

	while (i < n && ntok < max) {
		while (i < n && (unsigned char)s[i] < 0x80 && !is_alnum(s[i]))
			i++;
		start = i;
		while (i < n && ((unsigned char)s[i] >= 0x80 || is_alnum(s[i])))
			i++;
		if (i > start) {
			tok[ntok].s = s + start;
			tok[ntok].n = i - start;
			ntok++;
		}
	}
	return ntok;
}

/* "2025", "v2", "final": words at the ends of a file name to skip. */
static int
is_noise(const struct span *t)
{
	size_t	i;

	for (i = t->s[0] == 'v' || t->s[0] == 'V'; i < t->n; i++)
		if (!ascii_isdigit(t->s[i]))
			break;
	if (i == t->n && t->n > (size_t)(t->s[0] == 'v' || t->s[0] == 'V'))
		return 1;
	return span_in(t->s, t->n, noise_words, nitems(noise_words));
}

static int
from_names(const char *s, size_t n, char *tag)
{
	const struct langdef	*d;

	if ((d = named_in_text(s, n)) == NULL)
		return 0;
	return put_tag(d->tag, tag);
}

/* A file name without its extension. */
static int
from_file(const char *s, size_t n, char *tag)
{
	struct span	tok[TOKENS_MAX];
	size_t		lo = 0, hi, k;

	hi = tokenize(s, n, tok, TOKENS_MAX);
	while (hi > lo && is_noise(&tok[hi - 1]))
		hi--;
	while (lo < hi && is_noise(&tok[lo]))
		lo++;
	if (hi == lo)
		return 0;
	if (hi - lo <= 3 && locale(tok + lo, hi - lo, 1, tag))
		return 1;
	for (k = 3; k >= 1; k--)
		if (hi - lo > k && locale(tok + hi - k, k, 0, tag))
			return 1;
	if (from_names(s, n, tag))
		return 1;
	for (k = 3; k >= 1; k--)
		if (hi - lo > k && locale(tok + lo, k, 0, tag))
			return 1;
	return 0;
}

/* A directory: a code or locale as its whole name, or a language name. */
static int
from_dir(const char *s, size_t n, char *tag)
{
	struct span	tok[TOKENS_MAX];
	size_t		ntok;

	ntok = tokenize(s, n, tok, TOKENS_MAX);
	if (ntok >= 1 && ntok <= 3 && locale(tok, ntok, ntok > 1, tag))
		return 1;
	return from_names(s, n, tag);
}

/* lang=, language=, locale=, hl=, lng= in a query, as a known language. */
static int
from_query(const char *q, char *tag)
{
	static const char *const keys[] = {
		"lang", "language", "locale", "hl", "lng",
	};
	const char	*eq, *end;

	for (; *q != '\0' && *q != '#';
	    q = *end == '&' || *end == ';' ? end + 1 : end) {
		end = q + strcspn(q, "&;#");
		eq = memchr(q, '=', (size_t)(end - q));
		if (eq == NULL || !span_in(q, (size_t)(eq - q), keys,
		    nitems(keys)))
			continue;
		if (norm(eq + 1, (size_t)(end - eq - 1), tag,
		    LANG_TAG_MAX) == 0 && names_language(tag) &&
		    langdef_for(tag) != NULL)
			return 1;
	}
	return 0;
}

static int
from_url(const char *url, char *tag)
{
	char		 path[FOLD_MAX + 1];
	struct span	 seg[SEGMENTS_MAX];
	const char	*p, *s, *end, *dot;
	size_t		 n = 0, nseg = 0, i, skip = 0;
	int		 hi, lo;

	if (url == NULL || *url == '\0')
		return 0;
	p = url;
	s = strstr(p, "://");
	if (s != NULL && s < p + strcspn(p, "/?#")) {
		p = s + 3;
		p += strcspn(p, "/?#");
	} else if (strncmp(p, "site/", 5) == 0)
		skip = 2;
	end = p + strcspn(p, "?#");
	if (*end == '?' && from_query(end + 1, tag))
		return 1;
	for (; p < end && n < FOLD_MAX; p++) {
		if (*p == '%' && end - p >= 3 && (hi = ascii_hexval(p[1])) >= 0 &&
		    (lo = ascii_hexval(p[2])) >= 0) {
			path[n++] = (char)(hi << 4 | lo);
			p += 2;
		} else
			path[n++] = *p;
	}
	path[n] = '\0';
	for (p = path; p < path + n && nseg < SEGMENTS_MAX; p = s + 1) {
		s = p + strcspn(p, "/");
		if (s > p) {
			seg[nseg].s = p;
			seg[nseg].n = (size_t)(s - p);
			nseg++;
		}
		if (*s == '\0')
			break;
	}
	if (nseg <= skip)
		return 0;
	if (n > 0 && path[n - 1] != '/') {
		nseg--;
		s = seg[nseg].s;
		i = seg[nseg].n;
		dot = NULL;
		for (p = s; p < s + i; p++)
			if (*p == '.')
				dot = p;
		if (dot != NULL && dot > s && s + i - dot - 1 >= 1 &&
		    s + i - dot - 1 <= 5) {
			for (p = dot + 1; p < s + i && is_alnum(*p); p++)
				;
			if (p == s + i)
				i = (size_t)(dot - s);
		}
		if (nseg >= skip && from_file(s, i, tag))
			return 1;
	}
	while (nseg > skip) {
		nseg--;
		if (from_dir(seg[nseg].s, seg[nseg].n, tag))
			return 1;
	}
	return 0;
}

/* Two tags, one a prefix of the other at a subtag boundary. */
static int
related(const char *a, const char *b)
{
	size_t	na = strlen(a), nb = strlen(b), n;

	n = na < nb ? na : nb;
	if (strncmp(a, b, n) != 0)
		return 0;
	return na == nb || (na > nb ? a[n] : b[n]) == '-';
}

static int
from_inherited(const char *inherited, const char *doclang, char *tag)
{
	char	doc[LANG_TAG_MAX];

	if (inherited == NULL || norm(inherited, strlen(inherited), tag,
	    LANG_TAG_MAX) != 0 || !names_language(tag))
		return 0;
	if (doclang != NULL && norm(doclang, strlen(doclang), doc,
	    sizeof doc) == 0 && related(tag, doc))
		return 0;
	return 1;
}

int
lang_detect(const char *own, const char *text, const char *url,
    const char *inherited, const char *doclang, char *out, size_t outlen)
{
	char	tag[LANG_TAG_MAX];
	size_t	n;

	if (!from_own(own, tag) && !from_text(text, tag) &&
	    !from_url(url, tag) && !from_inherited(inherited, doclang, tag))
		tag[0] = '\0';
	n = strlen(tag);
	if (n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return err_code(FERRY_ETOOBIG, "language tag '%s' does not "
		    "fit in %zu bytes", tag, outlen);
	}
	memcpy(out, tag, n + 1);
	return 0;
}
