#!/bin/bash
# t4000: the offline index in a real browser.  A first pass mirrors the
# sample site; headless Chromium then opens index.html from file:// and
# what it shows is checked: search (a word from a PDF's title, a Korean
# word, a Spanish word typed without its accent, scripts that need no
# spaces), the language filter, the Spanish interface, the page with
# scripts off, that no network request is attempted, that every link
# works offline, and accessibility basics.  Screenshots at 1280 and 360
# pixels wide go to tests/artefacts/ in the build tree.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser ||
    command -v google-chrome || true)}
if [ -z "$CHROMIUM" ]; then
	echo "# ************************************************************"
	echo "# t4000: NO BROWSER: chromium is not installed, so the offline"
	echo "# index page was NOT tested in a browser (apt-get install"
	echo "# chromium; '.ci/setup check' installs it)."
	echo "# ************************************************************"
	skip_all "chromium is not installed: the index page was not tested in a browser"
fi

rig_start
write_conf ferry.conf
ok_cmd "a first sync builds the mirror" ferry -c ferry.conf sync ||
	bail_out "no mirror to open"

M=$TRASH/mirror
PAGE=file://$M/index.html
ART=$top_builddir/tests/artefacts
CHECK=$top_srcdir/tests/browser/domcheck.py
mkdir -p "$ART" || bail_out "cannot create $ART"

# browse ARGS... URL: headless Chromium with a fresh profile and nothing
# of its own talking to the network; 5 s of virtual time for the script.
browse() {
	local profile
	profile=$(mktemp -d "$TRASH/profile.XXXXXX")
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --no-default-browser-check \
	    --disable-default-apps --disable-extensions \
	    --disable-domain-reliability --disable-client-side-phishing-detection \
	    --metrics-recording-only --no-pings --hide-scrollbars \
	    --user-data-dir="$profile" --virtual-time-budget=5000 "$@" \
	    2>>"$TRASH/chromium.err"
}

# show FRAGMENT [ARGS...]: the summary of the page opened at #FRAGMENT.
show() {	# called as $(show ...): the count lives in a file
	local frag=$1 n
	shift
	n=$(($(cat "$TRASH/n_show" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$TRASH/n_show"
	browse --dump-dom "$@" "$PAGE#$frag" >"$TRASH/dom.$n.html"
	"$PYTHON3" "$CHECK" summary "$TRASH/dom.$n.html"
}

# The listed resources, from index.json.
listed=$("$PYTHON3" - "$M/index.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(r["kind"] in ("page", "document", "link") for r in d["resources"]))
EOF
)
langs_of() {
	"$PYTHON3" - "$M/index.json" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(sys.argv[2] in [l.lower() for l in r["languages"]]
          for r in d["resources"] if r["kind"] != "requisite"))
EOF
}

# --- the page as it opens ------------------------------------------------
S=$(show "")
is "$(grep -c '^shown: ' <<<"$S")" "$listed" "every resource is listed ($listed)"
like "$S" "count: Showing all $listed resources" "the count says so"
like "$S" "find: shown" "the search form is shown when scripts run"
like "$S" "none: hidden" "no 'nothing found' message"
ok_cmd "accessibility basics: lang, heading order, labelled controls" \
    "$PYTHON3" "$CHECK" a11y "$TRASH/dom.1.html"
like "$(grep -o '<html[^>]*>' "$TRASH/dom.1.html")" 'lang="en"' \
    "the page has a language"
like "$(cat "$TRASH/dom.1.html")" '<a href="site/[^"]*/ko\.pdf" lang="ko">' \
    "an entry in Korean says so (lang)"
like "$(cat "$TRASH/dom.1.html")" '<a href="site/[^"]*/ar\.pdf" lang="ar" dir="rtl">' \
    "an entry in Arabic is right to left"
recent=$("$PYTHON3" - "$M/index.json" <<'EOF'
import datetime, json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
now = datetime.datetime.now(datetime.timezone.utc)
n = 0
for r in d["resources"]:
    if r["kind"] in ("page", "document", "link") and r["changed"]:
        t = datetime.datetime.strptime(r["changed"], "%Y-%m-%dT%H:%M:%SZ")
        n += (now - t.replace(tzinfo=datetime.timezone.utc)).days < 30
print(n)
EOF
)
is "$(grep '^badges:' <<<"$S")" "badges: $recent" \
    "resources changed in the last 30 days are marked updated ($recent)"

# Every link of the page as the browser has it: a file of the copy, or
# an absolute link out of scope.
rm -rf "$TRASH/dom-copy" && cp -r "$M" "$TRASH/dom-copy" &&
	rm -rf "$TRASH/dom-copy/.git" &&
	cp "$TRASH/dom.1.html" "$TRASH/dom-copy/index.html"
ok_cmd "every link in the page works offline or is out of scope" \
    "$PYTHON3" "$RIG_DIR/checklinks.py" "$TRASH/dom-copy"

# --- search ----------------------------------------------------------------
S=$(show "q=expedited")
like "$S" "shown: Know Your Rights: Expedited Removal Expansion" \
    "a word from a PDF's title finds the PDF"
like "$S" "hidden: Guide for Employers" "and hides the others"
like "$S" "count: Showing [1-3] of $listed resources" "and counts what it shows"

S=$(show "q=EXPEDITED%20removal")
like "$S" "shown: Know Your Rights: Expedited Removal Expansion" \
    "search ignores case and needs every word"

S=$(show "q=%EB%A0%88%EB%93%9C%EC%B9%B4%EB%93%9C")
like "$S" "shown: 레드카드 \(한국어, 인쇄용\)" "a Korean word finds the Korean card"
like "$S" "hidden: Español \(Spanish\)" "and hides the Spanish one"

S=$(show "q=%ED%95%9C%EA%B5%AD")
like "$S" "shown: 한국어 \(Korean\)" "part of a Korean word matches (no spaces needed)"

S=$(show "q=preparacion")
like "$S" "shown: Kit de preparación familiar \(PDF\)" \
    "a Spanish word typed without its accent finds the entry"
like "$S" "hidden: Family preparedness checklist" "and hides the others"

S=$(show "q=PREPARACI%C3%93N")
like "$S" "shown: Kit de preparación familiar \(PDF\)" \
    "upper case with the accent finds it too"

S=$(show "q=tieng%20viet")
like "$S" "shown: Tiếng Việt \(Vietnamese\)" "Vietnamese without its marks"

S=$(show "q=%E0%B9%84%E0%B8%97")
like "$S" "shown: ไทย \(Thai\)" "part of a Thai word matches"

S=$(show "q=%E4%B8%AD%E6%96%87")
like "$S" "shown: 繁體中文 \(Chinese Traditional\)" "Chinese: traditional"
like "$S" "shown: 简体中文 \(Chinese Simplified\)" "and simplified"

S=$(show "q=zzqqxxnothing")
is "$(grep -c '^shown: ' <<<"$S")" 0 "a word found nowhere shows nothing"
like "$S" "none: shown" "and says so"
like "$S" "toc: hidden" "the contents hide while searching"

# --- the language filter ----------------------------------------------------
ko=$(langs_of ko)
S=$(show "lang=ko")
is "$(grep -c '^shown: ' <<<"$S")" "$ko" "#lang=ko shows the $ko Korean resources"
like "$S" "shown: 한국어 \(Korean\)" "the Korean red card among them"
like "$S" "hidden: English" "the English one hidden"
S=$(show "lang=ar&q=arabic")
like "$S" "shown: العربية \(Arabic\)" "language and search together"
is "$(grep -c '^shown: ' <<<"$S")" 1 "only that one"

# --- the Spanish interface ----------------------------------------------------
S=$(show "" --lang=es --accept-lang=es)
like "$S" "h1: Recursos sin conexión" "a Spanish browser gets Spanish labels"
like "$S" "count: Se muestran los $listed recursos" "and a Spanish count"
S=$(show "ui=es&q=preparacion")
like "$S" "h1: Recursos sin conexión" "#ui=es chooses Spanish too"
like "$S" "count: Se muestran [0-9]+ de $listed recursos" "and counts in Spanish"

# --- scripts off ---------------------------------------------------------------
# Headless Chromium cannot dump or draw a page with scripts disabled, so a
# copy of the page forbids them itself (Content-Security-Policy), beside
# the original so that its links still resolve.
sed 's|<head>|<head><meta http-equiv="Content-Security-Policy" content="script-src '"'none'"'">|' \
    "$M/index.html" >"$TRASH/dom-copy/noscript.html"
PAGE=file://$TRASH/dom-copy/noscript.html
S=$(show "q=preparacion")
PAGE=file://$M/index.html
is "$(grep '^count:' <<<"$S")" "count: " "scripts off: the script did not run"
is "$(grep -c '^shown: ' <<<"$S")" "$listed" "scripts off: every resource is listed"
like "$S" "find: hidden" "scripts off: no search box that cannot work"
like "$S" "h1: Offline resources Recursos sin conexión" \
    "scripts off: English with the Spanish beside"

# --- no network -----------------------------------------------------------------
# Requests the page makes carry its (file://, opaque) origin as initiator;
# the browser's own housekeeping carries none ("not an origin").
page_requests() {
	"$PYTHON3" - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8", errors="replace"))
start = d["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
out = set()
for e in d["events"]:
    p = e.get("params") or {}
    url = p.get("url", "")
    if e["type"] == start and p.get("initiator") != "not an origin" and \
            url.split(":")[0] in ("http", "https", "ws", "wss", "ftp"):
        out.add(url)
print("\n".join(sorted(out)))
EOF
}
printf '<!DOCTYPE html><title>t</title><img src="http://127.0.0.1:%s/img/logo.png" alt="x">\n' \
    "$PORT" >"$TRASH/control.html"
browse --log-net-log="$TRASH/control.json" --dump-dom \
    "file://$TRASH/control.html" >/dev/null
like "$(page_requests "$TRASH/control.json")" "^http://127\.0\.0\.1:$PORT/img/logo\.png" \
    "the net log shows a request a page makes (control)"
browse --log-net-log="$TRASH/net.json" --dump-dom "$PAGE#q=red" >/dev/null
is "$(page_requests "$TRASH/net.json")" "" \
    "opening the page and searching requests nothing from a network"
browse --log-net-log="$TRASH/net2.json" --dump-dom "$PAGE#lang=es&ui=es" >/dev/null
is "$(page_requests "$TRASH/net2.json")" "" "nor does the Spanish, filtered page"

# --- screenshots -----------------------------------------------------------------
rm -f "$ART"/index-*.png
browse --screenshot="$ART/index-1280.png" --window-size=1280,900 "$PAGE" >/dev/null
browse --screenshot="$ART/index-360.png" --window-size=360,800 "$PAGE" >/dev/null
browse --screenshot="$ART/index-360-search.png" --window-size=360,800 \
    "$PAGE#q=preparacion" >/dev/null
browse --screenshot="$ART/index-360-es.png" --window-size=360,800 \
    "$PAGE#ui=es&lang=es" >/dev/null
browse --screenshot="$ART/index-360-noscript.png" --window-size=360,800 \
    "file://$TRASH/dom-copy/noscript.html" >/dev/null
for f in index-1280 index-360 index-360-search index-360-es index-360-noscript; do
	ok "screenshot $f.png saved" test -s "$ART/$f.png"
done
diag "screenshots: $ART"

done_testing
