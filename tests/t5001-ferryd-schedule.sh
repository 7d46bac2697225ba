#!/bin/bash
# t5001: ferryd's schedule, with intervals of seconds.  A pass happens at
# start and again an interval later, and commits what changed on the
# source without anyone asking; a source whose pass fails is retried
# after a backoff that doubles (1s, 2s, 4s) while the good source keeps
# its interval; a restart makes a pass soon only for a source whose last
# pass is older than its interval, and retries a failing source soon.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
HUB=$SITE/127.0.0.1/resources/index.html

stamp() {	# each line read, after the time it was read (ms)
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "$((${EPOCHREALTIME/./} / 1000))" "$line"
	done
}
. "$top_srcdir/tests/daemon.sh"
daemon_start() {	# daemon_start LOG: ferryd -d on ferry.conf
	: >"$1"
	"$FERRYD" -d -c ferry.conf > >(stamp >"$1") 2>&1 </dev/null &
	DPID=$!
	at_exit "kill -KILL $DPID"
}
gaps() {	# gaps LOG REGEX: ms between the lines matching REGEX
	grep -E -- "$2" "$1" | awk 'NR > 1 { printf "%s%d", sep, $1 - t;
	    sep = " " } { t = $1 }'
}
at_least() {	# at_least GOT MIN DESC
	if [ -n "$1" ] && [ "$1" -ge "$2" ]; then
		pass "$3"
	else
		fail "$3" "expected: at least $2" "got:      $1"
	fi
}
subject() { git -C mirror log -1 --format=%s; }

write_conf ferry.conf '	interval = 2s' \
    '[mirror]' '	jitter = 0' \
    '[fetch]' '	retries = 0' '	connect-timeout = 2s' \
    '[daemon]' '	backoff = 1s' \
    '[source "down"]' '	url = http://127.0.0.1:1/' '	interval = 1h'

daemon_start run1.log
ok "a pass at start commits the mirror" \
    until_true 15 logged run1.log "city: pass ended"
is "$(subject)" "sync city: 50 added" "the first commit is the pass's"

sed -i 's/(213) 555-01[0-9][0-9]/(213) 555-0177/' "$HUB"
ok "a scheduled pass takes the change with nobody asking" \
    until_true 15 eval '[[ $(subject) =~ ^"sync city: 1 updated" ]]'
like "$(git -C mirror show HEAD:site/127.0.0.1_$PORT/resources/index.html)" \
    "555-0177" "the new page is in the commit"
ok "the good source keeps passing every interval" \
    until_true 10 eval '[ "$(count run1.log "city: pass started")" -ge 4 ]'

ok "the failing source is retried" \
    until_true 15 logged run1.log "down: failed 3 times in a row"
ok "after 1 s" logged run1.log \
    "down: failed 1 time in a row, next try in 1s"
ok "then 2 s" logged run1.log "down: failed 2 times in a row, next try in 2s"
ok "then 4 s" logged run1.log "down: failed 3 times in a row, next try in 4s"
like "$(grep 'down: pass failed' run1.log | head -1)" \
    "down: pass failed: .*127\.0\.0\.1:1" "the log says why it failed"
ok "a fourth try" until_true 10 logged run1.log "down: failed 4 times"
read -r g1 g2 g3 <<<"$(gaps run1.log "down: pass started")"
diag "gaps between the tries of the failing source: $g1 $g2 $g3 ms"
at_least "$g1" 900 "the second try waits 1 s"
at_least "$g2" 1900 "the third try waits 2 s"
at_least "$g3" 3900 "the fourth try waits 4 s"
daemon_stop

# A restart with the last pass within the interval: no pass for city, a
# retry soon for the failing source.
sed -i 's/interval = 2s/interval = 1h/' ferry.conf
daemon_start run2.log
ok "after a restart the failing source is retried soon" \
    until_true 10 logged run2.log "down: pass started"
sleep 2
is "$(count run2.log "city: pass started")" 0 \
    "a source passed within its interval waits"
daemon_stop

# Stopped for longer than the interval: a pass soon after start.
sed -i 's/interval = 1h/interval = 1s/' ferry.conf
sleep 1.5
daemon_start run3.log
ok "a source whose last pass is older than its interval passes soon" \
    until_true 10 logged run3.log "city: pass started"
daemon_stop
like "$(tail -1 run3.log)" "stopped" "ferryd stops cleanly"

done_testing
