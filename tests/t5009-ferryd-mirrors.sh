#!/bin/bash
# t5009: one ferryd serving several mirrors, one -c each.  With -j 1 no
# two passes ever run at once, and both mirrors still get their passes
# (a pass that has to wait is not lost); with -j 2 the passes of the two
# mirrors overlap.  Each mirror has its own socket: "ferry -c A.conf
# sync --now" and "ferry -c B.conf status" reach the right one; an edit
# under B's local/ is committed in B only; SIGHUP with a broken B.conf
# keeps B on its old configuration and reloads A; STATUS= sums the
# mirrors up.  Two -c naming one mirror are refused, and -n checks every
# file.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start

. "$top_srcdir/tests/daemon.sh"
ask_b() {	# ask_b REQUEST: the answer on B's socket
	"$PYTHON3" - mb/.git/ferry/ferryd.sock "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.recv(500).decode().strip())
PY
}
overlaps() {	# overlaps LOG: pairs of passes of two mirrors that overlap
	awk '/: pass started/ { s[$2 $3] = NR }
	    /: pass ended/ { n++; m[n] = $2; b[n] = s[$2 $3]; e[n] = NR }
	    END { c = 0
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (m[i] != m[j] && b[i] < e[j] && b[j] < e[i]) c++
		print c }' "$1"
}
passes() {	# passes LOG CONF: the good passes of CONF's mirror
	count "$1" "$2: [a-z]+: pass ended \(ok\)"
}
commits() { git -C "$1" rev-list --count HEAD 2>/dev/null || echo 0; }

# Two mirrors of the site, a source each; passes slowed down by the rig.
write_conf A.conf '	interval = 2s' \
    '[mirror]' '	jitter = 0' '[fetch]' '	connections-per-host = 1' \
    '[daemon]' '	quiet-period = 1s'
sed -i -e 's/path = mirror/path = ma/' -e 's/depth = 1/depth = 0/' A.conf
sed -e 's/path = ma/path = mb/' -e 's/source "city"/source "town"/' \
    A.conf >B.conf
cp B.conf B.good
rig_rules '{"127.0.0.1/*": {"delay_ms": 150}, "127.0.0.2/*": {"delay_ms": 150}}'

cmd_exits 0 "ferryd -n checks both files" "$FERRYD" -n -c A.conf -c B.conf
is "$STDOUT" "configuration OK" "and says so"
sed 's/path = ma/path = ./' A.conf >C.conf
sed -i 's/interval = 2s/interval = soon/' C.conf
printf '[mirror]\n\tpaht = x\n' >D.conf
cmd_exits 1 "ferryd -n finds the problems of every file" \
    "$FERRYD" -n -c C.conf -c A.conf -c D.conf
like "$STDERR" "C\.conf: source\.city\.interval: invalid duration 'soon'" \
    "those of the first"
like "$STDERR" "D\.conf: mirror\.paht: unknown key" "and those of the last"
cp A.conf C.conf
cmd_exits 1 "two -c naming one mirror are refused" \
    timeout 10 "$FERRYD" -d -c A.conf -c C.conf
is "$STDERR" "ferryd: C.conf: mirror.path: '$TRASH/ma' is the mirror of '$TRASH/A.conf' already (give each configuration its own)" \
    "with a message that names both files and the mirror"
file_missing ma "and nothing was made"
cmd_exits 1 "so is the same file twice" \
    timeout 10 "$FERRYD" -n -c A.conf -c A.conf
is "$STDERR" "ferryd: A.conf: given twice with -c" "which it says"
cmd_exits 2 "-j takes a number of passes" "$FERRYD" -n -j 0 -c A.conf
is "$STDERR" "ferryd: -j: invalid number of passes '0' (use 1 to 64)" \
    "and says what it takes"

# -j 1: one pass at a time across the mirrors; both mirrors pass.
notify_listen notes.log
daemon_stamped j1.log -j 1 -c A.conf -c B.conf
ok "-j 1: both mirrors pass three times" until_true 60 eval \
    '[ "$(passes j1.log A.conf)" -ge 3 ] && [ "$(passes j1.log B.conf)" -ge 3 ]'
is "$(overlaps j1.log)" 0 "-j 1: no two passes ever ran at once"
ok "both mirrors got their commits" test "$(commits ma)" -ge 1 -a \
    "$(commits mb)" -ge 1
like "$(git -C ma log -1 --format=%s)" "^sync city" "A's commits are city's"
like "$(git -C mb log -1 --format=%s)" "^sync town" "B's commits are town's"
ok "STATUS= sums the mirrors up: one syncs, the other waits" logged notes.log \
    "^STATUS=syncing (city|town) [0-9]+/[0-9]+; next: (town|city) in [0-9]+s$"
daemon_stop
diag "$(grep -E 'pass (started|ended)' j1.log | head -8)"

# -j 2: the passes of the two mirrors overlap.
daemon_stamped j2.log -j 2 -c A.conf -c B.conf
ok "-j 2: both mirrors pass twice" until_true 60 eval \
    '[ "$(passes j2.log A.conf)" -ge 2 ] && [ "$(passes j2.log B.conf)" -ge 2 ]'
n=$(overlaps j2.log)
ok "-j 2: passes of the two mirrors overlapped ($n times)" test "$n" -ge 1
ok "STATUS= shows both passes at once" logged notes.log \
    "^STATUS=syncing (city|town) [0-9]+/[0-9]+; syncing (town|city) "
daemon_stop

# Each mirror's socket, with passes an hour apart.
rig_rules '{}'
sed -i 's/interval = 2s/interval = 1h/' A.conf B.conf B.good
daemon_start d.log -c A.conf -c B.conf
ok "both sockets are there" until_true 10 eval \
    'test -S ma/.git/ferry/ferryd.sock && test -S mb/.git/ferry/ferryd.sock'
cmd_exits 0 "ferry -c A.conf sync --now reaches A's daemon" \
    ferry -c A.conf sync --now
is "$STDOUT" "ferryd: a pass of every source is queued" "which takes it"
ok "A passes" until_true 10 logged d.log "A\.conf: city: pass started"
is "$(count d.log "B\.conf: town: pass started")" 0 "B does not"
cmd_exits 0 "ferry -c B.conf status" ferry -c B.conf status
like "$STDOUT" "
daemon: running, pid $DPID: next: town in (59m[0-9]{2}s|1h00m)
  town: next pass in (59m[0-9]{2}s|1h00m), last pass ok$" \
    "shows B's sources, not A's"

# An edit under B's local/ is B's alone.
a=$(commits ma)
b=$(commits mb)
mkdir -p mb/local
printf 'only in B\n' >mb/local/note.txt
ok "an edit under B's local/ is committed in B" until_true 10 eval \
    '[ "$(git -C mb show HEAD:local/note.txt 2>/dev/null)" = "only in B" ]'
is "$(git -C mb log -1 --format=%s)" "edit: local/note.txt" "as an edit"
ok "by B's daemon" logged d.log "B\.conf: edit: committing"
ok "the pass of A ends" until_true 10 logged d.log "A\.conf: city: pass ended"
is "$(commits ma)" "$a" "A has no new commit"

# SIGHUP with a broken B.conf: B keeps its configuration, A reloads.
printf '[fetch]\n\ttimeout = forever\n' >>B.conf
kill -HUP "$DPID"
ok "SIGHUP: B's broken file is refused" until_true 5 logged d.log \
    "<4>cannot reload '$TRASH/B\.conf', the previous configuration stays in force:"
ok "the log says why" logged d.log \
    "<4>.*fetch\.timeout: invalid duration 'forever'"
ok "A's file is reloaded" logged d.log \
    "configuration '$TRASH/A\.conf' reloaded: 1 source"
is "$(ask_b "now town")" "ok: a pass of 'town' is queued" "B still answers"
ok "with its old configuration" until_true 10 logged d.log \
    "B\.conf: town: pass ended \(ok\)"
n=$(count d.log "A\.conf: city: pass ended")
cmd_exits 0 "A answers too" ferry -c A.conf sync --now city
ok "and passes" until_true 10 eval \
    '[ "$(count d.log "A\.conf: city: pass ended")" -gt "$n" ]'
cp B.good B.conf
ok "B saved good again is reloaded" until_true 5 logged d.log \
    "configuration '$TRASH/B\.conf' reloaded: 1 source"
cmd_exits 0 "ferry -c B.conf reaches B again" ferry -c B.conf sync --now town
daemon_stop
file_missing ma/.git/ferry/ferryd.sock "A's socket is removed at exit"
file_missing mb/.git/ferry/ferryd.sock "and so is B's"

done_testing
