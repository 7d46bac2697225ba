#!/bin/bash
# t5008: ferryd(8) is well-formed mdoc: "mandoc -T lint" finds nothing at
# the warning level, and it renders without a complaint.  It documents
# every option and the files the daemon uses.  Skipped without mandoc.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
setup_trash

command -v mandoc >/dev/null 2>&1 || skip_all "mandoc is not installed"
PAGE=$top_srcdir/daemon/ferryd.8

cmd_exits 0 "mandoc -T lint -W warning accepts ferryd.8" \
    mandoc -T lint -W warning "$PAGE"
is "$STDOUT$STDERR" "" "without a message"
cmd_exits 0 "it renders" mandoc -T utf8 "$PAGE"
text=$(printf '%s\n' "$STDOUT" | col -b 2>/dev/null || printf '%s\n' "$STDOUT")
for word in "-c file" "-d" "-n" "-v" "EXIT STATUS" "EXAMPLES" \
    "ferryd.sock" "ferryd.schedule" "SIGHUP" "SIGTERM" "READY=1" \
    "WATCHDOG=1" "quiet-period" "backoff" "jitter" "interval"; do
	ok "it mentions $word" grep -qF -- "$word" <<<"$text"
done

done_testing
