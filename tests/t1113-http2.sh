#!/bin/bash
# t1113: HTTP/2.  Over TLS, ferry offers HTTP/2 by ALPN and, where the
# server takes it, sends its requests to a host as streams multiplexed on
# few connections instead of a connection per request.  The server here
# is nghttpd (Debian package nghttp2-server), serving the sample site's
# first host with a certificate made for the test; its log shows every
# stream and the connection it came on.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
command -v nghttpd >/dev/null ||
    skip_all "nghttpd is not installed (Debian package nghttp2-server)"
command -v openssl >/dev/null || skip_all "openssl is not installed"
rig_start
_rig_cert || bail_out "cannot make a test certificate"
H2PORT=$("$PYTHON3" -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
nghttpd -v --address=127.0.0.1 -d "$SITE/127.0.0.1" "$H2PORT" \
    "$TRASH/tls.key" "$TLS_CA" >"$TRASH/nghttpd.log" 2>&1 &
NGHTTPD=$!
at_exit "kill $NGHTTPD"
for ((i = 0; i < 400; i++)); do
	grep -q "listen 127.0.0.1:$H2PORT" "$TRASH/nghttpd.log" && break
	sleep 0.05
done
write_conf h2.conf "[fetch]" "	ca-file = $TLS_CA"
sed -i "s|url = .*|url = https://127.0.0.1:$H2PORT/resources/index.html|" h2.conf

# One link of the sample site is a redirect made by the test server's
# rules, which nghttpd does not have: that one fails (404), alone.
cmd_exits 3 "a source served over HTTP/2 is mirrored" ferry -c h2.conf sync
is "$(grep -c 'failed' <<<"$STDERR")" 1 "with one failure"
like "$STDERR" "failed https://127\.0\.0\.1:$H2PORT/old-toolkit \(404" \
    "the redirect nghttpd does not make"
H1=site/127.0.0.1_$H2PORT
files_same "mirror/$H1/files/guide-for-employers.pdf" \
    "$SITE/127.0.0.1/files/guide-for-employers.pdf" "documents byte for byte"
ok_cmd "its links work offline" \
    "$PYTHON3" "$top_srcdir/tests/rig/checklinks.py" mirror
streams=$(grep -c 'recv HEADERS frame' "$TRASH/nghttpd.log")
conns=$(grep -o '^\[id=[0-9]*\]' "$TRASH/nghttpd.log" | sort -u | wc -l)
ok "the requests came as HTTP/2 streams ($streams)" [ "$streams" -gt 10 ]
ok "on at most connections-per-host connections ($conns)" [ "$conns" -le 4 ]
ok "several streams at once on a connection" "$PYTHON3" - "$TRASH/nghttpd.log" <<'PY'
import re, sys
open_ = {}
most = 0
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"\[id=(\d+)\].*(recv HEADERS|send DATA).*stream_id=(\d+)", line)
    if not m:
        continue
    conn, what, sid = m.groups()
    s = open_.setdefault(conn, set())
    if what == "recv HEADERS":
        s.add(sid)
    most = max(most, len(s))
    if "END_STREAM" in line and what == "send DATA":
        s.discard(sid)
sys.exit(0 if most > 1 else 1)
PY
cmd_exits 3 "a second pass" ferry -c h2.conf sync
like "$STDOUT" "0 added, 0 updated, 0 removed, 1 failed;.*no change" \
    "changes nothing"
done_testing
