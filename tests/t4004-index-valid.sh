#!/bin/bash
# t4004: index.html is valid HTML5 and well built, for the seed mirror as
# a first pass leaves it and for a mirror that has everything the page
# can show: catalog.conf overrides (a title and a section with <, > and
# &, a note, a language, a hidden entry, a new order), files the site
# added under local/ (Spanish, Korean, Persian and awkward names), a
# changed card and withdrawn cards, one of them right to left.
#
# Each page goes through html5lib, the WHATWG parsing algorithm (every
# parse error fails, with its line, column and message), through tidy
# 5.6, which knows HTML5 (every warning fails: for these pages it has
# none, so none is ignored; a new one is to be fixed in the page, or
# filtered here with the reason it is wrong), and through the structure
# rules of tests/browser/htmlcheck.py: one h1, headings in order,
# labelled controls, lang, dir="rtl" on right-to-left entries, nothing
# loaded from outside the copy.  A deliberately broken copy shows that
# each of the three catches what it should.
#
# When the Nu Html Checker is at hand (VNU_JAR, or the npm package
# vnu-jar installed into tests/browser/node_modules of the build tree:
# `npm install --prefix tests/browser vnu-jar`) and java runs, both
# pages go through it too, which also checks content models and
# attribute values; otherwise that part is skipped, saying so.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# html5lib may live in the system's python only.
HTML5_PYTHON=
for p in "$PYTHON3" /usr/bin/python3; do
	if "$p" -c 'import html5lib' 2>/dev/null; then
		HTML5_PYTHON=$p
		break
	fi
done
TIDY=$(command -v tidy || true)
if [ -z "$HTML5_PYTHON" ] || [ -z "$TIDY" ]; then
	echo "# ************************************************************"
	echo "# t4004: NO VALIDATOR: python3-html5lib or tidy is missing, so"
	echo "# index.html was NOT validated (apt-get install"
	echo "# python3-html5lib tidy)."
	echo "# ************************************************************"
	skip_all "python3-html5lib or tidy is not installed: index.html was not validated"
fi
case $("$TIDY" -v 2>/dev/null) in
*" version 5."*) ;;
*) skip_all "tidy is older than 5 and does not know HTML5: $("$TIDY" -v)" ;;
esac
CHECK=$top_srcdir/tests/browser/htmlcheck.py

# valid NAME PAGE INDEX_JSON: the three checks on one page.
valid() {
	local name=$1 page=$2 index=$3
	ok_cmd "$name: html5lib finds no parse error" \
	    "$HTML5_PYTHON" "$CHECK" parse "$page"
	run "$TIDY" -q -e -utf8 "$page"
	if [ "$RC" -eq 0 ] && [ -z "$STDERR" ]; then
		pass "$name: tidy finds nothing to say"
	else
		fail "$name: tidy finds nothing to say" "exit $RC" "$STDERR"
	fi
	run "$HTML5_PYTHON" "$CHECK" structure "$page" "$index"
	if [ "$RC" -eq 0 ]; then
		pass "$name: one h1, headings in order, labels, lang, dir, nothing from outside"
	else
		fail "$name: one h1, headings in order, labels, lang, dir, nothing from outside" \
		    "exit $RC" "$STDOUT" "$STDERR"
	fi
	FACTS=$STDOUT
}

rig_start
write_conf ferry.conf
H2=site/127.0.0.2_$PORT
ok_cmd "a first sync builds the mirror" ferry -c ferry.conf sync ||
	bail_out "no mirror to check"
cp mirror/index.html seed.html && cp mirror/index.json seed.json

valid "the seed mirror" seed.html seed.json
like "$FACTS" "fact: rtl entries: 4" "it has four entries right to left (ar, fa, he, ur)"
like "$FACTS" "fact: controls: 2" "and two controls, the search box and the language list"

# --- a mirror with everything ------------------------------------------------
mkdir -p mirror/local/formularios
printf '%%PDF-1.4 tarjeta roja\n' >"mirror/local/formularios/guía-tarjeta-roja-español.pdf"
printf '%%PDF-1.4 레드카드\n' >"mirror/local/레드카드-한국어.pdf"
printf '%%PDF-1.4 fa\n' >"mirror/local/کارت-قرمز-fa.pdf"
printf 'Sábado\n' >"mirror/local/horario (sábado) & más=1 'v2'.txt"
printf 'Clinic on Saturdays\n' >mirror/local/flyer.txt
cat >mirror/catalog.conf <<CONF
[resource "$H2/redcards/ko.pdf"]
	title = Red Card <Korean> & \"more\" 'x'
	note = Printed copies at the front desk <b>today</b> & tomorrow
	order = -1
[resource "local/flyer.txt"]
	title = نشرة العيادة
	lang = ar
	section = Clinic <notices> & \"hours\"
[resource "http://127.0.0.1:$PORT/files/Report.PDF"]
	hidden
CONF
rm "$SITE/127.0.0.2/redcards/am.pdf" "$SITE/127.0.0.2/redcards/ar.pdf"
printf '%% edited\n' >>"$SITE/127.0.0.2/redcards/fr.pdf"
cmd_exits 3 "a sync with overrides, local files, a change and two withdrawn" \
    ferry -c ferry.conf sync
page=$(cat mirror/index.html)
like "$page" "Red Card &lt;Korean&gt; &amp; (&quot;|\")more(&quot;|\") (&#39;|')x(&#39;|')<" \
    "the overridden title is there, escaped"
like "$page" "No longer at the source since" "withdrawn cards are marked"
like "$page" "dir=\"?rtl\"?>نشرة العيادة<" "the local file given lang = ar is right to left"
like "$page" "horario \(sábado\) &amp; más=1 (&#39;|')v2(&#39;|')\.txt<" \
    "the awkward file name is listed"

valid "the mirror with everything" mirror/index.html mirror/index.json
like "$FACTS" "fact: rtl entries: 6" \
    "six entries right to left (the four cards, withdrawn or not, and two local files)"
ok_cmd "every link of that page works offline or is out of scope" \
    "$PYTHON3" "$RIG_DIR/checklinks.py" mirror

# --- the Nu Html Checker, when it is there -------------------------------------
: "${VNU_JAR:=$top_builddir/tests/browser/node_modules/vnu-jar/build/dist/vnu.jar}"
if [ -f "$VNU_JAR" ] && command -v java >/dev/null; then
	run timeout 50 java -jar "$VNU_JAR" --also-check-css seed.html \
	    mirror/index.html
	if [ "$RC" -eq 0 ] && [ -z "$STDOUT$STDERR" ]; then
		pass "the Nu Html Checker finds no error or warning in either page"
	else
		fail "the Nu Html Checker finds no error or warning in either page" \
		    "exit $RC" "$STDOUT" "$STDERR"
	fi
else
	skip "the Nu Html Checker on both pages" \
	    "no vnu.jar at $VNU_JAR or no java"
fi

# --- the checks can fail ------------------------------------------------------
# A copy broken in known ways: a stray end tag, an attribute given twice,
# a heading that skips a level, a duplicate id, an unlabelled control, an
# entry in Arabic without dir, a script and an image from a CDN, and an
# absolute link the catalog does not list.
sed -e 's|</header>|</div></header>|' \
    -e 's|<h1 |<h1 class="x" class="y" |' \
    -e '0,/<h3/s|<h3|<h5 id="find"></h5><h3|' \
    -e 's|<input id="q"|<input id="zz"><input id="q"|' \
    -e 's|\(ar\.pdf"\{0,1\} lang="\{0,1\}ar"\{0,1\}\) dir="\{0,1\}rtl"\{0,1\}|\1|' \
    -e 's|</head>|<script src="https://cdn.example/x.js"></script></head>|' \
    -e 's|</footer>|<img src="//cdn.example/logo.png"><a href="https://elsewhere.example/">x</a></footer>|' \
    seed.html >broken.html
run "$HTML5_PYTHON" "$CHECK" parse broken.html
like "$STDOUT" "broken\.html:[0-9]+:[0-9]+: End tag \(div\)" \
    "html5lib reports the stray end tag with its line and column"
like "$STDOUT" "broken\.html:[0-9]+:[0-9]+: .*[Dd]uplicate attribute" \
    "and the attribute given twice"
is "$RC" 1 "and fails"
run "$TIDY" -q -e -utf8 broken.html
like "$STDERR" "line [0-9]+ column [0-9]+ - Warning: <img> lacks \"alt\"" \
    "tidy reports the image without alt"
isnt "$RC" 0 "and fails"
run "$HTML5_PYTHON" "$CHECK" structure broken.html seed.json
for want in "h5 after h2 skips a level" \
    "id \"find\" is used twice" \
    "control without a label: <input id=\"zz\">" \
    "entry in a right-to-left language without dir=\"rtl\".*ar\.pdf" \
    "src=\"https://cdn\.example/x\.js\" loads from outside the copy" \
    "src=\"//cdn\.example/logo\.png\" loads from outside the copy" \
    "img without alt" \
    "absolute link to something not listed as out of scope: https://elsewhere\.example/"; do
	like "$STDOUT" "bad: $want" "the structure check reports: ${want//\\/}"
done
is "$RC" 1 "and fails"

done_testing
