#!/usr/bin/env python3
"""Compare a mirror with the sample site it was made from.

Usage: checkmirror.py MIRROR SITE

SITE is the directory gensite.py wrote (with its _site.json catalogue).
Checks that index.json lists exactly the in-scope resources (a redirect
counts as its target), that each listed file exists, that its sha256 is
that of the file the server holds, that documents are byte-identical and
that pages differ from the originals only inside link values.  Prints one
line per problem and exits 1 if any.
"""

import hashlib
import json
import os
import re
import sys
import urllib.parse

IN_SCOPE = {"source", "page", "document", "requisite"}
LINK_VALUE = re.compile(
    r"""(\s(?:href|src|srcset|poster|data|content)\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""",
    re.I)
CSS_URL = re.compile(r"""url\(\s*(['"]?)[^'")]*\1\s*\)""")


def site_file(site, r):
    path = urllib.parse.unquote(r["path"])
    if path.endswith("/"):
        path += "index.html"
    return os.path.join(site, r["host"], path.lstrip("/"))


def canonical(url):
    """/dir/index.html and /dir/ are one resource, as ferry treats them."""
    return re.sub(r"/index\.html?$", "/", url)


def masked(data):
    text = data.decode("utf-8", errors="replace")
    text = LINK_VALUE.sub(lambda m: m.group(1) + '"*"', text)
    return CSS_URL.sub("url(*)", text)


def main():
    mirror, site = sys.argv[1], sys.argv[2]
    with open(os.path.join(site, "_site.json"), encoding="utf-8") as f:
        cat = json.load(f)
    with open(os.path.join(mirror, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    redirects = cat.get("redirects", {})
    want = {}
    for r in cat["resources"]:
        if r["role"] in IN_SCOPE:
            want[canonical(redirects.get(r["url"], r["url"]))] = r
    got = {canonical(e["url"]): e for e in index["resources"]
           if e.get("path")}          # "link" entries have no copy
    bad = []
    for u in sorted(set(want) - set(got)):
        bad.append("missing from the mirror: %s" % u)
    for u in sorted(set(got) - set(want)):
        bad.append("in the mirror but out of scope: %s" % u)
    for u in sorted(set(want) & set(got)):
        r, e = want[u], got[u]
        for key in ("url", "path", "sha256", "size", "content_type",
                    "fetched", "status"):
            if key not in e:
                bad.append("%s: index.json has no '%s'" % (u, key))
        src = site_file(site, r)
        with open(src, "rb") as f:
            orig = f.read()
        dst = os.path.join(mirror, e["path"])
        if not os.path.isfile(dst):
            bad.append("%s: no file '%s'" % (u, e["path"]))
            continue
        with open(dst, "rb") as f:
            copy = f.read()
        if e.get("sha256") != hashlib.sha256(orig).hexdigest():
            bad.append("%s: index.json sha256 is not the served body's" % u)
        if e.get("size") != len(orig):
            bad.append("%s: index.json size %s, served %d bytes"
                       % (u, e.get("size"), len(orig)))
        rewritten = e["path"].endswith((".html", ".css"))
        if not rewritten and copy != orig:
            bad.append("%s: '%s' differs from the served bytes"
                       % (u, e["path"]))
        if rewritten and masked(copy) != masked(orig):
            bad.append("%s: '%s' differs from the original outside link "
                       "values" % (u, e["path"]))
    for line in bad:
        print(line)
    print("compared %d resources, %d problems" % (len(want), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
