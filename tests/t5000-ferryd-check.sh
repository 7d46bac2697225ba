#!/bin/bash
# t5000: ferryd's command line.  -n checks the configuration and exits:
# "configuration OK" for the example configuration, every problem named
# (file, key, what to do) with exit 1 for broken ones; a broken
# configuration stops the daemon before it starts; a bad option is a
# usage error.  Nothing is created either way.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
setup_trash

ferryd() { "$FERRYD" "$@"; }

cmd_exits 0 "ferryd -n passes on conf/ferry.conf" \
    ferryd -n -c "$top_srcdir/conf/ferry.conf"
is "$STDOUT" "configuration OK" "and says so"
is "$STDERR" "" "and prints nothing else"

cat >good.conf <<'CONF'
[mirror]
	path = m
	jitter = 0
	admin = Ana Admin <ana@example.org>
[daemon]
	quiet-period = 1s
	backoff = 5s
[source "city"]
	url = http://127.0.0.1/
	interval = 30m
CONF
cmd_exits 0 "ferryd -n passes with the daemon's keys" ferryd -n -c good.conf
is "$STDOUT" "configuration OK" "and says so"
FERRY_CONF=good.conf cmd_exits 0 "FERRY_CONF names the file" ferryd -n

bad() {	# bad NAME EXPECTED-MESSAGE CONFIG-TEXT
	printf '%s\n' "$3" >"$1.conf"
	cmd_exits 1 "$1: ferryd -n exits 1" ferryd -n -c "$1.conf"
	is "$STDERR" "$2" "$1: the message names the file, the key and the fix"
	is "$STDOUT" "" "$1: no 'configuration OK'"
}
bad interval "ferryd: interval.conf: source.city.interval: invalid duration 'often' (use a number with s, m, h or d, like 30s or 6h)" '[mirror]
	path = m
[source "city"]
	url = http://127.0.0.1/
	interval = often'
bad zero "ferryd: zero.conf: source.city.interval: invalid duration '0' (use at least 1s)" '[mirror]
	path = m
[source "city"]
	url = http://127.0.0.1/
	interval = 0'
bad quiet "ferryd: quiet.conf: daemon.quiet-period: invalid duration '2h' (use at most 3600s)" '[mirror]
	path = m
[daemon]
	quiet-period = 2h
[source "city"]
	url = http://127.0.0.1/'
bad typo "ferryd: typo.conf: daemon.quiet-perod: unknown key (did you mean 'quiet-period'?)" '[mirror]
	path = m
[daemon]
	quiet-perod = 2s
[source "city"]
	url = http://127.0.0.1/'
bad admin "ferryd: admin.conf: mirror.admin: invalid admin 'root' (use a name and an address, like 'Site Admin <admin@example.org>')" '[mirror]
	path = m
	admin = root
[source "city"]
	url = http://127.0.0.1/'
bad two "ferryd: two.conf: mirror.jitter: invalid duration 'lots' (use a number with s, m, h or d, like 30s or 6h)
two.conf: source.city.url: missing (every source needs the address of its page)" '[mirror]
	path = m
	jitter = lots
[source "city"]
	interval = 1h'

cmd_exits 1 "a missing file is an error" ferryd -n -c nothere.conf
is "$STDERR" "ferryd: cannot read 'nothere.conf': No such file or directory" \
    "which names the file"

# Without -n a broken configuration stops ferryd before it starts.
cmd_exits 1 "ferryd -d with a broken configuration exits 1" \
    timeout 10 "$FERRYD" -d -c interval.conf
like "$STDERR" "source\.city\.interval: invalid duration 'often'" \
    "and says why"
file_missing m "no mirror was created"

cmd_exits 2 "an unknown option is a usage error" ferryd -Z
is "$STDERR" "$(printf '%s\n%s' "$FERRYD: invalid option -- 'Z'" \
    "usage: ferryd [-dnv] [-c file ...] [-j passes]")" "and prints the usage"
cmd_exits 2 "an operand is a usage error" ferryd -n extra

done_testing
