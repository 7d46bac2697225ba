#!/bin/bash
# t7001: followers.  A hub crawls and publishes to a plain directory, a
# git daemon and smart HTTP (with a token); three followers, one per
# transport, never crawl: each fetches the hub's branch and ends with the
# hub's HEAD and tree, byte for byte, across several hub passes.  A
# follower's status names the hub, the last commit fetched and how far
# behind it is; its index regenerated with no local file is the hub's.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/remotes.sh"
rig_start
unset FERRY_CONF
export GIT_TERMINAL_PROMPT=0

printf 'follow-token-%s\n' "$RANDOM$RANDOM" >token
dir=$(bare_repo dir) && bare_repo gd >/dev/null &&
    bare_repo web >/dev/null || bail_out "no bare repositories"
gitd_start
githttp_start ferry "$TRASH/token"
ferry keygen hub.key >/dev/null || bail_out "no key"
KEY=$(sed -n 2p hub.pub)
write_conf hub.conf '[publish]' "	remote = $dir" \
    "	remote = $GITD_URL/gd.git" "	remote = $GITHTTP_URL/web.git" \
    '	sign-key = hub.key' '[credentials]' '	token-file = token'

# follower NAME URL [LINE...]: NAME/ferry.conf following URL.
follower() {
	local name=$1 url=$2 line
	shift 2
	mkdir -p "$name"
	{
		printf '[mirror]\n\tpath = mirror\n[follow]\n\tremote = %s\n' \
		    "$url"
		for line in "$@"; do
			printf '%s\n' "$line"
		done
	} >"$name/ferry.conf"
}
follower F1 "$dir" '[import]' "	trusted-key = $KEY"
follower F2 "$GITD_URL/gd.git"
follower F3 "$GITHTTP_URL/web.git" '[credentials]' \
    "	token-file = $TRASH/token"

# same_as_hub F WHAT: F's HEAD, tree and files are the hub's.
same_as_hub() {
	is "$(git -C "$1/mirror" rev-parse HEAD)" \
	    "$(git -C mirror rev-parse HEAD)" "$2: HEAD is the hub's"
	is "$(git -C "$1/mirror" rev-parse 'HEAD^{tree}')" \
	    "$(git -C mirror rev-parse 'HEAD^{tree}')" "$2: the tree is the hub's"
	ok_cmd "$2: site/ is the hub's, byte for byte" \
	    diff -r "$1/mirror/site" mirror/site
	files_same "$1/mirror/index.html" mirror/index.html \
	    "$2: index.html is the hub's"
	is "$(git -C "$1/mirror" status --porcelain)" "" \
	    "$2: the working tree is HEAD"
}

cmd_exits 0 "the hub's first pass publishes" ferry -c hub.conf sync
n=$(git -C mirror rev-list --count HEAD)
for f in F1 F2 F3; do
	cmd_exits 0 "$f follows" ferry -c $f/ferry.conf sync
	like "$STDOUT" "^follow: $n new commits? of the hub \($(git -C mirror \
	    rev-parse --short=12 HEAD)\); commit" "$f: it says what it took in"
	same_as_hub $f "$f, first follow"
done
ok_cmd "F2: git fsck" git -C F2/mirror fsck --strict

# --- the hub moves on: two passes -----------------------------------------

site_hotline 0142 0911
ferry -c hub.conf sync >/dev/null || bail_out "hub pass 2"
site_hotline 0911 0912
ferry -c hub.conf sync >/dev/null || bail_out "hub pass 3"
is "$(git -C mirror rev-list --count HEAD)" $((n + 2)) "the hub made 2 commits"
requests=$(rig_count)
for f in F1 F2 F3; do
	cmd_exits 0 "$f follows the hub's two passes" ferry -c $f/ferry.conf sync
	like "$STDOUT" "^follow: 2 new commits of the hub" "$f: two new commits"
	same_as_hub $f "$f, after two hub passes"
	ok_cmd "$f: the hotline is the new one" \
	    grep -rq '555-0912' $f/mirror/index.html
done
is "$(rig_count)" "$requests" "followers never asked the sources anything"

cmd_exits 0 "F2 again with nothing new" ferry -c F2/ferry.conf sync
like "$STDOUT" "^follow: up to date with the hub at" "it says it is up to date"

# --- status --------------------------------------------------------------

tip=$(git -C mirror rev-parse --short=12 HEAD)
cmd_exits 0 "F3: ferry status" ferry -c F3/ferry.conf status
like "$STDOUT" "follows $GITHTTP_URL/web.git \(branch main\)" "it names the hub"
like "$STDOUT" "last follow pass: .*, ok" "the last follow pass went well"
like "$STDOUT" "hub's last commit fetched: $tip; taken in: $tip; behind the hub by 0 commits" \
    "what it fetched, what it took in, how far behind"
unlike "$STDOUT" "follow-token" "no token in the status"
cmd_exits 0 "F3: ferry status --json" ferry -c F3/ferry.conf status --json
printf '%s\n' "$STDOUT" >f3.json
ok_cmd "status --json: remote, fetched, behind" python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["follow"]
assert f["remote"].endswith("/web.git") and f["branch"] == "main", f
assert f["fetched"] == f["followed"] and len(f["fetched"]) == 40, f
assert f["behind"] == 0 and f["error"] is None, f
' f3.json
ok_cmd "a follower's status --json follows the schema in README.md" \
    "$PYTHON3" "$RIG_DIR/readme-schema.py" "$top_srcdir/README.md" \
    ferry-status "$TRASH/f3.json"

# --- the follower's own index, with nothing added, is the hub's -----------

cmd_exits 0 "F1: ferry index with no local file" ferry -c F1/ferry.conf index
like "$STDOUT" "no change" "the regenerated index is the hub's"
same_as_hub F1 "F1 after ferry index"

# --- signed: each commit checks; plain git checks them too ---------------

sed -n 's/^  \(ferry namespaces=.*\)$/\1/p' \
    <<<"$(ferry keygen -s hub.pub)" >allowed
ok_cmd "plain git checks the followed HEAD's signature" \
    git -C F1/mirror -c gpg.format=ssh \
    -c gpg.ssh.allowedSignersFile="$TRASH/allowed" verify-commit HEAD

done_testing
