#!/bin/bash
# t1109: being gentle with small servers.  connections-per-host caps the
# transfers in flight to one host, connections caps them in all, and
# delay spaces the requests to one host; connections are kept alive and
# reused.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start --latency 30

overlap() {	# overlap [FILTER...]: most requests in flight at once
	rig_requests "$@" | "$PYTHON3" -c '
import json, sys
ev = []
for l in sys.stdin:
    e = json.loads(l)
    ev += [(e["t"], 1), (e["t"] + e["ms"] / 1000.0, -1)]
n = best = 0
for _, d in sorted(ev, key=lambda x: (x[0], x[1])):
    n += d
    best = max(best, n)
print(best)'
}
conns() {	# conns [FILTER...]: distinct connections used
	rig_requests "$@" | "$PYTHON3" -c '
import json, sys
print(len({json.loads(l)["conn"] for l in sys.stdin}))'
}

write_conf one.conf "[fetch]" "	connections-per-host = 1"
cmd_exits 0 "a pass with connections-per-host = 1" ferry -c one.conf sync
is "$(overlap host=127.0.0.1)" 1 "one request at a time to a host"
is "$(conns host=127.0.0.1)" 1 "over one kept-alive connection"
total=$(rig_count host=127.0.0.1)
ok "which carried all $total requests to that host" test "$total" -gt 20

rm -rf mirror
rig_log_clear
write_conf four.conf
cmd_exits 0 "a pass with the default connections-per-host (4)" \
    ferry -c four.conf sync
got=$(overlap host=127.0.0.1)
ok "at most 4 requests at a time to a host ($got)" test "$got" -le 4
ok "and more than one ($got)" test "$got" -gt 1
got=$(conns host=127.0.0.1)
ok "over at most 4 connections ($got)" test "$got" -le 4

rm -rf mirror
rig_log_clear
write_conf two.conf "[fetch]" "	connections = 2"
cmd_exits 0 "a pass with connections = 2" ferry -c two.conf sync
got=$(overlap)
ok "at most 2 requests at a time in all ($got)" test "$got" -le 2

rm -rf mirror
rig_log_clear
write_conf slow.conf "	include = */resources/red-cards.html" \
    "	include = */redcards/e*.pdf" "[fetch]" "	delay = 1"
cmd_exits 0 "a pass with delay = 1" ferry -c slow.conf sync
gaps=$(rig_requests host=127.0.0.2 | "$PYTHON3" -c '
import json, sys
t = sorted(json.loads(l)["t"] for l in sys.stdin)
print(len(t), "%.2f" % min(b - a for a, b in zip(t, t[1:])))')
like "$gaps" "^3 (0\.9[5-9]|[1-9])" \
    "requests to a host come a second apart (robots.txt, es.pdf, en.pdf)"

done_testing
