#!/bin/bash
# t5002: "ferry sync --now" asks the running ferryd for a pass, through
# a socket in the mirror's private directory that only its owner may
# use.  The pass happens at once (not an hour later), for the source
# named or for every source; an unknown source, or no daemon, is an
# error that says so.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start

. "$top_srcdir/tests/daemon.sh"

write_conf ferry.conf '	interval = 1h' \
    '[mirror]' '	jitter = 0' \
    '[source "other"]' "	url = $SOURCE_URL" '	depth = 0' '	interval = 1h'
SOCK=mirror/.git/ferry/ferryd.sock

cmd_exits 1 "--now without a daemon fails" ferry -c ferry.conf sync --now
like "$STDERR" "^ferry: cannot reach ferryd at '$TRASH/$SOCK': .*\(is ferryd running for 'ferry.conf'\?\)$" \
    "and says which daemon it looked for"

daemon_start d.log
ok "the passes at start end" until_true 20 eval \
    '[ "$(count d.log "pass ended")" -ge 2 ]'
ok "the socket is there" test -S "$SOCK"
is "$(stat -c %a "$SOCK")" 600 "only its owner may use it"
rig_log_clear

cmd_exits 0 "ferry sync --now city asks for a pass" \
    ferry -c ferry.conf sync --now city
is "$STDOUT" "ferryd: a pass of 'city' is queued" "and says ferryd took it"
ok "the pass happens at once" until_true 10 eval \
    '[ "$(count d.log "city: pass ended")" -ge 2 ]'
like "$(rig_paths)" "/resources/" "it fetched the source page"
is "$(count d.log "other: pass started")" 1 "the other source did not pass"

cmd_exits 0 "ferry sync --now asks for every source" \
    ferry -c ferry.conf sync --now
is "$STDOUT" "ferryd: a pass of every source is queued" "and says so"
ok "both sources pass" until_true 10 eval \
    '[ "$(count d.log "city: pass ended")" -ge 3 ] &&
     [ "$(count d.log "other: pass ended")" -ge 2 ]'

# Another user: the socket's mode keeps them out, and so does the
# daemon's check of the peer, should the mode be loosened.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
PY=$("$PYTHON3" -c 'import sys; print(sys.executable)')
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    $NOBODY "$PY" -c pass 2>/dev/null; then
	as_nobody() {
		$NOBODY "$PY" - "$TRASH/$SOCK" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
try:
    s.connect(sys.argv[1])
except OSError as e:
    sys.exit(print(e.strerror))
try:
    s.sendall(b"now city\n")
    print(s.recv(200).decode().strip() or "closed")
except (BrokenPipeError, ConnectionResetError):
    print("closed")
PY
	}
	chmod 755 "$TRASH"
	is "$(as_nobody)" "Permission denied" "another user cannot connect"
	chmod 666 "$SOCK"
	is "$(as_nobody)" "closed" "nor be answered with the mode loosened"
	ok "the daemon logs the refusal" logged d.log \
	    "control connection refused: user 65534 is not the daemon's"
	chmod 600 "$SOCK"
	chmod 700 "$TRASH"
else
	skip "another user cannot connect" \
	    "needs root, setpriv and a Python another user may run"
fi

# Another writer holds the mirror: the pass is retried, not lost.
flock mirror/.git/ferry/lock sleep 3 &
LPID=$!
at_exit "kill $LPID"
sleep 0.3
n=$(count d.log "city: pass ended \(ok\)")
cmd_exits 0 "--now while another writer holds the mirror" \
    ferry -c ferry.conf sync --now city
ok "the pass finds the mirror busy" until_true 5 logged d.log \
    "city: pass ended \(mirror busy, will retry\)"
ok "and is made once the mirror is free" until_true 15 eval \
    '[ "$(count d.log "city: pass ended \(ok\)")" -gt "$n" ]'
wait "$LPID"

cmd_exits 2 "an unknown source is a usage error" \
    ferry -c ferry.conf sync --now nowhere
is "$STDERR" "ferry: no source 'nowhere' in 'ferry.conf' (see 'ferry check')" \
    "which names it"
cmd_exits 2 "--now takes one source at most" \
    ferry -c ferry.conf sync --now city other
cmd_exits 0 "-q keeps it quiet" ferry -q -c ferry.conf sync --now city
is "$STDOUT" "" "nothing on stdout"

# The socket speaks a line protocol; an unknown request gets an error.
is "$("$PYTHON3" - "$SOCK" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"frobnicate\n")
print(s.recv(200).decode().strip())
PY
)" "error: unknown request (send 'now [SOURCE]' or 'status')" \
    "an unknown request is refused"
ok "the daemon lives on" kill -0 "$DPID"

# ferry status shows the daemon's view.
ok "the passes asked for have ended" until_true 10 eval \
    '[ "$(count d.log "pass ended")" -eq "$(count d.log "pass started")" ]'
cmd_exits 0 "ferry status with the daemon running" ferry -c ferry.conf status
like "$STDOUT" "
daemon: running, pid $DPID: next: (city|other) in (59m[0-9]{2}s|1h00m)
  city: next pass in (59m[0-9]{2}s|1h00m), last pass ok
  other: next pass in (59m[0-9]{2}s|1h00m), last pass ok$" \
    "it says the daemon runs and when each source passes next"
cmd_exits 0 "ferry status --json with the daemon running" \
    ferry -c ferry.conf status --json
printf '%s\n' "$STDOUT" >status.json
is "$("$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))["daemon"]
print(d["running"], d["status"].startswith("next: "), len(d["sources"]),
      d["sources"][0].startswith("city: next pass in "))' status.json)" \
    "True True 2 True" "--json has the same view"
ok_cmd "per the schema in README.md" "$PYTHON3" \
    "$top_srcdir/tests/rig/readme-schema.py" "$top_srcdir/README.md" \
    ferry-status status.json

daemon_stop
file_missing "$SOCK" "the socket is removed at exit"
cmd_exits 0 "ferry status with the daemon stopped" ferry -c ferry.conf status
like "$STDOUT" "
daemon: not running$" "says it does not run"
cmd_exits 0 "ferry status --json with the daemon stopped" \
    ferry -c ferry.conf status --json
is "$(printf '%s\n' "$STDOUT" | "$PYTHON3" -c 'import json, sys
print(json.load(sys.stdin)["daemon"])')" \
    "{'running': False, 'status': None, 'sources': []}" "--json says so too"
cmd_exits 1 "--now after the daemon stopped fails" \
    ferry -c ferry.conf sync --now city

done_testing
