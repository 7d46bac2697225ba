#!/usr/bin/env python3
"""Check that a mirror works offline.

Usage: checklinks.py MIRROR

For every HTML page and stylesheet in MIRROR (index.html and site/), every
link must either resolve to a file inside MIRROR, or be an absolute URL
(or mailto:, tel:, javascript:, data:, a bare #fragment) that the mirror
does not hold -- a link that points online to something the mirror has a
copy of is an error, as is a relative link to a missing file or one that
leaves the mirror.  Prints one line per problem and exits 1 if any.
"""

import html.parser
import json
import os
import re
import sys
import urllib.parse

URL_ATTRS = {"href", "src", "poster", "data"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""",
                     re.S)


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if v is None:
                continue
            if k in URL_ATTRS and not (tag == "link" and
                                       "preconnect" in (a.get("rel") or "")):
                self.links.append(v.strip())
            elif k == "srcset":
                for cand in v.split(","):
                    cand = cand.strip().split()
                    if cand:
                        self.links.append(cand[0])
            elif k == "style":
                self.links.extend(css_links(v))
        if tag == "style":
            self.in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.links.extend(css_links(data))


def css_links(text):
    out = []
    for m in CSS_URL.finditer(re.sub(r"/\*.*?\*/", "", text, flags=re.S)):
        out.append((m.group(2) if m.group(2) is not None else m.group(4)).strip())
    return out


def main():
    root = os.path.realpath(sys.argv[1])
    held = set()
    try:
        with open(os.path.join(root, "index.json"), encoding="utf-8") as f:
            for r in json.load(f)["resources"]:
                if r.get("path"):       # "link" entries have no copy
                    held.add(r["url"])
    except (OSError, ValueError, KeyError) as e:
        print("index.json unreadable: %s" % e)
        return 1
    files = [os.path.join(root, "index.html")]
    for d, _, names in os.walk(os.path.join(root, "site")):
        files += [os.path.join(d, n) for n in names
                  if n.endswith((".html", ".htm", ".css"))]
    bad = 0
    checked = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if path.endswith(".css"):
            links = css_links(text)
        else:
            p = Links()
            p.feed(text)
            links = p.links
        rel = os.path.relpath(path, root)
        for link in links:
            checked += 1
            if link == "" or link.startswith("#"):
                continue
            scheme = urllib.parse.urlsplit(link).scheme.lower()
            if scheme in ("mailto", "tel", "javascript", "data"):
                continue
            if scheme in ("http", "https") or link.startswith("//"):
                u = urllib.parse.urldefrag(link)[0]
                # index.html names each source's original page on purpose.
                if u in held and rel != "index.html":
                    print("%s: links online to a resource the mirror holds: %s"
                          % (rel, link))
                    bad += 1
                continue
            if scheme:
                print("%s: unexpected scheme: %s" % (rel, link))
                bad += 1
                continue
            target = urllib.parse.unquote(urllib.parse.urlsplit(link).path)
            full = os.path.realpath(os.path.join(os.path.dirname(path), target))
            if not (full + "/").startswith(root + "/"):
                print("%s: leaves the mirror: %s" % (rel, link))
                bad += 1
            elif not os.path.isfile(full):
                print("%s: broken offline link: %s" % (rel, link))
                bad += 1
    print("checked %d links in %d files, %d problems" % (checked, len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
