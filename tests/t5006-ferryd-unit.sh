#!/bin/bash
# t5006: the systemd unit.  systemd-analyze verify accepts it, and its
# exposure score from "systemd-analyze security --offline=yes" is at
# most 1.5; it runs ferryd in the foreground as Type=notify with a
# watchdog, under a dynamic user that may write only its state
# directory.  Skipped where systemd-analyze is missing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
setup_trash

command -v systemd-analyze >/dev/null 2>&1 ||
	skip_all "systemd-analyze is not installed"
UNIT=$top_builddir/systemd/ferryd.service
[ -f "$UNIT" ] || bail_out "no $UNIT (run make first)"

# verify wants the programs to exist: point them at the build.
sed -E "s|^(Exec[A-Za-z]*=)[^ ]*/ferryd|\\1$FERRYD|" "$UNIT" >ferryd.service
cmd_exits 0 "systemd-analyze verify accepts the unit" \
    systemd-analyze verify --man=no ./ferryd.service
is "$STDOUT$STDERR" "" "without a warning"

run systemd-analyze security --offline=yes --no-pager ./ferryd.service
score=$(printf '%s\n' "$STDOUT" |
    sed -n 's/.*Overall exposure level for ferryd\.service: \([0-9.]*\).*/\1/p')
diag "exposure score: ${score:-none}"
ok "the exposure score is at most 1.5 (${score:-none})" \
    awk -v s="$score" 'BEGIN { exit !(s != "" && s + 0 <= 1.5) }'

unit=$(cat "$UNIT")
for line in 'Type=notify' 'WatchdogSec=' 'DynamicUser=yes' \
    'StateDirectory=ferry' 'ConfigurationDirectory=ferry' \
    'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
    'PrivateDevices=yes' 'NoNewPrivileges=yes' 'CapabilityBoundingSet=$' \
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
    'SystemCallFilter=@system-service' 'SystemCallArchitectures=native' \
    'MemoryDenyWriteExecute=yes' 'LockPersonality=yes' \
    'RestrictNamespaces=yes' 'RestrictRealtime=yes' \
    'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' \
    'ProtectKernelLogs=yes' 'ProtectControlGroups=yes' 'ProtectClock=yes' \
    'ProtectHostname=yes' 'UMask=0027'; do
	ok "the unit sets $line" grep -Eq "^$line" "$UNIT"
done
like "$unit" "ExecStart=[^ ]*/ferryd -d -c [^ ]*/ferry/ferry\.conf" \
    "ExecStart runs ferryd in the foreground"
like "$unit" "ExecReload=/bin/kill -HUP \\\$MAINPID" "reload sends SIGHUP"
unlike "$unit" "@[a-z]+@" "every path is filled in"

done_testing
