#!/bin/bash
# The demo: serve the bundled sample resource site on 127.0.0.1, mirror
# it with ferry, change a hotline number on the site, sync again, and say
# where the offline copy and its history are.  Everything it writes is
# under demo/ in the build tree; the server stops when it ends.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$src}
ferry=$build/mirror/ferry
demo=$build/demo
[ -x "$ferry" ] || { echo "demo: build ferry first (make)" >&2; exit 1; }

rm -rf "$demo"
mkdir -p "$demo/www"
python3 "$src/tests/rig/ferry-testd.py" --site "$demo/www" \
    --port-file "$demo/port" --log "$demo/requests.log" --watch-pid $$ \
    >"$demo/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 200); do
	[ -s "$demo/port" ] && break
	sleep 0.05
done
[ -s "$demo/port" ] || { echo "demo: the sample site did not start" >&2; exit 1; }
port=$(cat "$demo/port")
url=$(python3 "$src/tests/rig/gensite.py" --out "$demo/www" --port "$port")

cat >"$demo/ferry.conf" <<CONF
# The demo's configuration; see conf/ferry.conf for every key.
[mirror]
	path = mirror
	author = ferry demo <demo@example.org>
[source "city"]
	url = $url
	depth = 1
	allow = 127.0.0.2
CONF

step() { printf '\n== %s\n' "$*"; }

step "the sample site is served at $url (documents also on 127.0.0.2)"
step "ferry sync: the first pass mirrors everything"
"$ferry" -c "$demo/ferry.conf" sync
step "ferry sync again: every resource is asked conditionally, nothing changed"
"$ferry" -c "$demo/ferry.conf" sync
step "the city changes a hotline number; ferry sync picks it up"
sed -i 's/(213) 555-0142/(213) 555-0199/; s/tel:+12135550142/tel:+12135550199/' \
    "$demo/www/127.0.0.1/resources/index.html"
"$ferry" -c "$demo/ferry.conf" sync
step "the audit trail (git log)"
git -C "$demo/mirror" log --format='%h %ad %s' --date=short
git -C "$demo/mirror" log -1 -p --format='%n%B' -- 'site/*/resources/index.html' |
    grep -E '^[-+]<p class="phone"|^(updated|added|removed|failed) '
step "carried on a USB stick: a key, a signed export, its check"
"$ferry" keygen "$demo/ferry.key" | sed -n 's/^key id: */key id: /p'
printf '[export]\n\tkey = ferry.key\n' >>"$demo/ferry.conf"
"$ferry" -c "$demo/ferry.conf" export "$demo/stick"
"$ferry" verify --key "$demo/ferry.pub" "$demo/stick"
step "one crawl, many partners: the hub publishes, a partner follows"
git init -q --bare "$demo/hub.git"
printf '[publish]\n\tremote = hub.git\n' >>"$demo/ferry.conf"
"$ferry" -c "$demo/ferry.conf" publish
mkdir -p "$demo/partner"
printf '[mirror]\n\tpath = mirror\n[follow]\n\tremote = %s\n' \
    "$demo/hub.git" >"$demo/partner/ferry.conf"
"$ferry" -c "$demo/partner/ferry.conf" sync
git -C "$demo/partner/mirror" log -1 --format='partner HEAD: %h %s'
step "done"
echo "Open the offline copy in a browser: $demo/mirror/index.html"
echo "The same copy as a stick would carry it: $demo/stick/index.html"
echo "Its history: git -C $demo/mirror log --stat"
