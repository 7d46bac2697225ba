#!/usr/bin/env python3
"""Check that a generated index.html is valid HTML5 and well built.

Usage:
  htmlcheck.py parse FILE
      parse FILE as a browser does (html5lib, the WHATWG algorithm);
      print each parse error as "FILE:LINE:COL: message"; exit 1 if any
  htmlcheck.py structure FILE INDEX_JSON
      the rules below; print "bad: ..." for each breach and "fact: ..."
      lines (counts the caller may check); exit 1 if anything is bad

Structure rules: UTF-8 declared in the first 1024 bytes; lang on html
and every lang a well-formed BCP 47 tag; exactly one h1, the first
heading, and no heading deeper than one level below the one before;
ids unique and every for= and aria-*by reference resolves; every
control labelled and every link and button with text; every img with
alt; no base element and no refresh; entries in a right-to-left language
marked dir="rtl", and dir="rtl" only on text in such a language; no
script, style sheet, image or other embedded resource from outside the
copy (src, srcset, poster, data, action, link href, url() in styles),
and every absolute link an <a> to what INDEX_JSON lists as out of scope
(a source page, a "link" resource or a hotline's tel: number).
"""

import json
import re
import sys

try:
    import html5lib
    from html5lib.constants import E as MESSAGES
except ImportError:
    sys.exit("htmlcheck: html5lib is missing (apt-get install python3-html5lib)")

BCP47 = re.compile(r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
                   r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
                   r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
                   r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
                   r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?$")
RTL_LANGS = {"ar", "arc", "ckb", "dv", "fa", "ha-arab", "he", "iw", "ks",
             "ku-arab", "pa-arab", "ps", "sd", "syr", "ug", "ur", "yi"}
RTL_SCRIPTS = {"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg",
               "mand", "samr"}
EMBED_ATTRS = ("src", "srcset", "poster", "data", "action", "formaction",
               "background", "manifest", "ping")
SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)|@import\s+['\"]([^'\"]*)",
                     re.I)


def parse_errors(path):
    with open(path, "rb") as f:
        data = f.read()
    p = html5lib.HTMLParser(namespaceHTMLElements=False)
    p.parse(data, transport_encoding="utf-8")
    out = []
    for (line, col), code, datavars in p.errors:
        msg = MESSAGES.get(code, code)
        try:
            msg = msg % datavars
        except (TypeError, KeyError, ValueError):
            pass
        out.append("%s:%s:%s: %s" % (path, line, col, msg))
    return out


def is_rtl(tag):
    t = tag.lower().split("-")
    if not t or not t[0]:
        return False
    if len(t) > 1 and t[1] in RTL_SCRIPTS:
        return True
    if len(t) > 1 and len(t[1]) == 4:	# another script: ru-Latn...
        return t[0] + "-" + t[1] in RTL_LANGS
    return t[0] in RTL_LANGS


def text(el):
    return " ".join("".join(el.itertext()).split())


def describe(el):
    s = "<" + el.tag
    for k in ("id", "class", "href", "lang"):
        if el.get(k) is not None:
            s += ' %s="%s"' % (k, el.get(k)[:60])
    return s + ">"


class Checker:
    def __init__(self, path, index):
        with open(path, "rb") as f:
            self.raw = f.read()
        self.root = html5lib.parse(self.raw, treebuilder="etree",
                                   namespaceHTMLElements=False,
                                   transport_encoding="utf-8")
        self.parent = {c: p for p in self.root.iter() for c in p}
        self.index = index
        self.bad = []
        self.facts = []

    def ancestors(self, el):
        while el in self.parent:
            el = self.parent[el]
            yield el

    def charset(self):
        head = self.raw[:1024].lower()
        if not re.search(rb"<meta\s+charset=\"?utf-8\"?\s*/?>", head):
            self.bad.append("no <meta charset=\"utf-8\"> in the first "
                            "1024 bytes")

    def langs(self):
        if not (self.root.get("lang") or "").strip():
            self.bad.append("<html> has no lang")
        n = 0
        for el in self.root.iter():
            v = el.get("lang")
            if v is None:
                continue
            n += 1
            if v != "" and not BCP47.match(v):
                self.bad.append("lang=\"%s\" is not a BCP 47 tag: %s" %
                                (v, describe(el)))
        self.facts.append("lang attributes: %d" % n)

    def headings(self):
        last, h1 = 0, 0
        for el in self.root.iter():
            m = re.match(r"^h([1-6])$", el.tag if isinstance(el.tag, str)
                         else "")
            if not m:
                continue
            level = int(m.group(1))
            h1 += level == 1
            if last == 0 and level != 1:
                self.bad.append("the first heading is h%d, not h1: %s" %
                                (level, text(el)[:60]))
            elif level > last + 1 and last:
                self.bad.append("h%d after h%d skips a level: %s" %
                                (level, last, text(el)[:60]))
            last = level
        if h1 != 1:
            self.bad.append("%d h1 elements, want exactly 1" % h1)
        self.facts.append("h1: %d" % h1)

    def ids(self):
        seen = {}
        for el in self.root.iter():
            i = el.get("id")
            if i is None:
                continue
            if i == "" or re.search(r"\s", i):
                self.bad.append("id \"%s\" is empty or has a space" % i)
            if i in seen:
                self.bad.append("id \"%s\" is used twice: %s and %s" %
                                (i, describe(seen[i]), describe(el)))
            seen[i] = el
        self.id_of = seen
        for el in self.root.iter():
            refs = []
            if el.tag == "label" and el.get("for") is not None:
                refs.append(("for", el.get("for")))
            for a in ("aria-describedby", "aria-labelledby",
                      "aria-controls", "list"):
                for r in (el.get(a) or "").split():
                    refs.append((a, r))
            for a, r in refs:
                if r not in seen:
                    self.bad.append("%s=\"%s\" names no element: %s" %
                                    (a, r, describe(el)))
        for el in self.root.iter("a"):
            h = el.get("href") or ""
            if h.startswith("#") and len(h) > 1 and h[1:] not in seen:
                self.bad.append("link to #%s, which is not in the page" %
                                h[1:])

    def labels(self):
        fors = {el.get("for") for el in self.root.iter("label")}
        n = 0
        for el in self.root.iter():
            if el.tag not in ("input", "select", "textarea"):
                continue
            if (el.get("type") or "").lower() == "hidden":
                continue
            n += 1
            named = el.get("id") in fors or \
                (el.get("aria-label") or "").strip() or \
                el.get("aria-labelledby") or \
                any(a.tag == "label" for a in self.ancestors(el))
            if not named:
                self.bad.append("control without a label: %s" % describe(el))
        self.facts.append("controls: %d" % n)
        for el in self.root.iter("button"):
            if not text(el) and not (el.get("aria-label") or "").strip():
                self.bad.append("button without text: %s" % describe(el))
        for el in self.root.iter("a"):
            if el.get("href") is not None and not text(el) and \
                    not (el.get("aria-label") or "").strip():
                self.bad.append("link without text: %s" % describe(el))
        for el in self.root.iter("img"):
            if el.get("alt") is None:
                self.bad.append("img without alt: %s" % describe(el))

    def direction(self):
        titles = []
        for ul in self.root.iter("ul"):
            if "list" not in (ul.get("class") or "").split():
                continue
            for li in ul.findall("li"):
                for c in li:
                    if c.tag == "a" or "t" in (c.get("class") or "").split():
                        titles.append(c)
                        break
        rtl = 0
        for t in titles:
            lang = (t.get("lang") or "").split(",")[0].strip()
            if is_rtl(lang):
                rtl += 1
                if (t.get("dir") or "").lower() != "rtl":
                    self.bad.append("entry in a right-to-left language "
                                    "without dir=\"rtl\": %s %s" %
                                    (describe(t), text(t)[:40]))
        for el in self.root.iter():
            if (el.get("dir") or "").lower() == "rtl" and \
                    not is_rtl(el.get("lang") or ""):
                self.bad.append("dir=\"rtl\" on text not in a "
                                "right-to-left language: %s" % describe(el))
        self.facts.append("entries: %d" % len(titles))
        self.facts.append("rtl entries: %d" % rtl)

    def out_of_scope(self):
        d = self.index
        ok = {s["url"] for s in d.get("sources", [])}
        ok |= {r["url"] for r in d.get("resources", [])
               if r.get("kind") == "link"}
        tels = {h["tel"] for h in d.get("hotlines", [])}
        return ok, tels

    def external(self):
        ok, tels = self.out_of_scope()
        n_abs = 0
        for el in self.root.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "base":
                self.bad.append("a <base> element changes every link")
            if el.tag == "meta" and \
                    (el.get("http-equiv") or "").lower() == "refresh":
                self.bad.append("a <meta http-equiv=refresh>")
            for a in EMBED_ATTRS:
                v = el.get(a)
                if v is not None and self.remote(v, a == "srcset"):
                    self.bad.append("%s=\"%s\" loads from outside the "
                                    "copy: %s" % (a, v, describe(el)))
            h = el.get("href")
            if h is not None and el.tag != "a":
                if self.remote(h, False) or SCHEME.match(h):
                    self.bad.append("href=\"%s\" on <%s> points outside "
                                    "the copy" % (h, el.tag))
            elif h is not None:
                if re.search(r"\s", h.strip()) or h != h.strip():
                    self.bad.append("href=\"%s\" has white space" % h)
                m = SCHEME.match(h)
                if m or h.startswith("//"):
                    n_abs += 1
                    s = m.group(1).lower() if m else ""
                    if not (h in ok and s in ("http", "https")) and \
                            not (s == "tel" and h in tels):
                        self.bad.append("absolute link to something not "
                                        "listed as out of scope: %s" % h)
            css = el.get("style") or ""
            if el.tag == "style":
                css += "".join(el.itertext())
            for m in CSS_URL.finditer(css):
                u = m.group(1) or m.group(2) or ""
                if self.remote(u, False) or SCHEME.match(u):
                    self.bad.append("a style loads %s" % u)
        self.facts.append("absolute links: %d" % n_abs)

    @staticmethod
    def remote(v, srcset):
        urls = [p.strip().split()[0] for p in v.split(",") if p.strip()] \
            if srcset else [v.strip()]
        for u in urls:
            m = SCHEME.match(u)
            if u.startswith("//") or (m and m.group(1).lower() not in
                                      ("data", "blob")):
                return True
        return False

    def run(self):
        self.charset()
        self.langs()
        self.headings()
        self.ids()
        self.labels()
        self.direction()
        self.external()


def main(argv):
    if len(argv) == 2 and argv[0] == "parse":
        errs = parse_errors(argv[1])
        for e in errs:
            print(e)
        return 1 if errs else 0
    if len(argv) == 3 and argv[0] == "structure":
        with open(argv[2], encoding="utf-8") as f:
            index = json.load(f)
        c = Checker(argv[1], index)
        c.run()
        for f in c.facts:
            print("fact: " + f)
        for b in c.bad:
            print("bad: " + b)
        return 1 if c.bad else 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
