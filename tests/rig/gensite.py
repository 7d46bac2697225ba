#!/usr/bin/env python3
"""gensite: writes the sample site the integration tests mirror.

It owns the content of DIR/127.0.0.1 (the city's resource hub),
DIR/127.0.0.2 (the library that hosts the red cards), DIR/127.0.0.3 (a
host outside every allow list), DIR/_rules.json (the redirect the site
needs) and DIR/_site.json (a catalogue of every file written, with the
role it plays, for tests to compare a mirror against). The same seed
and port give the same bytes and the same file times.

It deliberately does not serve anything (ferry-testd.py does) and does
not know what a mirror should look like beyond the roles it records.

Usage:
  gensite.py --out DIR --port PORT [--size seed|large] [--seed N]
             [--scale N]

Prints nothing but the source URL, http://127.0.0.1:PORT/resources/.
The three host trees under DIR are replaced, not merged. --size large
adds 100 collection pages with 9,600 PDFs (1.2 GB, a few of tens of MB)
and /files/huge.pdf (just over 2 GiB), all streamed to disk. --scale N
adds N collection pages of 26 PDFs (12 MB a page) to the seed site:
--scale 4 gives 158 resources and about 50 MB, the benchmark's seed.

Roles in _site.json, for a source with depth = 1 and allow = 127.0.0.2:
  source     the source page
  page       a page one link away on the source's host (fetched)
  document   a document linked from the source or a fetched page
  requisite  stylesheets, images, fonts, icons of fetched pages
  deep       reachable only through a page two links away
  off-scope  linked, but on a host or page ferry must never request
  unlinked   not linked from anything ferry reads

The site contains these traps on purpose: a 301 from /old-toolkit to a
page with relative links, a <base href>, srcset, an @font-face and a
relative url() in the stylesheet, a percent-encoded alias
(/files/guide-for-%65mployers.pdf), /resources/index.html beside
/resources/, a Korean file name, CON.pdf, Report.PDF beside report.pdf,
notice..pdf, a 200-character file name, tel:, mailto:, javascript:,
data: and #fragment links, YouTube links, and a page on an allowed host
that must not be followed.
"""

import argparse
import base64
import hashlib
import html
import io
import itertools
import json
import os
import random
import shutil
import struct
import sys
import urllib.parse
import zipfile
import zlib

CITY = "127.0.0.1"
LIBRARY = "127.0.0.2"
OTHER = "127.0.0.3"
HOSTS = (CITY, LIBRARY, OTHER)

# 2025-06-02T09:00:00Z: every file is dated from here, one minute apart,
# so any later edit by a test is strictly newer than the original.
BASE_TIME = 1748854800

NOISE_BLOCK = 1024 * 1024

LONG_NAME = ("know-your-rights-community-defender-training-manual-for-"
             "volunteers-organizers-and-faith-leaders-in-los-angeles-"
             "county-with-hotline-scripts-and-family-preparedness-"
             "worksheets-2025-edition-final-rev.pdf")

KOREAN_CARD = "/redcards/레드카드-한국어.pdf"

# code in the URL, hreflang, link text, English name, right-to-left
RED_CARDS = [
    ("es", "es", "Español", "Spanish", False),
    ("ko", "ko", "한국어", "Korean", False),
    ("zh-hant", "zh-Hant", "繁體中文", "Chinese Traditional", False),
    ("zh-hans", "zh-Hans", "简体中文", "Chinese Simplified", False),
    ("hy", "hy", "Հայերեն", "Armenian", False),
    ("tl", "tl", "Tagalog/Filipino", "Tagalog/Filipino", False),
    ("fa", "fa", "فارسی", "Farsi/Persian", True),
    ("ru", "ru", "Русский", "Russian", False),
    ("vi", "vi", "Tiếng Việt", "Vietnamese", False),
    ("hi", "hi", "हिन्दी", "Hindi", False),
    ("ja", "ja", "日本語", "Japanese", False),
    ("th", "th", "ไทย", "Thai", False),
    ("km", "km", "ភាសាខ្មែរ", "Khmer/Cambodian", False),
    ("am", "am", "አማርኛ", "Amharic", False),
    ("pa", "pa", "ਪੰਜਾਬੀ", "Punjabi", False),
    ("ur", "ur", "اردو", "Urdu", True),
    ("he", "he", "עברית", "Hebrew", True),
    ("ar", "ar", "العربية", "Arabic", True),
    ("en", "en", "English", "English", False),
    ("fr", "fr", "Français", "French", False),
]

# Fictional numbers: 555-0100 to 555-0199 are reserved for fiction.
HOTLINES = [
    ("Los Angeles County", "(213) 555-0142", "+12135550142", "24/7",
     "Los Angeles Rapid Response Network (LARRN)",
     "Specifically focused on responding to immigration enforcement "
     "actions.",
     "Provides emergency assistance, including verifying reports of "
     "enforcement activity, connecting individuals with legal resources, "
     "and offering guidance on what to do during an enforcement action."),
    ("Statewide", "(888) 555-0178", "+18885550178", "24/7",
     "CHIRLA Rapid Response Network",
     "Offers broader immigrant support services, including legal "
     "consultations, referrals, and information about immigrant rights.",
     "Can be used for general immigration questions, legal service "
     "referrals, and updates on immigration policies, in addition to "
     "emergency response."),
    ("Long Beach + Orange County", "(562) 555-0119", "+15625550119",
     "24/7", "ORALE (Long Beach) Rapid Response Network",
     "Provides emergency response to immigration enforcement actions "
     "in Orange County.",
     "Offers real-time verification of enforcement activity, connects "
     "individuals with legal aid, and provides guidance on rights and "
     "resources."),
    ("Southern CA", "(213) 555-0163", "+12135550163",
     "Mon. - Fri. 9AM-4PM PST",
     "Immigrant Defenders Law Center Rapid Response",
     "Counties of Los Angeles, San Bernardino, Orange, Riverside, San "
     "Diego and Imperial.",
     "This hotline may be used to assist a relative or community member "
     "who has been detained by Immigration Enforcement Agencies."),
]

SECTIONS = [
    ("rapid-response", "Rapid Response Tools: Red Cards and Hotlines"),
    ("presentations", "Know Your Rights Presentations"),
    ("employers",
     "Resources for Small Businesses, Non-profits, and Employers"),
    ("community", "Community Resources"),
    ("detained", "Arrested or Detained Family Member"),
    ("schools", "Resources for Schools and Universities"),
    ("city-departments",
     "Additional Immigration Resources within Los Angeles City "
     "Departments"),
    ("ed-12", "Executive Directive 12"),
    ("ed-17", "Executive Directive 17"),
]

LANGUAGES = ["en", "es", "ko", "zh-hant", "zh-hans", "hy", "tl", "fa",
             "ru", "vi", "ja", "ar"]


def esc(text):
    return html.escape(text, quote=True)


def noise(key, n):
    """N deterministic pseudo-random bytes for KEY, in 1 MiB pieces."""
    i = 0
    while n > 0:
        size = min(n, NOISE_BLOCK)
        yield hashlib.shake_128(b"%s/%d" % (key, i)).digest(size)
        n -= size
        i += 1


def pdf_string(text):
    """A PDF text string: literal when ASCII, else UTF-16BE with BOM."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() \
            + b">"
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(")
    return b"(" + raw.replace(b")", b"\\)") + b")"


def ascii_line(text):
    """TEXT as printable ASCII for a Helvetica content stream."""
    out = text.encode("ascii", "replace").decode("ascii")
    return pdf_string(out)


def pdf_parts(key, title, lines, author, lang, size):
    """A one-page PDF 1.4 of about SIZE bytes: (head, pad length, tail).

    The padding stream (deterministic noise) sits between head and tail
    and is reachable from the page through /PieceInfo, so every object
    is referenced and the xref offsets are exact.
    """
    content = [b"BT", b"/F1 18 Tf", b"72 720 Td",
               ascii_line(lines[0]) + b" Tj", b"/F1 11 Tf"]
    for line in lines[1:]:
        content.append(b"0 -20 Td " + ascii_line(line) + b" Tj")
    content.append(b"ET")
    stream = b"\n".join(content) + b"\n"
    digest = hashlib.md5(key).hexdigest().upper().encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang " + pdf_string(lang) +
        b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]\n"
        b"   /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>\n"
        b"   /PieceInfo << /FerrySample << /LastModified "
        b"(D:20250602090000Z) /Private 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream +
        b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        None,
        b"<< /Title " + pdf_string(title) + b" /Author " +
        pdf_string(author) + b"\n   /Producer (ferry sample site) "
        b"/CreationDate (D:20250602090000Z) >>",
    ]
    head = io.BytesIO()
    head.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objs[:5], 1):
        offsets.append(head.tell())
        head.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    def finish(pad):
        off = head.tell()
        pad_head = b"6 0 obj\n<< /Length %d >>\nstream\n" % pad
        pad_tail = b"\nendstream\nendobj\n"
        info = b"7 0 obj\n" + objs[6] + b"\nendobj\n"
        info_off = off + len(pad_head) + pad + len(pad_tail)
        xref_off = info_off + len(info)
        tail = io.BytesIO()
        tail.write(pad_tail + info)
        tail.write(b"xref\n0 8\n0000000000 65535 f \n")
        for o in offsets + [off, info_off]:
            tail.write(b"%010d 00000 n \n" % o)
        tail.write(b"trailer\n<< /Size 8 /Root 1 0 R /Info 7 0 R "
                   b"/ID [<" + digest + b"> <" + digest + b">] >>\n"
                   b"startxref\n%d\n%%%%EOF\n" % xref_off)
        return head.getvalue() + pad_head, tail.getvalue()

    first, last = finish(0)
    pad = max(0, size - len(first) - len(last))
    first, last = finish(pad)
    return first, pad, last


def png(width, height, pixel):
    """A valid RGB PNG; PIXEL(x, y) returns (r, g, b)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)

    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                       0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(bytes(rows), 9)) +
            chunk(b"IEND", b""))


def logo(scale):
    w, h = 120 * scale, 40 * scale

    def pixel(x, y):
        band = (x * 3) // w
        return ((0, 56, 101), (253, 184, 19), (200, 16, 46))[band]

    return png(w, h, pixel)


def ico(data):
    """An .ico file holding one 16x16 PNG image."""
    return struct.pack("<HHH", 0, 1, 1) + \
        struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(data), 22) + data


def pptx(title, slides):
    """A small Office Open XML zip (enough for a file manager)."""
    out = io.BytesIO()
    stamp = (2025, 6, 2, 9, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        def add(name, text):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
        add("[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="'
            'http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '</Types>\n')
        add("docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/'
            'elements/1.1/"><dc:title>%s</dc:title></cp:coreProperties>'
            '\n' % esc(title))
        for i, text in enumerate(slides, 1):
            add("ppt/slides/slide%d.txt" % i, text + "\n")
    return out.getvalue()


class Site:
    def __init__(self, out, port, seed, size):
        self.out = out
        self.port = port
        self.seed = seed
        self.size = size
        self.entries = []
        self.count = 0

    def url(self, host, path):
        return "http://%s:%d%s" % (host, self.port,
                                   urllib.parse.quote(path, safe="/%:@"))

    def key(self, host, path):
        return b"%d|%s|%s" % (self.seed, host.encode(), path.encode())

    def rng(self, host, path):
        return random.Random(hashlib.sha256(self.key(host, path))
                             .digest())

    def local(self, host, path):
        return os.path.join(self.out, host, path.lstrip("/"))

    def _record(self, host, path, role, ctype, nbytes, sha1, extra):
        entry = {"url": self.url(host, path), "host": host, "path": path,
                 "role": role, "type": ctype, "bytes": nbytes,
                 "sha1": sha1}
        entry.update(extra)
        self.entries.append(entry)

    def _stamp(self, fs):
        t = BASE_TIME + 60 * self.count
        self.count += 1
        os.utime(fs, (t, t))

    def write(self, host, path, data, role, ctype, **extra):
        """Write DATA (bytes or str) as HOST's PATH (decoded form)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        fs = self.local(host, path)
        os.makedirs(os.path.dirname(fs), exist_ok=True)
        with open(fs, "wb") as f:
            f.write(data)
        self._stamp(fs)
        self._record(host, path, role, ctype, len(data),
                     hashlib.sha1(data).hexdigest(), extra)

    def pdf(self, host, path, title, lines, role, lang="en",
            author="City of Los Angeles (sample)", size=None, **extra):
        """A valid one-page PDF; the padding is streamed, any size."""
        if size is None:
            size = int(1024 * 30 ** self.rng(host, path).random())
        key = self.key(host, path)
        first, pad, last = pdf_parts(key, title, lines, author, lang, size)
        fs = self.local(host, path)
        os.makedirs(os.path.dirname(fs), exist_ok=True)
        h = hashlib.sha1()
        with open(fs, "wb") as f:
            for block in itertools.chain([first], noise(key, pad), [last]):
                f.write(block)
                h.update(block)
        self._stamp(fs)
        self._record(host, path, role, "application/pdf",
                     len(first) + pad + len(last), h.hexdigest(),
                     dict(extra, lang=lang))


def page(title, body, lang="en", head_extra="", css=True):
    return ("<!DOCTYPE html>\n"
            "<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n%s"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\">\n<title>%s</title>\n%s"
            "<link rel=\"icon\" href=\"/favicon.ico\">\n</head>\n"
            "<body id=\"top\">\n%s"
            "<p class=\"sample\">Sample site for ferry's tests. Telephone "
            "numbers are fictional.</p>\n</body>\n</html>\n") % (
                lang, head_extra, esc(title),
                "<link rel=\"stylesheet\" href=\"/assets/site.css\">\n"
                if css else "", body)


DISCLAIMER = (
    "<p class=\"note\">Please note: The City of Los Angeles is not "
    "responsible for the accuracy of external public information or the "
    "content of external websites. The inclusion of any link does not "
    "imply endorsement by the City of Los Angeles.</p>\n")

HEADER = (
    "<header>\n<a class=\"skip\" href=\"#main\">Skip to main content</a>\n"
    "<a href=\"/resources/index.html\"><img class=\"logo\" "
    "src=\"/img/logo.png\" srcset=\"/img/logo.png 1x, /img/logo@2x.png "
    "2x\" alt=\"City of Los Angeles\" width=\"120\" height=\"40\"></a>\n"
    "</header>\n")


def youtube(rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
        "0123456789-_"
    return "https://www.youtube.com/watch?v=" + \
        "".join(rng.choice(alphabet) for _ in range(11))


def item(title, href, facts, lang=None, hreflang=None):
    attrs = ""
    if hreflang:
        attrs += " hreflang=\"%s\"" % hreflang
    lang_attr = " lang=\"%s\"" % lang if lang else ""
    out = "<div class=\"resource\"%s>\n<h3><a href=\"%s\"%s>%s</a></h3>\n" \
        % (lang_attr, esc(href), attrs, esc(title))
    if facts:
        out += "<ul>\n" + "".join("<li>%s</li>\n" % f for f in facts) + \
            "</ul>\n"
    return out + "</div>\n"


def hub(site, rng, library_extra=""):
    lib = site.url(LIBRARY, "/know-your-rights/")
    handbook = site.url(OTHER, "/other/handbook.pdf")
    tiny = base64.b64encode(png(2, 2, lambda x, y: (220, 220, 220))) \
        .decode()
    s = {k: v for k, v in SECTIONS}
    body = [HEADER, "<main id=\"main\">\n<h1>Immigration Resources</h1>\n"]
    body.append(
        "<p>As federal agents continue large-scale immigration enforcement "
        "operations across Los Angeles, these operations have heightened "
        "fears, torn apart families, and disrupted the immigrant "
        "community.</p>\n<p>The City has a responsibility to ensure the "
        "safety of all residents, and City departments play a critical "
        "role in providing services to support residents and their "
        "needs.</p>\n")
    body.append(DISCLAIMER)

    # Rapid response
    body.append("<section id=\"rapid-response\">\n<h2>%s</h2>\n"
                % esc(s["rapid-response"]))
    body.append("<img src=\"data:image/png;base64,%s\" alt=\"Laptop "
                "Showing the Know Your Rights Page\" width=\"2\" "
                "height=\"2\">\n" % tiny)
    body.append(
        "<ul>\n<li>Available in digital: Spanish, Korean, Chinese "
        "(Traditional and Simplified), Armenian, Tagalog/Filipino, "
        "Farsi/Persian, AND Russian, Vietnamese, Hindi, Japanese, Thai, "
        "Khmer/Cambodian, Amharic, Punjabi, Urdu, Hebrew (more languages "
        "to come).</li>\n<li>Source: <a href=\"%s\">Los Angeles Public "
        "Library</a></li>\n<li>LAPL offers Red Cards in multiple different "
        "languages, available for immediate printing, downloading, and "
        "sharing at no cost through their website.</li>\n<li>Format: "
        "Website</li>\n</ul>\n" % esc(lib))
    body.append(
        "<p><strong>Red Cards</strong> - Red Cards are wallet-sized cards "
        "created by the Immigrant Legal Resource Center (ILRC) to help "
        "individuals understand and assert their legal rights when "
        "interacting with immigration enforcement officers. <a "
        "href=\"/resources/red-cards.html\">Printable Red Cards</a></p>\n"
        "<ul>\n<li>Red Cards enable individuals to assert their rights in "
        "various situations, such as when federal agents visit a home. "
        "Available in multiple languages. For informational purposes "
        "only.</li>\n</ul>\n<p>These documents are for general "
        "informational purposes only. The content is not legal advice. If "
        "you are in need of legal advice, please contact an attorney.</p>\n"
        "<ul lang=\"es\">\n<li>Las Tarjetas Rojas permiten que las personas "
        "hagan valer sus derechos como cuando los agentes federales visitan "
        "un hogar. Están disponibles en otros idiomas. Sólo para fines "
        "informativos.</li>\n</ul>\n<p lang=\"es\">Estos documentos son solo "
        "para fines informativos generales. El contenido no constituye "
        "asesoría legal.</p>\n")
    body.append(
        "<h3 id=\"hotlines\">Hotlines</h3>\n<p>Hotlines - You can report "
        "Immigration Enforcement activity by calling your local rapid "
        "response network. Additional lists of Rapid Response Networks are "
        "available through the <a href=\"https://www.ccijustice.org/\">"
        "California Collaborative for Immigrant Justice (CCI Justice)</a> "
        "and the <a href=\"https://www.aclusocal.org/\">American Civil "
        "Liberties Union (ACLU)</a>.</p>\n")
    for area, shown, tel, hours, run_by, purpose, function in HOTLINES:
        body.append(
            "<div class=\"hotline\">\n<h4>%s</h4>\n<p class=\"phone\"><a "
            "href=\"tel:%s\">%s</a></p>\n<ul>\n<li>Hours Available: %s</li>"
            "\n<li>Run By: %s</li>\n<li>Purpose: %s</li>\n<li>Function: %s"
            "</li>\n</ul>\n</div>\n" % (esc(area), tel, shown, esc(hours),
                                       esc(run_by), esc(purpose),
                                       esc(function)))
    body.append("</section>\n")

    # Presentations
    body.append("<section id=\"presentations\">\n<h2>%s</h2>\n"
                % esc(s["presentations"]))
    body.append(item("\"Know Your Rights Presentations\" for the Community "
                     "- English", youtube(rng),
                     ["Source: Los Angeles Public Library; Immigrant "
                      "Defenders Law Center and LA County Office of "
                      "Immigrant Affairs", "Format: YouTube Video"]))
    body.append(item("¡Conozca sus derechos! Presentation - Spanish",
                     youtube(rng),
                     ["Source: Los Angeles Public Library, Immigrant "
                      "Defenders Law Center and LA County Office of "
                      "Immigrant Affairs", "Spanish version of \"Know Your "
                      "Rights Presentation\" for the Community",
                      "Format: YouTube Video"], lang="es", hreflang="es"))
    body.append("<p>Community trainings are also offered by <a "
                "href=\"https://www.chirla.org/\">CHIRLA</a>.</p>\n")
    body.append("</section>\n")

    # Employers
    body.append("<section id=\"employers\">\n<h2>%s</h2>\n"
                % esc(s["employers"]))
    body.append("<p>Notes: Public Counsel is a nonprofit law firm.</p>\n")
    body.append(item("Know Your Rights for Nonprofit and Small Businesses "
                     "- English", youtube(rng),
                     ["Source: Public Counsel",
                      "Public Counsel's training on nonprofit and business "
                      "owners' rights when interacting with immigration "
                      "enforcement personnel can help programs get "
                      "prepared.",
                      "Formats: YouTube Video and <a href=\"/files/"
                      "kyr-slides.pptx\">Slide Deck</a>"]))
    body.append(item("Organizaciones sin fines de lucro y pequeñas "
                     "empresas: ¡Conozca sus derechos!", youtube(rng),
                     ["Source: Public Counsel",
                      "Formats: YouTube Video and Slide Deck"],
                     lang="es", hreflang="es"))
    body.append(item("FAQs on Nonprofit and Small Business Rights with "
                     "Respect to Immigration Enforcement",
                     "/files/faq-nonprofit-small-business.pdf",
                     ["Source: Public Counsel", "Format: PDF"]))
    body.append(item("Guide for Employers", "/files/guide-for-employers.pdf",
                     ["Source: Public Counsel", "Format: PDF"]))
    body.append(item("Toolkit to Hold a \"Know Your Rights\" Presentation",
                     "/files/toolkit-know-your-rights.pdf",
                     ["Source: Public Counsel", "Format: PDF"]))
    body.append(item("Webinar on How to Hold a \"Know Your Rights\" "
                     "Presentation - English", youtube(rng),
                     ["Format: YouTube Video"]))
    body.append(item("Conozca sus Derechos de Inmigracion y Entrenamiento "
                     "a Defensores Comunitarios", youtube(rng),
                     ["Formato: Video de YouTube"], lang="es",
                     hreflang="es"))
    body.append("</section>\n")

    # Community
    body.append("<section id=\"community\">\n<h2>%s</h2>\n"
                % esc(s["community"]))
    body.append(item("Family Preparedness Toolkit", "/old-toolkit",
                     ["Source: Bet Tzedek",
                      "Toolkit on family preparedness including decisions "
                      "on care for your children in the event of a parent "
                      "being detained by immigration authorities.",
                      "Format: Website and PDF"]))
    body.append(item("Report Immigration Fraud",
                     "https://oia.lacounty.gov/",
                     ["Source: L.A. County Office of Immigrant Affairs",
                      "A resource for immigration fraud (notario fraud).",
                      "Format: Website or call <a href=\"tel:+18005550199\">"
                      "1-800-555-0199</a>"]))
    body.append(item("Community Preparedness Documents",
                     "/resources/community.html",
                     ["Checklists and flyers to print and share.",
                      "Format: Website and PDF"]))
    body.append(item("Community Defender Training Manual (2025 edition)",
                     "/files/" + LONG_NAME,
                     ["Source: Community partners", "Format: PDF"]))
    body.append("</section>\n")

    # Detained
    body.append("<section id=\"detained\">\n<h2>%s</h2>\n"
                % esc(s["detained"]))
    body.append("<p>Looking for a Family Member: If a family or community "
                "member has been detained during immigration enforcement "
                "activity, the following tools and resources may be used "
                "to locate them.</p>\n")
    body.append(item("ICE Locator Tool", "https://locator.ice.gov/odls/",
                     ["You will only be able to find people who have been "
                      "in custody for more than 48 hours and over the age "
                      "of 18.", "Format: Online Tool"]))
    body.append(item("USCIS Case Status Tool", "https://egov.uscis.gov/",
                     ["You will need the receipt number.",
                      "Format: Online Tool or Call <a "
                      "href=\"tel:+18005550123\">1-800-555-0123</a>"]))
    body.append(item("Financial Handbook for Families Facing Detention & "
                     "Deportation", handbook, ["Format: PDF"]))
    body.append(item("What to do if You are Arrested or Detained by "
                     "Immigration", "/files/what-to-do-if-arrested.pdf",
                     ["Format: PDF"]))
    body.append(item("Know Your Rights: Expedited Removal Expansion",
                     "/files/expedited-removal.pdf", ["Format: PDF"]))
    body.append(item("Consular Notification (CON) Request Form",
                     "/files/CON.pdf", ["Format: PDF"]))
    body.append("<p>Seeking Consultation - Getting a proper legal "
                "consultation from a trusted expert is crucial in family "
                "preparedness planning. A public notary who is not a "
                "licensed attorney cannot fill out or file immigration "
                "forms on your behalf.</p>\n")
    body.append(DISCLAIMER)
    body.append("</section>\n")

    # Schools
    body.append("<section id=\"schools\">\n<h2>%s</h2>\n"
                % esc(s["schools"]))
    body.append("<h3>K-12</h3>\n")
    body.append(item("Informational Resource Guide for Immigrant Students "
                     "and Families", "/resources/schools.html",
                     ["Source: LA Unified School District 2025, We Are One "
                      "Campaign", "Format: Website"]))
    body.append(item("LAUSD Campuses as Safe Zones and Resource Centers "
                     "Reference Guide", "/files/lausd-safe-zones.pdf",
                     ["Format: PDF"]))
    body.append("<h3>Higher Education</h3>\n")
    body.append(item("UCLA Legal Services", "https://www.ucla.edu/",
                     ["Services may be limited to students and "
                      "employees."]))
    body.append("</section>\n")

    # City departments
    body.append("<section id=\"city-departments\">\n<h2>%s</h2>\n"
                % esc(s["city-departments"]))
    body.append(item("Know Your Rights Webpage", "/resources/index.html",
                     ["Format: Website"]))
    body.append(item("Printable Red Cards", "/resources/red-cards.html",
                     ["Source: Los Angeles Public Library",
                      "LAPL offers Red Cards in 20 different languages.",
                      "Format: Website"]))
    body.append(item("Employer Guide (print version)",
                     "/files/guide-for-%65mployers.pdf", ["Format: PDF"]))
    body.append(item("Annual Report (scanned original)", "/files/Report.PDF",
                     ["Format: PDF"]))
    body.append(item("Annual report (accessible version)",
                     "/files/report.pdf", ["Format: PDF"]))
    body.append(item("Public Notice of Community Meetings",
                     "/files/notice..pdf", ["Format: PDF"]))
    body.append("<p><a href=\"mailto:immigrant.affairs@example.org\">Email "
                "the Office of Immigrant Affairs</a> | <a "
                "href=\"javascript:void(0)\" onclick=\"window.print()\">"
                "Print this page</a></p>\n")
    body.append(library_extra)
    body.append("</section>\n")

    # Executive directives
    body.append(
        "<section id=\"ed-12\">\n<h2>%s</h2>\n<p>Mayor Bass' Executive "
        "Directive 12 requires all departments to bolster protocols and "
        "training in compliance with the City's law prohibiting use of City "
        "resources in immigration enforcement.</p>\n</section>\n"
        "<section id=\"ed-17\">\n<h2>%s</h2>\n<p>Executive Directive 17 "
        "mandates that City property is not utilized by federal "
        "immigration agents for staging areas, processing locations, or "
        "bases of operation.</p>\n<p><a href=\"/files/"
        "executive-directive-17.pdf\">Read the full Executive Directive "
        "here.</a></p>\n</section>\n" % (esc(s["ed-12"]), esc(s["ed-17"])))
    body.append("</main>\n<footer>\n<p><a href=\"#top\">Back to top</a></p>"
                "\n</footer>\n")
    return page("Immigration Resources | City of Los Angeles",
                "".join(body))


def red_cards_page(site):
    rows = []
    for code, hreflang, native, english, rtl in RED_CARDS:
        text = native if native == english else "%s (%s)" % (native,
                                                            english)
        rows.append("<li%s><a href=\"%s\" hreflang=\"%s\" lang=\"%s\"%s>%s"
                    "</a></li>\n" % (" dir=\"rtl\"" if rtl else "",
                                    esc(site.url(LIBRARY, "/redcards/%s.pdf"
                                                 % code)),
                                    hreflang, hreflang,
                                    " dir=\"rtl\"" if rtl else "",
                                    esc(text)))
    body = (HEADER +
            "<main id=\"main\">\n<h1>Printable Red Cards</h1>\n<p>Red Cards "
            "are wallet-sized cards that help individuals assert their "
            "rights. Print, download and share them at no cost.</p>\n"
            "<ul class=\"redcards\">\n" + "".join(rows) + "</ul>\n"
            "<p lang=\"ko\"><a href=\"%s\" hreflang=\"ko\">레드카드 (한국어, "
            "인쇄용)</a></p>\n<p>More at the library: <a href=\"%s\">Know "
            "Your Rights at the Los Angeles Public Library</a></p>\n"
            "<p><a href=\"/resources/\">Back to Immigration Resources</a>"
            "</p>\n</main>\n" % (esc(site.url(LIBRARY, KOREAN_CARD)),
                                 esc(site.url(LIBRARY,
                                              "/know-your-rights/"))))
    return page("Printable Red Cards | City of Los Angeles", body)


def generate_seed(site, rng):
    c = CITY
    # Requisites
    site.write(c, "/assets/site.css",
               "@font-face {\n  font-family: \"Demo Sans\";\n"
               "  src: url(/assets/fonts/demo.woff2) format(\"woff2\");\n"
               "  font-display: swap;\n}\n"
               "body {\n  font-family: \"Demo Sans\", system-ui, "
               "sans-serif;\n  background: #fff url(../img/bg.png) "
               "repeat-x;\n  margin: 0 auto;\n  max-width: 60em;\n"
               "  padding: 0 1em;\n}\n"
               "h2 { border-bottom: 3px solid #fdb813; }\n"
               ".hotline { border-left: 4px solid #c8102e; "
               "padding-left: 1em; }\n"
               "[dir=\"rtl\"] { text-align: right; }\n"
               ".sample { color: #666; font-size: small; }\n",
               "requisite", "text/css")
    site.write(c, "/assets/fonts/demo.woff2",
               b"wOF2\x00\x01\x00\x00" + b"".join(
                   noise(site.key(c, "/assets/fonts/demo.woff2"), 1400)),
               "requisite", "font/woff2")
    site.write(c, "/img/bg.png",
               png(4, 64, lambda x, y: (255 - y, 255 - y // 2, 255)),
               "requisite", "image/png")
    site.write(c, "/img/logo.png", logo(1), "requisite", "image/png")
    site.write(c, "/img/logo@2x.png", logo(2), "requisite", "image/png")
    site.write(c, "/favicon.ico",
               ico(png(16, 16, lambda x, y: (200, 16, 46)
                       if (x + y) % 5 else (255, 255, 255))),
               "requisite", "image/x-icon")

    # Pages
    site.write(c, "/index.html",
               page("City of Los Angeles", HEADER +
                    "<main id=\"main\"><h1>City of Los Angeles</h1>\n<p><a "
                    "href=\"/resources/\">Immigration Resources</a></p>\n"
                    "</main>\n"),
               "unlinked", "text/html; charset=utf-8")
    site.write(c, "/resources/red-cards.html", red_cards_page(site), "page",
               "text/html; charset=utf-8")
    site.write(c, "/resources/community.html",
               page("Community Preparedness Documents",
                    HEADER + "<main id=\"main\">\n<h1>Community Preparedness "
                    "Documents</h1>\n<ul>\n<li><a href=\"preparedness-"
                    "checklist.pdf\">Family preparedness checklist</a></li>\n"
                    "<li><a href=\"../flyer.pdf\">Community meeting flyer"
                    "</a></li>\n</ul>\n<p><a href=\"/resources/\">Back to "
                    "Immigration Resources</a></p>\n</main>\n",
                    head_extra="<base href=\"/community/docs/\">\n"),
               "page", "text/html; charset=utf-8",
               base="/community/docs/")
    site.write(c, "/toolkits/family-preparedness.html",
               page("Family Preparedness Toolkit | Bet Tzedek",
                    HEADER + "<main id=\"main\">\n<h1>Family Preparedness "
                    "Toolkit</h1>\n<p>Decisions on care for your children "
                    "in the event of a parent being detained.</p>\n<ul>\n"
                    "<li><a href=\"family-preparedness.pdf\">Family "
                    "Preparedness Toolkit (PDF)</a></li>\n<li lang=\"es\">"
                    "<a href=\"family-preparedness-es.pdf\" hreflang=\"es\">"
                    "Kit de preparación familiar (PDF)</a></li>\n</ul>\n"
                    "</main>\n"),
               "page", "text/html; charset=utf-8",
               redirected_from="/old-toolkit")
    site.write(c, "/resources/schools.html",
               page("Resources for Schools | City of Los Angeles",
                    HEADER + "<main id=\"main\">\n<h1>Informational "
                    "Resource Guide for Immigrant Students and Families</h1>"
                    "\n<p>We Are One campaign formalizes and amplifies the "
                    "District's efforts to cultivate welcoming learning "
                    "environments for all students.</p>\n<ul>\n<li><a "
                    "href=\"/files/supporting-students-toolkit.pdf\">"
                    "Supporting Students And Families Toolkit</a></li>\n"
                    "<li><a href=\"deeper/more.html\">More guidance for "
                    "schools</a></li>\n</ul>\n</main>\n"),
               "page", "text/html; charset=utf-8")
    site.write(c, "/resources/deeper/more.html",
               page("More Guidance for Schools",
                    HEADER + "<main id=\"main\">\n<h1>More Guidance for "
                    "Schools</h1>\n<p><a href=\"deep-only.pdf\">Campus "
                    "response protocol (PDF)</a></p>\n</main>\n"),
               "deep", "text/html; charset=utf-8")

    # Documents on the city's host
    docs = [
        ("/files/faq-nonprofit-small-business.pdf",
         "FAQs on Nonprofit and Small Business Rights", "document", {}),
        ("/files/guide-for-employers.pdf", "Guide for Employers",
         "document", {"aliases": ["/files/guide-for-%65mployers.pdf"]}),
        ("/files/toolkit-know-your-rights.pdf",
         "Toolkit to Hold a Know Your Rights Presentation", "document", {}),
        ("/files/what-to-do-if-arrested.pdf",
         "What to do if You are Arrested or Detained", "document", {}),
        ("/files/expedited-removal.pdf",
         "Know Your Rights: Expedited Removal Expansion", "document", {}),
        ("/files/CON.pdf", "Consular Notification (CON) Request Form",
         "document", {}),
        ("/files/Report.PDF", "Annual Report (scanned original)",
         "document", {}),
        ("/files/report.pdf", "Annual report (accessible version)",
         "document", {}),
        ("/files/notice..pdf", "Public Notice of Community Meetings",
         "document", {}),
        ("/files/" + LONG_NAME, "Community Defender Training Manual",
         "document", {}),
        ("/files/lausd-safe-zones.pdf",
         "LAUSD Campuses as Safe Zones and Resource Centers", "document",
         {}),
        ("/files/executive-directive-17.pdf", "Executive Directive 17",
         "document", {}),
        ("/files/supporting-students-toolkit.pdf",
         "Supporting Students And Families Toolkit", "document", {}),
        ("/toolkits/family-preparedness.pdf", "Family Preparedness Toolkit",
         "document", {}),
        ("/community/docs/preparedness-checklist.pdf",
         "Family Preparedness Checklist", "document", {}),
        ("/community/flyer.pdf", "Community Meeting Flyer", "document", {}),
        ("/resources/deeper/deep-only.pdf", "Campus Response Protocol",
         "deep", {}),
    ]
    for path, title, role, extra in docs:
        site.pdf(c, path, title, [title, "Language: English (en)",
                                  "Document: " + path], role, **extra)
    site.pdf(c, "/toolkits/family-preparedness-es.pdf",
             "Kit de preparación familiar",
             ["Kit de preparacion familiar", "Language: Spanish (es)",
              "Document: /toolkits/family-preparedness-es.pdf"],
             "document", lang="es")
    site.write(c, "/files/kyr-slides.pptx",
               pptx("Know Your Rights for Nonprofit and Small Businesses",
                    ["Know Your Rights", "Who can enter?",
                     "Warrants: judicial or administrative",
                     "Prepare your staff"]),
               "document", "application/vnd.openxmlformats-"
               "officedocument.presentationml.presentation")

    # The library
    lib = LIBRARY
    for code, hreflang, native, english, _ in RED_CARDS:
        site.pdf(lib, "/redcards/%s.pdf" % code,
                 "Red Card - %s" % native,
                 ["Red Card - %s (%s)" % (english, code),
                  "Know your rights: you have the right to remain silent.",
                  "Sample document for ferry's tests."],
                 "document", lang=hreflang,
                 author="Immigrant Legal Resource Center (sample)")
    site.pdf(lib, KOREAN_CARD, "레드카드 - 한국어 (인쇄용)",
             ["Red Card - Korean, print version (ko)",
              "Sample document for ferry's tests."],
             "document", lang="ko",
             author="Immigrant Legal Resource Center (sample)")
    site.write(lib, "/know-your-rights/index.html",
               page("Know Your Rights | Los Angeles Public Library",
                    "<main>\n<h1>Know Your Rights</h1>\n<p><a href=\"kyr-"
                    "booklet.pdf\">Know Your Rights booklet</a></p>\n<p><a "
                    "href=\"/redcards/es.pdf\">Tarjeta roja</a></p>\n"
                    "</main>\n", css=False),
               "off-scope", "text/html; charset=utf-8")
    site.pdf(lib, "/know-your-rights/kyr-booklet.pdf",
             "Know Your Rights booklet",
             ["Know Your Rights booklet", "Language: English (en)"],
             "off-scope")

    # A host outside the allow list
    site.pdf(OTHER, "/other/handbook.pdf",
             "Financial Handbook for Families Facing Detention",
             ["Financial Handbook for Families Facing Detention",
              "Language: English (en)"], "off-scope")


def generate_large(site, rng):
    """About 10,000 documents over 100 pages, plus a 2 GiB file."""
    return generate_library(site, rng, 100, 96, 1200 * 1024 * 1024, True)


def generate_library(site, rng, pages, per_page, total, huge):
    """PAGES collection pages of PER_PAGE documents, TOTAL bytes in all
    with a long-tailed size skew, plus /files/huge.pdf when HUGE."""
    sizes = [min(48 << 20, int(16384 * rng.paretovariate(1.1)))
             for _ in range(pages * per_page)]
    scale = total / float(sum(sizes))
    sizes = [max(2048, min(48 << 20, int(s * scale))) for s in sizes]
    links = []
    n = 0
    for p in range(1, pages + 1):
        items = []
        for _ in range(per_page):
            lang = LANGUAGES[n % len(LANGUAGES)]
            host = LIBRARY if n % 5 in (1, 3) else CITY
            top = "/archive" if host == LIBRARY else "/library/docs"
            path = "%s/%03d/resource-%05d-%s.pdf" % (top, p, n, lang)
            title = "Resource %05d (%s)" % (n, lang)
            site.pdf(host, path, title,
                     [title, "Collection %d" % p], "document",
                     size=sizes[n], lang=lang)
            href = path if host == CITY else site.url(host, path)
            items.append("<li><a href=\"%s\" hreflang=\"%s\">%s</a></li>\n"
                         % (esc(urllib.parse.quote(href, safe="/:%")),
                            lang, esc(title)))
            n += 1
        path = "/library/collection-%03d.html" % p
        site.write(CITY, path,
                   page("Document Library, Collection %d" % p,
                        HEADER + "<main id=\"main\">\n<h1>Collection %d</h1>"
                        "\n<ul>\n%s</ul>\n</main>\n" % (p, "".join(items))),
                   "page", "text/html; charset=utf-8")
        links.append("<li><a href=\"%s\">Collection %d</a></li>\n"
                     % (path, p))
    if not huge:
        return ("<h3>Document Library</h3>\n<ul>\n" + "".join(links) +
                "</ul>\n")
    site.pdf(CITY, "/files/huge.pdf", "Complete archive",
             ["Complete archive", "Language: English (en)"],
             "document", size=(2 << 30) + 4096)
    return ("<h3>Document Library</h3>\n<ul>\n" + "".join(links) +
            "<li><a href=\"/files/huge.pdf\">Complete archive (2 GB)</a>"
            "</li>\n</ul>\n")


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def main(argv):
    p = argparse.ArgumentParser(prog="gensite",
                                description="write the sample site")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--port", required=True, type=int)
    p.add_argument("--size", choices=("seed", "large"), default="seed")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=int, default=0, metavar="N")
    args = p.parse_args(argv)
    if not 0 < args.port < 65536:
        p.error("port %d out of range" % args.port)
    if not 0 <= args.scale <= 100:
        p.error("--scale %d out of range (0 to 100)" % args.scale)
    if args.scale and args.size != "seed":
        p.error("--scale applies to --size seed only")
    out = os.path.abspath(args.out)
    for host in HOSTS:
        shutil.rmtree(os.path.join(out, host), ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    site = Site(out, args.port, args.seed, args.size)
    rng = random.Random(args.seed)
    generate_seed(site, rng)
    extra = ""
    if args.size == "large":
        extra = generate_large(site, rng)
    elif args.scale:
        extra = generate_library(site, rng, args.scale, 26,
                                 args.scale * 12 * 1024 * 1024, False)
    site.write(CITY, "/resources/index.html", hub(site, rng, extra),
               "source", "text/html; charset=utf-8",
               aliases=["/resources/"])
    source = site.url(CITY, "/resources/")
    write_json(os.path.join(out, "_rules.json"), {
        "%s/old-toolkit" % CITY: {
            "redirect": "/toolkits/family-preparedness.html",
            "status": 301,
        },
    })
    write_json(os.path.join(out, "_site.json"), {
        "source": source, "port": args.port, "seed": args.seed,
        "size": args.size,
        "sections": [title for _, title in SECTIONS],
        "redirects": {site.url(CITY, "/old-toolkit"):
                      site.url(CITY, "/toolkits/family-preparedness.html")},
        "resources": sorted(site.entries,
                            key=lambda e: (e["host"], e["path"])),
    })
    sys.stdout.write(source + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
