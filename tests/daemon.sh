# tests/daemon.sh: what the ferryd tests (t5xxx) share, sourced after
# tests/lib.sh.  Every wait has a deadline; every daemon started is
# killed when the script ends.

DPID=
daemon_start() {	# daemon_start LOG: ferryd -d on ferry.conf
	: >"$1"
	"$FERRYD" -d -c ferry.conf >"$1" 2>&1 </dev/null &
	DPID=$!
	at_exit "kill -KILL $DPID"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
until_true() {	# until_true SECONDS CMD...: CMD every 0.05s, false at the deadline
	local end=$(($(now_ms) + $1 * 1000))
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
