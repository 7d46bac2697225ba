#!/bin/bash
# t5004: reloading the configuration.  SIGHUP rereads it, and so does
# saving the file.  A broken configuration is refused whole: the log
# says why and the daemon keeps running on the old one; a good one adds
# and removes sources without a restart.  Without mirror.admin, an edit
# commit is authored by the owner of the file edited.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start

. "$top_srcdir/tests/daemon.sh"
ask() {	# ask REQUEST: the daemon's answer on its socket
	"$PYTHON3" - mirror/.git/ferry/ferryd.sock "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.recv(500).decode().strip())
PY
}

# The daemon's settings live in an included file: ferryd does not watch
# it, so only SIGHUP rereads it.
write_conf ferry.conf '	interval = 1h' '[include]' '	path = extra.conf'
printf '[mirror]\n\tjitter = 0\n[daemon]\n\tquiet-period = 1s\n' >extra.conf
cp extra.conf extra.good
daemon_start d.log
ok "the first pass ends" until_true 20 logged d.log "city: pass ended"

printf '[fetch]\n\ttimeout = forever\n' >>extra.conf
kill -HUP "$DPID"
ok "SIGHUP with a broken configuration is refused" until_true 5 logged d.log \
    "<4>cannot reload '$TRASH/ferry.conf', the previous configuration stays in force:"
ok "the log says why" logged d.log \
    "<4>.*fetch\.timeout: invalid duration 'forever' \(use a number"
ok "the daemon keeps running" kill -0 "$DPID"
is "$(ask "now city")" "ok: a pass of 'city' is queued" "and answers"
ok "with the old configuration" until_true 10 eval \
    '[ "$(count d.log "city: pass ended")" -ge 2 ]'

{ cat extra.good; printf '[source "more"]\n\turl = %s\n\tdepth = 0\n' \
    "$SOURCE_URL"; } >extra.conf
kill -HUP "$DPID"
ok "SIGHUP with a good configuration reloads it" \
    until_true 5 logged d.log "configuration '.*' reloaded: 2 sources"
ok "the new source gets its first pass" \
    until_true 10 logged d.log "more: pass ended"
cmd_exits 0 "and can be asked for" ferry -c ferry.conf sync --now more

# Saving ferry.conf reloads it, without a signal.
printf '[source "third"]\n\turl = %s\n\tdepth = 0\n' "$SOURCE_URL" \
    >>ferry.conf
ok "a saved configuration is reloaded" \
    until_true 5 logged d.log "configuration '.*' reloaded: 3 sources"
ok "its new source passes" until_true 10 logged d.log "third: pass ended"
sed -i '/\[source "third"\]/,$d' ferry.conf
ok "a source removed from the file is dropped" \
    until_true 5 logged d.log "reloaded: 2 sources"
cmd_exits 2 "and can no longer be asked for" \
    ferry -c ferry.conf sync --now third

printf '[mirror]\n\tpaht = elsewhere\n' >>ferry.conf
ok "a broken save is refused" until_true 5 logged d.log \
    "mirror\.paht: unknown key \(did you mean 'path'\?\)"
ok "the daemon keeps running" kill -0 "$DPID"
cmd_exits 2 "ferry itself refuses the broken file" \
    ferry -c ferry.conf sync --now more
is "$(ask "now more")" "ok: a pass of 'more' is queued" "the daemon answers"
ok "with the configuration it had" until_true 10 eval \
    '[ "$(count d.log "more: pass ended")" -ge 3 ]'

# No mirror.admin: the owner of the edited file is the author.
me=$(id -un)
name=$(getent passwd "$me" | cut -d: -f5 | cut -d, -f1)
mkdir -p mirror/local
n=$(git -C mirror rev-list --count HEAD)
printf 'notice\n' >mirror/local/notice.txt
ok "an edit is committed" until_true 10 eval \
    '[ "$(git -C mirror rev-list --count HEAD)" -gt "$n" ]'
is "$(git -C mirror log -1 --format='%an <%ae>')" \
    "${name:-$me} <$me@$(hostname)>" "by the owner of the file"

daemon_stop
done_testing
