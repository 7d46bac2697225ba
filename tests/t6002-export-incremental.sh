#!/bin/bash
# t6002: a second export to the same stick writes only what changed.
# Nothing changed: nothing written.  After a small change on the site (a
# hotline number, a PDF replaced, one added, a page and its PDF removed)
# the export writes at most 5% of the bytes of the first, removes what
# was removed, and adds a small history pack the stick's clone can read.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
# Two collection pages of PDFs more (about 25 MB), so that the site is
# not dwarfed by index.html and index.json.
"$PYTHON3" "$RIG_DIR/gensite.py" --out "$SITE" --port "$PORT" --scale 2 \
    >/dev/null 2>"$TRASH/gensite.err" || bail_out "cannot scale the site"
write_conf ferry.conf '[export]' '	key = k.key'
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT

ok_cmd "a first sync builds the mirror" ferry -c ferry.conf sync ||
	bail_out "no mirror to export"
ferry keygen k.key >/dev/null 2>&1 || bail_out "ferry keygen failed"

# field NAME: a field of the last --json export's output (\$JSON).
field() {
	"$PYTHON3" -c 'import json,sys
print(json.loads(sys.argv[1])[sys.argv[2]])' "$JSON" "$1"
}
# thousands N: N with a comma every three digits.
thousands() {
	"$PYTHON3" -c 'import sys; print("{:,}".format(int(sys.argv[1])))' "$1"
}

first=$(git -C mirror rev-parse HEAD)
cmd_exits 0 "a first export (json) succeeds" \
    ferry -c ferry.conf export --json stick
JSON=$STDOUT
printf '%s\n' "$JSON" >export1.json
ok_cmd "its output is one JSON object" "$PYTHON3" -m json.tool export1.json
is "$(field incremental)" False "the first export is not incremental"
is "$(field commit)" "$first" "it names the commit"
files1=$(field files)
bytes1=$(field bytes_written)
hist1=$(field history_bytes)
is "$(field written)" "$files1" "it writes every file"
is "$(field bytes)" "$bytes1" "bytes written = the stick's bytes"
ok "it writes more than 20 MB ($(thousands "$bytes1") bytes)" \
    test "$bytes1" -gt 20000000
diag "full export: $files1 files, $(thousands "$bytes1") bytes" \
    "(history $(thousands "$hist1")) in $(field seconds) s"

cmd_exits 0 "a second export with nothing changed succeeds" \
    ferry -c ferry.conf export --json stick
JSON=$STDOUT
is "$(field incremental)" True "it is incremental"
is "$(field written)" 0 "it writes no file"
is "$(field removed)" 0 "it removes no file"
is "$(field unchanged)" "$files1" "every file is unchanged"
is "$(field history_bytes)" 0 "it writes no history"
ok "bytes written: $(field bytes_written) (under 64 KiB)" \
    test "$(field bytes_written)" -lt 65536
is "$(field sequence)" 2 "the sequence grows"
ok_cmd "verify accepts the stick" ferry verify --key k.pub stick

# The site changes, as in t1001.
hub=$SITE/127.0.0.1/resources/index.html
sed -i 's/(213) 555-0142/(213) 555-0199/' "$hub"
sed -i 's/tel:+12135550142/tel:+12135550199/' "$hub"
sed -i '/href="\/resources\/schools.html"/d' "$hub"
rm "$SITE/127.0.0.1/resources/schools.html"
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
cp "$SITE/127.0.0.2/redcards/en.pdf" "$SITE/127.0.0.2/redcards/so.pdf"
sed -i "s|^</ul>|<li><a href=\"http://127.0.0.2:$PORT/redcards/so.pdf\" hreflang=\"so\" lang=\"so\">Soomaali (Somali)</a></li>\n</ul>|" \
    "$SITE/127.0.0.1/resources/red-cards.html"
ok_cmd "a sync takes the changes" ferry -c ferry.conf sync
like "$STDOUT" "1 added, 3 updated, 2 removed, 0 failed" "the sync counts them"
second=$(git -C mirror rev-parse HEAD)
isnt "$second" "$first" "the mirror has a new commit"

cmd_exits 0 "an export after the change succeeds" \
    ferry -c ferry.conf export --json stick
JSON=$STDOUT
bytes3=$(field bytes_written)
hist3=$(field history_bytes)
is "$(field incremental)" True "it is incremental"
is "$(field commit)" "$second" "it names the new commit"
is "$(field removed)" "$(git -C mirror diff --name-only --diff-filter=D \
    "$first" "$second" | wc -l)" "it removes as many files as the commit did"
ok "it writes few files ($(field written) of $(field files))" \
    test "$(field written)" -lt 30
ratio=$("$PYTHON3" -c 'import sys
print("%.1f%%" % (100.0 * int(sys.argv[1]) / int(sys.argv[2])))' \
    "$bytes3" "$bytes1")
msg="incremental export: $(thousands "$bytes3") of"
msg+=" $(thousands "$bytes1") bytes = $ratio (history"
msg+=" $(thousands "$hist3") of $(thousands "$hist1") bytes;"
diag "$msg $(field seconds) s)"
ok "it writes at most 5% of the first export's bytes ($ratio)" \
    test $((bytes3 * 100)) -le $((bytes1 * 5))
ok "its history pack is much smaller than the first ($hist3 of $hist1)" \
    test $((hist3 * 20)) -lt "$hist1"
ok "it writes some history" test "$hist3" -gt 0
file_missing "stick/$H1/resources/schools.html" "the removed page is gone"
file_missing "stick/$H1/files/supporting-students-toolkit.pdf" \
    "the removed PDF is gone"
file_missing "stick/text/127.0.0.1_$PORT/resources/schools.html.txt" \
    "the removed page's text is gone"
files_same "stick/$H2/redcards/es.pdf" "$SITE/127.0.0.2/redcards/es.pdf" \
    "the replaced PDF has its new bytes"
files_same "stick/$H2/redcards/so.pdf" "$SITE/127.0.0.2/redcards/so.pdf" \
    "the added PDF is there"
like "$(cat "stick/$H1/resources/index.html")" "\(213\) 555-0199" \
    "the page has the new hotline number"
ok_cmd "verify accepts the stick" ferry verify --key k.pub stick
like "$STDOUT" "complete, signed by key .*
.*commit ${second:0:12}, sequence 3" "at the new commit, sequence 3"
is "$(find stick -name '*.ferry-tmp' | wc -l)" 0 "no temporary file is left"
ok_cmd "every link still works offline" \
    "$PYTHON3" "$RIG_DIR/checklinks.py" stick

ok_cmd "git clone of history.git works" git clone -q stick/history.git clone
is "$(git -C clone rev-parse HEAD 2>&1)" "$second" \
    "the clone is at the new commit"
ok_cmd "the clone has the first commit too" \
    git -C clone merge-base --is-ancestor "$first" HEAD
is "$(git -C clone rev-parse 'HEAD^{tree}' 2>&1)" \
    "$(git -C mirror rev-parse 'HEAD^{tree}')" "its tree is the mirror's"
ok_cmd "git fsck of the clone is clean" git -C clone fsck --strict
is "$(ls stick/history.git/objects/pack/*.pack 2>/dev/null | wc -l)" 2 \
    "the stick holds two packs: the first export's and the new one"

done_testing
