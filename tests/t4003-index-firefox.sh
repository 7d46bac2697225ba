#!/bin/bash
# t4003: the offline index in Firefox.  Two passes mirror the sample
# site (the second sees one card withdrawn and one changed, so the page
# shows both marks); headless Firefox then opens index.html from file://
# and what it shows is checked as t4000 does in Chromium: everything is
# listed, search (a word from a PDF's title, a Korean word, a Spanish
# word without its accent, typed into the box as a person would), the
# language filter, the Spanish interface for a browser set to Spanish,
# scripts off, every link offline, no network request, contrast in light
# and dark mode, the page at 360 pixels wide.  Screenshots at 1280 and
# 360 pixels wide go to tests/artefacts/ in the build tree.
#
# Firefox is driven through Marionette (tests/browser/marionette.py), in
# a fresh profile whose proxy is tests/browser/netlog.py: every connection
# Firefox opens lands there and nothing reaches a network.  Scrollbars
# float over the page as on a phone, so 360 pixels are all for the page.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

FIREFOX=${FIREFOX:-$(command -v firefox-esr || command -v firefox || true)}
if [ -z "$FIREFOX" ]; then
	echo "# ************************************************************"
	echo "# t4003: NO BROWSER: firefox is not installed, so the offline"
	echo "# index page was NOT tested in Firefox (apt-get install"
	echo "# firefox-esr; '.ci/setup check' installs it)."
	echo "# ************************************************************"
	skip_all "firefox is not installed: the index page was not tested in Firefox"
fi

rig_start
write_conf ferry.conf
ok_cmd "a first sync builds the mirror" ferry -c ferry.conf sync ||
	bail_out "no mirror to open"
rm "$SITE/127.0.0.2/redcards/am.pdf"
printf '%% edited\n' >>"$SITE/127.0.0.2/redcards/fr.pdf"
cmd_exits 3 "a second sync sees a card withdrawn and one changed" \
    ferry -c ferry.conf sync

M=$TRASH/mirror
PAGE=file://$M/index.html
ART=$top_builddir/tests/artefacts
B=$top_srcdir/tests/browser
CHECK=$B/domcheck.py
mkdir -p "$ART" || bail_out "cannot create $ART"

# --- Firefox -------------------------------------------------------------
# The recorder of network attempts, then Firefox with a fresh profile:
# Marionette on a free port, every scheme through the recorder (127.0.0.1
# too), nothing of its own talking to the network.
"$PYTHON3" "$B/netlog.py" --port-file "$TRASH/netlog.port" \
    --log "$TRASH/netlog.json" --watch-pid $$ --lifetime 120 \
    </dev/null >"$TRASH/netlog.err" 2>&1 &
NETLOG_PID=$!
at_exit "kill $NETLOG_PID"
for ((i = 0; i < 400; i++)); do
	[ -s "$TRASH/netlog.port" ] && break
	sleep 0.05
done
NPORT=$(cat "$TRASH/netlog.port" 2>/dev/null) ||
	bail_out "the network recorder did not start"
MPORT=$("$PYTHON3" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

P=$TRASH/profile
mkdir -p "$P"
cat >"$P/user.js" <<EOF
user_pref("marionette.port", $MPORT);
user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", $NPORT);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", $NPORT);
user_pref("network.proxy.share_proxy_settings", true);
user_pref("network.proxy.no_proxies_on", "");
user_pref("network.proxy.allow_hijacking_localhost", true);
user_pref("network.trr.mode", 5);
user_pref("intl.accept_languages", "en-US, en");
user_pref("ui.useOverlayScrollbars", 1);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.page", 0);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.sessionstore.resume_from_crash", false);
user_pref("browser.backup.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("app.update.disabledForTesting", true);
user_pref("app.normandy.enabled", false);
user_pref("services.settings.server", "data:,#remote-settings-off/v1");
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("media.gmp-manager.updateEnabled", false);
user_pref("media.gmp-manager.url", "data:text/plain,");
user_pref("browser.region.update.enabled", false);
user_pref("browser.region.network.url", "");
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("dom.push.enabled", false);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
EOF

# MOZ_REMOTE_SETTINGS_DEVTOOLS lets the profile turn Remote Settings'
# server off (release builds ignore the preference otherwise).
MOZ_REMOTE_SETTINGS_DEVTOOLS=1 MOZ_CRASHREPORTER_DISABLE=1 \
    timeout -k 5 110 "$FIREFOX" --headless --marionette \
    -remote-allow-system-access --no-remote --profile "$P" about:blank \
    </dev/null >"$TRASH/firefox.log" 2>&1 &
FIREFOX_PID=$!
at_exit "firefox_stop"

firefox_stop() {
	local i
	[ -n "$FIREFOX_PID" ] || return 0
	kill -0 "$FIREFOX_PID" 2>/dev/null &&
		"$PYTHON3" "$B/marionette.py" --port "$MPORT" --timeout 3 quit
	for ((i = 0; i < 50; i++)); do
		kill -0 "$FIREFOX_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$FIREFOX_PID" 2>/dev/null
	wait "$FIREFOX_PID" 2>/dev/null
	FIREFOX_PID=
}

# mn COMMAND ARGS...: one Marionette command (see marionette.py).
mn() {
	"$PYTHON3" "$B/marionette.py" --port "$MPORT" --timeout 20 "$@" \
	    2>>"$TRASH/marionette.err"
}

if ! mn ready; then
	_lib_tail "firefox" "$TRASH/firefox.log"
	_lib_tail "marionette" "$TRASH/marionette.err"
	bail_out "Firefox did not start (see above)"
fi
diag "$("$FIREFOX" --version 2>/dev/null)"

# Every HTTP channel Firefox opens, with what asked for it: the page's
# own requests carry its file:// URL as their triggering principal.
mn chrome '
	var log = [];
	window.ferryNet = log;
	Services.obs.addObserver({ observe: function (s) {
		var ch = s.QueryInterface(Ci.nsIHttpChannel), li = ch.loadInfo;
		var p = li ? li.triggeringPrincipal : null;
		log.push(ch.URI.spec + " by " + (!p ? "?" :
		    p.isSystemPrincipal ? "the browser" : p.spec));
	} }, "http-on-modify-request");
	return true;' >/dev/null || bail_out "cannot watch Firefox's requests"

# pref NAME JSON-VALUE: set a preference as the settings page would.
pref() {
	mn chrome 'var n = arguments[0], v = arguments[1];
	if (typeof v === "boolean") Services.prefs.setBoolPref(n, v);
	else if (typeof v === "number") Services.prefs.setIntPref(n, v);
	else Services.prefs.setStringPref(n, v);
	return Services.prefs.getPrefType(n) !== 0;' "\"$1\"" "$2" >/dev/null ||
		bail_out "cannot set the preference $1"
}

# show FRAGMENT: the summary of the page opened at #FRAGMENT.
# show_typed TEXT: the page after typing TEXT into the search box.
# The DOM as Firefox has it stays in $DOM.
DOM=$TRASH/dom.html
show() {
	mn "${how:-dom}" "$PAGE#$1" "$DOM" && "$PYTHON3" "$CHECK" summary "$DOM"
}
show_typed() {
	mn type "$PAGE" "#q" "$1" "$DOM" && "$PYTHON3" "$CHECK" summary "$DOM"
}

listed=$("$PYTHON3" - "$M/index.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(r["kind"] in ("page", "document", "link") for r in d["resources"]))
EOF
)

# --- no network: the control ----------------------------------------------
printf '<!DOCTYPE html><title>t</title><img src="http://ferry-control.invalid/img/logo.png" alt="x">\n' \
    >"$TRASH/control.html"
mn dom "file://$TRASH/control.html" "$TRASH/control.dom"
like "$(mn chrome 'return window.ferryNet.join("\n")')" \
    "http://ferry-control\.invalid/img/logo\.png by file://$TRASH/control\.html" \
    "a page's request shows in the browser's log, with the page as its cause (control)"
like "$(cat "$TRASH/netlog.json")" "ferry-control\.invalid" \
    "and reaches the recorder, not a network (control)"
mn chrome 'window.ferryNet.length = 0; return true;' >/dev/null
: >"$TRASH/netlog.json"

# --- the page as it opens --------------------------------------------------
S=$(show "")
is "$(grep -c '^shown: ' <<<"$S")" "$listed" "every resource is listed ($listed)"
like "$S" "count: Showing all $listed resources" "the count says so"
like "$S" "find: shown" "the search form is shown: the script ran"
like "$S" "none: hidden" "no 'nothing found' message"
is "$(grep "^badges:" <<<"$S")" "badges: 1" "the changed card is marked updated"
like "$(cat "$DOM")" 'No longer at the source since' \
    "the withdrawn card says so"
ok_cmd "accessibility basics: lang, heading order, labelled controls" \
    "$PYTHON3" "$CHECK" a11y "$DOM"
like "$(cat "$DOM")" '<a href="site/[^"]*/ar\.pdf" lang="ar" dir="rtl">' \
    "an entry in Arabic is right to left"
is "$(mn js "$PAGE" 'var a = document.querySelector("a[href$=\"/ar.pdf\"]");
	return getComputedStyle(a).direction;')" rtl \
    "and Firefox lays it out right to left"

rm -rf "$TRASH/dom-copy" && cp -r "$M" "$TRASH/dom-copy" &&
	rm -rf "$TRASH/dom-copy/.git" &&
	cp "$DOM" "$TRASH/dom-copy/index.html"
ok_cmd "every link in the page works offline or is out of scope" \
    "$PYTHON3" "$RIG_DIR/checklinks.py" "$TRASH/dom-copy"

# --- search ---------------------------------------------------------------
S=$(show "q=expedited")
like "$S" "shown: Know Your Rights: Expedited Removal Expansion" \
    "#q=: a word from a PDF's title finds the PDF"
like "$S" "hidden: Guide for Employers" "and hides the others"
like "$S" "count: Showing [1-3] of $listed resources" "and counts what it shows"

S=$(show_typed "Expedited")
like "$S" "shown: Know Your Rights: Expedited Removal Expansion" \
    "typed into the box: a word from a PDF's title finds the PDF"
like "$S" "hidden: Guide for Employers" "and hides the others"
like "$(mn chrome 'return gBrowser.currentURI.spec')" "#q=Expedited$" \
    "and the address keeps the search"

S=$(show_typed "레드카드")
like "$S" "shown: 레드카드 \(한국어, 인쇄용\)" "typed: a Korean word finds the Korean card"
like "$S" "hidden: Español \(Spanish\)" "and hides the Spanish one"

S=$(show "q=%ED%95%9C%EA%B5%AD")
like "$S" "shown: 한국어 \(Korean\)" "part of a Korean word matches (no spaces needed)"

S=$(show_typed "preparacion")
like "$S" "shown: Kit de preparación familiar \(PDF\)" \
    "typed: a Spanish word without its accent finds the entry"
like "$S" "hidden: Family preparedness checklist" "and hides the others"

S=$(show "q=PREPARACI%C3%93N")
like "$S" "shown: Kit de preparación familiar \(PDF\)" \
    "upper case with the accent finds it too"

S=$(show "q=%E0%B9%84%E0%B8%97")
like "$S" "shown: ไทย \(Thai\)" "part of a Thai word matches"

# A word that is only in a page's text, which comes from search.js beside
# the page: found only if Firefox loads that script from file://.
unlike "$(cat "$M/index.html")" "formalizes" \
    "'formalizes' is not in index.html, only in a page's text (search.js)"
S=$(show_typed "formalizes")
like "$S" "shown: Informational Resource Guide for Immigrant Students and Families" \
    "typed: a word from a page's text finds that page (search.js loads from file://)"
is "$(grep -c '^shown: ' <<<"$S")" 1 "and only it"

S=$(show "q=zzqqxxnothing")
is "$(grep -c '^shown: ' <<<"$S")" 0 "a word found nowhere shows nothing"
like "$S" "none: shown" "and says so"

# --- the language filter ----------------------------------------------------
ko=$("$PYTHON3" - "$M/index.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum("ko" in [l.lower() for l in r["languages"]]
          for r in d["resources"] if r["kind"] != "requisite"))
EOF
)
S=$(show "lang=ko")
is "$(grep -c '^shown: ' <<<"$S")" "$ko" "#lang=ko shows the $ko Korean resources"
mn choose "$PAGE" "#lang" ko "$DOM"
S=$("$PYTHON3" "$CHECK" summary "$DOM")
is "$(grep -c '^shown: ' <<<"$S")" "$ko" \
    "choosing Korean in the list shows the $ko Korean resources"
like "$S" "shown: 한국어 \(Korean\)" "the Korean red card among them"
like "$S" "hidden: English" "the English one hidden"
like "$S" "count: Showing $ko of $listed resources" "and the count follows"
S=$(show "lang=ar&q=arabic")
like "$S" "shown: العربية \(Arabic\)" "language and search together"
is "$(grep -c '^shown: ' <<<"$S")" 1 "only that one"

# --- a browser set to Spanish ------------------------------------------------
pref intl.accept_languages '"es"'
is "$(mn js "$PAGE" 'return navigator.language')" es \
    "with intl.accept_languages = es the page sees a Spanish browser"
S=$(show "")
like "$S" "h1: Recursos sin conexión" "and shows Spanish labels"
like "$S" "count: Se muestran los $listed recursos" "and a Spanish count"
like "$(cat "$DOM")" 'Ya no está en la fuente desde' \
    "the withdrawn mark in Spanish"
S=$(show_typed "preparacion")
like "$S" "count: Se muestran [0-9]+ de $listed recursos" \
    "typing a search counts in Spanish"
pref intl.accept_languages '"en-US, en"'
S=$(show "ui=es&q=preparacion")
like "$S" "h1: Recursos sin conexión" "an English browser: #ui=es chooses Spanish"

# --- scripts off ---------------------------------------------------------------
pref javascript.enabled false
S=$(how=still show "q=preparacion")
pref javascript.enabled true
is "$(grep '^count:' <<<"$S")" "count: " "scripts off: the script did not run"
is "$(grep -c '^shown: ' <<<"$S")" "$listed" "scripts off: every resource is listed"
like "$S" "find: hidden" "scripts off: no search box that cannot work"
like "$S" "h1: Offline resources Recursos sin conexión" \
    "scripts off: English with the Spanish beside"

# --- contrast, light and dark ------------------------------------------------
# layout.css.prefers-color-scheme.content-override: 0 dark, 1 light.
for scheme in light dark; do
	pref layout.css.prefers-color-scheme.content-override \
	    "$([ $scheme = dark ] && echo 0 || echo 1)"
	is "$(mn js "$PAGE" 'return matchMedia("(prefers-color-scheme: dark)").matches')" \
	    "$([ $scheme = dark ] && echo true || echo false)" \
	    "the page is drawn in $scheme mode"
	out=$(mn js "$PAGE" "$(cat "$B/contrast.js")")
	got=$("$PYTHON3" -c 'import json, sys
d = json.loads(sys.argv[1])
print(d["checked"]); print("\n".join(d["low"]))' "$out")
	if [ -n "$got" ] && [ "$(sed -n 1p <<<"$got")" -gt 100 ] &&
	    [ "$(wc -l <<<"$got")" -eq 1 ]; then
		pass "contrast in $scheme mode: all $got texts at least 4.5:1 (3:1 large)"
	else
		fail "contrast in $scheme mode: all texts at least 4.5:1 (3:1 large)" \
		    "texts checked, then the ones too faint:" "${got:-$out}"
	fi
done
pref layout.css.prefers-color-scheme.content-override 2

# --- screenshots and the narrow screen ------------------------------------------
rm -f "$ART"/firefox-index-*.png
pngwidth() {
	"$PYTHON3" -c 'import struct, sys
d = open(sys.argv[1], "rb").read(24)
print(struct.unpack(">I", d[16:20])[0] if d[:8] == b"\x89PNG\r\n\x1a\n" else 0)' "$1"
}
mn viewport 1280 900
mn shot "$PAGE" "$ART/firefox-index-1280.png"
is "$(pngwidth "$ART/firefox-index-1280.png")" 1280 \
    "screenshot firefox-index-1280.png saved, 1280 pixels wide"
mn viewport 360 800
mn shot "$PAGE" "$ART/firefox-index-360.png"
mn shot "$PAGE#q=preparacion" "$ART/firefox-index-360-search.png" full
mn shot "$PAGE#ui=es&lang=es" "$ART/firefox-index-360-es.png"
mn shot "$PAGE#q=arabic" "$ART/firefox-index-360-rtl.png" full
for f in firefox-index-360 firefox-index-360-search firefox-index-360-es \
    firefox-index-360-rtl; do
	is "$(pngwidth "$ART/$f.png")" 360 "screenshot $f.png saved, 360 pixels wide"
done
diag "screenshots: $ART"

is "$(mn js "$PAGE" 'var e = document.documentElement;
	return [e.clientWidth, e.scrollWidth <= e.clientWidth];')" "[360, true]" \
    "at 360 pixels wide nothing runs off the side"
is "$(mn js "$PAGE" 'var bad = [];
	document.querySelectorAll("button,input,select,summary,nav a,.list>li>a,.tel")
	    .forEach(function (e) {
		var r = e.getBoundingClientRect();
		if (e.checkVisibility() && (r.height < 24 || r.width < 24))
			bad.push(e.outerHTML.slice(0, 60) + " " + r.width + "x" + r.height);
	});
	return bad;')" "[]" \
    "at 360 pixels wide every control and list link is at least 24 px each way"

# --- no network: what the page did --------------------------------------------------
# Every page visit above came after the control.  Firefox's own requests,
# if any slipped past the profile, are told apart by their cause; a
# connection that reached the recorder with no request of the browser's
# own to the same host behind it came from the page.
mn chrome 'return window.ferryNet.join("\n")' >"$TRASH/requests.txt"
is "$(grep -v ' by the browser$' "$TRASH/requests.txt")" "" \
    "the page, searched, filtered, in Spanish and narrow, made no HTTP request"
is "$("$PYTHON3" - "$TRASH/netlog.json" "$TRASH/requests.txt" <<'EOF'
import json, re, sys
own = set()
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r"^[a-z]+://([^/:]+).* by the browser$", line.strip())
    if m:
        own.add(m.group(1).lower())
for line in open(sys.argv[1], encoding="utf-8"):
    req = json.loads(line)["line"]
    m = re.match(r"^CONNECT ([^:\s]+)|^[A-Z]+ [a-z]+://([^/:\s]+)", req)
    host = (m.group(1) or m.group(2)).lower() if m else ""
    if host not in own:
        print(req)
EOF
)" "" "and nothing of the page's reached the recorder"
if grep -q ' by the browser$' "$TRASH/requests.txt"; then
	diag "Firefox's own requests (not the page's):" \
	    "$(grep ' by the browser$' "$TRASH/requests.txt")"
fi

done_testing
