#!/bin/bash
# t0001: the command line and the configuration: help, version, check,
# and every configuration error stopping ferry before it touches anything.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
setup_trash

cmd_exits 0 "ferry --help succeeds" ferry --help
like "$STDOUT" "sync +bring the mirror up to date" "--help lists sync"
like "$STDOUT" "exit status: 0 success, 1 error, 2 usage" "--help documents exit codes"
cmd_exits 0 "ferry --version succeeds" ferry --version
like "$STDOUT" "^ferry [0-9]+\.[0-9]+\.[0-9]+$" "--version prints the version"
cmd_exits 0 "ferry help sync succeeds" ferry help sync
like "$STDOUT" "usage: ferry .*sync \[source \.\.\.\]" "help sync shows usage"
like "$STDOUT" "Exit status: 0" "help sync documents exit codes"
cmd_exits 2 "an unknown command is a usage error" ferry frobnicate
like "$STDERR" "'frobnicate' is not a ferry command" "and says which"
cmd_exits 2 "no command is a usage error" ferry
cmd_exits 2 "an unknown option is a usage error" ferry -Z sync

# The example configuration is valid.
cmd_exits 0 "conf/ferry.conf passes check" ferry -c "$top_srcdir/conf/ferry.conf" check
like "$STDOUT" "\[source \"" "check prints the sources"
like "$STDOUT" "connections-per-host = 4" "check prints defaults"

# check prints a configuration that reads back the same.
cat >good.conf <<'CONF'
[mirror]
	path = m
[source "city"]
	url = HTTP://Example.ORG:80/a/../resources/
	allow = www.lapl.org
CONF
cmd_exits 0 "a minimal configuration passes" ferry -c good.conf check
like "$STDOUT" "url = http://example.org/resources/" "the URL is shown normalised"
like "$STDOUT" "path = $TRASH/m" "a relative mirror path is relative to the file"
printf '%s\n' "$STDOUT" >printed.conf
cmd_exits 0 "the printed configuration is valid" ferry -c printed.conf check
is "$STDOUT" "$(cat printed.conf)" "and prints the same again"

bad() {	# bad NAME EXPECTED-REGEX CONFIG-TEXT
	printf '%s\n' "$3" >"$1.conf"
	cmd_exits 2 "$1: exit 2" ferry -c "$1.conf" sync
	like "$STDERR" "$2" "$1: message"
	file_missing m "$1: nothing was created"
}
bad missing-url "missing-url.conf: source.city.url: missing" '[mirror]
	path = m
[source "city"]
	depth = 1'
bad typo "source\.city\.depht: unknown key \(did you mean 'depth'\?\)" '[mirror]
	path = m
[source "city"]
	url = http://127.0.0.1/
	depht = 2'
bad section "fecth.timeout: unknown section 'fecth' \(did you mean 'fetch'\?\)" '[mirror]
	path = m
[fecth]
	timeout = 5s
[source "city"]
	url = http://127.0.0.1/'
bad duration "fetch\.timeout: invalid duration '5 parsecs'" '[mirror]
	path = m
[fetch]
	timeout = 5 parsecs
[source "city"]
	url = http://127.0.0.1/'
bad size "fetch\.max-file-size: invalid size" '[mirror]
	path = m
[fetch]
	max-file-size = lots
[source "city"]
	url = http://127.0.0.1/'
bad ftp "source\.city\.url: .*ftp://example\.org/" '[mirror]
	path = m
[source "city"]
	url = ftp://example.org/'
bad badurl "source\.city\.url: .*http://exa mple" '[mirror]
	path = m
[source "city"]
	url = http://exa mple/'
bad nosource "no source configured" '[mirror]
	path = m'
bad syntax "syntax\.conf:3: syntax error" '[mirror]
	path = m
[source "city"
	url = http://127.0.0.1/'

cmd_exits 2 "a missing configuration file is an error" ferry -c nonexistent.conf sync
like "$STDERR" "cannot read 'nonexistent.conf': No such file or directory" "and says so"
FERRY_CONF=good.conf cmd_exits 0 "FERRY_CONF names the configuration" ferry check
cmd_exits 2 "sync of an unknown source is a usage error" ferry -c good.conf sync nosuch
like "$STDERR" "no source 'nosuch'" "and names it"
file_missing m "nothing was created by a refused sync"

done_testing
