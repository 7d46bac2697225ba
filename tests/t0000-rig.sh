#!/bin/bash
# t0000-rig: the test server, the sample site and tests/lib.sh work, so
# that a failure elsewhere is about ferry and not about the rig.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 not found"

setup_trash

# get.py: one HTTP exchange with no magic (no redirects followed, no
# decompression, a chosen Host header), or raw bytes on a socket.
cat >get.py <<'EOF'
import http.client, socket, sys, time

args = sys.argv[1:]
opts = {"method": "GET", "headers": [], "connect": None, "raw": None,
        "count": 1}
while args and args[0].startswith("--"):
    key = args.pop(0)[2:]
    val = args.pop(0)
    if key == "header":
        opts["headers"].append(val)
    elif key == "count":
        opts["count"] = int(val)
    else:
        opts[key] = val

if opts["raw"] is not None:
    host, port = args[0], int(args[1])
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(opts["raw"].encode("latin-1").decode("unicode_escape")
              .encode("latin-1"))
    data = b""
    while True:
        block = s.recv(65536)
        if not block:
            break
        data += block
    print("status", data.split(b" ", 2)[1].decode() if data else "none")
    print("closed yes")
    sys.exit(0)

url = args[0]
rest = url.split("://", 1)[1]
hostport, _, path = rest.partition("/")
path = "/" + path
host, _, port = hostport.partition(":")
conn = http.client.HTTPConnection(opts["connect"] or host, int(port),
                                  timeout=20)
headers = {"Host": hostport}
for h in opts["headers"]:
    k, _, v = h.partition(":")
    headers[k.strip()] = v.strip()
for i in range(opts["count"]):
    start = time.time()
    try:
        conn.connect() if conn.sock is None else None
    except OSError as e:
        print("status none")
        print("error", type(e).__name__)
        sys.exit(0)
    conn.putrequest(opts["method"], path, skip_host=True,
                    skip_accept_encoding=True)
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.endheaders()
    resp = conn.getresponse()
    body = b""
    error = "none"
    try:
        while True:
            block = resp.read(65536)
            if not block:
                break
            body += block
    except http.client.IncompleteRead as e:
        body += e.partial
        error = "IncompleteRead"
    except (ConnectionError, OSError) as e:
        error = type(e).__name__
    if resp.length and error == "none" and opts["method"] != "HEAD" \
            and resp.length > 0:
        error = "IncompleteRead"
print("status", resp.status)
print("error", error)
print("bytes", len(body))
print("seconds", "%.3f" % (time.time() - start))
with open("head.txt", "w", encoding="latin-1") as f:
    for k, v in resp.getheaders():
        f.write("%s: %s\n" % (k, v))
with open("body.bin", "wb") as f:
    f.write(body)
EOF

# fetch [--method M] [--header "N: v"] [--connect ADDR] [--count N] URL
# sets STATUS, ERROR, NBYTES, SECONDS_TAKEN; headers in head.txt, body
# in body.bin.
fetch() {
	rm -f head.txt body.bin
	: >head.txt
	"$PYTHON3" get.py "$@" >get.out 2>get.err
	STATUS=$(sed -n 's/^status //p' get.out)
	ERROR=$(sed -n 's/^error //p' get.out)
	NBYTES=$(sed -n 's/^bytes //p' get.out)
	SECONDS_TAKEN=$(sed -n 's/^seconds //p' get.out)
	[ -n "$STATUS" ] || diag "get.py: $(cat get.err)"
}

# hdr NAME: the value of a response header in head.txt.
hdr() {
	local line name value
	while IFS= read -r line; do
		name=${line%%:*}
		value=${line#*: }
		if [ "${name,,}" = "${1,,}" ]; then
			printf '%s' "$value"
			return
		fi
	done <head.txt
}

sha16() {
	"$PYTHON3" -c 'import hashlib,sys
print(hashlib.sha1(open(sys.argv[1],"rb").read()).hexdigest()[:16])' "$1"
}

# --- the server and the site ---------------------------------------------

rig_start
like "$PORT" '^[0-9]+$' "rig_start exports the port"
is "$SOURCE_URL" "http://127.0.0.1:$PORT/resources/" \
    "gensite prints only the source URL"
file_exists "$SITE/127.0.0.1/resources/index.html" "the hub page exists"
file_exists "$SITE/_site.json" "the site catalogue exists"

L1=http://127.0.0.1:$PORT
L2=http://127.0.0.2:$PORT
L3=http://127.0.0.3:$PORT

fetch "$SOURCE_URL"
is "$STATUS" 200 "127.0.0.1 serves the source page"
is "$(hdr Content-Type)" "text/html; charset=utf-8" "pages are text/html"
files_same body.bin "$SITE/127.0.0.1/resources/index.html" \
    "/resources/ is /resources/index.html"
hub=$(cat body.bin)
for h2 in "Rapid Response Tools: Red Cards and Hotlines" \
    "Know Your Rights Presentations" \
    "Resources for Small Businesses, Non-profits, and Employers" \
    "Community Resources" "Arrested or Detained Family Member" \
    "Resources for Schools and Universities"; do
	like "$hub" "<h2>$h2</h2>" "the hub has the section '$h2'"
done

fetch "$L2/redcards/ko.pdf"
is "$STATUS" 200 "127.0.0.2 answers on the same port"
is "$(hdr Content-Type)" application/pdf "PDFs are application/pdf"
files_same body.bin "$SITE/127.0.0.2/redcards/ko.pdf" "the PDF's bytes"
like "$(head -c 9 body.bin)" '^%PDF-1\.4' "the red card is a PDF 1.4"

fetch "$L3/other/handbook.pdf"
is "$STATUS" 200 "127.0.0.3 answers on the same port"

fetch --connect 127.0.0.1 --header "Host: 127.0.0.2:$PORT" \
    "$L2/redcards/es.pdf"
is "$STATUS" 200 "the Host header chooses the docroot"

fetch "$L2/redcards/%EB%A0%88%EB%93%9C%EC%B9%B4%EB%93%9C-%ED%95%9C%EA%B5%AD%EC%96%B4.pdf"
is "$STATUS" 200 "a percent-encoded UTF-8 file name is served"
files_same body.bin "$SITE/127.0.0.2/redcards/레드카드-한국어.pdf" \
    "the Korean file name maps to its file"

fetch "$L1/files/guide-for-%65mployers.pdf"
files_same body.bin "$SITE/127.0.0.1/files/guide-for-employers.pdf" \
    "%65 is decoded before the lookup"

fetch "$L1/files/missing.pdf"
is "$STATUS" 404 "a missing file is 404"
like "$(cat body.bin)" "<h1>Not Found</h1>" "404s have a small HTML body"

fetch "$L1/resources?x=1"
is "$STATUS" 301 "a directory without a slash is redirected"
is "$(hdr Location)" "/resources/?x=1" "to the same path with a slash"

fetch "$L1/../_rules.json"
is "$STATUS" 403 "a path escaping the docroot is 403"
fetch "$L1/files/%2e%2e/%2e%2e/%2e%2e/_rules.json"
is "$STATUS" 403 "an encoded escape is 403 too"

fetch --method POST --header "Content-Length: 0" "$L1/resources/"
is "$STATUS" 501 "POST is 501"

fetch --raw 'NONSENSE\r\n\r\n' 127.0.0.1 "$PORT"
is "$STATUS" 400 "a bad request line is 400"
fetch --raw 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nBROKEN LINE HERE\r\n\r\n' \
    127.0.0.1 "$PORT"
is "$(sed -n 's/^closed //p' get.out)" yes \
    "the connection is closed after a bad request"

fetch --method HEAD "$L1/files/CON.pdf"
is "$STATUS" 200 "HEAD works"
is "$NBYTES" 0 "HEAD sends no body"
is "$(hdr Content-Length)" "$(wc -c <"$SITE/127.0.0.1/files/CON.pdf" |
    tr -d ' ')" "HEAD has the file's Content-Length"

# --- keep-alive and the request log -----------------------------------

rig_log_clear
fetch --count 3 --connect 127.0.0.1 "$L1/files/report.pdf"
is "$STATUS" 200 "three requests on one connection"
is "$(rig_count path=/files/report.pdf)" 3 "the log has the three"
conns=$(rig_requests path=/files/report.pdf | "$PYTHON3" -c '
import json, sys
print(len({json.loads(l)["conn"] for l in sys.stdin}))')
is "$conns" 1 "keep-alive: all three on one connection id"
line=$(rig_requests path=/files/report.pdf | head -n 1)
for key in t host port method path status bytes inm ims range ae ua conn; do
	like "$line" "\"$key\": " "the log records '$key'"
done

# --- validators --------------------------------------------------------------

pdf=$SITE/127.0.0.1/files/toolkit-know-your-rights.pdf
fetch "$L1/files/toolkit-know-your-rights.pdf"
etag=$(hdr ETag)
lastmod=$(hdr Last-Modified)
is "$etag" "\"$(sha16 "$pdf")\"" "the ETag is the sha1's first 16 hex digits"
like "$lastmod" '^[A-Z][a-z]{2}, [0-9]{2} Jun 2025 [0-9:]{8} GMT$' \
    "Last-Modified is the file's (fixed) time"

rig_log_clear
fetch --header "If-None-Match: $etag" "$L1/files/toolkit-know-your-rights.pdf"
is "$STATUS" 304 "If-None-Match with the ETag gets 304"
is "$NBYTES" 0 "a 304 has no body"
is "$(hdr ETag)" "$etag" "a 304 carries the ETag"
is "$(hdr Last-Modified)" "$lastmod" "a 304 carries Last-Modified"
fetch --header "If-None-Match: \"nope\", W/$etag" \
    "$L1/files/toolkit-know-your-rights.pdf"
is "$STATUS" 304 "If-None-Match compares weakly, in a list"
fetch --header "If-None-Match: \"nope\"" \
    "$L1/files/toolkit-know-your-rights.pdf"
is "$STATUS" 200 "a stale ETag gets 200"
fetch --header "If-Modified-Since: $lastmod" \
    "$L1/files/toolkit-know-your-rights.pdf"
is "$STATUS" 304 "If-Modified-Since at Last-Modified gets 304"
fetch --header "If-Modified-Since: Sun, 01 Jun 2025 00:00:00 GMT" \
    "$L1/files/toolkit-know-your-rights.pdf"
is "$STATUS" 200 "an older If-Modified-Since gets 200"
fetch --header "If-None-Match: \"nope\"" \
    --header "If-Modified-Since: $lastmod" \
    "$L1/files/toolkit-know-your-rights.pdf"
is "$STATUS" 200 "If-Modified-Since is ignored beside If-None-Match"
is "$(rig_count status=304 path=/files/toolkit-know-your-rights.pdf)" 3 \
    "the log shows the three 304s"
is "$(rig_requests status=304 | head -n 1 | "$PYTHON3" -c '
import json, sys; print(json.loads(sys.stdin.read())["inm"])')" "$etag" \
    "the log records If-None-Match"

printf 'edited while the server runs\n' >>"$pdf"
fetch --header "If-None-Match: $etag" "$L1/files/toolkit-know-your-rights.pdf"
is "$STATUS" 200 "an edited file no longer matches its old ETag"
isnt "$(hdr ETag)" "$etag" "an edited file has a new ETag"
files_same body.bin "$pdf" "files are read on every request"

# --- ranges ----------------------------------------------------------------

pdf=$SITE/127.0.0.1/files/faq-nonprofit-small-business.pdf
size=$(wc -c <"$pdf" | tr -d ' ')
head -c 100 "$pdf" >want.bin
fetch --header "Range: bytes=0-99" "$L1/files/faq-nonprofit-small-business.pdf"
is "$STATUS" 206 "a Range request gets 206"
is "$(hdr Content-Range)" "bytes 0-99/$size" "with a Content-Range"
files_same body.bin want.bin "the range's bytes"
tail -c 10 "$pdf" >want.bin
fetch --header "Range: bytes=-10" "$L1/files/faq-nonprofit-small-business.pdf"
files_same body.bin want.bin "a suffix range"
fetch --header "Range: bytes=$size-" "$L1/files/faq-nonprofit-small-business.pdf"
is "$STATUS" 416 "a range past the end is 416"
fetch --header "Range: bytes=10-" --header 'If-Range: "stale"' \
    "$L1/files/faq-nonprofit-small-business.pdf"
is "$STATUS" 200 "If-Range with a stale ETag gets the whole file"
fetch "$L1/files/faq-nonprofit-small-business.pdf"
fetch --header "Range: bytes=10-" --header "If-Range: $(hdr ETag)" \
    "$L1/files/faq-nonprofit-small-business.pdf"
is "$STATUS" 206 "If-Range with the ETag gets the range"

# --- gzip --------------------------------------------------------------------

fetch "$SOURCE_URL"
etag=$(hdr ETag)
fetch --header "Accept-Encoding: gzip, deflate" "$SOURCE_URL"
is "$(hdr Content-Encoding)" gzip "pages are gzipped when asked"
is "$(hdr Vary)" Accept-Encoding "with Vary: Accept-Encoding"
is "$(hdr ETag)" "$etag" "with the same ETag"
gzip -dc <body.bin >page.html 2>/dev/null ||
	"$PYTHON3" -c 'import gzip,sys
sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))' \
	    <body.bin >page.html
files_same page.html "$SITE/127.0.0.1/resources/index.html" \
    "the gzipped page decompresses to the file"
fetch --header "Accept-Encoding: gzip" "$L2/redcards/es.pdf"
is "$(hdr Content-Encoding)" "" "PDFs are not gzipped"
fetch --header "Accept-Encoding: gzip;q=0" "$SOURCE_URL"
is "$(hdr Content-Encoding)" "" "gzip;q=0 is respected"

# --- rules -------------------------------------------------------------------

fetch "$L1/old-toolkit"
is "$STATUS" 301 "the site's own rule: /old-toolkit is a 301"
is "$(hdr Location)" /toolkits/family-preparedness.html "to the toolkit"

rig_rules '{
 "127.0.0.2/redcards/fr.pdf": {"status": 503, "times": 1,
   "retry_after": "2"},
 "127.0.0.1/files/report.pdf": {"body": "<h1>Oops</h1>",
   "content_type": "text/html; charset=utf-8"},
 "127.0.0.1/files/CON.pdf": {"no_validators": true},
 "127.0.0.1/files/Report.PDF": {"weak_etag": true},
 "127.0.0.1/files/expedited-removal.pdf": {"only_last_modified": true,
   "headers": {"X-Extra": "yes"}},
 "127.0.0.1/files/lausd-safe-zones.pdf": {"truncate_after": 100},
 "127.0.0.1/files/what-to-do-if-arrested.pdf": {"reset_after": 200},
 "127.0.0.1/bomb.html": {"gzip_bomb": 50000000},
 "127.0.0.1/slow/*": {"delay_ms": 300, "status": 404},
 "127.0.0.2/redcards/%EB*": {"redirect": "/redcards/ko.pdf", "status": 302}
}'
fetch "$L2/redcards/fr.pdf"
is "$STATUS" 503 "a 503 rule with times 1: first request 503"
is "$(hdr Retry-After)" 2 "with Retry-After"
fetch "$L2/redcards/fr.pdf"
is "$STATUS" 200 "then the file is served"
is "$(rig_count path=/redcards/fr.pdf status=503)" 1 "the log has the 503"
fetch "$L1/old-toolkit"
is "$STATUS" 301 "rig_rules keeps the site's own rules"

fetch "$L1/files/report.pdf"
is "$STATUS" 200 "a body rule is a 200"
is "$(hdr Content-Type)" "text/html; charset=utf-8" \
    "with the rule's content type in place of the PDF's"
is "$(cat body.bin)" "<h1>Oops</h1>" "and the rule's body"

fetch "$L1/files/CON.pdf"
is "$(hdr ETag)$(hdr Last-Modified)" "" "no_validators: no validators"
fetch --header 'If-None-Match: *' "$L1/files/CON.pdf"
is "$STATUS" 200 "no_validators: never 304"
fetch "$L1/files/Report.PDF"
like "$(hdr ETag)" '^W/"[0-9a-f]{16}"$' "weak_etag: a weak ETag"
fetch "$L1/files/expedited-removal.pdf"
is "$(hdr ETag)" "" "only_last_modified: no ETag"
isnt "$(hdr Last-Modified)" "" "only_last_modified: Last-Modified stays"
is "$(hdr X-Extra)" yes "headers: extra headers"

fetch "$L1/files/lausd-safe-zones.pdf"
is "$NBYTES $ERROR" "100 IncompleteRead" "truncate_after: 100 bytes, then EOF"
fetch "$L1/files/what-to-do-if-arrested.pdf"
like "$ERROR" '^(IncompleteRead|ConnectionResetError)$' \
    "reset_after: the body is cut"
ok "reset_after: at most 200 bytes arrive" test "${NBYTES:-0}" -le 200
like "$(rig_requests path=/files/what-to-do-if-arrested.pdf | tail -n 1)" \
    '"bytes": 200, .*"cut": true' "the log shows the cut after 200 bytes"

fetch "$L1/bomb.html"
is "$(hdr Content-Encoding)" gzip "gzip_bomb: gzip-encoded"
ok "gzip_bomb: small on the wire" test "$NBYTES" -lt 200000
is "$("$PYTHON3" -c 'import zlib,sys
print(len(zlib.decompress(open("body.bin","rb").read(), 31)))')" 50000000 \
    "gzip_bomb: decompresses to the requested size"

fetch "$L1/slow/anything"
is "$STATUS" 404 "a prefix rule applies"
ok "delay_ms delays the answer" "$PYTHON3" -c \
    "import sys; sys.exit(0 if $SECONDS_TAKEN >= 0.28 else 1)"

fetch "$L2/redcards/%EB%A0%88%EB%93%9C%EC%B9%B4%EB%93%9C-%ED%95%9C%EA%B5%AD%EC%96%B4.pdf"
is "$STATUS $(hdr Location)" "302 /redcards/ko.pdf" \
    "a rule matches the raw path, with a prefix"

rig_rules '{"127.0.0.1/files/report.pdf": {"drip": 20000}}'
fetch "$L1/files/report.pdf"
files_same body.bin "$SITE/127.0.0.1/files/report.pdf" "drip: whole body"
expect=$("$PYTHON3" -c "import os
print('%.2f' % (os.path.getsize('$SITE/127.0.0.1/files/report.pdf') / 20000.0 * 0.8))")
ok "drip: slow (${SECONDS_TAKEN}s, ${expect}s at least)" "$PYTHON3" -c \
    "import sys; sys.exit(0 if $SECONDS_TAKEN >= $expect else 1)"
fetch "$L2/redcards/fr.pdf"
is "$STATUS" 200 "replaced rules are dropped"

# --- many at once ----------------------------------------------------------

"$PYTHON3" - "$PORT" >many.out <<'EOF'
import http.client, sys, threading
port = int(sys.argv[1])
codes = []
def one(i):
    c = http.client.HTTPConnection("127.0.0.%d" % (1 + i % 2), port,
                                   timeout=20)
    path = "/resources/" if i % 2 == 0 else "/redcards/ja.pdf"
    for _ in range(5):
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        codes.append(r.status)
threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(codes), sorted(set(codes)))
EOF
is "$(cat many.out)" "100 [200]" "20 connections at once, 5 requests each"

if command -v curl >/dev/null 2>&1; then
	curl -sv -o /dev/null -o /dev/null "$L1/files/CON.pdf" \
	    "$L1/files/CON.pdf" 2>curl.err
	like "$(cat curl.err)" "Re-using existing connection|Reusing existing" \
	    "curl reuses the connection"
else
	skip "curl reuses the connection" "curl not installed"
fi

# --- gensite -------------------------------------------------------------

"$PYTHON3" "$RIG_DIR/gensite.py" --out g1 --port "$PORT" --seed 7 >/dev/null
start=$(date +%s%N)
"$PYTHON3" "$RIG_DIR/gensite.py" --out g2 --port "$PORT" --seed 7 >/dev/null
took=$((($(date +%s%N) - start) / 1000000))
ok "gensite --size seed takes under 2 s (${took} ms)" test "$took" -lt 2000
ok_cmd "gensite is deterministic for a seed" diff -r g1 g2
"$PYTHON3" "$RIG_DIR/gensite.py" --out g3 --port "$PORT" --seed 8 >/dev/null
cmd_fails "another seed gives other bytes" \
    cmp -s g1/127.0.0.2/redcards/ko.pdf g3/127.0.0.2/redcards/ko.pdf

cat >check.py <<'EOF'
import glob, re, struct, sys, zlib
bad = []
pdfs = glob.glob(sys.argv[1] + "/**/*.pdf", recursive=True) + \
    glob.glob(sys.argv[1] + "/**/*.PDF", recursive=True)
for fn in pdfs:
    d = open(fn, "rb").read()
    m = re.search(rb"startxref\n(\d+)\n%%EOF\n$", d)
    if not d.startswith(b"%PDF-1.4\n") or not m:
        bad.append(fn); continue
    x = int(m.group(1))
    if d[x:x + 5] != b"xref\n":
        bad.append(fn); continue
    for i, off in enumerate(re.findall(rb"(\d{10}) 00000 n ", d[x:]), 1):
        if not d[int(off):].startswith(b"%d 0 obj" % i):
            bad.append(fn); break
pngs = glob.glob(sys.argv[1] + "/**/*.png", recursive=True)
for fn in pngs:
    d = open(fn, "rb").read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        bad.append(fn); continue
    p = 8
    while p < len(d):
        n, = struct.unpack(">I", d[p:p + 4])
        kind, body = d[p + 4:p + 8], d[p + 8:p + 8 + n]
        crc, = struct.unpack(">I", d[p + 8 + n:p + 12 + n])
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            bad.append(fn); break
        p += 12 + n
sizes = sorted(len(open(f, "rb").read()) for f in pdfs)
print(len(pdfs), len(pngs), len(set(open(f, "rb").read() for f in pdfs)),
      "bad:" + ",".join(bad), sizes[0] >= 900, sizes[-1] <= 40000)
EOF
set -- $("$PYTHON3" check.py g1)
ok "at least 40 PDFs ($1)" test "$1" -ge 40
is "$2" 3 "three PNGs"
is "$3" "$1" "every PDF is distinct"
is "$4" "bad:" "PDF xref offsets and PNG CRCs are right"
is "$5 $6" "True True" "PDFs weigh 1 KB to 40 KB"

w=g1/127.0.0.1
site=$(cat "$w"/resources/*.html "$w"/toolkits/*.html)
for trap in 'srcset="/img/logo.png 1x, /img/logo@2x.png 2x"' \
    'href="/favicon.ico"' 'href="/assets/site.css"' \
    'href="/files/guide-for-%65mployers.pdf"' \
    'href="/files/guide-for-employers.pdf"' \
    'href="/resources/index.html"' 'href="/old-toolkit"' \
    '<base href="/community/docs/">' 'href="../flyer.pdf"' \
    'href="preparedness-checklist.pdf"' 'href="family-preparedness.pdf"' \
    'href="deeper/more.html"' 'href="tel:+1213555' 'href="mailto:' \
    'href="javascript:void(0)"' 'src="data:image/png;base64,' \
    'href="#top"' 'href="https://www.youtube.com/watch?v=' \
    'href="https://www.chirla.org/"' \
    "href=\"http://127.0.0.3:$PORT/other/handbook.pdf\"" \
    "href=\"http://127.0.0.2:$PORT/know-your-rights/\"" \
    "href=\"http://127.0.0.2:$PORT/redcards/%EB%A0%88" \
    'href="/files/CON.pdf"' 'href="/files/Report.PDF"' \
    'href="/files/report.pdf"' 'href="/files/notice..pdf"' \
    'dir="rtl"' 'hreflang="zh-Hant"'; do
	case $site in
	*"$trap"*) pass "the site has $trap" ;;
	*) fail "the site has $trap" "expected: '$trap' in the pages" ;;
	esac
done
is "$(grep -o 'hreflang="[^"]*"' "$w/resources/red-cards.html" | sort -u |
    wc -l | tr -d ' ')" 20 "red cards in 20 languages"
is "$(grep -c 'dir="rtl"><a' "$w/resources/red-cards.html")" 4 \
    "four right-to-left red cards"
long=$(ls "$w/files" | awk 'length > 150')
is "${#long}" 200 "a 200-character file name"
like "$(cat "$w/assets/site.css")" 'url\(\.\./img/bg\.png\)' \
    "the stylesheet has a relative url()"
like "$(cat "$w/assets/site.css")" '@font-face' "and an @font-face"
file_exists "$w/community/docs/preparedness-checklist.pdf"
file_exists "$w/community/flyer.pdf"
file_exists "$w/resources/deeper/deep-only.pdf"

# --- lib.sh itself ------------------------------------------------------------

cat >child.sh <<'EOF'
. "$top_srcdir/tests/lib.sh"
rig_start
printf '%s %s\n' "$RIG_PID" "$TRASH" >"$1"
is 1 1 "one"
exit 3
EOF
FERRY_KEEP=0 bash child.sh "$TRASH/child.info" >child.out 2>&1
rc=$?
read -r child_pid child_trash <child.info
is "$rc" 3 "a script's exit status survives the cleanup"
like "$(cat child.out)" "# child.sh ended \(exit 3\) after 1 tests" \
    "a script ending without done_testing says so"
ok "the server dies with the script that started it" \
    bash -c "! kill -0 $child_pid 2>/dev/null"
file_missing "$child_trash" "the scratch directory is removed"

cat >child.sh <<'EOF'
. "$top_srcdir/tests/lib.sh"
is "a" "b" "a failing check"
like "abc" "^b" "another"
done_testing
EOF
bash child.sh >child.out 2>&1
rc=$?
is "$rc" 1 "done_testing exits 1 after a failure"
like "$(cat child.out)" $'not ok 1 - a failing check\n# expected: \'b\'\n# got:      \'a\'\n# at child.sh:2' \
    "a failure prints expected, got, and file:line"
like "$(tail -n 2 child.out)" $'1\\.\\.2\n# 2 of 2 tests failed' \
    "the plan comes at the end"

cat >child.sh <<'EOF'
. "$top_srcdir/tests/lib.sh"
skip_all "nothing to do here"
EOF
bash child.sh >child.out 2>&1
is "$?:$(cat child.out)" "0:1..0 # SKIP nothing to do here" "skip_all"

"$PYTHON3" "$RIG_DIR/ferry-testd.py" --site "$SITE" --port-file idle.port \
    --log idle.log --idle-exit 1 </dev/null >idle.err 2>&1 &
idle_pid=$!
for i in $(seq 1 400); do
	kill -0 "$idle_pid" 2>/dev/null || break
	sleep 0.05
done
wait "$idle_pid" 2>/dev/null
like "$(cat idle.err)" "no request for 1 seconds, exiting" \
    "--idle-exit: a forgotten server exits by itself"

write_conf ferry.conf 'timeout = 5'
like "$(cat ferry.conf)" $'\\[source "city"\\]\n\turl = http://127\\.0\\.0\\.1:[0-9]+/resources/\n\tdepth = 1\n\tallow = 127\\.0\\.0\\.2\ntimeout = 5' \
    "write_conf writes the source for the rig"
ok_cmd "write_conf writes git-config syntax" \
    git config -f ferry.conf --get mirror.author
is "$STDOUT" "Ferry Test <ferry@example.org>" "ok_cmd sets STDOUT"

# --- stopping --------------------------------------------------------------

pid=$RIG_PID
rig_stop
ok "rig_stop stops the server" bash -c "! kill -0 $pid 2>/dev/null"
fetch "$SOURCE_URL"
is "$STATUS $ERROR" "none ConnectionRefusedError" \
    "nothing answers on the port any more"

done_testing
