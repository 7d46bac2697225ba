/*
 * test_lang.c -- unit tests for lang.c.
 *
 * Tables of real link texts and file names from the Los Angeles
 * immigration resources page (the seed page) and the test site, the
 * spellings pages use for language names, false positives that must stay
 * unknown ("resources.pdf" holds no "es"), and rows of normalisation,
 * names and writing direction.  Every failing row prints its input, the
 * expected and the actual value.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "lang.h"

#include "unit.h"

/*
 * lang_detect: one piece of evidence per row unless the row is about
 * their order.  want "" means unknown.
 */
struct detect_row {
	const char	*own;
	const char	*text;
	const char	*url;
	const char	*inherited;
	const char	*doclang;
	const char	*want;
};

#define TEXT(t, w)	{ NULL, t, NULL, NULL, NULL, w }
#define URL(u, w)	{ NULL, NULL, u, NULL, NULL, w }

/* Link texts and image alt texts of the seed page, as they are. */
static const struct detect_row seed_text_rows[] = {
	TEXT("\"Know Your Rights Presentations\" for the Community - English",
	    "en"),
	TEXT("¡Conozca sus derechos! Presentation - Spanish", "es"),
	TEXT("Conozca sus derechos Presentation - Spanish image", "es"),
	TEXT("Know Your Rights Presentation for the Community - English "
	    "image", "en"),
	TEXT("\"Know Your Rights Presentation\" for the Community - English",
	    "en"),
	TEXT("Know Your Rights for Nonprofit and Small Businesses - English",
	    "en"),
	TEXT("Spanish Version of Public Counsel’s training on nonprofit and "
	    "business owners’ rights", "es"),
	TEXT("Spanish version of \"Know Your Rights Presentation\" for the "
	    "Community", "es"),
	TEXT("Webinar on How to Hold a \"Know Your Rights\" Presentation - "
	    "English", "en"),
	/* Spanish words, but no language named: the page's lang decides */
	TEXT("Organizaciones sin fines de lucro y pequeñas empresas: "
	    "¡Conozca sus derechos! Interacciones con las autoridades de "
	    "inmigración", ""),
	TEXT("Conozca sus Derechos de Inmigracion y Entrenamiento a "
	    "Defensores Comunitarios", ""),
	/* the language list of the Red Cards block, item by item */
	TEXT("Spanish", "es"),
	TEXT("Korean", "ko"),
	TEXT("Chinese (Traditional and Simplified)", "zh"),
	TEXT("Armenian", "hy"),
	TEXT("Tagalog/Filipino", "tl"),
	TEXT("Farsi/Persian", "fa"),
	TEXT("AND Russian", "ru"),
	TEXT("Vietnamese", "vi"),
	TEXT("Hindi", "hi"),
	TEXT("Japanese", "ja"),
	TEXT("Thai", "th"),
	TEXT("Khmer/Cambodian", "km"),
	TEXT("Amharic", "am"),
	TEXT("Punjabi", "pa"),
	TEXT("Urdu", "ur"),
	TEXT("Hebrew (more languages to come)", "he"),
	/* the whole list names many: a multilingual resource */
	TEXT("Available in digital: Spanish, Korean, Chinese (Traditional and "
	    "Simplified), Armenian, Tagalog/Filipino, Farsi/Persian, AND "
	    "Russian, Vietnamese, Hindi, Japanese, Thai, Khmer/Cambodian, "
	    "Amharic, Punjabi, Urdu, Hebrew (more languages to come).", ""),
	/* link texts naming no language */
	TEXT("Red Cards", ""),
	TEXT("Hotlines", ""),
	TEXT("Know Your Rights", ""),
	TEXT("Know Your Rights Webpage", ""),
	TEXT("Know Your Rights: Expedited Removal Expansion", ""),
	TEXT("Know Your Rights Immigrants’ Rights and Resources", ""),
	TEXT("FAQs on Nonprofit and Small Business Rights with Respect to "
	    "Immigration Enforcement (ICE)", ""),
	TEXT("Guide for Employers", ""),
	TEXT("Toolkit to Hold a \"Know Your Rights\" Presentation", ""),
	TEXT("Family Preparedness Toolkit", ""),
	TEXT("Report Immigration Fraud", ""),
	TEXT("ICE Locator Tool", ""),
	TEXT("Immigrant Court Information Tool", ""),
	TEXT("USCIS Case Status Tool", ""),
	TEXT("Financial Handbook for Families Facing Detention & "
	    "Deportation", ""),
	TEXT("What to do if You are Arrested or Detained by Immigration", ""),
	TEXT("Informational Resource Guide for Immigrant Students and "
	    "Families", ""),
	TEXT("Image of Laptop showing- We are One; Estamos Unidos Webpage",
	    ""),
	TEXT("LAUSD Campuses as Safe Zones and Resource Centers Reference "
	    "Guide", ""),
	TEXT("CA Attorney General: Promoting a Safe and Secure Learning "
	    "Environment for All", ""),
	TEXT("Immigrant Relations + Services", ""),
	TEXT("Supporting Students And Families Toolkit", ""),
	TEXT("CSU The California State University Legal Support Services", ""),
	TEXT("Printable Red Cards", ""),
	TEXT("New Americans Initiative", ""),
	TEXT("Ready for Citizenship Checklist", ""),
	TEXT("FamilySource Centers", ""),
	TEXT("Read the full Executive Directive here.", ""),
	TEXT("Press Release", ""),
};

/* The test site's red cards: "native (English)" and the file name. */
static const struct detect_row card_rows[] = {
	TEXT("Español (Spanish)", "es"),
	TEXT("한국어 (Korean)", "ko"),
	TEXT("繁體中文 (Chinese Traditional)", "zh-Hant"),
	TEXT("简体中文 (Chinese Simplified)", "zh-Hans"),
	TEXT("Հայերեն (Armenian)", "hy"),
	TEXT("Tagalog/Filipino", "tl"),
	TEXT("فارسی (Farsi/Persian)", "fa"),
	TEXT("Русский (Russian)", "ru"),
	TEXT("Tiếng Việt (Vietnamese)", "vi"),
	TEXT("हिन्दी (Hindi)", "hi"),
	TEXT("日本語 (Japanese)", "ja"),
	TEXT("ไทย (Thai)", "th"),
	TEXT("ភាសាខ្មែរ (Khmer/Cambodian)", "km"),
	TEXT("አማርኛ (Amharic)", "am"),
	TEXT("ਪੰਜਾਬੀ (Punjabi)", "pa"),
	TEXT("اردو (Urdu)", "ur"),
	TEXT("עברית (Hebrew)", "he"),
	TEXT("العربية (Arabic)", "ar"),
	TEXT("English", "en"),
	TEXT("Français (French)", "fr"),
	TEXT("Soomaali (Somali)", "so"),
	TEXT("레드카드 (한국어, 인쇄용)", "ko"),
	URL("http://127.0.0.2:8080/redcards/es.pdf", "es"),
	URL("http://127.0.0.2:8080/redcards/ko.pdf", "ko"),
	URL("http://127.0.0.2:8080/redcards/zh-hant.pdf", "zh-Hant"),
	URL("http://127.0.0.2:8080/redcards/zh-hans.pdf", "zh-Hans"),
	URL("http://127.0.0.2:8080/redcards/hy.pdf", "hy"),
	URL("http://127.0.0.2:8080/redcards/tl.pdf", "tl"),
	URL("http://127.0.0.2:8080/redcards/fa.pdf", "fa"),
	URL("http://127.0.0.2:8080/redcards/ru.pdf", "ru"),
	URL("http://127.0.0.2:8080/redcards/vi.pdf", "vi"),
	URL("http://127.0.0.2:8080/redcards/hi.pdf", "hi"),
	URL("http://127.0.0.2:8080/redcards/ja.pdf", "ja"),
	URL("http://127.0.0.2:8080/redcards/th.pdf", "th"),
	URL("http://127.0.0.2:8080/redcards/km.pdf", "km"),
	URL("http://127.0.0.2:8080/redcards/am.pdf", "am"),
	URL("http://127.0.0.2:8080/redcards/pa.pdf", "pa"),
	URL("http://127.0.0.2:8080/redcards/ur.pdf", "ur"),
	URL("http://127.0.0.2:8080/redcards/he.pdf", "he"),
	URL("http://127.0.0.2:8080/redcards/ar.pdf", "ar"),
	URL("http://127.0.0.2:8080/redcards/en.pdf", "en"),
	URL("http://127.0.0.2:8080/redcards/fr.pdf", "fr"),
	URL("http://127.0.0.2:8080/redcards/so.pdf", "so"),
	URL("http://127.0.0.2:8080/redcards/"
	    "%EB%A0%88%EB%93%9C%EC%B9%B4%EB%93%9C-"
	    "%ED%95%9C%EA%B5%AD%EC%96%B4.pdf", "ko"),
	URL("site/127.0.0.2_8080/redcards/레드카드-한국어.pdf", "ko"),
	URL("site/127.0.0.2_8080/redcards/zh-hant.pdf", "zh-Hant"),
	URL("site/127.0.0.1_8080/toolkits/family-preparedness-es.pdf", "es"),
	URL("http://127.0.0.1:8080/toolkits/family-preparedness.pdf", ""),
};

/* Spellings of names, and texts naming several. */
static const struct detect_row name_rows[] = {
	TEXT("ESPAÑOL", "es"),
	TEXT("español", "es"),
	TEXT("en Espanol", "es"),
	TEXT("Guía en inglés", "en"),
	TEXT("TIẾNG VIỆT", "vi"),
	TEXT("РУССКИЙ", "ru"),
	TEXT("ՀԱՅԵՐԵՆ", "hy"),
	TEXT("Farsi", "fa"),
	TEXT("Persian", "fa"),
	TEXT("Cambodian", "km"),
	TEXT("Filipino", "tl"),
	TEXT("Filipino/Tagalog", "tl"),
	TEXT("Haitian Creole", "ht"),
	TEXT("Haitian-Creole", "ht"),
	TEXT("Kreyòl Ayisyen", "ht"),
	TEXT("Af-Soomaali", "so"),
	TEXT("Dari", "prs"),
	TEXT("Pashto", "ps"),
	TEXT("Hmong", "hmn"),
	TEXT("Mixteco", "mix"),
	TEXT("Cantonese", "yue"),
	TEXT("Ukrainian", "uk"),
	TEXT("Português", "pt"),
	TEXT("Arabic", "ar"),
	TEXT("Somali", "so"),
	TEXT("American Sign Language (ASL)", "ase"),
	/* Chinese and its scripts */
	TEXT("Chinese", "zh"),
	TEXT("中文", "zh"),
	TEXT("Chinese (Traditional)", "zh-Hant"),
	TEXT("Chinese (Simplified)", "zh-Hans"),
	TEXT("Chinese Traditional", "zh-Hant"),
	TEXT("Chinese - Simplified", "zh-Hans"),
	TEXT("Traditional Chinese", "zh-Hant"),
	TEXT("Simplified Chinese", "zh-Hans"),
	TEXT("Know Your Rights - Chinese (Simplified)", "zh-Hans"),
	TEXT("繁體中文", "zh-Hant"),
	TEXT("繁体中文", "zh-Hant"),
	TEXT("简体中文", "zh-Hans"),
	TEXT("中文（繁體）", "zh-Hant"),
	TEXT("中文(简体)", "zh-Hans"),
	TEXT("Chinese (Simplified & Traditional)", "zh"),
	TEXT("Chinese (Traditional/Simplified)", "zh"),
	TEXT("Traditional and Simplified Chinese", "zh"),
	TEXT("繁體中文 / 简体中文", "zh"),
	TEXT("Chinese (Mandarin)", "zh"),
	/* several languages: the first of two, none of three or more */
	TEXT("English/Spanish", "en"),
	TEXT("Spanish and English", "es"),
	TEXT("Chinese (Traditional), Korean", "zh-Hant"),
	TEXT("English, Spanish, Korean", ""),
	/* names that are no language here, or no name at all */
	TEXT("Korean American Coalition", ""),
	TEXT("Chinese-American Museum", ""),
	TEXT("Thai Town Resource Fair", ""),
	TEXT("Filipino Community Center", ""),
	TEXT("Resources for Spanish-speaking families", ""),
	TEXT("Chinese New Year celebration", ""),
	TEXT("Korean-language version", "ko"),
	TEXT("Little Armenia", ""),
	TEXT("Thailand", ""),
	TEXT("Englishtown", ""),
	TEXT("Traditional healing", ""),
	TEXT("Simplified enrollment", ""),
	TEXT("", ""),
};

/* File names and paths: codes, locales, names; and the traps. */
static const struct detect_row url_rows[] = {
	URL("https://www.lapl.org/files/guide-es.pdf", "es"),
	URL("https://www.lapl.org/files/card_ko.pdf", "ko"),
	URL("https://www.lapl.org/files/Guide_ES.PDF", "es"),
	URL("https://www.lapl.org/files/card-zh-hant.pdf", "zh-Hant"),
	URL("https://www.lapl.org/files/card_zh_TW.pdf", "zh-TW"),
	URL("https://www.lapl.org/files/zh_TW.pdf", "zh-TW"),
	URL("https://www.lapl.org/files/zh-Hant-TW.pdf", "zh-Hant-TW"),
	URL("https://www.lapl.org/files/guide-es-mx.pdf", "es-MX"),
	URL("https://www.lapl.org/files/card-es-v2.pdf", "es"),
	URL("https://www.lapl.org/files/kyr_vi_2025_final.pdf", "vi"),
	URL("https://www.lapl.org/files/es-card.pdf", "es"),
	URL("https://www.lapl.org/files/ES_Tarjeta_Roja.pdf", "es"),
	URL("https://www.lapl.org/files/kyr-spa.pdf", "es"),
	URL("https://www.lapl.org/files/kyr-cht.pdf", "zh-Hant"),
	URL("https://www.lapl.org/files/card-fil.pdf", "fil"),
	URL("https://www.lapl.org/files/spanish.pdf", "es"),
	URL("https://www.lapl.org/files/Red-Card-Korean.pdf", "ko"),
	URL("https://www.lapl.org/files/chinese-traditional.pdf", "zh-Hant"),
	URL("https://www.lapl.org/files/kyr_khmer.pdf", "km"),
	URL("https://www.lapl.org/es/", "es"),
	URL("https://www.lapl.org/es", "es"),
	URL("https://www.lapl.org/es/redcards/card.pdf", "es"),
	URL("https://www.lapl.org/zh-hant/card.pdf", "zh-Hant"),
	URL("https://www.lapl.org/zh_TW/guide.pdf", "zh-TW"),
	URL("https://www.lapl.org/espanol/tarjetas.pdf", "es"),
	URL("https://www.lapl.org/en-espanol/tarjetas.pdf", "es"),
	URL("https://www.lapl.org/redcards?lang=ko", "ko"),
	URL("https://www.lapl.org/redcards?id=7&hl=zh_TW#top", "zh-TW"),
	URL("https://www.lapl.org/files/he.pdf", "he"),
	URL("site/www.lapl.org/files/guide-es.pdf", "es"),
	/* traps: the letters of a code inside a word, or a word */
	URL("https://www.lapl.org/files/resources.pdf", ""),
	URL("https://www.lapl.org/resources/index.html", ""),
	URL("https://www.lapl.org/files/guide-for-employers.pdf", ""),
	URL("https://www.lapl.org/files/guide-for-%65mployers.pdf", ""),
	URL("https://www.lapl.org/files/what-to-do-if-arrested.pdf", ""),
	URL("https://www.lapl.org/files/expedited-removal.pdf", ""),
	URL("https://www.lapl.org/files/faq-nonprofit-small-business.pdf", ""),
	URL("https://www.lapl.org/files/toolkit-know-your-rights.pdf", ""),
	URL("https://www.lapl.org/files/lausd-safe-zones.pdf", ""),
	URL("https://www.lapl.org/files/CON.pdf", ""),
	URL("https://www.lapl.org/files/notice..pdf", ""),
	URL("https://www.lapl.org/files/executive-directive-17.pdf", ""),
	URL("https://www.lapl.org/files/derechos-de-inmigracion.pdf", ""),
	URL("https://www.lapl.org/files/ca-attorney-general.pdf", ""),
	URL("https://www.lapl.org/files/la-county-guide.pdf", ""),
	URL("https://www.lapl.org/files/sd-county-guide.pdf", ""),
	URL("https://www.lapl.org/files/hi-res-flyer.pdf", ""),
	URL("https://www.lapl.org/files/so-you-were-stopped.pdf", ""),
	URL("https://www.lapl.org/files/my-rights-card.pdf", ""),
	URL("https://www.lapl.org/files/things-to-do.pdf", ""),
	URL("https://www.lapl.org/files/press-release.pdf", ""),
	URL("https://www.lapl.org/so/what.pdf", ""),
	URL("https://www.lapl.org/it/help.pdf", ""),
	URL("https://es.wikipedia.org/wiki/Tarjeta", ""),
	URL("https://www.koreanamerican.org/about", ""),
	URL("site/ko/index.html", ""),
	URL("https://www.lapl.org/korean-american-coalition/guide.pdf", ""),
	URL("https://www.lapl.org/", ""),
	URL("https://www.lapl.org", ""),
	URL("https://www.lapl.org/files/card.pdf?lang=xx-!!", ""),
	URL("", ""),
};

/* The link's own attribute, the inherited language, and their order. */
static const struct detect_row order_rows[] = {
	{ "es", NULL, NULL, NULL, NULL, "es" },
	{ "ES", NULL, NULL, NULL, NULL, "es" },
	{ "zh_hant", NULL, NULL, NULL, NULL, "zh-Hant" },
	{ "iw", NULL, NULL, NULL, NULL, "he" },
	{ "Spanish", NULL, NULL, NULL, NULL, "es" },
	{ "es", "English", "/files/guide-ko.pdf", "fr", "en", "es" },
	{ "x-default", "Korean", NULL, NULL, NULL, "ko" },
	{ "und", NULL, "/redcards/ko.pdf", NULL, NULL, "ko" },
	{ "!!", NULL, NULL, "es", "en", "es" },
	{ NULL, "Spanish", "/redcards/ko.pdf", "fr", "en", "es" },
	{ NULL, "Guide for Employers", "/files/card-ko.pdf", "es", "en",
	    "ko" },
	{ NULL, "Guide for Employers", "/files/card.pdf", "es", "en", "es" },
	{ NULL, NULL, NULL, "es", NULL, "es" },
	{ NULL, NULL, NULL, "es", "", "es" },
	{ NULL, NULL, NULL, "en", "en", "" },
	{ NULL, NULL, NULL, "EN", "en", "" },
	{ NULL, NULL, NULL, "en-US", "en", "" },
	{ NULL, NULL, NULL, "en", "en-US", "" },
	{ NULL, NULL, NULL, "es-MX", "en", "es-MX" },
	{ NULL, NULL, NULL, "zh-Hant", "zh-Hans", "zh-Hant" },
	{ NULL, NULL, NULL, "enx", "en", "enx" },
	{ NULL, NULL, NULL, "und", NULL, "" },
	{ NULL, NULL, NULL, "not a tag", NULL, "" },
	{ NULL, NULL, NULL, NULL, "en", "" },
	{ NULL, NULL, NULL, NULL, NULL, "" },
};

static int
detect_rows(const struct detect_row *rows, size_t n)
{
	char	out[LANG_TAG_MAX], input[1024];
	size_t	i;
	int	bad = 0, rc;

	for (i = 0; i < n; i++) {
		snprintf(input, sizeof input, "own=%s, text=%s, url=%s, "
		    "inherited=%s, doclang=%s", S(rows[i].own),
		    S(rows[i].text), S(rows[i].url), S(rows[i].inherited),
		    S(rows[i].doclang));
		memset(out, 'x', sizeof out);
		rc = lang_detect(rows[i].own, rows[i].text, rows[i].url,
		    rows[i].inherited, rows[i].doclang, out, sizeof out);
		if (rc != 0) {
			print_error("lang_detect(%s): returned %d\n", input,
			    rc);
			bad++;
		} else
			bad += row_bad("lang_detect", input, rows[i].want,
			    out);
	}
	return bad;
}

static void
lang_detect_seed_texts(void **state)
{
	assert_int_equal(detect_rows(seed_text_rows, NROWS(seed_text_rows)),
	    0);
}

static void
lang_detect_red_cards(void **state)
{
	assert_int_equal(detect_rows(card_rows, NROWS(card_rows)), 0);
}

static void
lang_detect_names(void **state)
{
	assert_int_equal(detect_rows(name_rows, NROWS(name_rows)), 0);
}

static void
lang_detect_file_names(void **state)
{
	assert_int_equal(detect_rows(url_rows, NROWS(url_rows)), 0);
}

static void
lang_detect_weighs_evidence(void **state)
{
	assert_int_equal(detect_rows(order_rows, NROWS(order_rows)), 0);
}

static void
lang_detect_small_buffer(void **state)
{
	char	out[4];

	memset(out, 'x', sizeof out);
	assert_int_equal(lang_detect("zh-Hant", NULL, NULL, NULL, NULL, out,
	    sizeof out), FERRY_ETOOBIG);
	assert_string_equal(out, "");
	assert_string_equal(err_msg(), "language tag 'zh-Hant' does not fit "
	    "in 4 bytes");
	assert_int_equal(lang_detect(NULL, NULL, NULL, NULL, NULL, out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(lang_detect("ko", NULL, NULL, NULL, NULL, out,
	    sizeof out), 0);
	assert_string_equal(out, "ko");
}

/* lang_normalize: want NULL means FERRY_ERROR */

struct norm_row {
	const char	*tag;
	const char	*want;
};

static const struct norm_row norm_rows[] = {
	{ "es", "es" },
	{ "ES", "es" },
	{ " ko\n", "ko" },
	{ "zh_tw", "zh-TW" },
	{ "zh-hant", "zh-Hant" },
	{ "ZH-HANT-tw", "zh-Hant-TW" },
	{ "zh_Hans_CN", "zh-Hans-CN" },
	{ "en-us", "en-US" },
	{ "es-419", "es-419" },
	{ "sr-latn-rs", "sr-Latn-RS" },
	{ "pa-arab-pk", "pa-Arab-PK" },
	{ "hy-am", "hy-AM" },
	{ "zh-yue-HK", "zh-yue-HK" },
	{ "de-DE-1996", "de-DE-1996" },
	{ "sl-rozaj-biske", "sl-rozaj-biske" },
	{ "en-a-BBB-x-CCC", "en-a-bbb-x-ccc" },
	{ "x-default", "x-default" },
	{ "X-Klingon", "x-klingon" },
	{ "iw", "he" },
	{ "IW-il", "he-IL" },
	{ "in", "id" },
	{ "ji", "yi" },
	{ "jw", "jv" },
	{ "mo", "ro" },
	{ "tl", "tl" },
	{ "fil", "fil" },
	{ "FIL-ph", "fil-PH" },
	{ "spa", "es" },
	{ "eng-US", "en-US" },
	{ "kor", "ko" },
	{ "tgl", "tl" },
	{ "hmn", "hmn" },
	{ "yue", "yue" },
	{ "und", "und" },
	{ "", NULL },
	{ " ", NULL },
	{ "-", NULL },
	{ "es-", NULL },
	{ "-es", NULL },
	{ "es--mx", NULL },
	{ "es mx", NULL },
	{ "es.pdf", NULL },
	{ "e", NULL },
	{ "x", NULL },
	{ "x-", NULL },
	{ "i-klingon", NULL },
	{ "12", NULL },
	{ "spanish", NULL },
	{ "Español", NULL },
	{ "中文", NULL },
	{ "es-MX-Latn", NULL },
	{ "es-US-MX", NULL },
	{ "en-a", NULL },
	{ "en-a-x-y", NULL },
	{ "de-toolongsubtag", NULL },
	{ "zh-cmn-yue-gan-hak", NULL },
	{ "es\x01", NULL },
	/* 65 bytes, more than any tag ferry keeps */
	{ "en-US-aaaaa-bbbbb-ccccc-ddddd-eeeee-fffff-ggggg-hhhhh-iiiii-jjjjj",
	    NULL },
};

static void
lang_normalize_rows(void **state)
{
	char	out[LANG_TAG_MAX];
	size_t	i;
	int	bad = 0, rc;

	for (i = 0; i < NROWS(norm_rows); i++) {
		rc = lang_normalize(norm_rows[i].tag, out, sizeof out);
		if (norm_rows[i].want == NULL && rc != FERRY_ERROR) {
			print_error("lang_normalize('%s'):\n    expected "
			    "FERRY_ERROR\n    actual   %d '%s'\n",
			    norm_rows[i].tag, rc, out);
			bad++;
		} else if (norm_rows[i].want != NULL && rc != 0) {
			print_error("lang_normalize('%s'):\n    expected "
			    "'%s'\n    actual   %d (%s)\n", norm_rows[i].tag,
			    norm_rows[i].want, rc, err_msg());
			bad++;
		} else if (norm_rows[i].want != NULL)
			bad += row_bad("lang_normalize", norm_rows[i].tag,
			    norm_rows[i].want, out);
	}
	assert_int_equal(bad, 0);
}

static void
lang_normalize_says_why(void **state)
{
	char	out[8];

	assert_int_equal(lang_normalize("spanish", out, sizeof out),
	    FERRY_ERROR);
	assert_string_equal(out, "");
	assert_string_equal(err_msg(), "invalid language tag 'spanish' (use "
	    "a BCP 47 tag, like es, ko or zh-Hant)");
	assert_int_equal(lang_normalize(NULL, out, sizeof out), FERRY_ERROR);
	assert_int_equal(lang_normalize("zh-hant-tw", out, sizeof out),
	    FERRY_ETOOBIG);
	assert_string_equal(err_msg(), "language tag 'zh-hant-tw' does not "
	    "fit in 8 bytes");
	assert_int_equal(lang_normalize("zh-hant", out, sizeof out), 0);
	assert_string_equal(out, "zh-Hant");
}

/* lang_is_rtl */

struct rtl_row {
	const char	*tag;
	int		 want;
};

static const struct rtl_row rtl_rows[] = {
	{ "ar", 1 }, { "fa", 1 }, { "he", 1 }, { "ur", 1 }, { "ps", 1 },
	{ "sd", 1 }, { "yi", 1 }, { "dv", 1 }, { "ug", 1 }, { "ckb", 1 },
	{ "prs", 1 },
	{ "AR", 1 }, { "ar-EG", 1 }, { "fa-AF", 1 }, { "fa_IR", 1 },
	{ "he-IL", 1 }, { "iw", 1 }, { "ji", 1 },
	{ "pa-Arab", 1 }, { "pa-arab-pk", 1 }, { "az-Arab", 1 },
	{ "ks-Arab", 1 }, { "yi-Hebr", 1 }, { "en-Hebr", 1 },
	{ "ur-Latn", 0 }, { "ku", 0 }, { "ku-Arab", 1 },
	{ "en", 0 }, { "es", 0 }, { "ko", 0 }, { "zh-Hant", 0 },
	{ "pa", 0 }, { "hy", 0 }, { "am", 0 }, { "km", 0 }, { "tl", 0 },
	{ "arx", 0 }, { "", 0 }, { "x-arab", 0 }, { "not a tag", 0 },
};

static void
lang_is_rtl_rows(void **state)
{
	size_t	i;
	int	bad = 0, got;

	for (i = 0; i < NROWS(rtl_rows); i++) {
		got = lang_is_rtl(rtl_rows[i].tag);
		if (got != rtl_rows[i].want) {
			print_error("lang_is_rtl('%s'): expected %d, actual "
			    "%d\n", rtl_rows[i].tag, rtl_rows[i].want, got);
			bad++;
		}
	}
	assert_int_equal(lang_is_rtl(NULL), 0);
	assert_int_equal(bad, 0);
}

/* lang_name, lang_native: NULL for unknown */

struct name_row {
	const char	*tag;
	const char	*name;
	const char	*native;
};

static const struct name_row names_rows[] = {
	{ "es", "Spanish", "Español" },
	{ "ES-mx", "Spanish", "Español" },
	{ "es-419", "Spanish", "Español" },
	{ "ko", "Korean", "한국어" },
	{ "zh", "Chinese", "中文" },
	{ "zh-Hant", "Chinese (Traditional)", "中文（繁體）" },
	{ "zh-hant-tw", "Chinese (Traditional)", "中文（繁體）" },
	{ "zh_TW", "Chinese (Traditional)", "中文（繁體）" },
	{ "zh-HK", "Chinese (Traditional)", "中文（繁體）" },
	{ "zh-Hans", "Chinese (Simplified)", "中文（简体）" },
	{ "zh-CN", "Chinese (Simplified)", "中文（简体）" },
	{ "zh-SG", "Chinese (Simplified)", "中文（简体）" },
	{ "hy", "Armenian", "Հայերեն" },
	{ "tl", "Tagalog", "Tagalog" },
	{ "fil", "Filipino", "Filipino" },
	{ "fa", "Persian", "فارسی" },
	{ "ru", "Russian", "Русский" },
	{ "vi", "Vietnamese", "Tiếng Việt" },
	{ "hi", "Hindi", "हिन्दी" },
	{ "ja", "Japanese", "日本語" },
	{ "th", "Thai", "ไทย" },
	{ "km", "Khmer", "ភាសាខ្មែរ" },
	{ "am", "Amharic", "አማርኛ" },
	{ "pa", "Punjabi", "ਪੰਜਾਬੀ" },
	{ "ur", "Urdu", "اردو" },
	{ "he", "Hebrew", "עברית" },
	{ "iw", "Hebrew", "עברית" },
	{ "ar", "Arabic", "العربية" },
	{ "en", "English", "English" },
	{ "en-US", "English", "English" },
	{ "fr", "French", "Français" },
	{ "so", "Somali", "Soomaali" },
	{ "spa", "Spanish", "Español" },
	{ "xx", NULL, NULL },
	{ "x-default", NULL, NULL },
	{ "und", NULL, NULL },
	{ "", NULL, NULL },
	{ "Spanish", NULL, NULL },
};

static void
lang_name_rows(void **state)
{
	size_t	i;
	int	bad = 0;

	for (i = 0; i < NROWS(names_rows); i++) {
		bad += row_bad("lang_name", names_rows[i].tag,
		    names_rows[i].name, lang_name(names_rows[i].tag));
		bad += row_bad("lang_native", names_rows[i].tag,
		    names_rows[i].native,
		    lang_native(names_rows[i].tag));
	}
	assert_null(lang_name(NULL));
	assert_null(lang_native(NULL));
	assert_int_equal(bad, 0);
}

/*
 * Every language the test site and the seed page use has both names, and
 * each name read as a link text gives the tag back.
 */
static void
lang_names_round_trip(void **state)
{
	static const char *const tags[] = {
		"es", "ko", "zh-Hant", "zh-Hans", "hy", "tl", "fa", "ru",
		"vi", "hi", "ja", "th", "km", "am", "pa", "ur", "he", "ar",
		"en", "fr", "so", "zh", "prs", "ps", "yue", "ht", "hmn",
	};
	char		 out[LANG_TAG_MAX];
	const char	*name;
	size_t		 i, k;
	int		 bad = 0;

	for (i = 0; i < NROWS(tags); i++) {
		for (k = 0; k < 2; k++) {
			name = k == 0 ? lang_name(tags[i]) :
			    lang_native(tags[i]);
			if (name == NULL) {
				print_error("%s('%s'): expected a name, actual "
				    "NULL\n", k == 0 ? "lang_name" :
				    "lang_native", tags[i]);
				bad++;
				continue;
			}
			if (lang_detect(NULL, name, NULL, NULL, NULL, out,
			    sizeof out) != 0)
				out[0] = '\0';
			bad += row_bad("lang_detect(text)", name, tags[i], out);
		}
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lang_detect_seed_texts),
		cmocka_unit_test(lang_detect_red_cards),
		cmocka_unit_test(lang_detect_names),
		cmocka_unit_test(lang_detect_file_names),
		cmocka_unit_test(lang_detect_weighs_evidence),
		cmocka_unit_test(lang_detect_small_buffer),
		cmocka_unit_test(lang_normalize_rows),
		cmocka_unit_test(lang_normalize_says_why),
		cmocka_unit_test(lang_is_rtl_rows),
		cmocka_unit_test(lang_name_rows),
		cmocka_unit_test(lang_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
