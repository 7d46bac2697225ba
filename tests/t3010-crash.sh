#!/bin/bash
# t3010: the crash test in its reduced form: "ferry sync" killed with
# SIGKILL at 24 random moments while the site changes; after each kill
# the repository is whole, nothing is lost and the next pass recovers.
# tests/crash.sh is the test; "tests/crash.sh --kills 200" the full run.
exec "${BASH:-bash}" "${top_srcdir:-$(dirname "$0")/..}/tests/crash.sh" \
    --kills "${FERRY_CRASH_KILLS:-24}"
