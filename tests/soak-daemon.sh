#!/bin/bash
# soak-daemon.sh: ferryd over many short passes, for leaks.  Starts the
# test server and ferryd, asks for N passes one after the other with
# "ferry sync --now" (each waited for), and compares the daemon's
# resident memory and open descriptors after the first passes with
# those at the end: RSS may grow by at most 1 MB, the descriptors not
# at all.  Not part of "make check"; run it by hand from the build tree:
#
#	top_builddir=. top_srcdir=SRCDIR bash SRCDIR/tests/soak-daemon.sh [N]
#
# N defaults to 1000 (a few minutes).  Prints TAP, so prove can run it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
N=${1:-1000}
WARM=20
rig_start

now_ms() { echo $(($(date +%s%N) / 1000000)); }
until_true() {	# until_true SECONDS CMD...
	local end=$(($(now_ms) + $1 * 1000))
	shift
	until "$@"; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.02
	done
}
ended() { [ "$(grep -c 'pass ended' d.log)" -ge "$1" ]; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$DPID/status"; }
fds() { ls "/proc/$DPID/fd" | wc -l; }

write_conf ferry.conf '	interval = 1h' '[mirror]' '	jitter = 0' \
    '	fsync = false' '	gc-threshold = 0'
: >d.log
"$FERRYD" -d -c ferry.conf >d.log 2>&1 </dev/null &
DPID=$!
at_exit "kill -KILL $DPID"
until_true 30 ended 1 || bail_out "no first pass"

start=$(now_ms)
for ((i = 2; i <= N + 1; i++)); do
	"$FERRY" -q -c ferry.conf sync --now city ||
		bail_out "ferry sync --now failed at pass $i"
	until_true 30 ended "$i" || bail_out "pass $i did not end"
	if [ "$i" -eq "$WARM" ]; then
		rss0=$(rss_kb)
		fd0=$(fds)
	fi
done
secs=$((($(now_ms) - start) / 1000))
rss1=$(rss_kb)
fd1=$(fds)
failed=$(grep -c 'pass ended (failed)' d.log)

diag "$N passes in ${secs} s"
diag "RSS after $WARM passes: ${rss0} kB, after $((N + 1)): ${rss1} kB" \
    "(growth $((rss1 - rss0)) kB)"
diag "descriptors after $WARM passes: $fd0, after $((N + 1)): $fd1"
is "$failed" 0 "no pass failed"
ok "RSS grew by at most 1 MB ($((rss1 - rss0)) kB)" \
    test $((rss1 - rss0)) -le 1024
is "$fd1" "$fd0" "the descriptors stayed the same"
kill -TERM "$DPID"
ok "ferryd stops" until_true 10 eval '! kill -0 "$DPID" 2>/dev/null'
done_testing
