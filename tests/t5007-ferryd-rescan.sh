#!/bin/bash
# t5007: ferryd when inotify loses track.  Events that overflow the
# kernel's queue (while the daemon is stopped) mean a full rescan: the
# edits made meanwhile are committed, and a directory created meanwhile
# is watched from then on.  local/ removed and made again is watched
# again.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start

. "$top_srcdir/tests/daemon.sh"
daemon_start() {	# daemon_start LOG: ferryd -d on ferry.conf
	: >"$1"
	show_on_failure "$1"
	"$FERRYD" -d -c ferry.conf >"$1" 2>&1 </dev/null &
	DPID=$!
	at_exit "kill -CONT $DPID; kill -KILL $DPID"
}
in_head() {	# in_head PATH TEXT: HEAD holds PATH with TEXT
	[ "$(git -C mirror show "HEAD:$1" 2>/dev/null)" = "$2" ]
}

write_conf ferry.conf '	interval = 1h' '[mirror]' '	jitter = 0' \
    '[daemon]' '	quiet-period = 1s'
daemon_start d.log
ok "the first pass ends" until_true 20 logged d.log "city: pass ended"
mkdir -p mirror/local

# Stopped, the daemon cannot drain the queue: more events than it holds.
max=$(cat /proc/sys/fs/inotify/max_queued_events 2>/dev/null || echo 16384)
kill -STOP "$DPID"
"$PYTHON3" - mirror/local "$max" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
f = os.path.join(d, ".churn")
for i in range(n // 2 + 100):
    open(f, "w").close()
    os.unlink(f)
os.makedirs(os.path.join(d, "late", "deep"))
with open(os.path.join(d, "late", "deep", "card.txt"), "w") as out:
    out.write("made while events were lost\n")
PY
kill -CONT "$DPID"
ok "the overflow is noticed" until_true 10 logged d.log \
    "inotify queue overflowed, rescanning"
ok "the edits made meanwhile are committed" until_true 10 \
    in_head local/late/deep/card.txt "made while events were lost"
printf 'second version\n' >mirror/local/late/deep/card.txt
ok "the directory made meanwhile is watched" until_true 10 \
    in_head local/late/deep/card.txt "second version"

rm -rf mirror/local
ok "removing local/ is an edit" until_true 10 eval \
    '! git -C mirror cat-file -e HEAD:local/late/deep/card.txt 2>/dev/null'
mkdir -p mirror/local/again
printf 'back\n' >mirror/local/again/note.txt
ok "local/ made again is watched again" until_true 10 \
    in_head local/again/note.txt "back"

kill -TERM "$DPID"
ok "ferryd stops" until_true 10 gone
wait "$DPID"
is "$?" 0 "ferryd exits 0"
done_testing
