#!/bin/bash
# t1112: https.  The test server speaks TLS with a certificate made for
# this test.  Trusted through [fetch] ca-file, a source over https is
# mirrored like any other; without it, the certificate is refused with a
# message that says so and nothing is written; a redirect from https to
# http is refused and the previous copy kept; ca-file that names no file
# is a configuration error.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
command -v openssl >/dev/null || skip_all "openssl is not installed (it makes the test certificate)"
rig_start --tls
S=https://127.0.0.1:$TLS_PORT/resources/
H1=site/127.0.0.1_$TLS_PORT
HUB=$SITE/127.0.0.1/resources/index.html
write_conf https.conf "[fetch]" "	ca-file = $TLS_CA"
sed -i "s|url = .*|url = $S|" https.conf
write_conf untrusted.conf
sed -i "s|url = .*|url = $S|; s|path = mirror|path = untrusted|" untrusted.conf

cmd_exits 1 "an untrusted certificate fails the pass" \
    ferry -c untrusted.conf sync
like "$STDERR" "https://127\.0\.0\.1:$TLS_PORT/resources/.*certificate.*not trusted; a private certificate authority can be named in \[fetch\] ca-file" \
    "saying the certificate was the problem, where, and what to do"
file_missing untrusted "and leaves nothing behind"

cmd_exits 0 "trusted through ca-file, a source over https is mirrored" \
    ferry -c https.conf sync
like "$STDOUT" "city: [0-9]+ resources, [0-9]+ added, 0 updated, 0 removed, 0 failed" \
    "every resource"
files_same "mirror/$H1/files/guide-for-employers.pdf" \
    "$SITE/127.0.0.1/files/guide-for-employers.pdf" "documents byte for byte"
is "$(rig_requests | "$PYTHON3" -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin]
print(sum(1 for r in rs if r["host"] == "127.0.0.1" and not r["tls"]))')" 0 \
    "nothing on the source host went over plain http"
ok_cmd "its links work offline" \
    "$PYTHON3" "$top_srcdir/tests/rig/checklinks.py" mirror
cmd_exits 0 "a second pass" ferry -c https.conf sync
like "$STDOUT" "0 added, 0 updated, 0 removed, 0 failed" "is conditional and changes nothing"

# https to http: refused, the copy kept.
cp "mirror/$H1/files/guide-for-employers.pdf" guide.good
sed -i 's/(213) 555-01[0-9][0-9]/(213) 555-0199/' "$HUB"
rig_rules "{\"127.0.0.1/files/guide-for-employers.pdf\": {\"redirect\": \"http://127.0.0.1:$PORT/files/guide-for-employers.pdf\", \"status\": 302}}"
cmd_exits 3 "a redirect from https to http fails that resource" \
    ferry -c https.conf sync
like "$(git -C mirror log -1 --format=%B)" \
    "failed   https://127\.0\.0\.1:$TLS_PORT/files/guide-for-employers\.pdf \(redirect from https to http refused \('http://127\.0\.0\.1:$PORT/files/guide-for-employers\.pdf'\), previous copy kept\)" \
    "the commit says it was refused and the copy kept"
files_same "mirror/$H1/files/guide-for-employers.pdf" guide.good \
    "the previous copy is byte-identical"

write_conf bad.conf "[fetch]" "	ca-file = no-such.pem"
cmd_exits 2 "a ca-file that names no file" ferry -c bad.conf check
like "$STDERR" "bad\.conf: fetch\.ca-file: cannot read '.*/no-such\.pem': No such file or directory \(name a file of PEM certificates\)" \
    "is a configuration error naming the key and the file"
done_testing
