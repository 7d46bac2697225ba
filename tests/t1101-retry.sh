#!/bin/bash
# t1101: transient failures.  503 and 429 are retried, after the server's
# Retry-After (seconds or an HTTP-date) or a growing pause; a resource
# that still fails keeps its previous copy byte for byte, and the pass
# output and the commit say what failed.  Retries are bounded in count
# (retries), in one wait (a Retry-After over a minute is not waited for)
# and in the time a pass waits for them (retry-time).  404, 410 and 403
# are not retried.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H2=site/127.0.0.2_$PORT
HUB=$SITE/127.0.0.1/resources/index.html
write_conf ferry.conf
ES=$SITE/127.0.0.2/redcards/es.pdf

gap() {	# gap PATH: seconds between the first two requests for PATH
	rig_requests "path=$1" | "$PYTHON3" -c '
import json, sys
t = [json.loads(l)["t"] for l in sys.stdin]
print("%.2f" % (t[1] - t[0]) if len(t) > 1 else "none")'
}
at_least() {	# at_least GOT MIN DESC
	if [ "$1" != none ] && awk -v g="$1" -v m="$2" 'BEGIN { exit !(g >= m) }'; then
		pass "$3"
	else
		fail "$3" "expected: at least $2" "got:      $1"
	fi
}
new_bytes() {	# new_bytes FILE: give a PDF new content
	printf '%%PDF-1.4\n%% changed %s\n%%%%EOF\n' "$RANDOM$RANDOM" >"$1"
}
hub_edit() {	# a change on the source page, so the pass commits
	sed -i "s/(213) 555-01[0-9][0-9]/(213) 555-01$1/" "$HUB"
}

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync

# 503 with Retry-After: 1, once: waited for, then fetched.
new_bytes "$ES"
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 503, "retry_after": 1, "times": 1}}'
rig_log_clear
cmd_exits 0 "a 503 with Retry-After, then a 200: the pass succeeds" \
    ferry -c ferry.conf sync
is "$(rig_count path=/redcards/es.pdf)" 2 "the resource was asked twice"
at_least "$(gap /redcards/es.pdf)" 0.95 "the retry came after Retry-After (1 s)"
files_same "mirror/$H2/redcards/es.pdf" "$ES" "the new copy came"
cp "$ES" es.good

# 503 without Retry-After, every time: the previous copy stays.
new_bytes "$ES"
hub_edit 51
write_conf one-retry.conf "[fetch]" "	retries = 1"
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 503}}'
rig_log_clear
cmd_exits 3 "a resource that keeps answering 503 fails the pass (exit 3)" \
    ferry -c one-retry.conf sync
is "$(rig_count path=/redcards/es.pdf)" 2 "retries = 1: asked twice"
at_least "$(gap /redcards/es.pdf)" 0.7 "after a pause of about a second (backoff)"
like "$STDERR" "ferry: city: failed http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(503 Service Unavailable, previous copy kept\)" \
    "the pass output names the resource and the fault"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(503 Service Unavailable, previous copy kept\)" \
    "so does the commit"
files_same "mirror/$H2/redcards/es.pdf" es.good "the previous copy is byte-identical"

# 429 with an HTTP-date two seconds ahead, once.
epoch=$(($(date +%s) + 2))
when=$("$PYTHON3" -c 'import email.utils, sys
print(email.utils.formatdate(int(sys.argv[1]), usegmt=True))' "$epoch")
rig_rules "{\"127.0.0.2/redcards/es.pdf\": {\"status\": 429, \"retry_after\": \"$when\", \"times\": 1}}"
rig_log_clear
cmd_exits 0 "a 429 with an HTTP-date Retry-After, then a 200: the pass succeeds" \
    ferry -c ferry.conf sync
is "$(rig_count path=/redcards/es.pdf)" 2 "the resource was asked twice"
retried=$(rig_requests path=/redcards/es.pdf | tail -1 | "$PYTHON3" -c '
import json, sys
print("%.2f" % (json.loads(sys.stdin.read())["t"] - int(sys.argv[1])))' "$epoch")
at_least "$retried" -1 "the retry waited for the date (to the second)"
files_same "mirror/$H2/redcards/es.pdf" "$ES" "the new copy came"
cp "$ES" es.good

# 429 every time: retries (2) and then a failure.
new_bytes "$ES"
hub_edit 52
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 429, "retry_after": 0}}'
rig_log_clear
cmd_exits 3 "a resource that keeps answering 429 fails" ferry -c ferry.conf sync
is "$(rig_count path=/redcards/es.pdf)" 3 "retries = 2 (the default): asked three times"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(429 Too Many Requests, previous copy kept\)" \
    "the commit says so"
files_same "mirror/$H2/redcards/es.pdf" es.good "the previous copy is byte-identical"

# A Retry-After over a minute is not waited for.
hub_edit 53
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 503, "retry_after": 3600}}'
rig_log_clear
cmd_exits 3 "a Retry-After of an hour fails the resource at once" \
    ferry -c ferry.conf sync
is "$(rig_count path=/redcards/es.pdf)" 1 "it is not asked again this pass"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(503 Service Unavailable, not retried: the server asked to wait 3600 s, previous copy kept\)" \
    "the commit says why it was not retried"
files_same "mirror/$H2/redcards/es.pdf" es.good "the previous copy is byte-identical"

# retry-time: the time a pass may wait for retries alone.
hub_edit 54
write_conf no-wait.conf "[fetch]" "	retry-time = 0"
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 502}, "127.0.0.2/redcards/fr.pdf": {"status": 500}}'
rig_log_clear
cmd_exits 3 "with retry-time = 0 a 5xx without Retry-After is not retried" \
    ferry -c no-wait.conf sync
is "$(rig_count 'path~^/redcards/(es|fr)\.pdf$')" 2 "each was asked once"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(502 Bad Gateway, not retried: retry-time \(0 s\) used up, previous copy kept\)" \
    "the commit names the limit"
files_same "mirror/$H2/redcards/es.pdf" es.good "the previous copy is byte-identical"

# 408 is retried; 404, 410 and 403 are not.
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 408, "times": 1},
    "127.0.0.2/redcards/fr.pdf": {"status": 404},
    "127.0.0.2/redcards/ko.pdf": {"status": 410},
    "127.0.0.2/redcards/ja.pdf": {"status": 403}}'
rig_log_clear
cmd_exits 3 "404, 410 and 403 fail the pass" ferry -c ferry.conf sync
is "$(rig_count path=/redcards/es.pdf)" 2 "a 408 is retried"
for f in fr ko ja; do
	is "$(rig_count path=/redcards/$f.pdf)" 1 "$f.pdf: a 4xx is not retried"
	files_same "mirror/$H2/redcards/$f.pdf" "$SITE/127.0.0.2/redcards/$f.pdf" \
	    "$f.pdf: the previous copy is byte-identical"
done
like "$STDERR" "failed http://127\.0\.0\.2:$PORT/redcards/ja\.pdf \(403 Forbidden, previous copy kept\)" \
    "a 403 keeps the copy and says so"
like "$STDERR" "failed http://127\.0\.0\.2:$PORT/redcards/ko\.pdf \(410 Gone\)" \
    "a 410 is named"

done_testing
