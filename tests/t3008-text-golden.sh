#!/bin/bash
# t3008: the readable text of pages, against golden files.  Each page of
# tests/golden/ (a resources page modelled on the seed: sections,
# hotlines, a table, navigation, scripts and hidden drafts; a page in
# Farsi, Arabic, Urdu and Hebrew; one in Korean, Chinese, Japanese and
# Thai) is mirrored as a source of its own, and its text/ file must be
# byte for byte the .txt beside it.  The text is stable: a second pass
# changes nothing.  After an intended change of the text rules, review
# the new text and copy it over the golden file (the failure says how).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
GOLDEN=$top_srcdir/tests/golden
PAGES=(resources rtl cjk)

mkdir -p "$SITE/127.0.0.1/golden"
args=()
for p in "${PAGES[@]}"; do
	cp "$GOLDEN/$p.html" "$SITE/127.0.0.1/golden/"
	args+=("[source \"$p\"]"
	    "	url = http://127.0.0.1:$PORT/golden/$p.html" "	depth = 0")
done
write_conf ferry.conf "${args[@]}"
# Only the golden pages: the links they carry are not served (exit 3).
cmd_exits 3 "a pass over the golden pages" ferry -c ferry.conf sync \
    "${PAGES[@]}"

for p in "${PAGES[@]}"; do
	got=mirror/text/127.0.0.1_$PORT/golden/$p.html.txt
	if cmp -s "$got" "$GOLDEN/$p.txt"; then
		pass "the text of $p.html is tests/golden/$p.txt"
	else
		fail "the text of $p.html is tests/golden/$p.txt" \
		    "$(diff -u "$GOLDEN/$p.txt" "$got" 2>&1 | head -40)" \
		    "(if the change is intended: FERRY_KEEP=1, then copy $TRASH/$got)"
	fi
done
is "$(cat mirror/text/127.0.0.1_$PORT/golden/*.txt | iconv -f UTF-8 -t UTF-8 >/dev/null && echo valid)" \
    valid "every text is valid UTF-8"

text0=$(git -C mirror rev-parse HEAD:text)
cmd_exits 3 "a second pass" ferry -c ferry.conf sync "${PAGES[@]}"
is "$(git -C mirror rev-parse HEAD:text)" "$text0" "changes no text"
done_testing
