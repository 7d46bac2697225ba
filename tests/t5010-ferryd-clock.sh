#!/bin/bash
# t5010: ferryd's schedule and the clocks.  The schedule's timer is a
# timerfd on CLOCK_BOOTTIME, which counts the time the machine was
# suspended and which no change of the wall clock moves, armed at
# an interval ahead on that clock (seen with strace on the real daemon).
# Under libfaketime, which fakes only the wall clock, a jump of the
# clock 30 days ahead and then 60 days back mid-run changes nothing:
# the passes keep their cadence, with no burst after the jump forward
# and no stall after the jump back.  Each part is skipped, saying why,
# where strace or libfaketime (Debian package libfaketime) is missing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start

. "$top_srcdir/tests/daemon.sh"
in_range() {	# in_range GOT MIN MAX DESC
	if [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; then
		pass "$4 ($1)"
	else
		fail "$4" "expected: from $2 to $3" "got:      $1"
	fi
}
source_hits() {	# source_hits: the times (ms) the source page was asked for
	rig_requests path=/resources/ | "$PYTHON3" -c 'import json, sys
for line in sys.stdin:
    print(int(json.loads(line)["t"] * 1000))'
}

# (a) the timers ferryd makes, and how it arms the schedule's.
write_conf ferry.conf '	interval = 1h' '[mirror]' '	jitter = 0'
sed -i 's/depth = 1/depth = 0/' ferry.conf
if ! command -v strace >/dev/null 2>&1; then
	skip "the schedule's timer is on CLOCK_BOOTTIME" \
	    "strace is not installed (Debian package strace)"
elif ! strace -o /dev/null true 2>/dev/null; then
	skip "the schedule's timer is on CLOCK_BOOTTIME" \
	    "strace cannot trace here (ptrace not allowed)"
else
	: >d0.log
	strace -f -o strace.out -e trace=timerfd_create,timerfd_settime \
	    "$FERRYD" -d -c ferry.conf >d0.log 2>&1 </dev/null &
	SPID=$!
	at_exit "kill -KILL $SPID"
	ok "ferryd makes its first pass under strace" \
	    until_true 30 logged d0.log "city: pass ended"
	sleep 0.5
	DPID=$(cat "/proc/$SPID/task/$SPID/children" 2>/dev/null)
	DPID=${DPID%% *}
	kill -TERM "${DPID:-$SPID}"
	wait "$SPID"
	boot=$(grep -E 'timerfd_create\(CLOCK_BOOTTIME, ' strace.out)
	diag "$(grep timerfd_create strace.out)"
	like "$boot" "TFD_CLOEXEC\|TFD_NONBLOCK\) = [0-9]+$" \
	    "a timer is made on CLOCK_BOOTTIME"
	is "$(grep -c 'timerfd_create(CLOCK_REALTIME' strace.out)" 0 \
	    "and none on the wall clock"
	fd=${boot##*= }
	arm=$(grep -E "timerfd_settime\\($fd, 0, .*it_value=\\{tv_sec=[1-9]" \
	    strace.out | tail -1)
	diag "${arm:-no arming of descriptor $fd}"
	sec=$(sed -n 's/.*it_value={tv_sec=\([0-9]*\).*/\1/p' <<<"$arm")
	in_range "${sec:-0}" 3500 3600 \
	    "it is armed an interval ahead on that clock (s)"
fi

# (b) the wall clock jumps; the cadence does not.
FT=$(dpkg -L libfaketime 2>/dev/null | grep -m1 '/libfaketime\.so\.1$')
[ -n "$FT" ] || FT=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ ! -f "$FT" ]; then
	skip "a change of the wall clock does not move the schedule" \
	    "libfaketime is not installed (Debian package libfaketime)"
	done_testing
fi
rm -rf mirror
sed -i 's/interval = 1h/interval = 3s/' ferry.conf
printf '+0\n' >faketime
rig_log_clear
# An --enable-asan build wants its runtime first: preloading is fine here.
FAKETIME_TIMESTAMP_FILE=$TRASH/faketime FAKETIME_NO_CACHE=1 \
    FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD=$FT \
    ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0 \
    daemon_start d.log
ok "ferryd makes its first pass under libfaketime" \
    until_true 30 logged d.log "city: pass ended"
sleep 9
printf '+30d\n' >faketime
T1=$(now_ms)
sleep 9
printf -- '-30d\n' >faketime
T2=$(now_ms)
sleep 9
T3=$(now_ms)
daemon_stop
read -r _ last _ <mirror/.git/ferry/ferryd.schedule
ok "the daemon's wall clock was 30 days back at its last pass" \
    test "$(($(date +%s) - ${last:-0}))" -ge 2500000
source_hits >hits
diag "source page asked for at (ms): $(tr '\n' ' ' <hits)"
before=$(awk -v a="$T1" '$1 < a' hits | wc -l)
ahead=$(awk -v a="$T1" -v b="$T2" '$1 >= a && $1 < b' hits | wc -l)
back=$(awk -v a="$T2" -v b="$T3" '$1 >= a && $1 < b' hits | wc -l)
in_range "$ahead" 2 4 "9 s after a jump of 30 days ahead: 2 to 4 passes"
in_range "$back" 2 4 "9 s after a jump of 60 days back: 2 to 4 passes"
ok "before the jumps, passes were made too ($before)" test "$before" -ge 3
gaps=$(awk 'NR > 1 { print $1 - t } { t = $1 }' hits | sort -n)
in_range "$(head -1 <<<"$gaps")" 2900 60000 \
    "no burst: passes never came closer than the interval (ms)"
in_range "$(tail -1 <<<"$gaps")" 2900 5000 \
    "no stall: never more than the interval and a pass apart (ms)"

done_testing
