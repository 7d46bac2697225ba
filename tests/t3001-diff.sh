#!/bin/bash
# t3001: ferry diff says what changed between two states of the mirror:
# by default the last pass, as a list with sizes; --text as the unified
# diff of the pages' readable text, where a one-word change is a one-line
# diff; revisions as git spells them or as dates; one resource by path or
# URL.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT
T1=text/127.0.0.1_$PORT
U2=http://127.0.0.2:$PORT

cmd_exits 0 "the first pass succeeds" ferry -c ferry.conf sync
first=$(git -C mirror rev-parse --short=12 HEAD)
hub=$SITE/127.0.0.1/resources/index.html
sed -i 's/(213) 555-0142/(213) 555-0199/; s/tel:+12135550142/tel:+12135550199/' "$hub"
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
cmd_exits 0 "a second pass succeeds" ferry -c ferry.conf sync
second=$(git -C mirror rev-parse --short=12 HEAD)
sed -i 's/Community meeting flyer/Community meeting poster/' \
    "$SITE/127.0.0.1/resources/community.html"
cmd_exits 0 "a third pass (one word of one page) succeeds" ferry -c ferry.conf sync
third=$(git -C mirror rev-parse --short=12 HEAD)

cmd_exits 0 "ferry diff succeeds" ferry -c ferry.conf diff
like "$(head -n 1 <<<"$STDOUT")" "^from $second \([0-9-]+ [0-9:]+\) to $third \([0-9-]+ [0-9:]+\):$" \
    "by default it compares HEAD with its parent"
like "$STDOUT" "updated  $H1/resources/community.html \(([0-9]+) bytes -> ([0-9]+) bytes\)" \
    "the changed page, with its sizes"
is "$((BASH_REMATCH[2] - BASH_REMATCH[1]))" 1 "which grew by a byte (flyer, poster)"
unlike "$STDOUT" "text/" "the list leaves the text to --text"
is "$(tail -n 1 <<<"$STDOUT")" "4 updated, 0 added, 0 removed" \
    "and counts (the page, index.html, index.json, search.js)"

cmd_exits 0 "ferry diff --text succeeds" ferry -c ferry.conf diff --text
got=$(grep -E '^[-+]' <<<"$STDOUT" | grep -vE '^(---|\+\+\+) ')
is "$got" "-- Community meeting flyer <../flyer.pdf>
+- Community meeting poster <../flyer.pdf>" \
    "a one-word change in a page is a one-line text diff"
like "$STDOUT" "^diff --git a/$T1/resources/community.html.txt b/$T1/resources/community.html.txt" \
    "in git's format, naming the text file"

cmd_exits 0 "two revisions" ferry -c ferry.conf diff HEAD~2 HEAD~1
like "$(head -n 1 <<<"$STDOUT")" "^from $first .* to $second " "compare those two"
like "$STDOUT" "updated  $H2/redcards/es.pdf \(1\.3 kB -> [0-9.]+ kB\)" \
    "the replaced card, with its old and new size"
cmd_exits 0 "one revision" ferry -c ferry.conf diff "$first"
like "$(head -n 1 <<<"$STDOUT")" "^from $first .* to $third " "compares it with HEAD"
cmd_exits 0 "--text between two revisions" ferry -c ferry.conf diff --text HEAD~2 HEAD~1
like "$STDOUT" "
-\(213\) 555-0142 <tel:\+12135550142>
\+\(213\) 555-0199 <tel:\+12135550199>
" "shows the hotline's new number"

cmd_exits 0 "a URL" ferry -c ferry.conf diff "$first" HEAD "$U2/redcards/es.pdf"
is "$(sed 1d <<<"$STDOUT")" "updated  $H2/redcards/es.pdf (1.3 kB -> 10.1 kB)
1 updated, 0 added, 0 removed" "only that resource"
cmd_exits 0 "a page's path with --text" ferry -c ferry.conf diff --text \
    "$first" HEAD "$H1/resources/index.html"
is "$(grep -c '^diff --git' <<<"$STDOUT")" 1 "shows that page's text only"
cmd_exits 0 "a document with --text" ferry -c ferry.conf diff --text \
    "$first" HEAD "$U2/redcards/es.pdf"
is "$(grep -c '^diff --git' <<<"$STDOUT")" 1 "shows that PDF's .txt only"
like "$STDOUT" "
\+SHA-256: [0-9a-f]{64}
" "with the new SHA-256 of the PDF"

cmd_exits 1 "a date before the first commit" ferry -c ferry.conf diff 2000-01-01
like "$STDERR" "no commit in mirror '.*' was made by 2000-01-01" "is refused, saying why"
cmd_exits 0 "today, a date" ferry -c ferry.conf diff "$first" "$(date +%Y-%m-%d)"
like "$(head -n 1 <<<"$STDOUT")" " to $third " "is the last commit of the day"
cmd_exits 0 "no change" ferry -c ferry.conf diff HEAD HEAD
like "$STDOUT" "^no change from $third" "says so"
cmd_exits 1 "an unknown revision" ferry -c ferry.conf diff nosuchrev
like "$STDERR" "unknown revision 'nosuchrev'" "is named"
cmd_exits 2 "three revisions" ferry -c ferry.conf diff a b c
like "$STDERR" "usage: ferry .* diff" "are a usage error"

done_testing
