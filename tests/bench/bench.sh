#!/bin/bash
# tests/bench/bench.sh: ferry against wget, wget2 and HTTrack, side by
# side, on the sample site served over loopback with added latency.
#
# It owns the run: installing the other tools when they are missing,
# the test server (one per latency, always stopped), the sample site
# (generated under /tmp, removed afterwards), each tool's three passes
# (first mirror; re-sync with nothing changed; re-sync after about 1%
# of the site changed) under GNU time with a time limit, and the
# results (results.jsonl and table.md). It does not interpret numbers:
# bench-report.py makes the table and the verdicts, bench-site.py
# changes the site and checks each copy.
#
# Usage (from the build directory, or with --ferry):
#   tests/bench/bench.sh [--size seed|large] [--latency MS]...
#       [--tools ferry,wget,wget-head,wget2,httrack] [--timeout SECONDS]
#       [--scale N] [--ferry PATH] [--results DIR] [--keep]
#
# Defaults: --size seed (the sample site plus 4 document collections:
# 158 resources, about 50 MB), --latency 0 --latency 40, every tool,
# 1200 s per tool run, results in /tmp/ferry-bench-results. With --size
# large ferry also mirrors the site without its 2 GiB file, to show
# that file does not raise ferry's peak memory.

set -u

here=$(cd "$(dirname "$0")" && pwd) || exit 2
srcdir=$(cd "$here/../.." && pwd) || exit 2
rig=$srcdir/tests/rig
PYTHON3=${PYTHON3:-python3}

size=seed
scale=4
latencies=()
tools=ferry,wget,wget-head,wget2,httrack
limit=1200
ferry=${FERRY:-}
results=/tmp/ferry-bench-results
keep=0

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 2
}

say() {
	printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"
}

while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift 2 ;;
	--latency) latencies+=("$2"); shift 2 ;;
	--tools) tools=$2; shift 2 ;;
	--timeout) limit=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	--ferry) ferry=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,25s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
done

case $size in
seed) site_args=(--size seed --scale "$scale") ;;
large) site_args=(--size large) ;;
*) die "--size must be seed or large, not '$size'" ;;
esac
[ ${#latencies[@]} -gt 0 ] || latencies=(0 40)
for l in "${latencies[@]}"; do
	[[ $l =~ ^[0-9]+$ ]] || die "--latency wants milliseconds, not '$l'"
done
[[ $limit =~ ^[0-9]+$ ]] && [ "$limit" -gt 0 ] ||
    die "--timeout wants seconds, not '$limit'"
IFS=, read -r -a tool_list <<<"$tools"
for t in "${tool_list[@]}"; do
	case $t in
	ferry|wget|wget-head|wget2|httrack) ;;
	*) die "unknown tool '$t'" ;;
	esac
done

# The ferry under test: --ferry, $FERRY, the build directory we are in,
# or an in-tree build.
if [ -z "$ferry" ]; then
	for f in ./mirror/ferry "$srcdir/mirror/ferry"; do
		[ -x "$f" ] && { ferry=$f; break; }
	done
fi
[ -n "$ferry" ] && [ -x "$ferry" ] ||
    die "no ferry binary: build it, then run from the build directory" \
    "or give --ferry PATH"
ferry=$(cd "$(dirname "$ferry")" && pwd)/$(basename "$ferry")

# --- the other tools ----------------------------------------------------

apt_install() {
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
	say "installing $*"
	$sudo apt-get install -y -q "$@" >/dev/null 2>&1 ||
	    { $sudo apt-get update -q >/dev/null 2>&1 &&
	      $sudo apt-get install -y -q "$@" >/dev/null 2>&1; }
}

[ -x /usr/bin/time ] || apt_install time
[ -x /usr/bin/time ] ||
    die "GNU time (/usr/bin/time) is missing and could not be installed"
need=()
for t in "${tool_list[@]}"; do
	case $t in
	wget|wget-head) command -v wget >/dev/null || need+=(wget) ;;
	wget2) command -v wget2 >/dev/null || need+=(wget2) ;;
	httrack) command -v httrack >/dev/null || need+=(httrack) ;;
	esac
done
if [ ${#need[@]} -gt 0 ]; then
	mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
	apt_install "${need[@]}"
fi
have_tools=()
for t in "${tool_list[@]}"; do
	bin=${t%-head}
	if [ "$t" = ferry ] || command -v "$bin" >/dev/null; then
		have_tools+=("$t")
	else
		say "skipping $t: '$bin' is not installed"
	fi
done

# --- scratch space, environment, cleanup -----------------------------------

server_pid=
work=

stop_server() {
	local i
	[ -n "$server_pid" ] || return 0
	kill -TERM "$server_pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
}

cleanup() {
	stop_server
	if [ "$keep" = 1 ]; then
		say "kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench.XXXXXX") ||
    die "cannot create a scratch directory"
# A copy of the binary, so a rebuild during the run changes nothing.
cp "$ferry" "$work/ferry-under-test" || die "cannot copy '$ferry'"
ferry_src=$ferry
ferry=$work/ferry-under-test
if [ "$size" = large ]; then
	free=$(df -P -k "$work" | awk 'NR == 2 {print int($4 / 1048576)}')
	[ "$free" -ge 20 ] ||
	    die "the large site needs about 20 GB free under $work, $free GB free"
fi
mkdir -p "$results" || die "cannot create '$results'"
results=$(cd "$results" && pwd)
out=$results/results.jsonl
: >"$out"

# No proxy, no personal configuration (~/.wgetrc, ~/.httrackrc, git).
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
NO_PROXY=127.0.0.1,127.0.0.2,127.0.0.3
export NO_PROXY no_proxy=$NO_PROXY
export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 TZ=UTC LC_ALL=C.UTF-8
unset XDG_CONFIG_HOME GIT_DIR GIT_WORK_TREE WGETRC
mkdir -p "$HOME"

# --- machine --------------------------------------------------------------

version_of() {
	dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo "not installed"
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(free -g | awk '/^Mem:/ {print $2}')
tree=$(git -C "$srcdir" describe --always --dirty 2>/dev/null || echo unknown)
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(nproc) CPUs ($cpu), $mem GiB memory"
	echo "system: Debian $(cat /etc/debian_version 2>/dev/null)," \
	    "Linux $(uname -r)"
	echo "ferry: $("$ferry" --version 2>/dev/null | head -1)" \
	    "($ferry_src); source tree now at $tree"
	echo "wget: $(version_of wget); wget2: $(version_of wget2);" \
	    "httrack: $(version_of httrack); curl: $(version_of libcurl4);" \
	    "python3: $(version_of python3)"
	echo "command: tests/bench/bench.sh --size $size" \
	    "$(printf -- '--latency %s ' "${latencies[@]}")--tools $tools" \
	    "--timeout $limit"
} >"$results/machine.txt"
cat "$results/machine.txt"

# --- the server and the site -------------------------------------------------

start_server() {
	local latency=$1 i
	site=$work/site
	log=$work/requests.log
	rm -rf "$site" "$work/port"
	mkdir -p "$site"
	: >"$log"
	"$PYTHON3" "$rig/ferry-testd.py" --site "$site" --port-file "$work/port" \
	    --log "$log" --latency "$latency" --watch-pid $$ --idle-exit 7200 \
	    </dev/null >"$work/server.err" 2>&1 &
	server_pid=$!
	for ((i = 0; i < 200; i++)); do
		[ -s "$work/port" ] && break
		kill -0 "$server_pid" 2>/dev/null ||
		    { cat "$work/server.err" >&2; die "the test server exited"; }
		sleep 0.05
	done
	[ -s "$work/port" ] || die "the test server did not listen within 10 s"
	port=$(cat "$work/port")
	say "server on port $port, $latency ms per request; writing the $size site"
	url=$("$PYTHON3" "$rig/gensite.py" --out "$site" --port "$port" \
	    "${site_args[@]}") || die "cannot write the sample site"
}

# Ask for every resource once (HEAD, 8 at a time) so the server has its
# ETags before any tool is timed.
warm_server() {
	"$PYTHON3" - "$site/_site.json" <<'EOF'
import concurrent.futures, http.client, json, sys, urllib.parse
cat = json.load(open(sys.argv[1], encoding="utf-8"))
urls = [e["url"] for e in cat["resources"]]
def head(chunk):
    conns = {}
    for u in chunk:
        p = urllib.parse.urlsplit(u)
        c = conns.get(p.netloc)
        if c is None:
            c = conns[p.netloc] = http.client.HTTPConnection(p.netloc,
                                                             timeout=120)
        try:
            c.request("HEAD", p.path or "/")
            c.getresponse().read()
        except (OSError, http.client.HTTPException):
            c.close()
            conns.pop(p.netloc, None)
chunks = [urls[i::8] for i in range(8)]
with concurrent.futures.ThreadPoolExecutor(8) as ex:
    list(ex.map(head, chunks))
EOF
}

# --- the tools ------------------------------------------------------------

write_ferry_conf() {
	local file=$1
	shift
	{
		printf '[mirror]\n\tpath = mirror\n'
		printf '\tauthor = Ferry Bench <bench@example.org>\n'
		printf '[fetch]\n\tconnections-per-host = 5\n'
		printf '\tmax-file-size = 3G\n'
		printf '[source "city"]\n\turl = %s\n' "$url"
		printf '\tdepth = 1\n\tallow = 127.0.0.2\n'
		printf '%s\n' "$@"
	} >"$file"
}

# tool_cmd TOOL PHASE: sets cmd (the argv) and cmd_dir (where it runs).
tool_cmd() {
	local tool=$1 phase=$2
	local dir=$work/$tool
	cmd_dir=$dir
	case $tool in
	ferry)
		[ -f "$dir/ferry.conf" ] || write_ferry_conf "$dir/ferry.conf"
		cmd=("$ferry" -c ferry.conf sync) ;;
	wget)
		cmd=(wget -m -k -p -E -K -H -D127.0.0.1,127.0.0.2 -nv
		    -a "$dir/tool.log" "$url") ;;
	wget-head)
		cmd=(wget -m -k -p -E -K --no-if-modified-since
		    -H -D127.0.0.1,127.0.0.2 -nv -a "$dir/tool.log" "$url") ;;
	wget2)
		# wget2's -D alone spans to the listed hosts (with -H it
		# would follow every host and ignore -D).
		cmd=(wget2 --mirror --max-threads=5 -k -p -E -K
		    -D127.0.0.1,127.0.0.2 -nv -a "$dir/tool.log" "$url") ;;
	httrack)
		if [ "$phase" = first ]; then
			cmd=(httrack "$url" -O "$dir/out" -q -c5 -%c1000
			    -A1000000000 -%! -u0
			    "+http://127.0.0.1:$port/*" "+http://127.0.0.2:$port/*")
		else
			cmd_dir=$dir/out
			cmd=(httrack --update -q)
		fi ;;
	esac
}

# run_tool TOOL PHASE [NOTE]: one timed pass, recorded in results.jsonl.
run_tool() {
	local tool=$1 phase=$2 note=${3:-} dir=$work/$1 start end rc check load
	mkdir -p "$dir"
	tool_cmd "$tool" "$phase"
	load=$(cut -d ' ' -f 1 /proc/loadavg)
	start=$(stat -c %s "$log")
	(cd "$cmd_dir" && exec /usr/bin/time -o "$dir/time.$phase" \
	    -f '%e %U %S %M' timeout -k 10 "$limit" "${cmd[@]}" \
	    </dev/null >>"$dir/tool.out" 2>&1)
	rc=$?
	sleep 0.5
	end=$(stat -c %s "$log")
	check=$("$PYTHON3" "$here/bench-site.py" check --site "$site" \
	    --root "$dir")
	"$PYTHON3" "$here/bench-report.py" record --out "$out" --size "$size" \
	    --latency "$latency" --tool "$tool" --phase "$phase" \
	    --time "$dir/time.$phase" --rc "$rc" --log "$log" --from "$start" \
	    --to "$end" --check "$check" --timeout "$limit" --note "$note" \
	    --load "$load"
	say "$tool $phase: exit $rc, $(tail -n 1 "$dir/time.$phase"), $check"
	cp "$dir/tool.out" "$results/$tool.$latency.out" 2>/dev/null
	[ -f "$dir/tool.log" ] && tail -n 200 "$dir/tool.log" \
	    >"$results/$tool.$latency.log"
	return 0
}

# --- the run --------------------------------------------------------------

for latency in "${latencies[@]}"; do
	start_server "$latency"
	warm_server
	for tool in "${have_tools[@]}"; do
		say "$tool: first mirror"
		run_tool "$tool" first
	done
	for tool in "${have_tools[@]}"; do
		say "$tool: re-sync, nothing changed"
		run_tool "$tool" same
	done
	"$PYTHON3" "$here/bench-site.py" change --site "$site" ||
	    die "cannot change the site"
	warm_server
	for tool in "${have_tools[@]}"; do
		say "$tool: re-sync after the change"
		run_tool "$tool" changed
	done
	if [ "$size" = large ] && [[ " ${have_tools[*]} " == *" ferry "* ]]; then
		say "ferry: first mirror without the 2 GiB file"
		mkdir -p "$work/ferry-no-huge"
		write_ferry_conf "$work/ferry-no-huge/ferry.conf" \
		    '	exclude = */files/huge.pdf'
		dir=$work/ferry-no-huge
		start=$(stat -c %s "$log")
		(cd "$dir" && exec /usr/bin/time -o "$dir/time.first" \
		    -f '%e %U %S %M' timeout -k 10 "$limit" "$ferry" -c ferry.conf \
		    sync </dev/null >"$dir/tool.out" 2>&1)
		rc=$?
		sleep 0.5
		end=$(stat -c %s "$log")
		"$PYTHON3" "$here/bench-report.py" record --out "$out" \
		    --size "$size" --latency "$latency" --tool ferry \
		    --phase other --time "$dir/time.first" --rc "$rc" \
		    --log "$log" --from "$start" --to "$end" --timeout "$limit" \
		    --note "first mirror without /files/huge.pdf"
		say "ferry without huge.pdf: exit $rc, $(tail -n 1 "$dir/time.first")"
	fi
	stop_server
	for tool in "${have_tools[@]}" ferry-no-huge; do
		rm -rf "${work:?}/$tool"
	done
	rm -rf "$site"
done

"$PYTHON3" "$here/bench-report.py" table --results "$out" >"$results/table.md"
cat "$results/table.md"
say "results in $results"
