#!/usr/bin/env python3
"""Read the DOM of index.html as a browser left it (chromium --dump-dom).

Usage:
  domcheck.py summary DOM     what a person sees: one line per fact
  domcheck.py a11y DOM        accessibility basics; prints problems, exit 1

summary prints "count: TEXT", "h1: TEXT", "form: shown|hidden",
"none: shown|hidden", "badges: N", then "shown: TITLE" or "hidden: TITLE"
for each entry of the list, in page order.  An element is hidden when it
or an ancestor has the hidden attribute.
"""

import html.parser
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []
        self.text = []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def hidden(self):
        n = self
        while n is not None:
            if "hidden" in n.attrs:
                return True
            n = n.parent
        return False

    def all_text(self):
        out = list(self.text)
        for c in self.children:
            if isinstance(c, Node):
                out.append(c.all_text())
            else:
                out.append(c)
        return "".join(out)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()


class Tree(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        # Optional end tags: a new <li> or <p> closes an open one.
        if tag in ("li", "p"):
            n = self.cur
            while n is not self.root and n.tag not in ("ul", "ol"):
                if n.tag == tag or (tag == "li" and n.tag == "p"):
                    self.cur = n.parent
                    break
                n = n.parent
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def load(path):
    t = Tree()
    with open(path, encoding="utf-8") as f:
        t.feed(f.read())
    return t.root


def find(root, pred):
    return [n for n in root.walk() if pred(n)]


def by_id(root, ident):
    r = find(root, lambda n: n.attrs.get("id") == ident)
    return r[0] if r else None


def entries(root):
    """The entries of the list: li children of ul.list."""
    return [n for n in root.walk() if n.tag == "li" and n.parent is not None
            and "list" in n.parent.classes()]


def title_of(li):
    for c in li.children:
        if isinstance(c, Node) and (c.tag == "a" or "t" in c.classes()):
            return c
    return None


def summary(root):
    for ident in ("count",):
        n = by_id(root, ident)
        print("%s: %s" % (ident, n.all_text().strip() if n else "(none)"))
    h1 = find(root, lambda n: n.tag == "h1")
    print("h1: %s" % (" ".join(h1[0].all_text().split()) if h1 else ""))
    for ident in ("find", "none", "toc"):
        n = by_id(root, ident)
        print("%s: %s" % (ident, "(none)" if n is None else
                          "hidden" if n.hidden() else "shown"))
    print("badges: %d" % len(find(root, lambda n: "new" in n.classes()
                                  and not n.hidden())))
    for li in entries(root):
        t = title_of(li)
        name = " ".join(t.all_text().split()) if t else "?"
        print("%s: %s" % ("hidden" if li.hidden() else "shown", name))


def a11y(root):
    bad = []
    html_el = find(root, lambda n: n.tag == "html")
    if not html_el or not html_el[0].attrs.get("lang"):
        bad.append("the page has no lang")
    # Headings in order: never more than one level deeper than the last.
    last = 0
    for n in root.walk():
        if len(n.tag) == 2 and n.tag[0] == "h" and n.tag[1] in "123456":
            level = int(n.tag[1])
            if level > last + 1:
                bad.append("heading h%d after h%d: %s" %
                           (level, last, n.all_text().strip()[:60]))
            last = level
    # Every control is labelled.
    labels = {n.attrs.get("for") for n in root.walk() if n.tag == "label"}
    for n in root.walk():
        if n.tag in ("input", "select", "textarea"):
            if n.attrs.get("type") == "hidden":
                continue
            if n.attrs.get("id") not in labels and \
                    not n.attrs.get("aria-label"):
                bad.append("unlabelled %s id=%s" % (n.tag, n.attrs.get("id")))
        if n.tag == "button" and not n.all_text().strip() and \
                not n.attrs.get("aria-label"):
            bad.append("button without text id=%s" % n.attrs.get("id"))
    # Links have text.
    for n in root.walk():
        if n.tag == "a" and not n.all_text().strip():
            bad.append("link without text: %s" % n.attrs.get("href"))
    for b in bad:
        print(b)
    return 1 if bad else 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("summary", "a11y"):
        sys.exit(__doc__)
    root = load(sys.argv[2])
    if sys.argv[1] == "summary":
        summary(root)
        return 0
    return a11y(root)


if __name__ == "__main__":
    sys.exit(main())
