#!/bin/bash
# t1103: limits.  A slow drip under the low-speed limit, a whole-transfer
# timeout, a gzip bomb, a file over max-file-size, and the per-pass
# max-resources and max-bytes of a source: each says which limit and
# where, exits 3, and keeps the previous copies byte for byte (a budget
# never removes what it did not reach).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H2=site/127.0.0.2_$PORT
HUB=$SITE/127.0.0.1/resources/index.html
write_conf ferry.conf

files() {	# the mirror's files but the source page, with their hashes
	(cd mirror && git ls-files -z site | xargs -0 sha1sum |
	    grep -v ' site/[^/]*/resources/index\.html$')
}
same_files() {	# same_files DESC: the mirror holds $before, byte for byte
	local d
	if d=$(diff <(echo "$before") <(files)); then
		pass "$1"
	else
		fail "$1" "the mirror's files differ from before:" "$d"
	fi
}
hub_edit() {	# a change on the source page, so the pass commits
	sed -i "s/(213) 555-01[0-9][0-9]/(213) 555-01$1/" "$HUB"
}

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync
before=$(files)

# A server that drips 200 bytes a second.
hub_edit 61
write_conf slow.conf "[fetch]" "	low-speed-limit = 1K" "	low-speed-time = 1s" \
    "	retries = 0"
rig_rules '{"127.0.0.2/redcards/en.pdf": {"drip": 200, "no_validators": true}}'
cmd_exits 3 "a body slower than low-speed-limit fails" ferry -c slow.conf sync
like "$STDERR" "failed http://127\.0\.0\.2:$PORT/redcards/en\.pdf \(too slow: under low-speed-limit \(1024 bytes/s\) for low-speed-time \(1 s\), previous copy kept\)" \
    "the pass output names the limit and the resource"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/en\.pdf \(too slow: under low-speed-limit \(1024 bytes/s\) for low-speed-time \(1 s\), previous copy kept\)" \
    "so does the commit"
same_files "every copy is as it was"

# A whole-transfer timeout.
write_conf timeout.conf "[fetch]" "	timeout = 1s" "	retries = 0"
rig_rules '{"127.0.0.2/redcards/fr.pdf": {"delay_ms": 3000, "no_validators": true}}'
cmd_exits 3 "a transfer longer than timeout fails" ferry -c timeout.conf sync
like "$STDERR" "failed http://127\.0\.0\.2:$PORT/redcards/fr\.pdf \(not complete within timeout \(1 s\), previous copy kept\)" \
    "and says which limit"
same_files "every copy is as it was"

# A gzip bomb (50 MB of zeros in about 50 KB) and a file over the cap.
hub_edit 62
write_conf cap.conf "[fetch]" "	max-file-size = 28000"
rig_rules '{"127.0.0.2/redcards/es.pdf": {"gzip_bomb": 52428800},
    "127.0.0.2/redcards/en.pdf": {"no_validators": true}}'
rig_log_clear
cmd_exits 3 "a gzip bomb and a file over max-file-size fail" \
    ferry -c cap.conf sync
msg=$(git -C mirror log -1 --format=%B)
like "$msg" "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(larger than max-file-size \(28000 bytes once decompressed\), previous copy kept\)" \
    "the bomb stops at the cap, counted after decompression"
like "$msg" "failed   http://127\.0\.0\.2:$PORT/redcards/en\.pdf \(larger than max-file-size \(28000 bytes\), previous copy kept\)" \
    "a file whose Content-Length is over the cap is refused"
is "$(rig_count path=/redcards/es.pdf)" 1 "a size cap is not retried"
bytes=$(rig_requests path=/redcards/es.pdf | "$PYTHON3" -c 'import json,sys
print(json.loads(sys.stdin.read())["bytes"])')
ok "the bomb was cut off early ($bytes bytes sent)" test "$bytes" -lt 1000000
same_files "every copy is as it was"
is "$(ls mirror/.git/ferry/tmp | wc -l)" 0 "no partial download is left behind"

# max-resources: what the budget does not reach keeps its copy.
hub_edit 63
write_conf budget.conf "	max-resources = 10"
rig_log_clear
cmd_exits 3 "a pass that reaches max-resources exits 3" ferry -c budget.conf sync
is "$(rig_count path!=/robots.txt)" 10 "exactly 10 resources were requested"
like "$STDERR" "ferry: city: source\.city\.max-resources \(10\) reached at 'http://[^']*': the rest is not fetched this pass \(previous copies are kept\)" \
    "the pass says which limit tripped and where"
msg=$(git -C mirror log -1 --format=%B)
like "$msg" "failed   http://[^ ]* \(not fetched: source\.city\.max-resources \(10\) reached, previous copy kept\)" \
    "the commit names the limit for each resource not fetched"
unlike "$msg" "(^|
)removed " "nothing is removed"
is "$(files | wc -l)" "$(echo "$before" | wc -l)" \
    "every copy is still in the mirror"
same_files "and byte-identical"

# max-bytes: bodies stop coming once the budget is spent.
before=$(files)
rig_rules '{"127.0.0.2/redcards/*": {"no_validators": true}}'
write_conf bytes.conf "	max-bytes = 50K"
rig_log_clear
cmd_exits 3 "a pass that reaches max-bytes exits 3" ferry -c bytes.conf sync
like "$STDERR" "ferry: city: source\.city\.max-bytes \(51200 bytes\) reached at 'http://[^']*': the rest is not fetched this pass" \
    "the pass says which limit tripped and where"
like "$STDERR" "failed http://127\.0\.0\.2:$PORT/redcards/[^ ]* \(not fetched: source\.city\.max-bytes \(51200 bytes\) reached, previous copy kept\)" \
    "and names each resource it did not fetch"
got=$(rig_requests host=127.0.0.2 status=200 | "$PYTHON3" -c 'import json,sys
print(sum(json.loads(l)["bytes"] for l in sys.stdin))')
ok "the bodies stopped near the budget ($got bytes)" test "$got" -lt 120000
same_files "every copy is in the mirror, byte-identical"

done_testing
