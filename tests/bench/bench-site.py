#!/usr/bin/env python3
"""bench-site: the benchmark's change to the sample site, and its check
of each tool's copy.

It owns: changing about 1% of a site written by tests/rig/gensite.py
the way an official site changes (a hotline number edited on the
source page, PDFs replaced behind pages that do not change, PDFs added,
PDFs removed together with their links), the record of that change
(DIR/_bench_change.json), and reading a mirrored tree to say whether a
tool has every resource it should and every change.

It deliberately does not run any tool, time anything or read the
server's log (bench.sh and bench-report.py do), and it does not judge
how a tool rewrote links: pages are checked for presence and, when
edited, for the edited text; every other file byte for byte.

Usage:
  bench-site.py change --site DIR [--fraction F]
  bench-site.py check --site DIR --root DIR

check prints one JSON object: expected, present, missing, stale (a
file with old bytes), misplaced (right bytes, other name) and, once the
site has changed, edit / replaced / added / removed, each "k/n".
"""

import argparse
import hashlib
import importlib.util
import json
import os
import random
import re
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
RIG = os.path.join(HERE, "..", "rig")

OLD_NUMBER = ("(213) 555-0142", "tel:+12135550142")
NEW_NUMBER = ("(213) 555-0187", "tel:+12135550187")

# Replaced behind pages that do not change: a PDF two links away from
# the source page (linked only from /resources/schools.html) and a red
# card on the second host (linked only from /resources/red-cards.html).
UNCHANGED_PAGE_PDFS = [("127.0.0.1", "/files/supporting-students-toolkit.pdf"),
                       ("127.0.0.2", "/redcards/es.pdf")]

# Linked from the source page; removed with their links when the site
# has no document library.
SEED_REMOVED = ["/files/expedited-removal.pdf",
                "/files/what-to-do-if-arrested.pdf"]

WANTED_ROLES = ("source", "page", "document", "requisite")
COLLECTION = re.compile(r"^/library/collection-(\d+)\.html$")
LIBRARY_DOC = re.compile(r"^/(?:library/docs|archive)/(\d+)/")


def die(fmt, *args):
    sys.stderr.write("bench-site: " + fmt % args + "\n")
    sys.exit(1)


def load_gensite():
    path = os.path.join(RIG, "gensite.py")
    spec = importlib.util.spec_from_file_location("gensite", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def sha1_file(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                break
            h.update(block)
    return h.hexdigest()


def local(site, host, path):
    return os.path.join(site, host, path.lstrip("/"))


def edit_file(fs, fn):
    with open(fs, encoding="utf-8") as f:
        text = f.read()
    new = fn(text)
    if new == text:
        die("'%s' did not change", fs)
    with open(fs, "w", encoding="utf-8") as f:
        f.write(new)


def drop_link(text, href):
    """TEXT without the list item or resource block that links HREF."""
    quoted = re.escape('href="%s"' % href)
    block = re.compile(r'<div class="resource"[^>]*>\n<h3><a ' + quoted +
                       r'.*?</div>\n', re.S)
    new, n = block.subn("", text, count=1)
    if n:
        return new
    line = re.compile(r"^<li><a " + quoted + r".*\n", re.M)
    new, n = line.subn("", text, count=1)
    if not n:
        die("no link to '%s' to remove", href)
    return new


def add_links(text, items, anchor):
    add = "".join('<li><a href="%s">%s</a></li>\n' % (h, t)
                  for h, t in items)
    at = text.find(anchor)
    if at < 0:
        die("no '%s' to add links before", anchor.strip())
    return text[:at] + add + text[at:]


def write_pdf(gs, site, host, path, key, title, size, when):
    first, pad, last = gs.pdf_parts(key, title, [title, "Benchmark change"],
                                    "City of Los Angeles (sample)", "en",
                                    size)
    fs = local(site, host, path)
    os.makedirs(os.path.dirname(fs), exist_ok=True)
    h = hashlib.sha1()
    with open(fs, "wb") as f:
        for block in [first] + list(gs.noise(key, pad)) + [last]:
            f.write(block)
            h.update(block)
    os.utime(fs, (when, when))
    return h.hexdigest()


def href_for(port, host, path):
    """How the collection pages link PATH on HOST."""
    if host == "127.0.0.1":
        return urllib.parse.quote(path, safe="/:%")
    return "http://%s:%d%s" % (host, port, urllib.parse.quote(path,
                                                              safe="/:%"))


def cmd_change(args):
    gs = load_gensite()
    site = os.path.abspath(args.site)
    cat = read_json(os.path.join(site, "_site.json"))
    if os.path.exists(os.path.join(site, "_bench_change.json")):
        die("'%s' has already been changed", site)
    port = cat["port"]
    res = cat["resources"]
    wanted = [e for e in res if e["role"] in WANTED_ROLES]
    n = max(1, int(round(args.fraction * len(wanted))))
    n_replaced = max(3, int(round(n * 0.4)))
    n_added = max(2, int(round(n * 0.3)))
    n_removed = max(2, int(round(n * 0.3)))
    rng = random.Random(1)
    now = time.time()
    change = {"edited": [], "replaced": [], "added": [], "removed": []}
    edits = {}

    collections = sorted(int(m.group(1)) for m in
                         (COLLECTION.match(e["path"]) for e in wanted
                          if e["host"] == "127.0.0.1") if m)
    docs_by_page = {}
    for e in wanted:
        m = LIBRARY_DOC.match(e["path"])
        if m and e["role"] == "document":
            docs_by_page.setdefault(int(m.group(1)), []).append(e)

    hub = ("127.0.0.1", "/resources/index.html")

    def edit(host, path, fn, want=None, gone=None):
        edits.setdefault((host, path), []).append(fn)
        rec = next((x for x in change["edited"]
                    if x["host"] == host and x["path"] == path), None)
        if rec is None:
            rec = {"host": host, "path": path, "want": [], "gone": []}
            change["edited"].append(rec)
        rec["want"] += want or []
        rec["gone"] += gone or []

    # A hotline number changes on the source page.
    edit(hub[0], hub[1],
         lambda t: t.replace(OLD_NUMBER[0], NEW_NUMBER[0])
         .replace(OLD_NUMBER[1], NEW_NUMBER[1]),
         want=[NEW_NUMBER[0]], gone=[OLD_NUMBER[0]])

    if collections:
        touched = collections[:max(2, len(collections) // 30)]
        quiet = [p for p in collections if p not in touched]
    else:
        touched, quiet = [], []

    # Removed: the document and every link to it.
    if touched:
        pool = [e for p in touched for e in docs_by_page.get(p, [])]
        gone = rng.sample(pool, min(n_removed, len(pool)))
    else:
        gone = [next(e for e in wanted if e["path"] == p)
                for p in SEED_REMOVED]
    for e in gone:
        m = LIBRARY_DOC.match(e["path"])
        if m:
            page = "/library/collection-%03d.html" % int(m.group(1))
            href = href_for(port, e["host"], e["path"])
        else:
            page, href = hub[1], e["path"]
        edit("127.0.0.1", page, lambda t, h=href: drop_link(t, h))
        os.unlink(local(site, e["host"], e["path"]))
        change["removed"].append({"host": e["host"], "path": e["path"]})

    # Added: new documents linked from pages that change anyway.
    for i in range(n_added):
        host = "127.0.0.2" if i % 2 else "127.0.0.1"
        if touched:
            p = touched[i % len(touched)]
            top = "/archive" if host == "127.0.0.2" else "/library/docs"
            path = "%s/%03d/added-%04d.pdf" % (top, p, i + 1)
            page = "/library/collection-%03d.html" % p
            anchor = "</ul>\n</main>"
        else:
            path = "/files/added-%04d.pdf" % (i + 1)
            page, anchor = hub[1], "</section>\n<section id=\"schools\">"
        title = "Added document %d" % (i + 1)
        size = 20000 + rng.randrange(200000)
        sha1 = write_pdf(gs, site, host, path, b"added|%d" % i, title,
                         size, now)
        href = href_for(port, host, path) if touched else path
        if not touched and host != "127.0.0.1":
            href = href_for(port, host, path)
        edit("127.0.0.1", page,
             lambda t, h=href, ti=title, a=anchor: add_links(t, [(h, ti)],
                                                             a))
        change["added"].append({"host": host, "path": path, "sha1": sha1,
                                "bytes": size})

    # Replaced: new bytes under the same name, behind unchanged pages.
    replace = [next(e for e in wanted
                    if e["host"] == host and e["path"] == path)
               for host, path in UNCHANGED_PAGE_PDFS]
    pool = [e for p in quiet for e in docs_by_page.get(p, [])]
    replace += rng.sample(pool, min(n_replaced - len(replace), len(pool)))
    for i, e in enumerate(replace):
        size = e["bytes"] + 1000 + rng.randrange(5000)
        sha1 = write_pdf(gs, site, e["host"], e["path"],
                         b"replaced|%d|%s" % (i, e["path"].encode()),
                         "Replaced document %d" % (i + 1), size, now)
        change["replaced"].append({"host": e["host"], "path": e["path"],
                                   "sha1": sha1, "old_sha1": e["sha1"],
                                   "bytes": size})

    for (host, path), fns in edits.items():
        fs = local(site, host, path)
        for fn in fns:
            edit_file(fs, fn)
        os.utime(fs, (now, now))

    change["resources"] = len(wanted)
    change["changed"] = (len(change["edited"]) + len(change["replaced"]) +
                         len(change["added"]) + len(change["removed"]))
    write_json(os.path.join(site, "_bench_change.json"), change)
    print("%d of %d resources changed: %d pages edited, %d PDFs replaced, "
          "%d added, %d removed" % (change["changed"], len(wanted),
                                    len(change["edited"]),
                                    len(change["replaced"]),
                                    len(change["added"]),
                                    len(change["removed"])))
    return 0


class Tree:
    """A tool's copy: one directory per host, found by the usual names."""

    def __init__(self, root, port):
        self.root = os.path.abspath(root)
        self.port = port
        self.hostdirs = {}
        self.by_sha1 = None

    def hostdir(self, host):
        if host in self.hostdirs:
            return self.hostdirs[host]
        found = None
        for top in (self.root, os.path.join(self.root, "mirror", "site"),
                    os.path.join(self.root, "out")):
            for name in ("%s_%d" % (host, self.port),
                         "%s:%d" % (host, self.port), host):
                d = os.path.join(top, name)
                if os.path.isdir(d):
                    found = d
                    break
            if found:
                break
        self.hostdirs[host] = found
        return found

    def candidates(self, host, path, page):
        d = self.hostdir(host)
        if d is None:
            return []
        rel = path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        names = [rel, urllib.parse.quote(rel)]
        names.append(re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(),
                            names[1]))
        if page:
            names += [n + ".html" for n in list(names)]
            names.append(rel + "/index.html")
        out = []
        for n in names:
            fs = os.path.join(d, n)
            if fs not in out:
                out.append(fs)
        return out

    def find(self, host, path, page):
        for fs in self.candidates(host, path, page):
            if os.path.isfile(fs):
                return fs
        return None

    def sha1_index(self):
        if self.by_sha1 is None:
            self.by_sha1 = {}
            for host in ("127.0.0.1", "127.0.0.2"):
                d = self.hostdir(host)
                if d is None:
                    continue
                for top, _, files in os.walk(d):
                    for name in files:
                        fs = os.path.join(top, name)
                        self.by_sha1.setdefault(sha1_file(fs), fs)
        return self.by_sha1


def is_page(e):
    return e["type"].startswith("text/html")


def is_text(e):
    return e["type"].startswith("text/")


def cmd_check(args):
    site = os.path.abspath(args.site)
    cat = read_json(os.path.join(site, "_site.json"))
    change = None
    cpath = os.path.join(site, "_bench_change.json")
    if os.path.exists(cpath):
        change = read_json(cpath)
    tree = Tree(args.root, cat["port"])
    wanted = [e for e in cat["resources"] if e["role"] in WANTED_ROLES]
    if change:
        gone = {(r["host"], r["path"]) for r in change["removed"]}
        new = {(r["host"], r["path"]): r["sha1"] for r in change["replaced"]}
        wanted = [dict(e, sha1=new.get((e["host"], e["path"]), e["sha1"]))
                  for e in wanted if (e["host"], e["path"]) not in gone]
        wanted += [{"host": r["host"], "path": r["path"], "sha1": r["sha1"],
                    "type": "application/pdf", "role": "document"}
                   for r in change["added"]]
    missing, stale, misplaced = [], [], []
    present = 0
    for e in wanted:
        page = is_page(e)
        names = [e["path"]] + e.get("aliases", [])
        if e.get("redirected_from"):
            names.append(e["redirected_from"])
        fs = None
        for name in names:
            fs = tree.find(e["host"], name, page)
            if fs:
                break
        if is_text(e):
            if fs:
                present += 1
            else:
                missing.append(e["path"])
            continue
        if fs and sha1_file(fs) == e["sha1"]:
            present += 1
        elif e["sha1"] in tree.sha1_index():
            present += 1
            misplaced.append(e["path"])
        elif fs:
            stale.append(e["path"])
        else:
            missing.append(e["path"])
    out = {"expected": len(wanted), "present": present,
           "missing": len(missing), "stale": len(stale),
           "misplaced": len(misplaced),
           "examples": (missing + stale + misplaced)[:4]}
    if change:
        edited = [r for r in change["edited"] if r["want"]]
        out["edit"] = "%d/%d" % (
            sum(1 for r in edited if page_has(tree, r)), len(edited))
        for kind in ("replaced", "added"):
            good = 0
            for r in change[kind]:
                fs = tree.find(r["host"], r["path"], False)
                if fs and sha1_file(fs) == r["sha1"]:
                    good += 1
            out[kind] = "%d/%d" % (good, len(change[kind]))
        gone = sum(1 for r in change["removed"]
                   if tree.find(r["host"], r["path"], False) is None)
        out["removed"] = "%d/%d" % (gone, len(change["removed"]))
    json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")
    return 0


def page_has(tree, r):
    fs = tree.find(r["host"], r["path"], True)
    if fs is None and r["path"] == "/resources/index.html":
        fs = tree.find(r["host"], "/resources/", True)
    if fs is None:
        return False
    with open(fs, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return all(w in text for w in r["want"]) and \
        not any(g in text for g in r["gone"])


def main(argv):
    p = argparse.ArgumentParser(prog="bench-site")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("change", help="change about 1%% of the site")
    c.add_argument("--site", required=True, metavar="DIR")
    c.add_argument("--fraction", type=float, default=0.01)
    k = sub.add_parser("check", help="check a tool's copy")
    k.add_argument("--site", required=True, metavar="DIR")
    k.add_argument("--root", required=True, metavar="DIR")
    args = p.parse_args(argv)
    if args.cmd == "change":
        if not 0 < args.fraction < 0.5:
            p.error("--fraction must be between 0 and 0.5")
        return cmd_change(args)
    return cmd_check(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
