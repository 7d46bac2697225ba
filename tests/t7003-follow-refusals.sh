#!/bin/bash
# t7003: what a follower refuses.  Where [import] trusted-key pins the
# hub's key, a hub commit that is unsigned, signed by another key or
# altered after signing is refused, and nothing of it is taken in.  A
# rewritten hub history (a force-push) is refused unless [follow]
# allow-rewrite says otherwise.  A missing branch, a server that does not
# answer and a bad configuration each get a clear message.  After each
# refusal HEAD, the tree and the last followed commit are as they were,
# and `ferry status` says what happened and how far behind the hub is.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/remotes.sh"
rig_start
unset FERRY_CONF
export GIT_TERMINAL_PROMPT=0

remote=$(bare_repo hub) || bail_out "no bare repository"
ferry keygen hub.key >/dev/null || bail_out "no key"
write_conf hub.conf '[publish]' "	remote = $remote" '	sign-key = hub.key'
mkdir -p FS FU
printf '[mirror]\n\tpath = mirror\n[follow]\n\tremote = %s\n' "$remote" \
    >FU/ferry.conf
cp FU/ferry.conf FS/ferry.conf
printf '[import]\n\ttrusted-key = %s\n' "$(sed -n 2p hub.pub)" >>FS/ferry.conf

ok_cmd "the hub's first pass" ferry -c hub.conf sync || bail_out "no hub"
ok_cmd "FS follows the signed hub" ferry -c FS/ferry.conf sync
ok_cmd "FU follows" ferry -c FU/ferry.conf sync
good=$(git -C mirror rev-parse HEAD)

# snap F: what a refusal must leave alone.
snap() {
	git -C "$1/mirror" rev-parse HEAD HEAD^{tree} refs/ferry/followed
	git -C "$1/mirror" status --porcelain
	sha256sum "$1/mirror/index.html"
}

# push_on_top NAME GIT-ARGS...: a commit made with plain git on top of
# the remote's branch, pushed there.
push_on_top() {
	local name=$1
	shift
	rm -rf work && git clone -q "$remote" work &&
	    (cd work && echo "$name" >"site/$name.txt" && git add . &&
	    git -c user.name=Someone -c user.email=s@example.org "$@" \
	    commit -qm "$name" && git push -q origin main)
}

refused() {	# refused F WHAT REGEX
	local before
	before=$(snap "$1")
	cmd_exits 1 "$1 refuses $2" ferry -c "$1/ferry.conf" sync
	like "$STDERR" "$3" "$1: the message for $2"
	is "$(snap "$1")" "$before" "$1: nothing taken in after $2"
}

# --- signatures ------------------------------------------------------------

push_on_top unsigned || bail_out "cannot push"
refused FS "an unsigned commit" \
    "commit [0-9a-f]{12} \('unsigned'\) of '$remote' is not signed.*trusted-key.*nothing was taken in"
cmd_exits 0 "FS: ferry status" ferry -c FS/ferry.conf status
like "$STDOUT" "last follow pass: .*, failed" "status: the pass failed"
like "$STDOUT" "is not signed" "status: why"
like "$STDOUT" "taken in: ${good:0:12}; behind the hub by 1 commit
" \
    "status: one commit behind the hub"
ok_cmd "FU, with no key pinned, takes it" ferry -c FU/ferry.conf sync
git -C "$remote" update-ref refs/heads/main "$good"

ssh-keygen -q -t ed25519 -N '' -C other -f other >/dev/null ||
	bail_out "no ssh key"
push_on_top othersig -c gpg.format=ssh -c user.signingkey="$TRASH/other.pub" \
    -c commit.gpgsign=true || bail_out "cannot push a signed commit"
refused FS "a commit signed by another key" \
    "commit [0-9a-f]{12} \('othersig'\) of '$remote'.*another key"
git -C "$remote" update-ref refs/heads/main "$good"

# A real hub commit, altered after it was signed.
site_hotline 0142 0961
ferry -c hub.conf sync >/dev/null 2>&1
real=$(git -C mirror rev-parse HEAD)
git -C "$remote" update-ref refs/heads/main "$good"
forged=$(git -C mirror cat-file commit "$real" |
    sed 's/^sync city:/sync city (edited):/' |
    git -C "$remote" hash-object -t commit -w --stdin) ||
	bail_out "cannot forge"
git -C mirror cat-file --batch-all-objects --batch-check='%(objectname)' |
    git -C mirror pack-objects -q --stdout |
    git -C "$remote" unpack-objects -q 2>/dev/null
git -C "$remote" update-ref refs/heads/main "$forged"
refused FS "a commit altered after it was signed" \
    "commit ${forged:0:12} .*does not match"

git -C "$remote" update-ref refs/heads/main "$real"
cmd_exits 0 "FS takes the hub's real commit" ferry -c FS/ferry.conf sync
is "$(git -C FS/mirror rev-parse HEAD)" "$real" "FS is at the hub's HEAD"
cmd_exits 0 "FS: ferry status" ferry -c FS/ferry.conf status
like "$STDOUT" "last follow pass: .*, ok" "status: ok again"
like "$STDOUT" "behind the hub by 0 commits" "status: not behind"

# --- a rewritten history -----------------------------------------------------

git -C FU/mirror reset -q --hard "$good" 2>/dev/null
git -C FU/mirror update-ref refs/ferry/followed "$good"
ferry -c FU/ferry.conf sync >/dev/null 2>&1	# at the real commit
rm -rf work && git clone -q "$remote" work &&
    (cd work && git -c user.name=x -c user.email=x@x commit -q --amend \
    -m "rewritten" && git push -q -f origin main) ||
	bail_out "cannot rewrite"
rewritten=$(git -C "$remote" rev-parse main)
refused FU "a rewritten history" \
    "history was rewritten: '$remote' branch main is at ${rewritten:0:12}, which does not contain ${real:0:12}.*allow-rewrite = true"
sed -i 's/^\[follow\]$/&\n\tallow-rewrite = true/' FU/ferry.conf
cmd_exits 0 "with allow-rewrite, the new history is taken in" \
    ferry -c FU/ferry.conf sync
like "$STDERR" "rewritten.*taken in as \[follow\] allow-rewrite says" \
    "with a warning"
ok_cmd "the rewritten commit is in FU's history" \
    git -C FU/mirror merge-base --is-ancestor "$rewritten" HEAD
ok_cmd "and so is the old one: FU's history never shrinks" \
    git -C FU/mirror merge-base --is-ancestor "$real" HEAD
is "$(git -C FU/mirror rev-parse HEAD:site)" \
    "$(git -C "$remote" rev-parse main:site)" "site/ is the new history's"

# --- a missing branch, a server that does not answer, bad configuration ---

mkdir -p FB
printf '[mirror]\n\tpath = mirror\n[follow]\n\tremote = %s\n\tbranch = nope\n' \
    "$remote" >FB/ferry.conf
cmd_exits 1 "a branch the hub does not have" ferry -c FB/ferry.conf sync
like "$STDERR" "cannot fetch from '$remote': it has no branch by that name \(check \[follow\] branch\)" \
    "says which and what to check"
file_missing FB/mirror/.git "no mirror is left behind"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p FD
printf '[mirror]\n\tpath = mirror\n[follow]\n\tremote = git://127.0.0.1:%s/hub.git\n' \
    "$port" >FD/ferry.conf
cmd_exits 1 "a hub that does not answer" ferry -c FD/ferry.conf sync
like "$STDERR" "cannot fetch from 'git://127.0.0.1:$port/hub.git': .*" \
    "the message names the hub"

# A server that takes the connection and never says a word.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try:
        conns.append(s.accept())
    except OSError:
        pass
' "$TRASH/silent.port" &
silent=$!
at_exit "kill $silent 2>/dev/null"
for ((i = 0; i < 400; i++)); do
	[ -s silent.port ] && break
	sleep 0.05
done
printf '[mirror]\n\tpath = mirror\n[fetch]\n\tlow-speed-time = 2s\n' >FD/ferry.conf
printf '[follow]\n\tremote = git://127.0.0.1:%s/hub.git\n' \
    "$(cat silent.port)" >>FD/ferry.conf
started=$SECONDS
cmd_exits 1 "a hub that stops answering" timeout 30 "$FERRY" -c FD/ferry.conf sync
like "$STDERR" "cannot fetch from 'git://127.0.0.1:[0-9]+/hub.git': no answer for 2 s \(timed out" \
    "the pass gives up, and says why"
ok "within seconds, not for ever" test $((SECONDS - started)) -lt 15
kill $silent 2>/dev/null

write_conf both.conf '[follow]' "	remote = $remote"
cmd_exits 2 "sources and a hub at once are refused" ferry -c both.conf check
like "$STDERR" "follow.remote: a mirror either crawls its sources or follows a hub" \
    "with the reason"
printf '[mirror]\n\tpath = m\n[follow]\n\tremote = ftp://h/r.git\n' >ftp.conf
cmd_exits 2 "an unsupported remote is refused" ferry -c ftp.conf check
like "$STDERR" "unsupported remote 'ftp://h/r.git'" "and named"
printf '[mirror]\n\tpath = m\n[folow]\n\tremote = x\n' >typo.conf
cmd_exits 2 "a misspelt section" ferry -c typo.conf check
like "$STDERR" "unknown section 'folow' \(did you mean 'follow'\?\)" \
    "gets a suggestion"

done_testing
