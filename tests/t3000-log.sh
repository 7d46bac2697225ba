#!/bin/bash
# t3000: ferry log tells the mirror's history in plain language: one line
# per change with its time, title and URL, why for a removal or a
# failure; --since, --source and a path or URL narrow it; --json follows
# the schema README.md documents.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT
U1=http://127.0.0.1:$PORT
U2=http://127.0.0.2:$PORT

cmd_exits 0 "the first pass succeeds" ferry -c ferry.conf sync
sleep 1		# the second pass starts in a later second
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
hub=$SITE/127.0.0.1/resources/index.html
sed -i 's/(213) 555-0142/(213) 555-0199/; s/tel:+12135550142/tel:+12135550199/' "$hub"
sed -i '/href="\/resources\/schools.html"/d' "$hub"
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
rig_rules '{"127.0.0.2/redcards/ko.pdf": {"status": 503}}'
cmd_exits 3 "a second pass with a failure finishes" ferry -c ferry.conf sync

cmd_exits 0 "ferry log succeeds" ferry -c ferry.conf log
date=$(TZ=UTC date +%Y-%m-%d)
like "$STDOUT" "^$date [0-9][0-9]:[0-9][0-9] updated Immigration Resources \| City of Los Angeles, $U1/resources/
" "the newest change comes first, dated, titled and with its URL"
got=$(sed -n 1,5p <<<"$STDOUT" | cut -d' ' -f3-)
expected="updated Immigration Resources | City of Los Angeles, $U1/resources/
updated Español (Spanish), $U2/redcards/es.pdf
removed Supporting Students And Families Toolkit, $U1/files/supporting-students-toolkit.pdf (no longer linked from the source)
removed Informational Resource Guide for Immigrant Students and Families, $U1/resources/schools.html (no longer linked from the source)
failed 한국어 (Korean), $U2/redcards/ko.pdf (503 Service Unavailable, previous copy kept)"
is "$got" "$expected" "the last pass reads as five sentences; a removal is titled from before it"
is "$(wc -l <<<"$STDOUT")" 55 "one line per change of both passes (5 + 50)"
like "$(sed -n 6p <<<"$STDOUT")" " added http://127.0.0.1:$PORT/assets/fonts/demo.woff2$" \
    "a resource with no title is named by its URL"

cmd_exits 0 "--since the second pass" ferry -c ferry.conf log --since "$since"
is "$(wc -l <<<"$STDOUT")" 5 "--since keeps only the second pass"
cmd_exits 0 "--since an age" ferry -c ferry.conf log --since 1h
is "$(wc -l <<<"$STDOUT")" 55 "--since 1h keeps both"
cmd_exits 0 "--since the future" ferry -c ferry.conf log --since 2099-01-01
is "$STDOUT" "" "nothing happened since 2099"
cmd_exits 2 "a bad date is a usage error" ferry -c ferry.conf log --since yesterday
is "$STDERR" "ferry: invalid date 'yesterday' (use YYYY-MM-DD, 'YYYY-MM-DD HH:MM', or an age like 7d or 12h)" \
    "and says how to write one"

cmd_exits 0 "--source city" ferry -c ferry.conf log --source city
is "$(wc -l <<<"$STDOUT")" 55 "every pass is the city's"
cmd_exits 0 "--source of an unknown source" ferry -c ferry.conf log --source county
is "$STDOUT" "" "shows nothing"
like "$STDERR" "warning: no source 'county'" "and warns"

cmd_exits 0 "a URL narrows the log" ferry -c ferry.conf log "$U2/redcards/es.pdf"
is "$(cut -d' ' -f3- <<<"$STDOUT")" "updated Español (Spanish), $U2/redcards/es.pdf
added Español (Spanish), $U2/redcards/es.pdf" "to that resource's changes"
cmd_exits 0 "a path narrows the log" ferry -c ferry.conf log "mirror/$H2/redcards/es.pdf"
is "$(wc -l <<<"$STDOUT")" 2 "a path relative to here works too"
(cd mirror && ferry -c ../ferry.conf log "./$H2/redcards/") >"$TRASH/dir.out"
is "$(grep -c . "$TRASH/dir.out")" 22 \
    "a directory takes every copy's change under it (21 added, 1 updated)"
cmd_exits 0 "the text of a page names the page" ferry -c ferry.conf log \
    "text/127.0.0.1_$PORT/resources/index.html.txt"
is "$(wc -l <<<"$STDOUT")" 2 "its update and its addition"

cmd_exits 0 "ferry log --json succeeds" ferry -c ferry.conf log --json
printf '%s\n' "$STDOUT" >"$TRASH/log.json"
ok_cmd "it follows the schema in README.md" "$PYTHON3" \
    "$RIG_DIR/readme-schema.py" "$top_srcdir/README.md" ferry-log "$TRASH/log.json"
got=$("$PYTHON3" - "$TRASH/log.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["passes"][0]
print(len(d["passes"]), p["source"], p["requests"], len(p["changes"]),
      p["changes"][4]["verb"], p["changes"][4]["path"], p["changes"][4]["title"],
      p["changes"][4]["detail"], d["passes"][1]["parent"])
EOF
)
is "$got" "2 city 53 5 failed None 한국어 (Korean) 503 Service Unavailable, previous copy kept None" \
    "its content is the commits' (trailers, changes, titles)"
is "$("$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["passes"][0]["commit"])' "$TRASH/log.json")" \
    "$(git -C mirror rev-parse HEAD)" "the first pass listed is HEAD"
cmd_exits 0 "--json with a filter" ferry -c ferry.conf log --json "$U2/redcards/es.pdf"
printf '%s\n' "$STDOUT" >"$TRASH/log2.json"
ok_cmd "still follows the schema" "$PYTHON3" "$RIG_DIR/readme-schema.py" \
    "$top_srcdir/README.md" ferry-log "$TRASH/log2.json"

# A commit ferry did not make: its subject, source null.
git -C mirror -c user.name=Admin -c user.email=admin@example.org \
    commit -q --allow-empty -m "note: moved the mirror to a new disk"
cmd_exits 0 "a commit made by hand" ferry -c ferry.conf log
like "$(head -n 1 <<<"$STDOUT")" "^$date [0-9:]+ note: moved the mirror to a new disk$" \
    "is shown by its subject"
cmd_exits 0 "and in JSON" ferry -c ferry.conf log --json
printf '%s\n' "$STDOUT" >"$TRASH/log3.json"
ok_cmd "with a null source, per the schema" "$PYTHON3" \
    "$RIG_DIR/readme-schema.py" "$top_srcdir/README.md" ferry-log "$TRASH/log3.json"

cmd_exits 2 "two paths are a usage error" ferry -c ferry.conf log a b
like "$STDERR" "usage: ferry .* log \[--since DATE\]" "with the usage line"
rm -rf empty && mkdir empty
write_conf empty.conf
sed -i 's|path = mirror|path = empty|' empty.conf
cmd_exits 1 "a mirror with no pass yet" ferry -c empty.conf log
like "$STDERR" "no mirror at '.*empty' yet" "says so"

done_testing
