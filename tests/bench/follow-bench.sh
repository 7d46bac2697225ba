#!/bin/bash
# tests/bench/follow-bench.sh: how long a follower takes to catch up
# with a hub that made many passes, over a plain directory remote and
# over git://.
#
# It owns one run: the test server (no added latency), the sample site
# (generated under /tmp), a hub mirror that publishes to a bare
# directory and to a git daemon on 127.0.0.1 (both under the scratch
# directory, always stopped), the hub's passes (each after one hotline
# number on the source page changed, so each commits), and the
# followers, each timed: one following every 10 hub passes, one up to
# date at pass 0 that follows once at the end, and two fresh ones (the
# directory, git://) that follow once at the end.  Peak memory comes
# from GNU time when /usr/bin/time is there.
#
# Usage (from the build directory, or with --ferry):
#   tests/bench/follow-bench.sh [--size seed|large] [--passes N]
#       [--every N] [--ferry PATH] [--keep]
#
# Defaults: --size seed (158 resources, about 50 MB), --passes 100,
# --every 10.

set -u

. "$(dirname "$0")/common.sh"
size=seed
passes=100
every=10
ferry=${FERRY:-}
keep=0

while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift 2 ;;
	--passes) passes=$2; shift 2 ;;
	--every) every=$2; shift 2 ;;
	--ferry) ferry=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
done
[[ $passes =~ ^[0-9]+$ ]] && [ "$passes" -ge 1 ] && [ "$passes" -le 8999 ] ||
    die "--passes wants a number from 1 to 8999, not '$passes'"
[[ $every =~ ^[0-9]+$ ]] && [ "$every" -ge 1 ] ||
    die "--every wants a number of passes, not '$every'"
gnutime=
[ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 &&
    gnutime=/usr/bin/time

gitd_pid=
bench_cleanup() {
	[ -n "$gitd_pid" ] && bench_stop "$gitd_pid"
}
bench_start
export GIT_TERMINAL_PROMPT=0
mkdir -p git
page=site/127.0.0.1/resources/index.html
grep -q '(213) 555-0142' "$page" || die "no hotline to change in $page"

# The git daemon, on a port the kernel picks (tried again if taken).
for ((try = 0; try < 10; try++)); do
	gport=$("$PYTHON3" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$(git --exec-path)/git-daemon" --reuseaddr --listen=127.0.0.1 \
	    --port="$gport" --base-path="$work/git" --export-all \
	    --enable=receive-pack --verbose --log-destination=stderr \
	    </dev/null >gitd.log 2>&1 &
	gitd_pid=$!
	for ((i = 0; i < 200; i++)); do
		kill -0 "$gitd_pid" 2>/dev/null || break
		grep -qs "Ready to rumble" gitd.log && break 2
		sleep 0.05
	done
	bench_stop "$gitd_pid"
	gitd_pid=
done
[ -n "$gitd_pid" ] || die "git daemon did not start"
for r in dir gd; do
	git init -q --bare --initial-branch=main "git/$r.git" ||
	    die "cannot create git/$r.git"
done
dir_url=$work/git/dir.git
gd_url=git://127.0.0.1:$gport/gd.git

cat >hub.conf <<EOF
[mirror]
	path = hub
[fetch]
	max-file-size = 4G
[source "site"]
	url = $url
	depth = 2
	allow = 127.0.0.2
[publish]
	remote = $dir_url
	remote = $gd_url
EOF
follower() {	# follower NAME URL: NAME.conf following URL
	printf '[mirror]\n\tpath = %s\n[follow]\n\tremote = %s\n' "$1" "$2" \
	    >"$1.conf"
}

# measure LABEL COMMAND...: run COMMAND; seconds, commits taken in and
# peak RSS (KiB) land in T, N and RSS; stop on failure.
measure() {
	local label=$1 t0 t1 rc
	shift
	t0=$(date +%s.%N)
	if [ -n "$gnutime" ]; then
		"$gnutime" -v -o last.time "$@" >last.out 2>last.err
	else
		"$@" >last.out 2>last.err
	fi
	rc=$?
	t1=$(date +%s.%N)
	[ "$rc" = 0 ] || { cat last.out last.err >&2; die "$label failed"; }
	T=$(echo "$t1 - $t0" | bc)
	N=$(sed -n 's/^follow: \([0-9]*\) new commit.* of the hub.*/\1/p' \
	    last.out)
	[ -n "$N" ] || N=0
	RSS=-
	[ -n "$gnutime" ] && RSS=$(sed -n \
	    's/.*Maximum resident set size (kbytes): //p' last.time)
}
rows=()
row() {	# row LABEL SECONDS COMMITS RSS
	rows+=("$(printf '%-44s %9.2f %8s %10s' "$1" "$2" "$3" "$4")")
}
same_as_hub() {
	[ "$(git -C "$1" rev-parse HEAD)" = "$(git -C hub rev-parse HEAD)" ] &&
	    [ "$(git -C "$1" rev-parse 'HEAD^{tree}')" = \
	    "$(git -C hub rev-parse 'HEAD^{tree}')" ] ||
	    die "$1 is not at the hub's HEAD and tree"
}

echo "site: $size ($url); hub publishes to a directory and $gd_url"
measure "hub pass 0" "$ferry" -c hub.conf sync
printf 'hub pass 0 (first mirror): %.2f s; %s files at HEAD, %s in .git\n' \
    "$T" "$(git -C hub ls-tree -r HEAD | wc -l)" \
    "$(du -sh hub/.git | cut -f1)"
follower every "$gd_url"
follower once "$gd_url"
measure "every, pass 0" "$ferry" -c every.conf sync
measure "once, pass 0" "$ferry" -c once.conf sync
row "follower at pass 0 (git://, from nothing)" "$T" "$N" "$RSS"

# The hub's passes: each changes the hotline, commits and pushes.
old=0142
hub_t=0
hub_rss=0
every_t=0
every_n=0
every_rss=0
every_max=0
for ((p = 1; p <= passes; p++)); do
	new=$(printf '%04d' $((1000 + p)))
	sed -i -e "s/(213) 555-$old/(213) 555-$new/" \
	    -e "s/tel:+1213555$old/tel:+1213555$new/" "$page"
	old=$new
	before=$(git -C hub rev-parse HEAD)
	measure "hub pass $p" "$ferry" -c hub.conf sync
	[ "$(git -C hub rev-parse HEAD)" != "$before" ] ||
	    die "hub pass $p made no commit"
	hub_t=$(echo "$hub_t + $T" | bc)
	[ "$RSS" != - ] && [ "$RSS" -gt "$hub_rss" ] && hub_rss=$RSS
	if [ $((p % every)) -eq 0 ]; then
		measure "every, pass $p" "$ferry" -c every.conf sync
		same_as_hub every
		every_t=$(echo "$every_t + $T" | bc)
		every_n=$((every_n + N))
		[ "$(echo "$T > $every_max" | bc)" = 1 ] && every_max=$T
		[ "$RSS" != - ] && [ "$RSS" -gt "$every_rss" ] &&
		    every_rss=$RSS
	fi
done
for r in "$dir_url" "git/gd.git"; do
	[ "$(git -C "$r" rev-parse main)" = "$(git -C hub rev-parse HEAD)" ] ||
	    die "the remote $r does not have the hub's HEAD"
done
row "hub: $passes passes with push (sum)" "$hub_t" "$passes" "$hub_rss"
row "follower every $every passes (sum of follows)" "$every_t" "$every_n" \
    "$every_rss"
row "follower every $every passes (slowest follow)" "$every_max" "$every" \
    "$every_rss"
measure "once, at the end" "$ferry" -c once.conf sync
same_as_hub once
row "follower from pass 0, once (git://)" "$T" "$N" "$RSS"
follower fresh-dir "$dir_url"
measure "fresh, directory" "$ferry" -c fresh-dir.conf sync
same_as_hub fresh-dir
row "fresh follower, once (directory)" "$T" "$N" "$RSS"
follower fresh-git "$gd_url"
measure "fresh, git://" "$ferry" -c fresh-git.conf sync
same_as_hub fresh-git
row "fresh follower, once (git://)" "$T" "$N" "$RSS"

echo "hub at $(git -C hub rev-list --count HEAD) commits;" \
    "$(du -sh hub/.git | cut -f1) in .git"
printf '%-44s %9s %8s %10s\n' "" seconds commits "peak KiB"
printf '%s\n' "${rows[@]}"
