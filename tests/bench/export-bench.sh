#!/bin/bash
# tests/bench/export-bench.sh: how long a USB export, its check and an
# import take, and how much a second export writes after about 1% of the
# site changed.
#
# It owns one run: the test server (no added latency; the network is not
# what is measured), the sample site (generated under /tmp), a mirror
# made with ferry sync, a key, and then, each timed: a first export to a
# directory, ferry verify of it, an export with nothing changed, the
# site changed by bench-site.py and synced, the incremental export and
# its verify, an import of the first stick into an empty mirror, and the
# import of the updated stick there.  The "stick" is a directory on the
# same disk: the numbers are ferry's own cost, not a USB stick's speed.
#
# Usage (from the build directory, or with --ferry):
#   tests/bench/export-bench.sh [--size seed|large] [--ferry PATH] [--keep]

set -u

. "$(dirname "$0")/common.sh"
size=seed
ferry=${FERRY:-}
keep=0

while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift 2 ;;
	--ferry) ferry=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
done
bench_start

cat >ferry.conf <<EOF
[mirror]
	path = mirror
[fetch]
	max-file-size = 4G
[source "site"]
	url = $url
	depth = 2
	allow = 127.0.0.2
[export]
	key = ferry.key
EOF
"$ferry" keygen ferry.key >/dev/null || die "keygen failed"
printf '[mirror]\n\tpath = b\n[import]\n\ttrusted-key = %s\n' \
    "$(tail -1 ferry.pub)" >b.conf

# timed LABEL COMMAND...: run, print the wall time, stop on failure.
timed() {
	local label=$1 t0 t1 rc
	shift
	t0=$(date +%s.%N)
	"$@" >"$work/last.out" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	printf '%-34s %8.2f s\n' "$label" "$(echo "$t1 - $t0" | bc)"
	[ "$rc" = 0 ] || { cat "$work/last.out" >&2; die "$label failed"; }
}
field() {
	"$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
	    "$work/last.out" "$1"
}

echo "site: $size ($url)"
timed "sync (first mirror)" "$ferry" -c ferry.conf sync
echo "mirror: $(du -sh mirror/.git | cut -f1) in .git," \
    "$(git -C mirror ls-tree -r HEAD | wc -l) files at HEAD"
timed "export, first" "$ferry" -c ferry.conf export --json stick
full=$(field bytes_written)
echo "  wrote $(field written) files, $full bytes"
timed "verify" "$ferry" verify --key ferry.pub stick
cp -a stick stick1
timed "export, nothing changed" "$ferry" -c ferry.conf export --json stick
echo "  wrote $(field written) files, $(field bytes_written) bytes"
"$PYTHON3" "$here/bench-site.py" change --site site >/dev/null ||
    die "cannot change the site"
timed "sync after the change" "$ferry" -c ferry.conf sync
timed "export after the change" "$ferry" -c ferry.conf export --json stick
inc=$(field bytes_written)
echo "  wrote $(field written) files, $inc bytes," \
    "removed $(field removed); history $(field history_bytes) bytes"
echo "  incremental: $inc of $full bytes =" \
    "$(echo "scale=2; 100 * $inc / $full" | bc)%"
timed "verify after the change" "$ferry" verify --key ferry.pub stick
timed "import the first stick (new mirror)" "$ferry" -c b.conf import stick1
timed "import the updated stick" "$ferry" -c b.conf import stick
[ "$(git -C b rev-parse HEAD)" = "$(git -C mirror rev-parse HEAD)" ] ||
    die "the imported mirror is not at the exporter's HEAD"
echo "imported mirror at the exporter's HEAD: yes"
