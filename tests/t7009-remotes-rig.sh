#!/bin/bash
# t7009: the git servers of tests/remotes.sh, driven by plain git: a
# push over smart HTTP (with and without Basic authentication, a body
# big enough to go chunked) and over git daemon comes back identical in
# a clone; a wrong password gets 401; the HTTP log has every request but
# never the password; a daemon stopped refuses pushes and, started again
# on the same port, takes them.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/remotes.sh"
setup_trash

GIT_TERMINAL_PROMPT=0
GIT_AUTHOR_NAME="Ferry Test"
GIT_AUTHOR_EMAIL=ferry@example.org
GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_TERMINAL_PROMPT GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
    GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
BIG=$((5 * 1024 * 1024))
ADV_PATH="info/refs?service=git-receive-pack"
ADV_RE="info/refs\?service=git-receive-pack"
# git exits 128 on a fatal error, such as a refused push.

# commit FILE TEXT: a commit in ./work changing FILE.
commit() {
	printf '%s\n' "$2" >"work/$1" &&
	    git -C work add "$1" && git -C work commit -q -m "$1: $2"
}

# http_probe URL [USER PASSWORD]: "STATUS WWW-Authenticate" of a GET.
http_probe() {
	"$PYTHON3" - "$@" <<'EOF'
import base64, sys, urllib.error, urllib.request
req = urllib.request.Request(sys.argv[1])
if len(sys.argv) > 3:
    cred = ("%s:%s" % (sys.argv[2], sys.argv[3])).encode()
    req.add_header("Authorization", "Basic " + base64.b64encode(cred).decode())
try:
    with urllib.request.urlopen(req, timeout=10) as r:
        print(r.status, r.headers.get("WWW-Authenticate", "-"))
except urllib.error.HTTPError as e:
    print(e.code, e.headers.get("WWW-Authenticate", "-"))
EOF
}

git init -q --initial-branch=main work || bail_out "cannot create ./work"
commit notes.txt "first" || bail_out "cannot commit"
head -c "$BIG" /dev/urandom >work/big.bin &&
    git -C work add big.bin && git -C work commit -q -m "a big file" ||
    bail_out "cannot commit a big file"
HEAD1=$(git -C work rev-parse HEAD)

# --- smart HTTP, no authentication -------------------------------------

open=$(bare_repo open) || bail_out "cannot create a bare repository"
is "$open" "$TRASH/git/open.git" "bare_repo prints the repository's path"
is "$(git --git-dir="$open" symbolic-ref HEAD)" refs/heads/main \
    "the bare repository's HEAD names main"
githttp_start
like "$GITHTTP_URL" '^http://127\.0\.0\.1:[0-9]+$' "GITHTTP_URL is set"

ok_cmd "a push over smart HTTP without authentication works" \
    git -C work push "$GITHTTP_URL/open.git" main
is "$(git --git-dir="$open" rev-parse main)" "$HEAD1" \
    "the bare repository has the pushed commit"
ok_cmd "a clone over smart HTTP works" \
    git clone -q "$GITHTTP_URL/open.git" open-clone
is "$(git -C open-clone rev-parse HEAD)" "$HEAD1" "the clone's HEAD is the same"
ok_cmd "the clone's big file is byte for byte the same" \
    cmp work/big.bin open-clone/big.bin

log=$(cat "$GITHTTP_LOG")
like "$log" "GET /open.git/$ADV_RE 200 user=anonymous" \
    "the log has the push's ref advertisement"
chunked=$(grep '^POST /open.git/git-receive-pack 200 ' "$GITHTTP_LOG" |
    grep 'Transfer-Encoding: chunked')
like "$chunked" "in=[0-9]+" "the pack was pushed with a chunked body"
in=$(printf '%s\n' "$chunked" | sed -n 's/.* in=\([0-9]*\) .*/\1/p' | head -1)
ok "the whole chunked body reached git http-backend ($in bytes)" \
    test "${in:-0}" -gt "$BIG"
like "$log" "POST /open.git/git-upload-pack 200 .*Git-Protocol: version=2" \
    "the clone's requests are logged with their headers"

cmd_exits 128 "a clone of a missing repository fails" \
    git clone -q "$GITHTTP_URL/missing.git" missing-clone
like "$(cat "$GITHTTP_LOG")" \
    "GET /missing.git/info/refs\?service=git-upload-pack 404 " \
    "the missing repository gets 404"

githttp_stop
is "$GITHTTP_EXIT" 0 "SIGTERM stops the HTTP server cleanly"

# --- smart HTTP with Basic authentication ------------------------------

printf 'pw-%s-%s\n' "$RANDOM" "$RANDOM" >password
PASSWORD=$(cat password)
locked=$(bare_repo locked) || bail_out "cannot create a bare repository"
port=$GITHTTP_PORT
githttp_start ferry "$TRASH/password"
is "$GITHTTP_PORT" "$port" "the HTTP server starts again on the same port"
: >"$GITHTTP_LOG"
HOSTPORT=127.0.0.1:$GITHTTP_PORT

ADV=$GITHTTP_URL/locked.git/$ADV_PATH
is "$(http_probe "$ADV")" '401 Basic realm="ferry-test"' \
    "no credentials: 401 and WWW-Authenticate"
is "$(http_probe "$ADV" ferry wrong)" '401 Basic realm="ferry-test"' \
    "a wrong password: 401"
is "$(http_probe "$ADV" someone "$PASSWORD")" '401 Basic realm="ferry-test"' \
    "a wrong user: 401"
is "$(http_probe "$ADV" ferry "$PASSWORD")" '200 -' \
    "the right user and password: 200"

cmd_exits 128 "a push without credentials is refused" \
    git -C work push "$GITHTTP_URL/locked.git" main
cmd_exits 128 "a push with a wrong password is refused" \
    git -C work push "http://ferry:wrong@$HOSTPORT/locked.git" main
like "$STDERR" "Authentication failed" "git says authentication failed"
is "$(git --git-dir="$locked" for-each-ref)" "" \
    "nothing reached the repository"
ok_cmd "a push with the right password works" \
    git -C work push "http://ferry:$PASSWORD@$HOSTPORT/locked.git" main
is "$(git --git-dir="$locked" rev-parse main)" "$HEAD1" \
    "the bare repository has the pushed commit"
ok_cmd "a clone with the right password works" \
    git clone -q "http://ferry:$PASSWORD@$HOSTPORT/locked.git" locked-clone
is "$(git -C locked-clone rev-parse HEAD)" "$HEAD1" \
    "the clone's HEAD is the same"

log=$(cat "$GITHTTP_LOG")
like "$log" "POST /locked.git/git-receive-pack 200 user=ferry " \
    "the log has the authenticated push"
like "$log" "GET /locked.git/$ADV_RE 401 user=- " \
    "the log has the refused requests"
like "$log" "Authorization: \[not logged\]" \
    "the log notes an Authorization header without its value"
is "$(grep -c -F -e "$PASSWORD" -e "$(printf 'ferry:%s' "$PASSWORD" |
    base64)" "$GITHTTP_LOG" "$TRASH/githttp.err")" \
    "$GITHTTP_LOG:0
$TRASH/githttp.err:0" "the password is in no log line, plain or base64"
githttp_stop

# --- git daemon ---------------------------------------------------------

d=$(bare_repo daemon) || bail_out "cannot create a bare repository"
gitd_start
like "$GITD_URL" '^git://127\.0\.0\.1:[0-9]+$' "GITD_URL is set"
ok_cmd "a push over git:// works" git -C work push "$GITD_URL/daemon.git" main
is "$(git --git-dir="$d" rev-parse main)" "$HEAD1" \
    "the bare repository has the pushed commit"
ok_cmd "a clone over git:// works" git clone -q "$GITD_URL/daemon.git" d-clone
is "$(git -C d-clone rev-parse HEAD)" "$HEAD1" "the clone's HEAD is the same"

port=$GITD_PORT
gitd_stop
commit notes.txt "second" || bail_out "cannot commit"
HEAD2=$(git -C work rev-parse HEAD)
cmd_exits 128 "a push to a stopped daemon fails" \
    git -C work push "$GITD_URL/daemon.git" main
is "$(git --git-dir="$d" rev-parse main)" "$HEAD1" \
    "the repository is unchanged"
gitd_start
is "$GITD_PORT" "$port" "the daemon starts again on the same port"
ok_cmd "a push to the daemon back up works" \
    git -C work push "$GITD_URL/daemon.git" main
is "$(git --git-dir="$d" rev-parse main)" "$HEAD2" \
    "the repository has the new commit"
gitd_stop

done_testing
