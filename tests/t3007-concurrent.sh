#!/bin/bash
# t3007: two writers on one mirror.  A second "ferry sync" while a pass
# runs refuses at once, naming the process that holds the mirror, and
# changes nothing; the first pass completes and nothing is lost.  verify
# and gc wait their turn the same way; log and status read meanwhile.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf

cmd_exits 0 "a first pass" ferry -c ferry.conf sync
first=$(git -C mirror rev-parse HEAD)
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
# Slow enough that the checks below all run while the pass does (under
# valgrind each of them takes seconds).
slow=150
[ "${FERRY_VALGRIND:-0}" = 1 ] && slow=3000
rig_rules '{"127.0.0.2/redcards/*": {"delay_ms": '"$slow"'}}'

"$FERRY" -c ferry.conf sync >"$TRASH/first.out" 2>&1 &
pid=$!
for ((i = 0; i < 200; i++)); do
	[ -s mirror/.git/ferry/lock ] && break
	sleep 0.02
done
is "$(tr -d '\n' <mirror/.git/ferry/lock)" "$pid" "the running pass holds the lock, with its pid"
cmd_exits 1 "a second ferry sync meanwhile" ferry -c ferry.conf sync
is "$STDERR" "ferry: city: mirror '$TRASH/mirror' is busy: ferry process $pid is writing it (try again when it has finished)" \
    "refuses with a clear message"
cmd_exits 1 "ferry verify meanwhile" ferry -c ferry.conf verify
like "$STDERR" "is busy: ferry process $pid is writing it" "waits its turn too"
cmd_exits 1 "ferry gc meanwhile" ferry -c ferry.conf gc
like "$STDERR" "is busy: ferry process $pid is writing it" "as does gc"
cmd_exits 0 "ferry log meanwhile" ferry -c ferry.conf log
cmd_exits 0 "ferry status meanwhile" ferry -c ferry.conf status
ok "the first pass was still running all along" kill -0 "$pid"
wait "$pid"
is "$?" 0 "the first pass completes"
like "$(cat "$TRASH/first.out")" "1 updated.*commit" "and commits its change"
is "$(git -C mirror rev-list --count "$first"..HEAD)" 1 "exactly one new commit"
is "$(git -C mirror log -1 --format=%s)" "sync city: 1 updated" "the first pass's"
is "$(tr -d '\n' <mirror/.git/ferry/lock)" "" "the lock is free again"
rig_rules '{}'
ok_cmd "nothing is lost: the mirror is the site" "$PYTHON3" \
    "$RIG_DIR/checkmirror.py" mirror "$SITE"
cmd_exits 0 "ferry verify is clean" ferry -c ferry.conf verify
cmd_exits 0 "and the next pass runs" ferry -c ferry.conf sync

# Two passes started together on a fresh mirror: one makes it, the
# other refuses (busy, or finding a mirror half-made); never two
# histories.
rig_rules '{"127.0.0.2/redcards/*": {"delay_ms": 50}}'
write_conf fresh.conf
sed -i 's|path = mirror|path = fresh|' fresh.conf
"$FERRY" -c fresh.conf sync >"$TRASH/a.out" 2>&1 &
a=$!
"$FERRY" -c fresh.conf sync >"$TRASH/b.out" 2>&1 &
b=$!
wait "$a"; ra=$?
wait "$b"; rb=$?
is "$(printf '%s\n' "$ra" "$rb" | sort | tr '\n' ' ')" "0 1 " "one pass succeeds, the other refuses"
is "$(git -C fresh rev-list --count HEAD)" 1 "one commit"
rig_rules '{}'
ok_cmd "the fresh mirror is the site" "$PYTHON3" "$RIG_DIR/checkmirror.py" fresh "$SITE"

done_testing
