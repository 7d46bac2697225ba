#!/bin/bash
# t1001: later passes.  Nothing changed: every resource is asked
# conditionally, no body comes back, no commit.  Then the site changes
# (a hotline number, a PDF replaced behind an unchanged page, a PDF
# added, a page removed): exactly one commit naming exactly those.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync
first=$(git -C mirror rev-parse HEAD)
bytes_first=$("$PYTHON3" -c 'import json,sys
print(sum(json.loads(l)["bytes"] for l in open(sys.argv[1])))' "$RIG_LOG")

rig_log_clear
cmd_exits 0 "a second sync succeeds" ferry -c ferry.conf sync
like "$STDOUT" "0 added, 0 updated, 0 removed, 0 failed.*no change" \
    "the summary says nothing changed"
is "$(git -C mirror rev-parse HEAD)" "$first" "a pass that changed nothing makes no commit"
is "$(rig_count path!=/old-toolkit path!=/robots.txt inm=null)" 0 \
    "every resource is requested with If-None-Match"
is "$(rig_count path!=/old-toolkit path!=/robots.txt ims=null)" 0 \
    "every resource is requested with If-Modified-Since"
is "$(rig_count status=200)" 0 "no body is downloaded again"
is "$(rig_count status=304)" 50 "all 50 resources answered 304"
bytes=$("$PYTHON3" -c 'import json,sys
print(sum(json.loads(l)["bytes"] for l in open(sys.argv[1])))' "$RIG_LOG")
ok "the re-sync moved under 1% of the first pass's bytes ($bytes of $bytes_first)" \
    test $((bytes * 100)) -lt "$bytes_first"
is "$(git -C mirror status --porcelain)" "" "the working tree is untouched"

# The site changes.
hub=$SITE/127.0.0.1/resources/index.html
sed -i 's/(213) 555-0142/(213) 555-0199/; s/tel:+12135550142/tel:+12135550199/' "$hub"
sed -i '/href="\/resources\/schools.html"/d' "$hub"
rm "$SITE/127.0.0.1/resources/schools.html"
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
cp "$SITE/127.0.0.2/redcards/en.pdf" "$SITE/127.0.0.2/redcards/so.pdf"
sed -i "s|^</ul>|<li><a href=\"http://127.0.0.2:$PORT/redcards/so.pdf\" hreflang=\"so\" lang=\"so\">Soomaali (Somali)</a></li>\n</ul>|" \
    "$SITE/127.0.0.1/resources/red-cards.html"

rig_log_clear
cmd_exits 0 "a sync after the changes succeeds" ferry -c ferry.conf sync
like "$STDOUT" "1 added, 3 updated, 2 removed, 0 failed" "the summary counts the changes"
is "$(git -C mirror rev-list --count $first..HEAD)" 1 "exactly one new commit"
is "$(git -C mirror log -1 --format=%s)" "sync city: 3 updated, 1 added, 2 removed" \
    "its subject counts each kind"
got=$(git -C mirror log -1 --format=%B | grep -E '^(updated|added|removed|failed) ')
expected="updated  $H1/resources/index.html
updated  $H1/resources/red-cards.html
updated  $H2/redcards/es.pdf
added    $H2/redcards/so.pdf
removed  $H1/files/supporting-students-toolkit.pdf
removed  $H1/resources/schools.html"
is "$got" "$expected" "its body names exactly those changes"
like "$(git -C mirror log -1 --format=%B)" \
    "removed  $H1/resources/schools.html
         http://127.0.0.1:$PORT/resources/schools.html \(no longer linked from the source\)" \
    "a removal says why"
changed=$(git -C mirror diff --name-only "$first" HEAD -- site | sort)
expected=$(printf '%s\n' "$H1/files/supporting-students-toolkit.pdf" \
    "$H1/resources/index.html" "$H1/resources/red-cards.html" \
    "$H1/resources/schools.html" "$H2/redcards/es.pdf" "$H2/redcards/so.pdf" | sort)
is "$changed" "$expected" "the tree changed in exactly those files"
like "$(git -C mirror diff "$first" HEAD -- "$H1/resources/index.html")" \
    "-<p class=\"phone\"><a href=\"tel:\+12135550142\">\(213\) 555-0142</a></p>
\+<p class=\"phone\"><a href=\"tel:\+12135550199\">\(213\) 555-0199</a></p>" \
    "the hotline edit reads as a one-line diff"
T1=text/127.0.0.1_$PORT
like "$(git -C mirror diff "$first" HEAD -- "$T1/resources/index.html.txt")" \
    "
-\(213\) 555-0142 <tel:\+12135550142>
\+\(213\) 555-0199 <tel:\+12135550199>
" "the text diff shows exactly the changed hotline line"
file_missing "mirror/$T1/resources/schools.html.txt" "the removed page's text is gone too"
files_same "mirror/$H2/redcards/es.pdf" "$SITE/127.0.0.2/redcards/es.pdf" \
    "the replaced PDF has its new bytes"
file_missing "mirror/$H1/resources/schools.html" "the removed page is gone from the copy"
files_same "mirror/$H2/redcards/so.pdf" "$SITE/127.0.0.2/redcards/so.pdf" \
    "the added PDF has its bytes"
is "$(rig_count path=/redcards/es.pdf status=200)" 1 \
    "the replaced PDF behind an unchanged page was re-validated and fetched"
is "$(rig_count path=/resources/schools.html)" 0 "the unlinked page is not requested"
ok_cmd "every link still works offline" "$PYTHON3" "$RIG_DIR/checklinks.py" mirror
is "$(git -C mirror status --porcelain)" "" "the working tree is HEAD"

rig_log_clear
cmd_exits 0 "one more sync succeeds" ferry -c ferry.conf sync
is "$(git -C mirror rev-list --count $first..HEAD)" 1 "and makes no commit"

done_testing
