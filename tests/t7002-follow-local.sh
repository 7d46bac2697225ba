#!/bin/bash
# t7002: a follower's own additions.  Files under local/ and catalog.conf
# edits made at a follower live on top of the hub's history: each follow
# pass merges the hub's new commits (the hub's site/ always wins, the
# follower's local files stay) and the follower's index lists both.
# Three hub updates in a row; a file added between them with `ferry
# index`, one left uncommitted; a file the hub adds under its own local/.
# The follower's history only grows, so the sticks it exports import at
# a third site one after the other.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/remotes.sh"
rig_start
unset FERRY_CONF

remote=$(bare_repo hub) || bail_out "no bare repository"
write_conf hub.conf '[publish]' "	remote = $remote"
mkdir -p F R
printf '[mirror]\n\tpath = mirror\n\tauthor = Partner <p@example.org>\n' \
    >F/ferry.conf
printf '[follow]\n\tremote = %s\n[export]\n\tkey = f.key\n' "$remote" \
    >>F/ferry.conf
ferry keygen F/f.key >/dev/null || bail_out "no key"
printf '[mirror]\n\tpath = mirror\n[import]\n\ttrusted-key = %s\n' \
    "$(sed -n 2p F/f.pub)" >R/ferry.conf

ok_cmd "the hub's first pass" ferry -c hub.conf sync ||
	bail_out "no hub"
first_pdf=$(cd mirror && git ls-files 'site/*.pdf' | head -1)
[ -n "$first_pdf" ] || bail_out "the sample site has no PDF"

cmd_exits 0 "the follower's first follow" ferry -c F/ferry.conf sync
is "$(git -C F/mirror rev-parse HEAD)" "$(git -C mirror rev-parse HEAD)" \
    "with nothing of its own, the follower's HEAD is the hub's"

# The follower's own files, not yet committed: a flyer, and a
# catalog.conf that renames one of the hub's documents.
mkdir -p F/mirror/local
printf '%%PDF-1.4\n%% Community clinic flyer\n' >F/mirror/local/clinic-flyer.pdf
printf '[resource "%s"]\n\ttitle = Tarjeta roja (copia local)\n' \
    "$first_pdf" >F/mirror/catalog.conf

# kept_local WHAT FILE...: F's HEAD has the hub's site/ and text/, each
# FILE as it is in F's working tree, and the hub's HEAD as an ancestor.
kept_local() {
	local what=$1 f
	shift
	is "$(git -C F/mirror rev-parse HEAD:site)" \
	    "$(git -C mirror rev-parse HEAD:site)" "$what: site/ is the hub's"
	is "$(git -C F/mirror rev-parse HEAD:text)" \
	    "$(git -C mirror rev-parse HEAD:text)" "$what: text/ is the hub's"
	ok_cmd "$what: the hub's HEAD is in the follower's history" \
	    git -C F/mirror merge-base --is-ancestor \
	    "$(git -C mirror rev-parse HEAD)" HEAD
	for f in "$@"; do
		is "$(git -C F/mirror show "HEAD:$f" | sha256sum)" \
		    "$(sha256sum <"F/mirror/$f")" "$what: $f is kept"
	done
	ok_cmd "$what: the index lists the local flyer" \
	    grep -q 'local/clinic-flyer.pdf' F/mirror/index.html
	ok_cmd "$what: and the renamed hub document" \
	    grep -q 'Tarjeta roja (copia local)' F/mirror/index.html
	ok_cmd "$what: and the hub's latest hotline" \
	    grep -q "555-$hotline" F/mirror/index.html
	is "$(git -C F/mirror status --porcelain)" "" \
	    "$what: the working tree is HEAD"
}

hotline=0900
site_hotline 0142 $hotline
ok_cmd "the hub's second pass" ferry -c hub.conf sync
cmd_exits 0 "a follow with local files not yet committed" \
    ferry -c F/ferry.conf sync
like "$STDOUT" "local files kept" "it says it kept the local files"
kept_local "first merge" local/clinic-flyer.pdf catalog.conf
like "$(git -C F/mirror log --format=%s)" "edit: catalog.conf, local/clinic-flyer.pdf" \
    "the local files were committed first, as an edit"
is "$(git -C F/mirror log -1 --format=%P HEAD~1 | wc -w)" 2 \
    "a merge commit took the hub's history in"
ok_cmd "the index regenerated lists the hub's documents too" python3 -c '
import json, sys
hub = json.load(open("mirror/index.json"))
f = json.load(open("F/mirror/index.json"))
kinds = [r["kind"] for r in f["resources"]]
assert kinds.count("local") == 1, kinds
hubu = sorted(r["url"] for r in hub["resources"])
fu = sorted(r["url"] for r in f["resources"] if r["kind"] != "local")
assert hubu == fu, (len(hubu), len(fu))
assert f["hotlines"] == hub["hotlines"]
assert [s["name"] for s in f["sources"]] == ["city"], f["sources"]
'
ok_cmd "F exports a stick" ferry -c F/ferry.conf export stick
ok_cmd "R takes it in" ferry -c R/ferry.conf import stick
is "$(git -C R/mirror rev-parse HEAD)" "$(git -C F/mirror rev-parse HEAD)" \
    "R has the follower's HEAD"

# --- three hub updates ---------------------------------------------------

for round in 1 2 3; do
	new=09$((40 + round))
	site_hotline $hotline $new
	hotline=$new
	case $round in
	1)	mkdir -p mirror/local
		printf 'Hub notice\n' >mirror/local/hub-notice.txt
		ferry -c hub.conf index >/dev/null || bail_out "hub index"
		printf 'Open Mon-Fri 9-5\n' >F/mirror/local/hours.txt
		ok_cmd "round 1: the follower adds a file with ferry index" \
		    ferry -c F/ferry.conf index ;;
	2)	printf 'Bring ID\n' >F/mirror/local/notice.txt ;;
	esac
	ok_cmd "round $round: the hub's pass" ferry -c hub.conf sync
	cmd_exits 0 "round $round: the follower follows" \
	    ferry -c F/ferry.conf sync
	kept_local "round $round" local/clinic-flyer.pdf catalog.conf
	[ $round -ge 1 ] && is "$(git -C F/mirror show HEAD:local/hours.txt)" \
	    "Open Mon-Fri 9-5" "round $round: the file added with ferry index"
	[ $round -ge 2 ] && is "$(git -C F/mirror show HEAD:local/notice.txt)" \
	    "Bring ID" "round $round: the file left uncommitted was committed"
	is "$(git -C F/mirror show HEAD:local/hub-notice.txt)" "Hub notice" \
	    "round $round: the hub's own local file came too"
	ok_cmd "round $round: F exports" ferry -c F/ferry.conf export stick
	ok_cmd "round $round: R takes in the next stick (history continues)" \
	    ferry -c R/ferry.conf import stick
	is "$(git -C R/mirror rev-parse HEAD)" \
	    "$(git -C F/mirror rev-parse HEAD)" "round $round: R is F"
done
ok_cmd "git fsck of the follower" git -C F/mirror fsck --strict

# Without local edits since, a follow with nothing new changes nothing.
before=$(git -C F/mirror rev-parse HEAD)
cmd_exits 0 "a follow with nothing new" ferry -c F/ferry.conf sync
is "$(git -C F/mirror rev-parse HEAD)" "$before" "HEAD stays"

# The follower removes its flyer; the next follow keeps it removed.
rm F/mirror/local/clinic-flyer.pdf
ferry -c F/ferry.conf index >/dev/null
site_hotline $hotline 0950
hotline=0950
ferry -c hub.conf sync >/dev/null
cmd_exits 0 "a follow after the flyer was removed" ferry -c F/ferry.conf sync
is "$(git -C F/mirror ls-tree HEAD local/clinic-flyer.pdf)" "" \
    "the flyer stays removed"
file_missing F/mirror/local/clinic-flyer.pdf "nor is it written back"

# Memory does not grow with file size: a 300 MB document published to a
# directory remote and followed from it travels a chunk at a time
# (libgit2's local transport would pack it whole, in memory, twice).
if grep -qa __asan_init "$FERRY"; then
	skip "memory of a publish and a follow with a 300 MB file" \
	    "an ASan build: its shadow memory and quarantine are not ferry's"
elif [ -x /usr/bin/time ]; then
	mkdir -p mirror/local
	head -c 300M /dev/urandom >mirror/local/big.pdf
	peak_memory_under 102400 "the hub's commit and push of a 300 MB file" \
	    "the hub commits and pushes it in under 100 MB of memory" \
	    "$FERRY" -c hub.conf index
	ok_cmd "ferry publish: nothing left to push" ferry -c hub.conf publish
	is "$(git -C "$remote" rev-parse main)" "$(git -C mirror rev-parse HEAD)" \
	    "the remote has it"
	peak_memory_under 102400 "a follow that takes in a 300 MB file" \
	    "the follower takes it in under 100 MB too" \
	    "$FERRY" -c F/ferry.conf sync
	files_same F/mirror/local/big.pdf mirror/local/big.pdf \
	    "the file arrives whole"
	ok_cmd "git fsck of the remote" git -C "$remote" fsck
else
	skip "memory of a publish and a follow with a 300 MB file" \
	    "/usr/bin/time is missing (Debian package time)"
fi

done_testing
