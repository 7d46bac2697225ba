# tests/daemon.sh: what the ferryd tests (t5xxx) share, sourced after
# tests/lib.sh.  Every wait has a deadline; every daemon started is
# killed when the script ends.

DPID=
daemon_start() {	# daemon_start LOG [ARGS...]: ferryd -d ARGS
	# (by default -c ferry.conf)
	local log=$1
	shift
	[ $# -eq 0 ] && set -- -c ferry.conf
	: >"$log"
	show_on_failure "$log"
	"$FERRYD" -d "$@" >"$log" 2>&1 </dev/null &
	DPID=$!
	at_exit "kill -KILL $DPID"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# A deadline is what a loaded machine may need (sanitizers, valgrind, make
# -j), not what an idle one takes: each is stretched FERRY_TEST_PATIENCE
# times (3 unless set).  A check that passes never waits for it.
until_true() {	# until_true SECONDS CMD...: CMD every 0.05s, false at the deadline
	local end=$(($(now_ms) + $1 * 1000 * ${FERRY_TEST_PATIENCE:-3}))
	shift
	until "$@"; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}
logged() { grep -Eq -- "$2" "$1"; }	# logged FILE REGEX
count() { grep -Ec -- "$2" "$1"; }	# count FILE REGEX
gone() { ! kill -0 "$DPID" 2>/dev/null; }
daemon_stop() {	# daemon_stop: SIGTERM, at most 10 s
	kill -TERM "$DPID" 2>/dev/null
	until_true 10 gone || { kill -KILL "$DPID"; fail "ferryd stops"; }
	wait "$DPID" 2>/dev/null
	is "$?" 0 "ferryd exits 0"
}
_daemon_stamp() {	# each line read, after the time it was read (ms)
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "$((${EPOCHREALTIME/./} / 1000))" "$line"
	done
}
daemon_stamped() {	# daemon_stamped LOG ARGS...: ferryd -d ARGS, timed
	local log=$1
	shift
	: >"$log"
	show_on_failure "$log"
	"$FERRYD" -d "$@" > >(_daemon_stamp >"$log") 2>&1 </dev/null &
	DPID=$!
	at_exit "kill -KILL $DPID"
}
notify_listen() {	# notify_listen FILE: a stand-in for systemd's socket
	: >"$1"
	"$PYTHON3" - "$TRASH/notify.sock" "$1" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", encoding="utf-8") as f:
    while True:
        f.write(s.recv(4096).decode().replace("\n", " ") + "\n")
        f.flush()
PY
	at_exit "kill $!"
	until_true 5 test -S "$TRASH/notify.sock" ||
	    bail_out "no notification socket"
	export NOTIFY_SOCKET=$TRASH/notify.sock
}
