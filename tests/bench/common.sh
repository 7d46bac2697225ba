# tests/bench/common.sh: what export-bench.sh and follow-bench.sh share,
# sourced first.  It owns where things are, the ferry to measure, the
# scratch directory and its removal, and the test server with the
# sample site; each script owns its options, its steps and its table.
#
#	. "$(dirname "$0")/common.sh"
#	... options into size, ferry and keep ...
#	bench_start		# cd's into $work; sets url, server_pid
#
# A script with servers of its own defines bench_cleanup, called first
# when the run ends.

here=$(cd "$(dirname "$0")" && pwd) || exit 2
srcdir=$(cd "$here/../.." && pwd) || exit 2
rig=$srcdir/tests/rig
PYTHON3=${PYTHON3:-python3}
bench_name=$(basename "$0" .sh)
server_pid=

die() {
	printf '%s: %s\n' "$bench_name" "$*" >&2
	exit 2
}

# bench_stop PID: TERM, KILL after 5 s, reaped.
bench_stop() {
	local i
	kill "$1" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

_bench_exit() {
	declare -F bench_cleanup >/dev/null && bench_cleanup
	[ -n "$server_pid" ] && bench_stop "$server_pid"
	if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}

# bench_start: checks size and ferry, makes $work (removed at the end
# unless keep=1), starts the test server there and writes the sample
# site; url is its source page.
bench_start() {
	local i site_args
	case $size in
	seed) site_args=(--size seed --scale 4) ;;
	large) site_args=(--size large) ;;
	*) die "--size must be seed or large, not '$size'" ;;
	esac
	[ -n "$ferry" ] || ferry=$PWD/mirror/ferry
	[ -x "$ferry" ] ||
	    die "no ferry at '$ferry' (build first, or --ferry PATH)"
	ferry=$(cd "$(dirname "$ferry")" && pwd)/$(basename "$ferry")
	work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-$bench_name.XXXXXX") ||
	    die "cannot create a scratch directory"
	trap _bench_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	export HOME=$work/home TZ=UTC LC_ALL=C.UTF-8 GIT_CONFIG_NOSYSTEM=1
	unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
	mkdir -p "$HOME" "$work/site"
	cd "$work" || exit 2
	"$PYTHON3" "$rig/ferry-testd.py" --site site --port-file port \
	    --log requests.log --watch-pid $$ --idle-exit 7200 \
	    </dev/null >server.err 2>&1 &
	server_pid=$!
	for ((i = 0; i < 200; i++)); do [ -s port ] && break; sleep 0.05; done
	[ -s port ] || die "the test server did not start"
	url=$("$PYTHON3" "$rig/gensite.py" --out site --port "$(cat port)" \
	    "${site_args[@]}") || die "cannot write the sample site"
}
