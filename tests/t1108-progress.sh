#!/bin/bash
# t1108: what a pass prints.  Not on a terminal: the summary alone (and a
# line per failure on stderr); -q: nothing but errors; -v: one line per
# resource; on a terminal: one progress line rewritten in place
# (resources done/known, bytes, rate, failures), cleared at the end.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf

cmd_exits 0 "a first pass, not on a terminal" ferry -c ferry.conf sync
is "$STDERR" "" "prints nothing on stderr"
is "$(wc -l <<<"$STDOUT")" 1 "and one summary line on stdout"

cmd_exits 0 "-v sync" ferry -v -c ferry.conf sync
is "$(grep -cE '^city: (unchanged|redirect) +http://' <<<"$STDOUT")" 51 \
    "-v lists every resource (50 and one redirect) with its outcome"
like "$STDOUT" "city: unchanged +http://127\.0\.0\.2:$PORT/redcards/es\.pdf" \
    "a line reads outcome and URL"
like "$(tail -1 <<<"$STDOUT")" "^city: 50 resources" "the summary comes last"

rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 404}}'
cmd_exits 3 "a pass with a failure, not on a terminal" ferry -c ferry.conf sync
is "$STDERR" "ferry: city: failed http://127.0.0.2:$PORT/redcards/es.pdf (404 Not Found)" \
    "names the failure on stderr"
cmd_exits 3 "-q: the exit status still tells" ferry -q -c ferry.conf sync
is "$STDOUT$STDERR" "" "-q prints nothing"
cmd_exits 3 "-v with a failure" ferry -v -c ferry.conf sync
like "$STDOUT" "city: gone +http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(404 Not Found\)" \
    "-v lists the failure with its reason"
rig_rules '{}'

if ! command -v script >/dev/null 2>&1; then
	skip "on a terminal, a progress line" "script(1) is not installed"
	done_testing
fi
rig_rules '{"127.0.0.2/redcards/*": {"no_validators": true}}'
script -qec "'$FERRY' -c ferry.conf sync" /dev/null >tty.out 2>&1 </dev/null
got=$(tr '\r\033' 'RE' <tty.out)
like "$got" "RE\[Kcity: [0-9]+/[0-9]+ resources, [0-9.]+ [kMG]B, [0-9.]+ [kMG]B/s, 0 failed" \
    "on a terminal a progress line is drawn in place"
like "$got" "RE\[Kcity: 51/51 resources, .* 0 failed" "it reaches done = known"
like "$got" "RE\[Kcity: 50 resources, [0-9]+ added" "and is cleared before the summary"
is "$(grep -c . tty.out)" 1 "everything is on one line until the summary"

done_testing
