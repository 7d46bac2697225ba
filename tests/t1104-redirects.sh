#!/bin/bash
# t1104: redirects are followed by ferry, hop by hop.  A loop, a chain
# longer than max-redirects, and a redirect to file: or ftp: are refused
# with a message that says so, and the URL keeps its previous copy byte
# for byte.  (https to http is refused too: t1112, over TLS.)
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H2=site/127.0.0.2_$PORT
HUB=$SITE/127.0.0.1/resources/index.html
ES=$SITE/127.0.0.2/redcards/es.pdf
write_conf ferry.conf

hub_edit() {	# a change on the source page, so the pass commits
	sed -i "s/(213) 555-01[0-9][0-9]/(213) 555-01$1/" "$HUB"
}
kept() {	# kept DESC: es.pdf's copy is the original, byte for byte
	files_same "mirror/$H2/redcards/es.pdf" es.good "$1"
}

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync
cp "$ES" es.good
printf '%%PDF-1.4\n%% moved\n%%%%EOF\n' >"$SITE/127.0.0.2/redcards/es-2025.pdf"

# A loop: es.pdf -> loop-b -> es.pdf.
hub_edit 71
rig_rules '{"127.0.0.2/redcards/es.pdf": {"redirect": "/redcards/loop-b"},
    "127.0.0.2/redcards/loop-b": {"redirect": "/redcards/es.pdf"}}'
rig_log_clear
cmd_exits 3 "a redirect loop fails the pass" ferry -c ferry.conf sync
is "$(rig_count path=/redcards/es.pdf)" 1 "each URL of the loop is asked once"
msg=$(git -C mirror log -1 --format=%B)
like "$msg" "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(redirected to 'http://127\.0\.0\.2:$PORT/redcards/loop-b': redirect loop \(through 'http://127\.0\.0\.2:$PORT/redcards/es\.pdf'\), previous copy kept\)" \
    "the commit says it is a loop and the copy was kept"
like "$STDERR" "failed http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(redirected to [^ ]*: redirect loop" \
    "so does the pass output"
unlike "$msg" "(^|
)removed " "nothing is removed"
kept "the previous copy is byte-identical"

# A chain longer than max-redirects.
hub_edit 72
write_conf short.conf "[fetch]" "	max-redirects = 2"
rig_rules '{"127.0.0.2/redcards/es.pdf": {"redirect": "/hop1"},
    "127.0.0.2/hop1": {"redirect": "/hop2"},
    "127.0.0.2/hop2": {"redirect": "/hop3"},
    "127.0.0.2/hop3": {"redirect": "/redcards/es-2025.pdf"}}'
rig_log_clear
cmd_exits 3 "a chain longer than max-redirects fails" ferry -c short.conf sync
is "$(rig_count path=/hop3)" 0 "the hop past the limit is not requested"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(redirected to 'http://127\.0\.0\.2:$PORT/hop2': more than max-redirects \(2\) redirects, the last to 'http://127\.0\.0\.2:$PORT/hop3', previous copy kept\)" \
    "the commit names the limit and where it tripped"
kept "the previous copy is byte-identical"
file_missing "mirror/$H2/redcards/es-2025.pdf" "the target past the limit is not stored"

# The same chain within the default limit (10) is followed.
cmd_exits 0 "the same chain under the default max-redirects is followed" \
    ferry -c ferry.conf sync
files_same "mirror/$H2/redcards/es-2025.pdf" "$SITE/127.0.0.2/redcards/es-2025.pdf" \
    "the target is stored under its own name"
like "$(git -C mirror log -1 --format=%B)" \
    "removed  $H2/redcards/es\.pdf
         http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(redirects elsewhere now\)" \
    "and the moved URL's copy goes, saying why"
rig_rules '{}'
cmd_exits 0 "the URL answers again" ferry -c ferry.conf sync
kept "its copy comes back"

# Redirects to other protocols.
for target in file:///etc/passwd ftp://127.0.0.2/redcards/es.pdf; do
	hub_edit 7${#target}
	rig_rules "{\"127.0.0.2/redcards/es.pdf\": {\"redirect\": \"$target\", \"status\": 302}}"
	rig_log_clear
	cmd_exits 3 "a redirect to ${target%%:*}: fails" ferry -c ferry.conf sync
	like "$(git -C mirror log -1 --format=%B)" \
	    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(redirect to '${target//./\\.}' refused \(only http and https are followed\), previous copy kept\)" \
	    "the commit says the ${target%%:*}: redirect was refused"
	kept "the previous copy is byte-identical"
done
ls /etc/passwd >/dev/null && unlike "$(git -C mirror ls-files)" passwd \
    "nothing of file:///etc/passwd came into the mirror"

# A cookie wall: without the cookie, a 302 to the same URL that sets it
# (a consent page, a CDN's browser check).  Asked again with the cookie,
# once; the cookie lives for the pass only.
hub_edit 81
rig_rules '{"127.0.0.2/redcards/es.pdf": {"cookie": "consent=yes", "no_validators": true}}'
rig_log_clear
cmd_exits 0 "a document behind a cookie wall is fetched" ferry -c ferry.conf sync
is "$(rig_requests path=/redcards/es.pdf | "$PYTHON3" -c '
import json, sys
print(" ".join(str(json.loads(l)["status"]) for l in sys.stdin))')" "302 200" \
    "asked twice: the redirect that sets the cookie, then the document"
kept "the copy is the document's bytes"
rig_rules '{"127.0.0.2/redcards/es.pdf": {"cookie": "consent=yes", "no_validators": true},
    "127.0.0.1/resources/": {"cookie": "session=abc123"}}'
hub_edit 82
rig_log_clear
cmd_exits 0 "and so is a source page behind one" ferry -c ferry.conf sync
like "$(git -C mirror log -1 --format=%s)" "1 updated" "and its change is committed"
ok_cmd "no cookie is kept in the mirror" sh -c \
    "! grep -rq 'consent=yes\|abc123' mirror/.git/ferry mirror/index.json"

done_testing
