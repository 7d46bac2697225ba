#!/bin/bash
# t1002: bad input and broken servers get a clear message and a non-zero
# exit, and leave the mirror exactly as it was.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H1=site/127.0.0.1_$PORT

snapshot() {	# every file of the mirror with its hash, HEAD first
	(cd mirror 2>/dev/null && git rev-parse HEAD 2>/dev/null &&
	    find . -path ./.git/ferry -prune -o -type f -print0 | sort -z |
	    xargs -0 sha1sum) || echo "no mirror"
}

# A first pass that cannot reach its source leaves nothing behind.
cat >unreachable.conf <<CONF
[mirror]
	path = mirror
[source "city"]
	url = http://127.0.0.1:1/resources/
CONF
cmd_exits 1 "an unreachable source page fails" ferry -c unreachable.conf sync
like "$STDERR" "city: cannot fetch the source page 'http://127\.0\.0\.1:1/resources/': .*(onnect|refused).*\(the mirror is unchanged\)" \
    "and says which page and why"
file_missing mirror "a failed first pass creates no mirror"

write_conf ferry.conf
cmd_exits 0 "a first pass succeeds" ferry -c ferry.conf sync
before=$(snapshot)

rig_rules '{"127.0.0.1/resources/": {"status": 503, "retry_after": "0"}}'
rig_log_clear
cmd_exits 1 "a source page answering 503 fails the pass" ferry -c ferry.conf sync
like "$STDERR" "cannot fetch the source page '$SOURCE_URL': 503 Service Unavailable \(the mirror is unchanged\)" \
    "and says so"
is "$(snapshot)" "$before" "the mirror is exactly as it was"
is "$(rig_count path=/resources/)" 3 "a 503 is retried twice"

rig_rules '{"127.0.0.1/resources/": {"status": 404}}'
cmd_exits 1 "a source page answering 404 fails the pass" ferry -c ferry.conf sync
like "$STDERR" "404 Not Found \(the mirror is unchanged\)" "and says so"
is "$(snapshot)" "$before" "the mirror is exactly as it was"
rig_rules '{}'

write_conf pdf.conf
sed -i "s|url = .*|url = http://127.0.0.1:$PORT/files/guide-for-employers.pdf|" pdf.conf
cmd_exits 1 "a source page that is not HTML fails" ferry -c pdf.conf sync
like "$STDERR" "the source page '.*guide-for-employers\.pdf' is not an HTML page but 'application/pdf'" \
    "and says what it is"
is "$(snapshot)" "$before" "the mirror is exactly as it was"

# A resource that fails keeps its previous copy; the exit status says so.
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 503, "retry_after": "0"}}'
sed -i 's/(213) 555-0142/(213) 555-0177/' "$SITE/127.0.0.1/resources/index.html"
cmd_exits 3 "a pass with a failed resource exits 3" ferry -c ferry.conf sync
like "$STDOUT" "1 updated, 0 removed, 1 failed" "the summary counts the failure"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(503 Service Unavailable, previous copy kept\)" \
    "the commit says what failed and that the copy was kept"
files_same "mirror/site/127.0.0.2_$PORT/redcards/es.pdf" "$SITE/127.0.0.2/redcards/es.pdf" \
    "the previous copy is byte-identical"
ok_cmd "every link still works offline" "$PYTHON3" "$RIG_DIR/checklinks.py" mirror
rig_rules '{}'
before=$(snapshot)

# A PDF link answered by an HTML page (a soft 404) is refused.
rig_rules '{"127.0.0.1/files/guide-for-employers.pdf": {"status": 200, "body": "<!DOCTYPE html><title>Page not found</title><p>Sorry", "content_type": "text/html"}}'
cmd_exits 3 "an HTML page in place of a PDF counts as a failure" ferry -c ferry.conf sync
like "$STDOUT" "1 failed" "the summary counts it"
is "$(snapshot)" "$before" "the mirror is exactly as it was"
rig_rules '{}'

# Mirror paths that are not ferry mirrors are never touched.
mkdir notmirror && echo "keep me" >notmirror/notes.txt
sed "s|path = mirror|path = notmirror|" ferry.conf >other.conf
cmd_exits 1 "a non-empty directory that is not a mirror is refused" ferry -c other.conf sync
like "$STDERR" "'$TRASH/notmirror' exists and is not a ferry mirror" "and says so"
is "$(ls -A notmirror)" "notes.txt" "it is left untouched"
git init -q notmirror
cmd_exits 1 "a plain git repository is refused" ferry -c other.conf sync
like "$STDERR" "is a git repository but not a ferry mirror" "and says so"
rm -rf notmirror && echo file >notmirror
cmd_exits 1 "a file as mirror path is refused" ferry -c other.conf sync
like "$STDERR" "is not a directory" "and says so"

# A mirror locked by another ferry.
(exec 9>>mirror/.git/ferry/lock; flock 9; exec sleep 60) &
holder=$!
at_exit "kill $holder"
for i in $(seq 50); do
	flock -n mirror/.git/ferry/lock true || break
	sleep 0.1
done
cmd_exits 1 "a locked mirror is refused" ferry -c ferry.conf sync
like "$STDERR" "mirror '$TRASH/mirror' is busy" "and says so"
is "$(snapshot)" "$before" "the mirror is exactly as it was"
kill $holder; wait $holder 2>/dev/null
cmd_exits 0 "once the lock is released, sync works" ferry -c ferry.conf sync

done_testing
