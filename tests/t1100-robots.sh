#!/bin/bash
# t1100: robots.txt.  Read once per host and pass before anything else on
# that host; its Disallow keeps ferry away from a path (reported as
# failed, the previous copy kept byte for byte); a 503 for it means "try
# later" for the whole host; Crawl-delay spaces the requests; a source
# with robots = ignore does not ask for it, and says so.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT
write_conf ferry.conf

snapshot() {	# every file of the mirror with its hash, HEAD first
	(cd mirror && git rev-parse HEAD && find . -path ./.git -prune -o \
	    -type f -print0 | sort -z | xargs -0 sha1sum)
}

cmd_exits 0 "a first pass without robots.txt fetches everything" \
    ferry -c ferry.conf sync
is "$(rig_count path=/robots.txt status=404)" 2 \
    "robots.txt was asked of both hosts (and is missing: all allowed)"
for h in 127.0.0.1 127.0.0.2; do
	is "$(rig_paths host=$h | head -1)" /robots.txt \
	    "robots.txt is the first request to $h"
done
before=$(snapshot)

# A robots.txt that keeps ferry out of /files/ but for one document, and
# keeps everyone else out of everything.
cat >"$SITE/127.0.0.1/robots.txt" <<'TXT'
# the city's robots.txt
User-agent: *
Disallow: /

User-agent: ferry
Disallow: /files/
Allow: /files/guide-for-employers.pdf
TXT
sed -i 's/(213) 555-0142/(213) 555-0177/' "$SITE/127.0.0.1/resources/index.html"
rig_log_clear
cmd_exits 3 "a pass where robots.txt disallows documents exits 3" \
    ferry -c ferry.conf sync
nfiles=$(cd "$SITE/127.0.0.1/files" && ls | grep -vc '^guide-for-employers\.pdf$')
like "$STDOUT" "1 updated, 0 removed, $nfiles failed" \
    "the summary counts each disallowed document as failed"
is "$(rig_count host=127.0.0.1 path~^/files/ path!=/files/guide-for-employers.pdf)" 0 \
    "no disallowed path is requested"
is "$(rig_count path=/files/guide-for-employers.pdf)" 1 \
    "the path an Allow line reopens is requested"
is "$(rig_count path=/robots.txt)" 2 "robots.txt is asked once per host"
is "$(rig_paths host=127.0.0.1 | head -1)" /robots.txt \
    "and before anything else on the host"
msg=$(git -C mirror log -1 --format=%B)
like "$msg" "failed   http://127\.0\.0\.1:$PORT/files/CON\.pdf \(disallowed by robots\.txt \(Disallow: /files/\), previous copy kept\)" \
    "the commit names the path, the rule and that the copy was kept"
is "$(grep -c '^failed .*disallowed by robots\.txt' <<<"$msg")" "$nfiles" \
    "one failed line per disallowed document"
for f in CON.pdf notice..pdf what-to-do-if-arrested.pdf; do
	files_same "mirror/$H1/files/${f/CON/CON_}" "$SITE/127.0.0.1/files/$f" \
	    "the kept copy of $f is byte-identical"
done
is "$(git -C mirror diff --name-only HEAD~1 HEAD -- site)" "$H1/resources/index.html" \
    "only the edited page changed in the mirror"
ok_cmd "every link still works offline" "$PYTHON3" "$RIG_DIR/checklinks.py" mirror

# The source page itself disallowed: nothing is done.
before=$(snapshot)
printf 'User-agent: ferry\nDisallow: /resources\n' >"$SITE/127.0.0.1/robots.txt"
rig_log_clear
cmd_exits 1 "a source page robots.txt disallows fails the pass" \
    ferry -c ferry.conf sync
like "$STDERR" "cannot fetch the source page '$SOURCE_URL': disallowed by robots\.txt \(Disallow: /resources\) \(the mirror is unchanged\)" \
    "and says why"
is "$(rig_count path!=/robots.txt host=127.0.0.1)" 0 "nothing else is requested"
is "$(snapshot)" "$before" "the mirror is exactly as it was"

# robots.txt answering 503: try later, keep everything of that host.
rm "$SITE/127.0.0.1/robots.txt"
rig_rules '{"127.0.0.2/robots.txt": {"status": 503, "retry_after": "0"}}'
sed -i 's/(213) 555-0177/(213) 555-0166/' "$SITE/127.0.0.1/resources/index.html"
rig_log_clear
cmd_exits 3 "a 503 for robots.txt fails that host's resources" \
    ferry -c ferry.conf sync
is "$(rig_count host=127.0.0.2 path!=/robots.txt)" 0 \
    "nothing else on that host is requested"
is "$(rig_count host=127.0.0.2 path=/robots.txt)" 3 "robots.txt itself was retried twice"
like "$STDERR" "city: http://127\.0\.0\.2:$PORT/robots\.txt: 503 Service Unavailable: nothing on http://127\.0\.0\.2:$PORT is fetched this pass" \
    "the pass says so"
like "$STDERR" "ferry: city: failed http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(not fetched: http://127\.0\.0\.2:$PORT/robots\.txt could not be read \(503 Service Unavailable\), so nothing on http://127\.0\.0\.2:$PORT is fetched this pass \(try later\), previous copy kept\)" \
    "and names each resource it could not fetch"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(not fetched: http://127\.0\.0\.2:$PORT/robots\.txt could not be read \(503 Service Unavailable\), so nothing on http://127\.0\.0\.2:$PORT is fetched this pass \(try later\), previous copy kept\)" \
    "the commit says why each resource failed and that its copy was kept"
files_same "mirror/$H2/redcards/es.pdf" "$SITE/127.0.0.2/redcards/es.pdf" \
    "the kept copy is byte-identical"
is "$(git -C mirror ls-files "$H2" | wc -l)" "$(ls "$SITE/127.0.0.2/redcards" | wc -l)" \
    "no copy of that host was removed"
rig_rules '{}'

# Crawl-delay spaces the requests to a host, one at a time.
printf 'User-agent: *\nCrawl-delay: 0.25\n' >"$SITE/127.0.0.2/robots.txt"
rig_log_clear
cmd_exits 0 "a pass under a Crawl-delay succeeds" ferry -c ferry.conf sync
gaps=$(rig_requests host=127.0.0.2 | "$PYTHON3" -c '
import json, sys
t = sorted(json.loads(l)["t"] for l in sys.stdin)
print(min(b - a for a, b in zip(t, t[1:])) >= 0.24, len(t))')
is "$gaps" "True $(($(ls "$SITE/127.0.0.2/redcards" | wc -l) + 1))" \
    "every request to that host came at least 0.25 s after the one before"
rm "$SITE/127.0.0.2/robots.txt"

# robots = ignore: not asked, everything fetched, and the pass says so.
printf 'User-agent: *\nDisallow: /\n' >"$SITE/127.0.0.1/robots.txt"
write_conf ignore.conf "	robots = ignore"
sed -i 's/(213) 555-0166/(213) 555-0188/' "$SITE/127.0.0.1/resources/index.html"
rig_log_clear
cmd_exits 0 "robots = ignore mirrors a site that disallows everything" \
    ferry -c ignore.conf sync
is "$(rig_count path=/robots.txt)" 0 "robots.txt is not requested"
like "$STDERR" "city: robots\.txt not consulted \(source\.city\.robots = ignore\)" \
    "the pass says robots.txt was ignored"
is "$(grep -c '555-0188' "mirror/$H1/resources/index.html")" 1 "the page was fetched"

done_testing
