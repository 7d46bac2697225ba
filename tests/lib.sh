# tests/lib.sh: the TAP library every tests/tNNNN-name.sh sources.
#
# It owns the TAP stream (plan, results, diagnostics), the per-test
# scratch directory, the test HTTP server (tests/rig/ferry-testd.py and
# the sample site from tests/rig/gensite.py), its request log, and a
# ferry.conf for that site. It does not know what ferry should do: the
# scripts assert that.
#
#	. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
#	setup_trash
#	rig_start
#	write_conf ferry.conf
#	ok_cmd "first sync succeeds" ferry -f ferry.conf sync
#	is "$(rig_count host=127.0.0.3)" 0 "no request to a host not allowed"
#	done_testing
#
# Environment: top_srcdir, top_builddir (default: the script's ../),
# FERRY_KEEP=1 keeps the scratch directory, FERRY_VALGRIND=1 runs ferry
# under valgrind, PYTHON3 names the interpreter.

# --- paths and environment ----------------------------------------------

: "${top_srcdir:=$(dirname "$0")/..}"
: "${top_builddir:=$(dirname "$0")/..}"
top_srcdir=$(cd "$top_srcdir" && pwd) ||
	{ echo "Bail out! no source tree at '$top_srcdir'"; exit 99; }
top_builddir=$(cd "$top_builddir" && pwd) ||
	{ echo "Bail out! no build tree at '$top_builddir'"; exit 99; }
export top_srcdir top_builddir

: "${PYTHON3:=python3}"
FERRY=$top_builddir/mirror/ferry
FERRYD=$top_builddir/daemon/ferryd
RIG_DIR=$top_srcdir/tests/rig
export PYTHON3 FERRY FERRYD

# Requests to the rig never go through a proxy; dates print in UTC;
# sanitizer reports get exit codes of their own (see cmd_fails).
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
NO_PROXY=127.0.0.1,127.0.0.2,127.0.0.3,localhost
no_proxy=$NO_PROXY
TZ=UTC
: "${ASAN_OPTIONS:=exitcode=98}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:exitcode=98}"
export NO_PROXY no_proxy TZ ASAN_OPTIONS UBSAN_OPTIONS

_lib_file=${BASH_SOURCE[0]}
_tap_count=0
_tap_failed=0
_tap_planned=
_lib_at_exit=()
_lib_show=()
_lib_tmp=
_lib_dir=
TRASH=
RIG_PID=

# --- TAP output -----------------------------------------------------------

# diag TEXT...: each line of each argument as a TAP comment.
diag() {
	local arg line
	for arg in "$@"; do
		while IFS= read -r line || [ -n "$line" ]; do
			printf '# %s\n' "$line"
		done <<<"$arg"
	done
}

# The script and line that called into this library.
_tap_where() {
	local i
	for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
		if [ "${BASH_SOURCE[$i]}" != "$_lib_file" ]; then
			printf '%s:%s' "${BASH_SOURCE[$i]##*/}" \
			    "${BASH_LINENO[$((i - 1))]}"
			return
		fi
	done
	printf '%s' "${0##*/}"
}

_tap_desc() {
	local d=${1//$'\n'/ }
	printf '%s' "${d//#/\\#}"
}

# pass DESC / fail DESC [DIAG...]: the primitives under every assertion.
pass() {
	_tap_count=$((_tap_count + 1))
	printf 'ok %d - %s\n' "$_tap_count" "$(_tap_desc "$1")"
	return 0
}

fail() {
	local desc=$1
	shift
	_tap_count=$((_tap_count + 1))
	_tap_failed=$((_tap_failed + 1))
	printf 'not ok %d - %s\n' "$_tap_count" "$(_tap_desc "$desc")"
	[ $# -gt 0 ] && diag "$@"
	diag "at $(_tap_where)"
	return 1
}

# skip DESC REASON: a test that did not run.
skip() {
	_tap_count=$((_tap_count + 1))
	printf 'ok %d - %s # SKIP %s\n' "$_tap_count" "$(_tap_desc "$1")" \
	    "$(_tap_desc "${2:-}")"
}

# skip_all REASON: nothing in this script can run here.
skip_all() {
	printf '1..0 # SKIP %s\n' "$(_tap_desc "$1")"
	_tap_planned=yes
	exit 0
}

# bail_out REASON: the script cannot go on (the rig did not start...).
bail_out() {
	printf 'Bail out! %s\n' "$(_tap_desc "$1")"
	_tap_planned=yes
	exit 99
}

# done_testing: the plan; exits non-zero when any test failed.
done_testing() {
	if [ "$_tap_count" -eq 0 ]; then
		bail_out "${0##*/}: no test was run"
	fi
	printf '1..%d\n' "$_tap_count"
	_tap_planned=yes
	if [ "$_tap_failed" -gt 0 ]; then
		diag "$_tap_failed of $_tap_count tests failed"
		_lib_show_files
		exit 1
	fi
	exit 0
}

# show_on_failure FILE...: files (a daemon's log) whose last lines the
# diagnostics show when a test of the script failed.
show_on_failure() {
	local f
	for f in "$@"; do
		[[ $f = /* ]] || f=$PWD/$f
		_lib_show+=("$f")
	done
}

_lib_show_files() {
	local f
	for f in "${_lib_show[@]}"; do
		[ -s "$f" ] || continue
		diag "last lines of $f:"
		diag "$(tail -n 60 "$f" | sed 's/^/  /')"
	done
}

# Quote a command for a diagnostic line.
_lib_quote() {
	local out= arg
	for arg in "$@"; do
		out+=" $(printf '%q' "$arg")"
	done
	printf '%s' "${out# }"
}

# Up to the last 20 lines of FILE as diagnostics, headed by LABEL.
_lib_tail() {
	[ -s "$2" ] || return 0
	diag "$1:"
	diag "$(tail -n 20 "$2" | sed 's/^/  /')"
}

# --- assertions -----------------------------------------------------------

# Where run keeps output: $TRASH, or a private directory before
# setup_trash.
_lib_outdir() {
	if [ -z "$TRASH" ] && [ -z "$_lib_tmp" ]; then
		_lib_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferry-out.XXXXXX") ||
		    bail_out "cannot create a directory in ${TMPDIR:-/tmp}"
	fi
	_lib_dir=${TRASH:-$_lib_tmp}
}

# run CMD...: runs CMD; sets RC, STDOUT, STDERR (trailing newlines cut).
# The output also stays in $TRASH/.stdout and $TRASH/.stderr.
run() {
	_lib_outdir
	local dir=$_lib_dir
	"$@" >"$dir/.stdout" 2>"$dir/.stderr" </dev/null
	RC=$?
	STDOUT=$(cat "$dir/.stdout")
	STDERR=$(cat "$dir/.stderr")
	return 0
}

# A crash, a missing program, a sanitizer or valgrind report.
_lib_crashed() {
	[ "$1" -ge 126 ] || [ "$1" -eq 98 ] ||
	    { [ "${FERRY_VALGRIND:-0}" = 1 ] && [ "$1" -eq 99 ]; }
}

_lib_cmd_diag() {
	local dir=$_lib_dir
	diag "command: $1" "exit: $RC"
	_lib_tail "stdout" "$dir/.stdout"
	_lib_tail "stderr" "$dir/.stderr"
}

# peak_memory_under KB NOTE DESC CMD...: runs CMD under /usr/bin/time;
# passes when it exits 0 with a peak resident set under KB kilobytes.
# NOTE heads a diagnostic line with the peak, DESC names the check.
peak_memory_under() {
	local limit=$1 note=$2 desc=$3 kb
	shift 3
	run /usr/bin/time -f '%M' "$@"
	kb=$(tail -1 <<<"$STDERR")
	diag "$note: peak RSS $kb kB"
	ok "$desc ($kb kB)" test "$RC" = 0 -a "${kb:-999999}" -lt "$limit"
}

# ok_cmd DESC CMD...: passes when CMD exits 0.
ok_cmd() {
	local desc=$1
	shift
	run "$@"
	if [ "$RC" -eq 0 ]; then
		pass "$desc"
	else
		fail "$desc" "expected: exit 0"
		_lib_cmd_diag "$(_lib_quote "$@")"
		return 1
	fi
}

# cmd_fails DESC CMD...: passes when CMD exits non-zero without crashing
# (a signal, 126/127, a sanitizer's 98 or valgrind's 99 are failures).
cmd_fails() {
	local desc=$1
	shift
	run "$@"
	if [ "$RC" -ne 0 ] && ! _lib_crashed "$RC"; then
		pass "$desc"
	else
		fail "$desc" "expected: a failure exit (1-125)"
		_lib_cmd_diag "$(_lib_quote "$@")"
		return 1
	fi
}

# cmd_exits CODE DESC CMD...: passes when CMD exits with CODE.
cmd_exits() {
	local code=$1 desc=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$code" ]; then
		pass "$desc"
	else
		fail "$desc" "expected: exit $code"
		_lib_cmd_diag "$(_lib_quote "$@")"
		return 1
	fi
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "expected: '$2'" "got:      '$1'"
	fi
}

# isnt GOT UNEXPECTED DESC
isnt() {
	if [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3" "expected anything but: '$2'" "got: '$1'"
	fi
}

# like GOT REGEX DESC (bash extended regular expression)
like() {
	if [[ $1 =~ $2 ]]; then
		pass "$3"
	else
		fail "$3" "expected to match: /$2/" "got: '$1'"
	fi
}

# unlike GOT REGEX DESC
unlike() {
	if [[ $1 =~ $2 ]]; then
		fail "$3" "expected not to match: /$2/" "got: '$1'"
	else
		pass "$3"
	fi
}

# ok CONDITION-COMMAND... : `ok "desc" test -s file` style, no output kept.
ok() {
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "expected true: $(_lib_quote "$@")"
	fi
}

# file_exists PATH [DESC]
file_exists() {
	if [ -e "$1" ]; then
		pass "${2:-$1 exists}"
	else
		fail "${2:-$1 exists}" "expected: '$1' to exist" \
		    "got: no such file (in $(pwd))"
	fi
}

# file_missing PATH [DESC]
file_missing() {
	if [ ! -e "$1" ] && [ ! -L "$1" ]; then
		pass "${2:-$1 does not exist}"
	else
		fail "${2:-$1 does not exist}" "expected: no '$1'" \
		    "got: $(ls -ld "$1" 2>&1)"
	fi
}

# files_same A B DESC: byte for byte.
files_same() {
	local why
	if [ ! -f "$1" ] || [ ! -f "$2" ]; then
		fail "$3" "expected: '$1' and '$2' to be files" \
		    "got: $(ls -ld "$1" "$2" 2>&1)"
		return 1
	fi
	if why=$(cmp "$1" "$2" 2>&1); then
		pass "$3"
	else
		fail "$3" "expected: '$1' identical to '$2'" \
		    "got: $why ($(wc -c <"$1") and $(wc -c <"$2") bytes)"
	fi
}

# --- scratch directory and cleanup -------------------------------------

# at_exit COMMAND: run COMMAND (a string for eval) when the script ends.
at_exit() {
	_lib_at_exit+=("$1")
}

_lib_exit() {
	local rc=$? i
	trap - EXIT
	for ((i = ${#_lib_at_exit[@]} - 1; i >= 0; i--)); do
		eval "${_lib_at_exit[$i]}" >/dev/null 2>&1
	done
	rig_stop
	[ -n "$_lib_tmp" ] && rm -rf "$_lib_tmp"
	if [ -z "$_tap_planned" ]; then
		diag "${0##*/} ended (exit $rc) after $_tap_count tests" \
		    "without done_testing"
		[ "$rc" -eq 0 ] && rc=99
	fi
	if [ -n "$TRASH" ] && [ -d "$TRASH" ]; then
		if [ "${FERRY_KEEP:-0}" = 1 ]; then
			diag "scratch directory kept: $TRASH"
		else
			cd / && rm -rf "$TRASH"
		fi
	fi
	exit "$rc"
}

trap _lib_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# setup_trash: a fresh scratch directory $TRASH, and cd into it. HOME
# points there too, so no personal git or tool configuration leaks in.
setup_trash() {
	local name=${0##*/}
	[ -n "$TRASH" ] && return 0
	TRASH=$(mktemp -d "${TMPDIR:-/tmp}/ferry-${name%.sh}.XXXXXX") ||
	    bail_out "cannot create a scratch directory in ${TMPDIR:-/tmp}"
	export TRASH
	cd "$TRASH" || bail_out "cannot enter $TRASH"
	HOME=$TRASH
	GIT_CONFIG_NOSYSTEM=1
	export HOME GIT_CONFIG_NOSYSTEM
	unset XDG_CONFIG_HOME GIT_DIR GIT_WORK_TREE
}

# --- the test server -------------------------------------------------------

_rig_alive() {
	local stat
	kill -0 "$1" 2>/dev/null || return 1
	if [ -r "/proc/$1/stat" ]; then
		read -r stat <"/proc/$1/stat" || return 1
		stat=${stat##*) }
		[ "${stat%% *}" != Z ] || return 1
	fi
	return 0
}

# rig_start [--latency MS] [--size seed|large] [--seed N] [--tls]
#
# rig_wait_port FILE PIDVAR WHAT OUTPUT: waits (20 s at most) for the
# server started in the background, whose pid is in the variable named
# PIDVAR, to write its port into FILE; bails out with the last lines of
# its OUTPUT when it exits first, or when it never listens.
rig_wait_port() {
	local file=$1 pidvar=$2 what=$3 output=$4 i
	for ((i = 0; i < 400; i++)); do
		[ -s "$file" ] && return 0
		if ! _rig_alive "${!pidvar}"; then
			_lib_tail "$what: output" "$output"
			printf -v "$pidvar" '%s' ''
			bail_out "$what exited before listening"
		fi
		sleep 0.05
	done
	bail_out "$what did not listen within 20 seconds"
}

# Starts ferry-testd.py on an empty $TRASH/www, writes the sample site
# there and exports PORT, SITE, RIG_LOG, RIG_PID and SOURCE_URL. The
# server is stopped when the script ends, whatever the outcome.  With
# --tls it also serves the same hosts over TLS on TLS_PORT, with a
# certificate made for the test (TLS_CA, the one to trust).
rig_start() {
	local args=() site_args=() tls=
	while [ $# -gt 0 ]; do
		case $1 in
		--latency) args+=(--latency "$2"); shift 2 ;;
		--size) site_args+=(--size "$2"); shift 2 ;;
		--seed) site_args+=(--seed "$2"); shift 2 ;;
		--tls) tls=1; shift ;;
		*) bail_out "rig_start: unknown option '$1'" ;;
		esac
	done
	setup_trash
	rig_stop
	SITE=$TRASH/www
	RIG_LOG=$TRASH/rig.log
	RIG_ERR=$TRASH/rig.err
	local port_file=$TRASH/rig.port
	rm -rf "$SITE" "$port_file"
	mkdir "$SITE" || bail_out "cannot create $SITE"
	: >"$RIG_LOG"
	if [ -n "$tls" ]; then
		_rig_cert || bail_out "cannot make a test certificate (openssl)"
		args+=(--tls-cert "$TLS_CA" --tls-key "$TRASH/tls.key"
		    --tls-port-file "$TRASH/rig.tls-port")
	fi
	"$PYTHON3" "$RIG_DIR/ferry-testd.py" --site "$SITE" \
	    --port-file "$port_file" --log "$RIG_LOG" --watch-pid $$ \
	    "${args[@]}" </dev/null >"$RIG_ERR" 2>&1 &
	RIG_PID=$!
	rig_wait_port "$port_file" RIG_PID "the test server" "$RIG_ERR"
	PORT=$(cat "$port_file")
	[ -n "$tls" ] && TLS_PORT=$(cat "$TRASH/rig.tls-port") &&
	    export TLS_PORT TLS_CA
	SOURCE_URL=$("$PYTHON3" "$RIG_DIR/gensite.py" --out "$SITE" \
	    --port "$PORT" "${site_args[@]}" 2>"$TRASH/gensite.err") || {
		_lib_tail "gensite output" "$TRASH/gensite.err"
		bail_out "cannot write the sample site"
	}
	cp "$SITE/_rules.json" "$TRASH/rig.rules.base"
	export PORT SITE RIG_LOG RIG_ERR RIG_PID SOURCE_URL
}

# A self-signed certificate for the loopback addresses, made for this
# test only: $TLS_CA (the certificate, also the CA to trust) and its key.
_rig_cert() {
	TLS_CA=$TRASH/tls.pem
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=ferry-test \
	    -addext "subjectAltName=IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3" \
	    -keyout "$TRASH/tls.key" -out "$TLS_CA" >/dev/null 2>&1
}

# stop_pid PID: TERM, then KILL after 5 seconds; reaps it and returns
# its exit status.
stop_pid() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		_rig_alive "$pid" || break
		sleep 0.05
	done
	_rig_alive "$pid" && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# rig_stop: stops the server (TERM, then KILL after 5 seconds).
rig_stop() {
	[ -n "$RIG_PID" ] || return 0
	stop_pid "$RIG_PID"
	RIG_PID=
	return 0
}

# rig_log_clear: forget the requests logged so far.
rig_log_clear() {
	: >"$RIG_LOG"
}

# rig_rules JSON: faults on top of the site's own rules (the
# /old-toolkit redirect), replacing the previous rig_rules; the server
# picks them up on its next request. `rig_rules '{}'` resets.
rig_rules() {
	"$PYTHON3" - "$TRASH/rig.rules.base" "$SITE/_rules.json" "$1" <<'EOF'
import json, os, sys
base, out, extra = sys.argv[1], sys.argv[2], sys.argv[3]
with open(base, encoding="utf-8") as f:
    rules = json.load(f)
add = json.loads(extra)
if not isinstance(add, dict):
    sys.exit("rig_rules: not a JSON object: %s" % extra)
rules.update(add)
tmp = out + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    json.dump(rules, f, ensure_ascii=False, indent=1)
os.replace(tmp, out)
EOF
	[ $? -eq 0 ] || bail_out "rig_rules: cannot write the rules"
}

_rig_query() {
	local mode=$1
	shift
	"$PYTHON3" - "$RIG_LOG" "$mode" "$@" <<'EOF'
import json, re, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
log, mode, filters = sys.argv[1], sys.argv[2], sys.argv[3:]
tests = []
for f in filters:
    m = re.match(r"^([A-Za-z_]+)(!=|=|~|!~)(.*)$", f, re.S)
    if not m:
        sys.exit("rig: bad filter '%s' (want key=value, key!=value, "
                 "key~regex or key!~regex)" % f)
    tests.append(m.groups())

def text(v):
    if v is None:
        return "null"
    if v is True or v is False:
        return "true" if v else "false"
    return str(v)

def keep(e):
    for key, op, want in tests:
        got = text(e.get(key))
        if op == "=" and got != want:
            return False
        if op == "!=" and got == want:
            return False
        if op == "~" and not re.search(want, got):
            return False
        if op == "!~" and re.search(want, got):
            return False
    return True

n = 0
with open(log, encoding="utf-8", errors="replace") as f:
    for line in f:
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if not keep(e):
            continue
        n += 1
        if mode == "lines":
            sys.stdout.write(line)
        elif mode == "paths":
            print(e.get("path"))
if mode == "count":
    print(n)
EOF
}

# rig_requests [FILTER...]: the request-log lines (JSON) matching every
# FILTER: key=value, key!=value, key~regex, key!~regex, where a value
# is compared as text (null, true, 200...). Keys: t host port method
# path status bytes inm ims range ae ua conn ms cut hosthdr.
rig_requests() {
	_rig_query lines "$@"
}

# rig_count [FILTER...]: how many requests match.
rig_count() {
	_rig_query count "$@"
}

# rig_paths [FILTER...]: the requested paths (with query), in order.
rig_paths() {
	_rig_query paths "$@"
}

# site_hotline OLD NEW: the sample site's source page changes a hotline
# number, as the city's page does: "(213) 555-OLD" and its tel: link.
site_hotline() {
	sed -i "s/(213) 555-$1/(213) 555-$2/; s/tel:+1213555$1/tel:+1213555$2/" \
	    "$SITE/127.0.0.1/resources/index.html"
}

# --- ferry -------------------------------------------------------------------

# write_conf FILE [LINE...]: a ferry.conf for the sample site; extra
# lines land in the [source "city"] section unless they open another.
write_conf() {
	local file=$1 line
	shift
	{
		printf '[mirror]\n'
		printf '\tpath = mirror\n'
		printf '\tauthor = Ferry Test <ferry@example.org>\n'
		printf '[source "city"]\n'
		printf '\turl = %s\n' "$SOURCE_URL"
		printf '\tdepth = 1\n'
		printf '\tallow = 127.0.0.2\n'
		for line in "$@"; do
			printf '%s\n' "$line"
		done
	} >"$file"
}

# ferry ARGS...: the ferry under test (under valgrind: FERRY_VALGRIND=1).
ferry() {
	if [ "${FERRY_VALGRIND:-0}" = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
		    --errors-for-leak-kinds=definite \
		    --suppressions="$top_srcdir/tests/valgrind-libgit2.supp" \
		    "$FERRY" "$@"
	else
		"$FERRY" "$@"
	fi
}
