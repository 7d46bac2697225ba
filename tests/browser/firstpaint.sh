#!/bin/bash
# tests/browser/firstpaint.sh: first paint of the offline index on a
# phone-class CPU, and what a 10,000-entry index costs to make and load.
#
# It owns the run: installing playwright-core from the npm registry into
# the build tree (tests/browser/node_modules, never in the source tree),
# the seed-sized mirror (tests/demo.sh, in demo/mirror), a synthetic
# 10,000-entry index (tests/browser/bigindex.c, compiled against the
# build's libferry.a, in tests/browser/big), and firstpaint.js, which
# loads each index.html from file:// in headless Chromium with the CPU
# throttled 4x and prints the medians.  A measurement, not a test: it is
# not part of `make check`.
#
# Usage, from the build directory (or with top_builddir set):
#   tests/browser/firstpaint.sh [--runs N] [--rate R] [--entries N]
#
# Results also go to tests/browser/firstpaint.json in the build tree.
# Environment: CHROMIUM (default /usr/bin/chromium), CC (default gcc).

set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${top_builddir:-.}" && pwd)
out=$build/tests/browser
runs=5
rate=4
entries=10000

while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--rate) rate=$2; shift 2 ;;
	--entries) entries=$2; shift 2 ;;
	*) echo "usage: $0 [--runs N] [--rate R] [--entries N]" >&2; exit 2 ;;
	esac
done

die() { echo "firstpaint: $*" >&2; exit 1; }

[ -x "$build/mirror/ferry" ] && [ -f "$build/mirror/libferry.a" ] ||
    die "build ferry first (make), or set top_builddir to the build tree"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || die "no Chromium at $CHROMIUM (apt-get install chromium)"
command -v node >/dev/null && command -v npm >/dev/null ||
    die "node and npm are needed (apt-get install nodejs npm)"
export CHROMIUM

mkdir -p "$out"
if [ ! -f "$out/node_modules/playwright-core/package.json" ]; then
	echo "== installing playwright-core into $out"
	npm install --prefix "$out" --no-save --no-audit --no-fund \
	    --loglevel=error playwright-core >&2 ||
	    die "cannot install playwright-core from the npm registry"
fi

echo "== the seed-sized mirror (tests/demo.sh)"
top_builddir=$build bash "$src/tests/demo.sh" >"$out/demo.log" 2>&1 ||
    { tail -n 20 "$out/demo.log" >&2; die "tests/demo.sh failed"; }
seed=$build/demo/mirror/index.html
[ -f "$seed" ] || die "tests/demo.sh made no $seed"

echo "== a synthetic index of $entries entries (tests/browser/bigindex.c)"
cflags=$(sed -n 's/^FERRY_CFLAGS = //p' "$build/Makefile")
ldflags=$(sed -n 's/^FERRY_LDFLAGS = //p' "$build/Makefile")
# shellcheck disable=SC2086 # the build's flags are words
"${CC:-gcc}" -std=gnu11 -O2 $cflags -I"$build" -I"$src/mirror" \
    -o "$out/bigindex" "$src/tests/browser/bigindex.c" $ldflags \
    "$build/mirror/libferry.a" -lm || die "cannot build bigindex"
rm -rf "$out/big"
"$out/bigindex" -n "$entries" "$out/big"

echo "== first paint"
NODE_PATH=$out/node_modules node "$src/tests/browser/firstpaint.js" \
    --runs "$runs" --rate "$rate" --json "$out/firstpaint.json" \
    "seed=$seed" "$entries-entries=$out/big/index.html"
