#!/bin/bash
# t7000: a hub publishes.  After each pass that committed, the mirror's
# branch is pushed to every [publish] remote: a plain directory, a git
# daemon (git://) and smart HTTP with a token (git http-backend), all
# real servers on 127.0.0.1.  Commits are signed and plain git checks
# them.  A server that is down fails the push, not the pass: the local
# commit stays, `ferry status` says so, and the next pass pushes.  A
# remote that moved elsewhere is not forced.  No credential is printed,
# logged or stored anywhere ferry writes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/remotes.sh"
rig_start
unset FERRY_CONF
export GIT_TERMINAL_PROMPT=0

TOKEN=tok-$RANDOM$RANDOM-s3cr3t
printf '%s\n' "$TOKEN" >token
chmod 600 token
dir=$(bare_repo dir) && gd=$(bare_repo gd) && web=$(bare_repo web) ||
	bail_out "no bare repositories"
gitd_start
githttp_start ferry "$TRASH/token"

ok_cmd "keygen makes the hub's key" ferry keygen hub.key ||
	bail_out "no key"
like "$STDOUT" "ferry namespaces=\"git\" ssh-ed25519 AAAA" \
    "keygen prints the allowed-signers line for plain git"
sed -n 's/^  \(ferry namespaces=.*\)$/\1/p' <<<"$STDOUT" >allowed
write_conf hub.conf '[publish]' "	remote = $dir" \
    "	remote = $GITD_URL/gd.git" "	remote = $GITHTTP_URL/web.git" \
    '	sign-key = hub.key' '[credentials]' '	token-file = token'

remote_head() {
	git -C "$1" rev-parse -q --verify refs/heads/main
}

# --- the first pass publishes everywhere --------------------------------

cmd_exits 0 "the hub's first pass" ferry -c hub.conf sync
like "$STDOUT" "publish: pushed to 3 remotes" "it says it pushed to three"
head=$(git -C mirror rev-parse HEAD)
for r in "$dir" "$gd" "$web"; do
	is "$(remote_head "$r")" "$head" "$(basename "$r") has the commit"
done
ok_cmd "git fsck of the published copy" git -C "$web" fsck --strict
is "$(git -C mirror config pack.bigFileThreshold) $(git -C mirror config \
    pack.windowMemory)" "524288 67108864" \
    "libgit2's pack builder is kept from holding big documents together"
ok_cmd "plain git checks the signature" git -C mirror \
    -c gpg.format=ssh -c gpg.ssh.allowedSignersFile="$TRASH/allowed" \
    verify-commit HEAD
like "$STDERR" 'Good "git" signature for ferry with ED25519 key' \
    "git says whose signature it is"
git clone -q "$GITD_URL/gd.git" clone
is "$(git -C clone rev-parse 'HEAD^{tree}')" \
    "$(git -C mirror rev-parse 'HEAD^{tree}')" "a clone over git:// has the tree"

# --- a pass that changed nothing pushes nothing -----------------------------

: >"$GITHTTP_LOG"
cmd_exits 0 "a pass with no change" ferry -c hub.conf sync
is "$(wc -l <"$GITHTTP_LOG")" 0 "no request to a remote that has HEAD"

# --- a server down: the commit stays, the next pass pushes ----------------

gitd_stop
site_hotline 0142 0901
cmd_exits 3 "a pass while git daemon is down: exit 3" ferry -c hub.conf sync
like "$STDERR" "publish: 1 of 3 remotes failed.*cannot push to 'git://127.0.0.1:$GITD_PORT/gd.git'" \
    "it names the remote that failed"
like "$STDERR" "kept and pushed again after the next pass" \
    "and says the commit is kept"
head2=$(git -C mirror rev-parse HEAD)
isnt "$head2" "$head" "the pass committed all the same"
ok_cmd "the commit has the new hotline" \
    git -C mirror grep -q 555-0901 HEAD -- text/
is "$(remote_head "$dir")" "$head2" "the directory remote has it"
is "$(remote_head "$web")" "$head2" "the HTTP remote has it"
is "$(remote_head "$gd")" "$head" "the git:// remote does not"
cmd_exits 0 "ferry status" ferry -c hub.conf status
like "$STDOUT" "git://127.0.0.1:$GITD_PORT/gd.git: has ${head:0:12}, 1 commit behind; last push .* failed" \
    "status: the failing remote, one commit behind"
like "$STDOUT" "$GITHTTP_URL/web.git: has ${head2:0:12}, up to date" \
    "status: the others up to date"
cmd_exits 0 "ferry status --json" ferry -c hub.conf status --json
printf '%s\n' "$STDOUT" >status.json
ok_cmd "status --json says the same" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["remote"].split("/")[-1]: x for x in d["publish"]}
assert p["gd.git"]["behind"] == 1 and p["gd.git"]["error"], p
assert p["web.git"]["behind"] == 0 and p["web.git"]["error"] is None, p
assert d["follow"] is None
' status.json
ok_cmd "a hub's status --json follows the schema in README.md" \
    "$PYTHON3" "$RIG_DIR/readme-schema.py" "$top_srcdir/README.md" \
    ferry-status "$TRASH/status.json"

gitd_start
cmd_exits 0 "the next pass, server back: exit 0" ferry -c hub.conf sync
like "$STDOUT" "publish: pushed to 1 remote$" "it pushes to that one only"
is "$(remote_head "$gd")" "$head2" "the git:// remote caught up"
cmd_exits 0 "ferry status" ferry -c hub.conf status
unlike "$STDOUT" "failed" "status: no failure left"

# --- ferry publish, and a remote that moved elsewhere ---------------------

git clone -q "$dir" other && (cd other && echo x >stray &&
    git add stray && git -c user.name=x -c user.email=x@x commit -qm stray &&
    git push -q origin main) || bail_out "cannot move the remote"
site_hotline 0901 0902
cmd_exits 3 "a pass when a remote has commits the hub lacks: exit 3" \
    ferry -c hub.conf sync
like "$STDERR" "cannot push to '$dir': .*(refused|not present locally|fast-forward)" \
    "the push is refused, and said so"
is "$(git -C "$dir" log -1 --format=%s main)" "stray" \
    "the remote's commit is not overwritten"
is "$(remote_head "$gd")" "$(git -C mirror rev-parse HEAD)" \
    "the other remotes have the new commit"
cmd_exits 1 "ferry publish: still refused, exit 1" ferry -c hub.conf publish
(cd "$dir" && git update-ref refs/heads/main "$head2") ||
	bail_out "cannot reset the remote"
cmd_exits 0 "ferry publish after the remote is fixed" ferry -c hub.conf publish
is "$(remote_head "$dir")" "$(git -C mirror rev-parse HEAD)" \
    "the directory remote has HEAD"

rm -rf "$gd" && git init -q --bare --initial-branch=main "$gd" ||
	bail_out "cannot make the remote anew"
cmd_exits 0 "a pass with nothing new leaves a remote known to have HEAD" \
    ferry -c hub.conf sync
is "$(remote_head "$gd")" "" "(so a remote made anew stays empty)"
cmd_exits 0 "ferry publish asks every remote again" ferry -c hub.conf publish
like "$STDOUT" "^publish: every remote has the mirror's branch \(3\)$" \
    "and says so"
is "$(remote_head "$gd")" "$(git -C mirror rev-parse HEAD)" \
    "the remote made anew has HEAD"

# --- credentials ------------------------------------------------------------

printf 'wrong-token\n' >token
site_hotline 0902 0903
cmd_exits 3 "a wrong token: the pass commits, the push fails" \
    ferry -c hub.conf sync
like "$STDERR" "cannot push to '$GITHTTP_URL/web.git': .*(refused the credentials|401|auth)" \
    "it says the credentials were refused"
printf '%s\n' "$TOKEN" >token
cmd_exits 0 "the right token again" ferry -c hub.conf publish
is "$(remote_head "$web")" "$(git -C mirror rev-parse HEAD)" \
    "the HTTP remote caught up"
ok "the server saw the user ferry (the token worked)" \
    grep -q "user=ferry" "$GITHTTP_LOG"
ferry -c hub.conf status >status.txt 2>&1
ferry -c hub.conf status --json >>status.txt 2>&1
ferry -c hub.conf check >>status.txt 2>&1
leaks=$(grep -rlF -e "$TOKEN" -e wrong-token status.txt mirror/.git \
    "$TRASH"/.stdout "$TRASH"/.stderr 2>/dev/null | grep -v '/objects/')
is "$leaks" "" "no token in status, check, output or the mirror's files"
ok_cmd "git config of the mirror holds no remote" \
    test -z "$(git -C mirror config --get-regexp '^remote\.' || true)"

write_conf bad.conf '[publish]' '	remote = https://u:hunter2@example.org/r.git'
cmd_exits 2 "a password in a remote's URL is refused" ferry -c bad.conf check
like "$STDERR" "publish.remote: a password in the remote's URL would show in logs" \
    "with the reason"
unlike "$STDERR" "hunter2" "and the password is not repeated"

done_testing
