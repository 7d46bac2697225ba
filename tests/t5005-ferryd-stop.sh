#!/bin/bash
# t5005: stopping, and what systemd hears.  SIGTERM in the middle of a
# slow pass stops ferryd within 10 s; the pass leaves nothing half done:
# no commit, the lock free, a mirror that "ferry verify" accepts, and
# the next start makes the pass.  Through NOTIFY_SOCKET ferryd says
# READY=1, STATUS= lines (the pass and its progress, the next pass),
# WATCHDOG=1 when systemd asks for it, RELOADING=1 and STOPPING=1.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
HUB=$SITE/127.0.0.1/resources/index.html

. "$top_srcdir/tests/daemon.sh"

NOTES=$TRASH/notify.log
notify_listen "$NOTES"
export WATCHDOG_USEC=400000

write_conf ferry.conf '	interval = 1h' '[mirror]' '	jitter = 0' \
    '[fetch]' '	connections-per-host = 1'
ok_cmd "a first pass with ferry sync" ferry -c ferry.conf sync
head0=$(git -C mirror rev-parse HEAD)
sed -i 's/(213) 555-01[0-9][0-9]/(213) 555-0199/' "$HUB"
rig_rules '{"127.0.0.2/*": {"delay_ms": 300}, "127.0.0.1/*": {"delay_ms": 300}}'
rig_log_clear

daemon_start d.log
ok "READY=1 once the loop runs" until_true 5 logged "$NOTES" "^READY=1"
ok "the pass starts" until_true 10 logged d.log "city: pass started"
ok "and fetches" until_true 10 eval '[ "$(rig_count)" -ge 3 ]'
ok "STATUS= shows the pass and its progress" until_true 5 logged "$NOTES" \
    "^STATUS=syncing city [0-9]+/[0-9]+$"
ok "WATCHDOG=1 when systemd asks for it" until_true 5 eval \
    '[ "$(count "$NOTES" "^WATCHDOG=1")" -ge 3 ]'

T0=$(now_ms)
kill -TERM "$DPID"
ok "SIGTERM in the middle of a pass stops ferryd" until_true 10 gone
took=$(($(now_ms) - T0))
ok "within 10 s ($took ms)" test "$took" -le 10000
wait "$DPID"
is "$?" 0 "with exit status 0"
ok "STOPPING=1" logged "$NOTES" "^STOPPING=1"
is "$(git -C mirror rev-parse HEAD)" "$head0" "the stopped pass committed nothing"
ok_cmd "ferry verify accepts the mirror" ferry -c ferry.conf verify
rig_rules '{}'
ok_cmd "the lock is free: ferry index runs" ferry -c ferry.conf index

daemon_start d2.log
ok "the next start makes the pass" until_true 20 logged d2.log \
    "city: pass ended \(ok\)"
like "$(git -C mirror log -1 --format=%s)" "^sync city: 1 updated" \
    "and commits the change"
ok "STATUS= names the next pass" until_true 5 logged "$NOTES" \
    "^STATUS=next: city in (59m[0-9]{2}s|1h00m)$"
kill -HUP "$DPID"
ok "RELOADING=1 on SIGHUP" until_true 5 logged "$NOTES" "^RELOADING=1"
ok "then READY=1 again" until_true 5 eval \
    '[ "$(count "$NOTES" "^READY=1")" -ge 3 ]'
kill -INT "$DPID"
ok "SIGINT stops it too" until_true 10 gone
wait "$DPID"
is "$?" 0 "with exit status 0"
like "$(tail -1 d2.log)" "^<6>stopped$" "the last line says stopped"

done_testing
