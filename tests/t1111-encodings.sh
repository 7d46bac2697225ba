#!/bin/bash
# t1111: pages that are not UTF-8.  A page in windows-1252 (said by its
# <meta>), in Shift_JIS (said only by the Content-Type header), in EUC-KR,
# and one that says nothing and is not valid UTF-8 (read as windows-1252,
# as browsers do): each page's text, title and link texts reach text/ and
# the index as the right UTF-8, its links still work offline (the offsets
# found in the converted text are spliced into the original bytes), and
# the copy keeps every original byte outside the link values.  The test
# server's header says "charset=utf-8" of every page but the Shift_JIS
# one, as misconfigured servers do: a header that says UTF-8 of bytes
# that are not is not believed.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H1=site/127.0.0.1_$PORT
T1=text/127.0.0.1_$PORT/enc
D=$SITE/127.0.0.1/enc
mkdir -p "$D"
cp "$SITE/127.0.0.1/files/report.pdf" "$D/tarjeta.pdf"
cp "$SITE/127.0.0.1/files/report.pdf" "$D/card-ja.pdf"
cp "$SITE/127.0.0.1/files/report.pdf" "$D/card-ko.pdf"
cp "$SITE/127.0.0.1/files/report.pdf" "$D/plain.pdf"

# page NAME ENCODING META: write $D/NAME.html in ENCODING from UTF-8 text.
page() {
	"$PYTHON3" - "$D/$1.html" "$2" "$3" <<'PY'
import sys
out, enc, meta = sys.argv[1:]
name = out.rsplit("/", 1)[1][:-5]
body = {
    "es": ("Derechos del inmigrante", "Tarjeta roja en Español, ¡Conozca sus "
           "derechos!", "tarjeta.pdf", "Línea directa: (213) 555-0142 — "
           "atención 24/7 «gratis»"),
    "ja": ("あなたの権利", "レッドカード（日本語）", "card-ja.pdf",
           "黙秘する権利があります。パス: C:\\docs\\card"),
    "ko": ("권리를 알아두세요", "레드 카드 (한국어)", "card-ko.pdf",
           "당신은 묵비권을 행사할 권리가 있습니다."),
    "plain": ("Información", "Guía para familias", "plain.pdf",
              "Preparación familiar: qué hacer"),
}[name]
title, link, href, para = body
head = '<meta charset="%s">' % meta if meta else ""
html = ('<!DOCTYPE html><html><head>%s<title>%s</title></head><body>'
        '<h1>%s</h1><p>%s</p><p><a href="%s">%s</a></p></body></html>\n'
        % (head, title, title, para, href, link))
open(out, "wb").write(html.encode(enc))
PY
}
page es cp1252 windows-1252
page ja shift_jis ""
page ko euc_kr euc-kr
page plain cp1252 ""
rig_rules '{"127.0.0.1/enc/ja.html": {"content_type": "text/html; charset=Shift_JIS"}}'
args=()
for p in es ja ko plain; do
	args+=("[source \"$p\"]" "	url = http://127.0.0.1:$PORT/enc/$p.html"
	    "	depth = 0")
done
write_conf ferry.conf "${args[@]}"
cmd_exits 0 "a pass over pages in four encodings" \
    ferry -c ferry.conf sync es ja ko plain

text() { cat "mirror/$T1/$1.html.txt"; }
like "$(text es)" "Tarjeta roja en Español, ¡Conozca sus derechos! <tarjeta.pdf>" \
    "windows-1252 (meta): the link text is UTF-8 in text/"
like "$(text es)" "Línea directa: \(213\) 555-0142 — atención 24/7 «gratis»" \
    "and the paragraph, with its dashes and quotes"
like "$(text ja)" "^# あなたの権利" "Shift_JIS (header only): the heading"
like "$(text ja)" "C:\\\\docs\\\\card" "its backslashes stay backslashes"
like "$(text ko)" "당신은 묵비권을 행사할 권리가 있습니다\." "EUC-KR: the paragraph"
like "$(text plain)" "Preparación familiar: qué hacer" \
    "undeclared and not UTF-8: read as windows-1252"
ok_cmd "every text is valid UTF-8" sh -c \
    "cat mirror/$T1/*.txt | iconv -f UTF-8 -t UTF-8 >/dev/null"

titles=$("$PYTHON3" -c 'import json,sys
for e in json.load(open(sys.argv[1]))["resources"]:
    print(e.get("title", ""))' mirror/index.json)
like "$titles" "Tarjeta roja en Español" "the index has the card's title in UTF-8"
like "$titles" "レッドカード（日本語）" "and the Japanese one"
like "$titles" "레드 카드 \(한국어\)" "and the Korean one"
like "$(cat mirror/index.html)" "Tarjeta roja en Español" "index.html shows it"

for p in es ja ko plain; do
	got=mirror/$H1/enc/$p.html
	ok_cmd "$p: the copy's link points to the local copy" \
	    grep -q 'href="[a-z-]*\.pdf"' "$got"
	# Outside the link values, the copy is the original byte for byte.
	is "$("$PYTHON3" - "$D/$p.html" "$got" <<'PY'
import re, sys
a, b = (open(f, "rb").read() for f in sys.argv[1:])
strip = lambda s: re.sub(rb'href="[^"]*"', b'href=""', s)
print("same" if strip(a) == strip(b) else "differs")
PY
)" same "$p: every other byte is the original's"
done
ok_cmd "every link of the copy works offline" \
    "$PYTHON3" "$top_srcdir/tests/rig/checklinks.py" mirror
done_testing
