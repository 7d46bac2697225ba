#!/bin/bash
# t1102: bodies cut short.  A reset mid-body or a truncated body with an
# honest Content-Length is detected; the retry resumes with Range and
# If-Range (a strong ETag, else Last-Modified; nothing without either);
# a 200 to a Range request starts the body again; a 416 to it after the
# whole body had come completes the body; and nothing partial
# ever reaches the mirror: a body that stays short keeps the previous
# copy byte for byte.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H2=site/127.0.0.2_$PORT
write_conf ferry.conf
EN=$SITE/127.0.0.2/redcards/en.pdf
KEY=127.0.0.2/redcards/en.pdf

big_pdf() {	# a new 40000-byte PDF at $EN
	{ printf '%%PDF-1.4\n'; head -c 31000 /dev/urandom | base64 -w 0; } |
	    head -c 40000 >"$EN"
}
last() {	# last KEY: a field of the last request for en.pdf
	rig_requests path=/redcards/en.pdf | tail -1 | "$PYTHON3" -c '
import json, sys
print(json.loads(sys.stdin.read()).get(sys.argv[1]))' "$1"
}
first() {
	rig_requests path=/redcards/en.pdf | head -1 | "$PYTHON3" -c '
import json, sys
print(json.loads(sys.stdin.read()).get(sys.argv[1]))' "$1"
}

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync

# A connection reset mid-body, once: resumed from where it stopped.
big_pdf
rig_rules "{\"$KEY\": {\"reset_after\": 12000, \"times\": 1}}"
rig_log_clear
cmd_exits 0 "a reset mid-body is retried and the pass succeeds" \
    ferry -c ferry.conf sync
is "$(rig_count path=/redcards/en.pdf)" 2 "asked twice"
is "$(first cut)" True "the first answer was cut"
like "$(last range)" "^bytes=[1-9][0-9]*-$" "the retry asked for the rest (Range)"
is "$(last status)" 206 "and got it (206)"
files_same "mirror/$H2/redcards/en.pdf" "$EN" "the copy is complete and exact"

# A truncated body with an honest Content-Length, once.
big_pdf
rig_rules "{\"$KEY\": {\"truncate_after\": 15000, \"times\": 1}}"
rig_log_clear
cmd_exits 0 "a truncated body is resumed and the pass succeeds" \
    ferry -c ferry.conf sync
is "$(last range)" "bytes=15000-" "the retry asked for the bytes after the 15000 that came"
is "$(last status)" 206 "and got them"
files_same "mirror/$H2/redcards/en.pdf" "$EN" "the copy is complete and exact"
cp "$EN" en.good

# Truncated on every attempt: the previous copy stays.
big_pdf
sed -i 's/(213) 555-0142/(213) 555-0144/' "$SITE/127.0.0.1/resources/index.html"
write_conf one-retry.conf "[fetch]" "	retries = 1"
rig_rules "{\"$KEY\": {\"truncate_after\": 10000}}"
rig_log_clear
cmd_exits 3 "a body that stays truncated fails the pass" \
    ferry -c one-retry.conf sync
is "$(rig_paths path=/redcards/en.pdf | wc -l)" 2 "asked twice (retries = 1)"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/en\.pdf \(truncated: transfer closed with 20000 bytes remaining to read, previous copy kept\)" \
    "the commit says it was truncated and the copy kept"
files_same "mirror/$H2/redcards/en.pdf" en.good "the previous copy is byte-identical"
is "$(ls mirror/.git/ferry/tmp | wc -l)" 0 "no partial download is left behind"

# No validators: nothing to resume with, so the retry starts over.
rig_rules "{\"$KEY\": {\"no_validators\": true, \"reset_after\": 12000, \"times\": 1}}"
rig_log_clear
cmd_exits 0 "without validators a reset body is fetched again whole" \
    ferry -c ferry.conf sync
is "$(last range)" None "the retry asks for the whole body"
is "$(last status)" 200 "and gets it"
files_same "mirror/$H2/redcards/en.pdf" "$EN" "the copy is complete and exact"

# Only Last-Modified: If-Range carries the date.
big_pdf
rig_rules "{\"$KEY\": {\"only_last_modified\": true, \"reset_after\": 12000, \"times\": 1}}"
rig_log_clear
cmd_exits 0 "with only Last-Modified a reset body is resumed" \
    ferry -c ferry.conf sync
like "$(last range)" "^bytes=[1-9][0-9]*-$" "the retry asked for the rest"
is "$(last status)" 206 "and the date matched (206)"
files_same "mirror/$H2/redcards/en.pdf" "$EN" "the copy is complete and exact"

# A weak ETag cannot be used with If-Range: Last-Modified is.
big_pdf
rig_rules "{\"$KEY\": {\"weak_etag\": true, \"reset_after\": 12000, \"times\": 1}}"
rig_log_clear
cmd_exits 0 "with a weak ETag a reset body is resumed by its date" \
    ferry -c ferry.conf sync
is "$(last status)" 206 "the server sent the rest (206)"
files_same "mirror/$H2/redcards/en.pdf" "$EN" "the copy is complete and exact"

# The validator changed between attempts: the server answers 200, and
# the body starts again instead of being spliced onto old bytes.
big_pdf
rig_rules "{\"$KEY\": {\"reset_after\": 12000, \"times\": 1, \"headers\": {\"ETag\": \"\\\"old\\\"\"}}}"
rig_log_clear
cmd_exits 0 "a 200 to a resumed request starts the body again" \
    ferry -c ferry.conf sync
like "$(last range)" "^bytes=[1-9][0-9]*-$" "the retry asked for the rest"
is "$(last status)" 200 "the server sent it all (If-Range did not match)"
files_same "mirror/$H2/redcards/en.pdf" "$EN" "the copy is complete and exact"

# Every byte came, chunked, then the connection broke before the last
# chunk: the retry asks for the rest and the server has none (416, the
# total is the size kept): the body is complete, not a failure.
big_pdf
rig_rules "{\"$KEY\": {\"chunked\": true, \"reset_after\": 40000, \"times\": 1}}"
rig_log_clear
cmd_exits 0 "a 416 after the whole body completes it" ferry -c ferry.conf sync
is "$(first cut)" True "the first answer was cut after its last byte"
is "$(last range)" "bytes=40000-" "the retry asked for the bytes after the 40000"
is "$(last status)" 416 "and the server had none (416)"
files_same "mirror/$H2/redcards/en.pdf" "$EN" "the copy is complete and exact"
like "$(git -C mirror log -1 --format=%B)" "updated  $H2/redcards/en\.pdf" \
    "and committed as updated"

# How bodies are stored: one that does not compress (random bytes, like
# a PDF's compressed streams) is kept in zlib's stored blocks, one that
# does is deflated; git reads both, fsck is clean.
objinfo() {	# objinfo BLOB: its loose object's first deflate block type
		# (0: stored) and its size
	"$PYTHON3" - "mirror/.git/objects/${1:0:2}/${1:2}" <<'PY'
import os, sys, zlib
raw = open(sys.argv[1], "rb").read()
zlib.decompress(raw)
print((raw[2] >> 1) & 3, os.path.getsize(sys.argv[1]))
PY
}
{ printf '%%PDF-1.4\n'; head -c 300000 /dev/urandom; } >"$EN"
DOC=$SITE/127.0.0.1/files/guide-for-employers.pdf
{ printf '%%PDF-1.4\n'; for i in $(seq 4000); do
	echo "$i: know your rights, call the hotline"; done; } >"$DOC"
rig_rules '{}'
cmd_exits 0 "a pass stores both" ferry -c ferry.conf sync
read -r lvl size <<<"$(objinfo "$(git -C mirror rev-parse "HEAD:$H2/redcards/en.pdf")")"
is "$lvl" 0 "random bytes are stored, not deflated"
ok "at a cost of a few bytes ($size)" [ "$size" -lt 301000 ]
read -r lvl size <<<"$(objinfo "$(git -C mirror rev-parse "HEAD:site/127.0.0.1_$PORT/files/guide-for-employers.pdf")")"
isnt "$lvl" 0 "text is deflated"
ok "and shrinks ($size bytes)" [ "$size" -lt 40000 ]
files_same "mirror/$H2/redcards/en.pdf" "$EN" "the stored copy checks out exact"
ok_cmd "git fsck is clean" git -C mirror fsck --strict
is "$(ls mirror/.git/ferry/tmp | wc -l)" 0 "no temporary file is left"

done_testing
