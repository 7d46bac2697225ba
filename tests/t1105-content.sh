#!/bin/bash
# t1105: suspicious content.  Content is sniffed, not trusted from
# Content-Type: a PDF served as text/html is still a PDF; an HTML page
# where a document was linked (a soft 404, a login wall, even one that
# claims to be application/pdf) is refused, and so is HTML at a URL whose
# earlier content was a document although its link does not name one.
# A refused body never replaces the previous copy.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT
HUB=$SITE/127.0.0.1/resources/index.html
ES=$SITE/127.0.0.2/redcards/es.pdf
LOGIN='<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action=/login>Password <input type=password></form></body></html>'
write_conf ferry.conf

hub_edit() {	# a change on the source page, so the pass commits
	sed -i "s/(213) 555-01[0-9][0-9]/(213) 555-01$1/" "$HUB"
}

# A document behind a link that does not name one.
LATEST=$SITE/127.0.0.1/files/latest
cp "$SITE/127.0.0.1/files/report.pdf" "$LATEST"
sed -i 's|</main>|<p><a href="/files/latest">The latest report</a></p></main>|' "$HUB"

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync
files_same "mirror/$H1/files/latest.pdf" "$LATEST" \
    "a PDF at an address without an extension is kept as a PDF"

# A PDF served as text/html is still a PDF.
rig_rules '{"127.0.0.2/redcards/es.pdf": {"content_type": "text/html; charset=utf-8", "no_validators": true}}'
cmd_exits 0 "a PDF with a wrong Content-Type is accepted" ferry -c ferry.conf sync
files_same "mirror/$H2/redcards/es.pdf" "$ES" "its bytes are kept as they came"
is "$("$PYTHON3" -c 'import json,sys
for e in json.load(open(sys.argv[1]))["resources"]:
    if e["url"].endswith("/redcards/es.pdf"): print(e["content_type"])' mirror/index.json)" \
    application/pdf "the index records what the bytes are"

# A soft 404: an HTML error page with status 200 where a PDF was linked.
hub_edit 81
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 200, "body": "<!DOCTYPE html><title>Page not found</title><p>Sorry, we moved things around.", "content_type": "text/html"}}'
cmd_exits 3 "an HTML error page in place of a PDF is refused" \
    ferry -c ferry.conf sync
like "$STDERR" "failed http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(an HTML page came where a document was expected \(an error or login page\?\), previous copy kept\)" \
    "the pass output says why"
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(an HTML page came where a document was expected \(an error or login page\?\), previous copy kept\)" \
    "so does the commit"
files_same "mirror/$H2/redcards/es.pdf" "$ES" "the previous copy is byte-identical"

# A login page that claims to be a PDF.
hub_edit 82
rig_rules "{\"127.0.0.2/redcards/es.pdf\": {\"status\": 200, \"body\": \"$LOGIN\", \"content_type\": \"application/pdf\"}}"
cmd_exits 3 "an HTML page labelled application/pdf is refused" \
    ferry -c ferry.conf sync
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(an HTML page came where a document was expected \(an error or login page\?\), previous copy kept\)" \
    "the commit says why"
files_same "mirror/$H2/redcards/es.pdf" "$ES" "the previous copy is byte-identical"

# HTML where the earlier content was a PDF, behind a link naming none.
hub_edit 83
rig_rules "{\"127.0.0.1/files/latest\": {\"status\": 200, \"body\": \"$LOGIN\", \"content_type\": \"text/html\"}}"
cmd_exits 3 "HTML where a PDF was before is refused" ferry -c ferry.conf sync
like "$(git -C mirror log -1 --format=%B)" \
    "failed   http://127\.0\.0\.1:$PORT/files/latest \(an HTML page came where the earlier document was expected \(an error or login page\?\), previous copy kept\)" \
    "the commit says the earlier content was a document"
files_same "mirror/$H1/files/latest.pdf" "$LATEST" \
    "the previous copy is byte-identical"
file_missing "mirror/$H1/files/latest.html" "no page is stored in its place"

# A page served as application/octet-stream is still read as a page.
rig_rules '{"127.0.0.1/resources/red-cards.html": {"content_type": "application/octet-stream", "no_validators": true}}'
cmd_exits 0 "a page with a vague Content-Type is sniffed as HTML" \
    ferry -c ferry.conf sync
ok_cmd "its links still work offline" "$PYTHON3" "$RIG_DIR/checklinks.py" mirror

done_testing
