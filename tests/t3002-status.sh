#!/bin/bash
# t3002: ferry status tells per source when the last pass ran and what it
# changed, which resources fail and since when, which were withdrawn
# upstream with their copy kept, and the store's size against the raw
# size of what it holds; --json follows the schema README.md documents.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H2=site/127.0.0.2_$PORT
U2=http://127.0.0.2:$PORT

status_json() {
	run ferry -c ferry.conf status --json
	printf '%s\n' "$STDOUT" >"$TRASH/status.json"
	"$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
for expr in sys.argv[2:]:
    print(eval(expr, {"d": d}))' "$TRASH/status.json" "$@"
}

cmd_exits 0 "the first pass succeeds" ferry -c ferry.conf sync
cmd_exits 0 "ferry status succeeds" ferry -c ferry.conf status
like "$STDOUT" "^mirror .*/mirror: commit [0-9a-f]{12}, 1 commit
city: last pass [0-9-]+ [0-9:]+, changed the mirror; 50 copies kept, 0 failing, 0 withdrawn upstream
  last change [0-9-]+ [0-9:]+: sync city: 50 added \(commit [0-9a-f]{12}, 53 requests, 3[0-9][0-9]\.[0-9] kB\)
store: " "a fresh mirror: the first pass changed it, nothing fails"

sleep 1
rm "$SITE/127.0.0.2/redcards/am.pdf"
rig_rules '{"127.0.0.2/redcards/ko.pdf": {"status": 503}}'
cmd_exits 3 "a pass with a 503 and a 404" ferry -c ferry.conf sync
cmd_exits 3 "and another, with nothing else changed" ferry -c ferry.conf sync
cmd_exits 0 "ferry status succeeds" ferry -c ferry.conf status
like "$STDOUT" "
city: last pass [0-9-]+ [0-9:]+, no change; 50 copies kept, 2 failing, 1 withdrawn upstream
" "the last pass changed nothing; two resources fail, one of them withdrawn"
like "$STDOUT" "
  last change [0-9-]+ [0-9:]+: sync city: 2 failed \(commit [0-9a-f]{12}, 55 requests, " \
    "the last change is the pass that saw them fail (retrying the 503 twice)"
like "$STDOUT" "
  failing since [0-9-]+ [0-9:]+ \(2 passes\): $U2/redcards/ko.pdf \(503 Service Unavailable, copy kept\)
" "the failing resource, since when and why"
like "$STDOUT" "
  withdrawn since [0-9-]+ [0-9:]+ \(404\): $U2/redcards/am.pdf, copy kept in $H2/redcards/am.pdf
" "the withdrawn one, with its copy"
like "$STDOUT" "
store: [0-9.]+ kB on disk \([0-9]+ loose objects, 0 packs\) for [0-9.]+ kB in 97 files at HEAD and [0-9.]+ kB in all [0-9]+ versions kept: [0-9]+% of the raw size
daemon: not running$" \
    "and the store against its content"

got=$(status_json 'd["format"], d["version"], d["commits"]' \
    'd["sources"][0]["outcome"], d["sources"][0]["copies"], d["sources"][0]["failing"], d["sources"][0]["withdrawn"]' \
    'd["sources"][0]["last_commit"]["failed"], d["sources"][0]["last_commit"]["requests"]' \
    '[(r["url"].split("/")[-1], r["passes"], r["status"], r["error"]) for r in d["failing"]]' \
    '[(r["path"].split("/")[-1], r["status"]) for r in d["withdrawn"]]' \
    'd["store"]["packs"], d["store"]["head_files"], d["store"]["loose_objects"] > 0')
is "$got" "('ferry-status', 1, 2)
('unchanged', 50, 2, 1)
(2, 55)
[('ko.pdf', 2, 200, '503 Service Unavailable')]
[('am.pdf', 404)]
(0, 97, True)" "--json says the same"
ok_cmd "it follows the schema in README.md" "$PYTHON3" \
    "$RIG_DIR/readme-schema.py" "$top_srcdir/README.md" ferry-status "$TRASH/status.json"
is "$(status_json 'd["head"] == "'"$(git -C mirror rev-parse HEAD)"'"')" True "head is HEAD"
is "$(status_json 'd["sources"][0]["last_pass"] >= d["sources"][0]["last_commit"]["started"]')" True \
    "the last pass is not older than the last change"

cmd_exits 0 "ferry gc" ferry -c ferry.conf gc
got=$(status_json 'd["store"]["packs"], d["store"]["loose_objects"], d["store"]["disk_bytes"] == d["store"]["pack_bytes"]' \
    'd["store"]["ratio"] < 1, d["store"]["versions_bytes"] >= d["store"]["head_bytes"]')
is "$got" "(1, 0, True)
(True, True)" "after packing: one pack, nothing loose, smaller than the raw content"
ok_cmd "still per the schema" "$PYTHON3" "$RIG_DIR/readme-schema.py" \
    "$top_srcdir/README.md" ferry-status "$TRASH/status.json"

# A configured source that never ran.
write_conf two.conf '[source "county"]' "	url = http://127.0.0.3:$PORT/"
cmd_exits 0 "a source with no pass yet" ferry -c two.conf status
like "$STDOUT" "
county: never synced
" "is said to be so"
run ferry -c two.conf status --json
printf '%s\n' "$STDOUT" >"$TRASH/status2.json"
like "$STDOUT" '"outcome": "never"' "and in JSON with outcome never"
ok_cmd "per the schema" "$PYTHON3" "$RIG_DIR/readme-schema.py" \
    "$top_srcdir/README.md" ferry-status "$TRASH/status2.json"
cmd_exits 2 "an argument is a usage error" ferry -c ferry.conf status city

done_testing
