#!/bin/bash
# t6005: `ferry import` at a receiving site.  A round trip (mirror A
# exports, mirror B is made from the stick: same HEAD, tree, index.html
# and site/); an incremental export taken in with only what is new; the
# same stick twice; a fresh mirror from the latest stick alone (the whole
# history); history that does not continue the mirror's refused; the
# site's uncommitted files under local/ never overwritten; bad input; and
# an import killed at random moments leaves the old or the new HEAD,
# which a re-run completes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
unset FERRY_CONF
write_conf A.conf '[export]' '	key = ferry.key'

ok_cmd "keygen makes the exporting key" ferry keygen ferry.key ||
	bail_out "no key to sign with"
KEY=$(sed -n 2p ferry.pub)

# receiver NAME [KEY]: NAME/ferry.conf, a mirror NAME/mirror that takes
# in sticks signed with KEY (default: the exporting key).
receiver() {
	mkdir -p "$1"
	printf '[mirror]\n\tpath = mirror\n[import]\n\ttrusted-key = %s\n' \
	    "${2:-$KEY}" >"$1/ferry.conf"
}

head_of() {
	git -C "$1" rev-parse "${2:-HEAD}"
}

# snap M: what must not change in mirror M: HEAD, git status, every
# file's name, SHA-256 and mtime, the record of the last import.
snap() {
	head_of "$1"
	git -C "$1" status --porcelain --untracked-files=all
	(cd "$1" && find . -path ./.git -prune -o -type f -printf '%P %T@\n' |
	    LC_ALL=C sort)
	(cd "$1" && find . -path ./.git -prune -o -type f -print0 |
	    LC_ALL=C sort -z | xargs -0 sha256sum)
	cat "$1/.git/ferry/import" 2>&1
}

# same_copy M WHAT: mirror M's HEAD, tree, index.html and site/ are A's.
same_copy() {
	is "$(head_of "$1")" "$(head_of mirror)" "$2: HEAD is A's"
	is "$(head_of "$1" 'HEAD^{tree}')" "$(head_of mirror 'HEAD^{tree}')" \
	    "$2: the tree is A's"
	files_same "$1/index.html" mirror/index.html "$2: index.html is A's"
	ok_cmd "$2: site/ is A's, byte for byte" diff -r "$1/site" mirror/site
	is "$(git -C "$1" status --porcelain)" "" "$2: the working tree is HEAD"
}

# packs DIR: the pack files' names in DIR.
packs() {
	(cd "$1" && ls pack-*.pack 2>/dev/null | LC_ALL=C sort)
}


# --- the round trip ---------------------------------------------------------

ok_cmd "A's first sync" ferry -c A.conf sync || bail_out "no mirror A"
ok_cmd "A exports to the stick" ferry -c A.conf export stick ||
	bail_out "no stick"
cp -a stick stick1
receiver B
cmd_exits 0 "B takes in the stick" ferry -c B/ferry.conf import stick
a=$(head_of mirror | cut -c1-12)
like "$STDOUT" "^imported $a \(sequence 1\) from stick: new mirror -> $a(
|$)" \
    "it says it made a new mirror"
file_exists B/mirror/.git "B is created"
same_copy B/mirror "B from the first stick"
cmd_exits 0 "ferry verify checks B: no problem" ferry -c B/ferry.conf verify
like "$STDOUT" "no problem found" "and says so"
ok_cmd "git fsck is clean on B" git -C B/mirror fsck --strict
pack1=$(packs stick/history.git/objects/pack)
is "$(packs B/mirror/.git/objects/pack)" "$pack1" "B has the stick's pack"

# --- an incremental export ------------------------------------------------

site_hotline 0142 0199
ok_cmd "A syncs the changed site" ferry -c A.conf sync
is "$(git -C mirror rev-list --count HEAD)" 2 "A has two commits"
ok_cmd "A exports to the same stick again" ferry -c A.conf export --json stick
like "$STDOUT" '"incremental":true' "the export is incremental"
stick_packs=$(packs stick/history.git/objects/pack)
is "$(printf '%s\n' "$stick_packs" | wc -l)" 2 "the stick has two packs"
is "$(printf '%s\n' "$stick_packs" | grep -c -x -F "$pack1")" 1 \
    "one is the first export's"
pack2=$(printf '%s\n' "$stick_packs" | grep -v -x -F "$pack1")
objs() {
	git show-index <"stick/history.git/objects/pack/${1%.pack}.idx" |
	    cut -d' ' -f2 | LC_ALL=C sort
}
is "$(LC_ALL=C comm -12 <(objs "$pack1") <(objs "$pack2"))" "" \
    "the new pack holds no object of the first"
n1=$(objs "$pack1" | wc -l)
n2=$(objs "$pack2" | wc -l)
ok "the new pack is smaller than the first ($n2 objects, $n1 before)" \
    test "$n2" -lt "$n1"

cmd_exits 0 "B takes in the second stick" ferry -c B/ferry.conf import stick
h1=$(head_of stick1/history.git refs/heads/main | cut -c1-12)
a=$(head_of mirror | cut -c1-12)
like "$STDOUT" "^imported $a \(sequence 2\) from stick: $h1 -> $a(
|$)" \
    "it says from which commit to which"
like "$STDOUT" "took in 1 pack and 0 big files" \
    "it took in one pack: the first stick's was not taken in again"
same_copy B/mirror "B from the second stick"
is "$(packs B/mirror/.git/objects/pack)" "$stick_packs" \
    "B took in the new pack, and the first one was not taken in again"
is "$(find B/mirror/.git/objects -type f -name '*.pack' | wc -l)" 2 \
    "B has exactly two packs"
cmd_exits 0 "ferry verify checks B again: no problem" \
    ferry -c B/ferry.conf verify
ok_cmd "git fsck is clean on B" git -C B/mirror fsck --strict

# --- the same stick twice ---------------------------------------------------

before=$(snap B/mirror)
sleep 1
cmd_exits 0 "the same stick a second time" ferry -c B/ferry.conf import stick
like "$STDOUT" "^stick: already taken in \(sequence 2, commit $a\); nothing to do$" \
    "it says it was taken in already"
is "$(snap B/mirror)" "$before" "nothing changes (HEAD, files, their mtimes)"

# --- a fresh mirror from the latest stick alone -------------------------------

receiver C
cmd_exits 0 "C is made from the latest stick" ferry -c C/ferry.conf import stick
like "$STDOUT" "new mirror" "C is a new mirror"
same_copy C/mirror "C"
is "$(git -C C/mirror rev-list --count HEAD)" \
    "$(git -C mirror rev-list --count HEAD)" "C has A's whole history"
ok_cmd "git fsck is clean on C" git -C C/mirror fsck --strict

# --- history that does not continue the mirror's ------------------------------

receiver D
ok_cmd "D is made from the first stick" ferry -c D/ferry.conf import stick1
mkdir -p D/mirror/local
printf 'Clinic on Saturdays\n' >D/mirror/local/clinic.txt
cmd_exits 0 "D commits a file of its own" ferry -c D/ferry.conf index
like "$(git -C D/mirror log -1 --format=%s)" "^edit: local/" \
    "as an 'edit: ...' commit"
before=$(snap D/mirror)
cmd_exits 1 "D refuses the newer stick" ferry -c D/ferry.conf import stick
like "$STDERR" "does not continue the history" \
    "it says the history does not continue"
is "$(snap D/mirror)" "$before" "D is unchanged"

# --- the site's own files under local/ ---------------------------------------

mkdir -p mirror/local
printf 'from A\n' >mirror/local/flyer.txt
ok_cmd "A commits local/flyer.txt" ferry -c A.conf index
site_hotline 0199 0777
ok_cmd "A syncs the changed site" ferry -c A.conf sync
ok_cmd "A exports (sequence 3)" ferry -c A.conf export stick
mkdir -p B/mirror/local
printf "B's own flyer\n" >B/mirror/local/flyer.txt
before=$(snap B/mirror)
cmd_exits 1 "B refuses a stick that would overwrite its uncommitted file" \
    ferry -c B/ferry.conf import stick
like "$STDERR" "local/flyer\.txt" "the message names the file"
is "$(cat B/mirror/local/flyer.txt)" "B's own flyer" "B's file is kept"
is "$(snap B/mirror)" "$before" "B is unchanged"
rm B/mirror/local/flyer.txt
cmd_exits 0 "with the file gone, the import works" \
    ferry -c B/ferry.conf import stick
same_copy B/mirror "B from the third stick"
is "$(cat B/mirror/local/flyer.txt)" "from A" "B has A's local/flyer.txt"

# --- bad input ----------------------------------------------------------------

receiver G
printf '[mirror]\n\tpath = mirror\n[source "city"]\n\turl = %s\n' \
    "$SOURCE_URL" >G/ferry.conf
cmd_exits 2 "import without [import] trusted-key" \
    ferry -c G/ferry.conf import stick
like "$STDERR" "import\.trusted-key: missing" "it says the key is missing"
file_missing G/mirror "no mirror is made"
mkdir notastick
printf 'hello\n' >notastick/index.html
cmd_exits 1 "import of a directory that is not a stick" \
    ferry -c B/ferry.conf import notastick
like "$STDOUT" "(^|
)MANIFEST: missing" "it says MANIFEST is missing"
like "$STDERR" "refused 'notastick'" "and refuses it"
receiver E RWnotakey
cmd_exits 2 "a trusted-key that is no key" ferry -c E/ferry.conf import stick
like "$STDERR" "trusted-key.*RWnotakey" "the message quotes the bad value"
file_missing E/mirror "no mirror is made"
receiver E "RW${KEY:2:10}"
cmd_exits 2 "a trusted-key cut short" ferry -c E/ferry.conf import stick
like "$STDERR" "trusted-key" "the message names the key"
receiver E "RWAA$(printf 'A%.0s' {1..52})"
cmd_exits 2 "a trusted-key of the right form that is not Ed25519" \
    ferry -c E/ferry.conf import stick
like "$STDERR" "trusted-key" "the message names the setting"
like "$STDERR" "not an Ed25519 minisign public key" "and what is wrong with it"
file_missing E/mirror "no mirror is made"

# --- an import killed at random moments ---------------------------------------

# Big files of the site's own make the import take a while.
for ((i = 0; i < 12; i++)); do
	head -c 3000000 /dev/urandom >"mirror/local/scan-$i.pdf"
done
ok_cmd "A commits 36 MB of its own files" ferry -c A.conf index
ok_cmd "A exports them" ferry -c A.conf export stick
new=$(head_of mirror)

# A file of B's that HEAD has, changed and not committed, is not
# overwritten either.
printf "B's change\n" >B/mirror/local/flyer.txt
before=$(snap B/mirror)
cmd_exits 1 "B refuses a stick while a committed file under local/ is changed" \
    ferry -c B/ferry.conf import stick
like "$STDERR" "local/flyer\.txt" "the message names the file"
is "$(snap B/mirror)" "$before" "B is unchanged, its change kept"
printf 'from A\n' >B/mirror/local/flyer.txt
cmd_exits 0 "with the change undone, the import works" \
    ferry -c B/ferry.conf import stick
is "$(head_of B/mirror)" "$new" "B is at A's HEAD"
ok_cmd "ferry verify checks B: no problem" ferry -c B/ferry.conf verify

receiver F
ok_cmd "F is made from the first stick" ferry -c F/ferry.conf import stick1
old=$(head_of F/mirror)
cp -a F F0
t0=$(date +%s%N)
ok_cmd "an import that is not killed" ferry -c F/ferry.conf import stick
ms=$((($(date +%s%N) - t0) / 1000000))
diag "the import takes $ms ms"
is "$(head_of F/mirror)" "$new" "it ends at A's HEAD"
[ "$ms" -lt 20 ] && ms=20
# The kill moments are spread over the whole import: round r of n dies
# at a random moment of the r-th n-th of its run.
at_old=0 at_new=0 other=0 rounds=16
for ((round = 0; round < rounds; round++)); do
	rm -rf F && cp -a F0 F
	"$FERRY" -c F/ferry.conf import stick >/dev/null 2>&1 &
	pid=$!
	delay=$(((ms * round + RANDOM % ms) / rounds))
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	what="round $round (killed after $delay ms)"
	h=$(head_of F/mirror 2>&1)
	case $h in
	"$old") at_old=$((at_old + 1)) ;;
	"$new") at_new=$((at_new + 1)) ;;
	*)
		other=$((other + 1))
		diag "$what: HEAD is '$h'"
		;;
	esac
	run ferry -c F/ferry.conf import stick
	if [ "$RC" -ne 0 ] || [ "$(head_of F/mirror)" != "$new" ]; then
		fail "$what: the re-run ends at A's HEAD" \
		    "exit $RC" "$STDOUT" "$STDERR"
		continue
	fi
	rerun=$STDOUT
	run ferry -c F/ferry.conf verify
	if [ "$RC" -ne 0 ] ||
	    [ -n "$(git -C F/mirror status --porcelain)" ]; then
		fail "$what: the re-run ends at A's HEAD, verify passes" \
		    "HEAD after the kill: $h" "the re-run said: $rerun" \
		    "verify: exit $RC" "$STDOUT" \
		    "git status:" "$(git -C F/mirror status --porcelain | head -5)"
		continue
	fi
	pass "$what: the re-run ends at A's HEAD, verify passes"
done
diag "killed imports: $at_old left at the old HEAD, $at_new at the new one"
is "$other" 0 "a killed import leaves the old HEAD or the new one, nothing else"

# A kill inside libgit2's update of the branch leaves its lock file; the
# next import (which holds ferry's lock) knows it is stale.
rm -rf F && cp -a F0 F
: >F/mirror/.git/refs/heads/main.lock
cmd_exits 0 "a branch lock a killed import left does not block the next" \
    ferry -c F/ferry.conf import stick
is "$(head_of F/mirror)" "$new" "which ends at A's HEAD"
file_missing F/mirror/.git/refs/heads/main.lock "the stale lock is gone"

# Memory does not grow with file size: a 300 MB document travels and is
# written at the receiving site a chunk at a time (libgit2's checkout
# would hold it whole, twice).
if grep -qa __asan_init "$FERRY"; then
	skip "memory of an export and an import with a 300 MB file" \
	    "an ASan build: its shadow memory and quarantine are not ferry's"
elif [ -x /usr/bin/time ]; then
	head -c 300M /dev/urandom >mirror/local/big.pdf
	ok_cmd "A commits a 300 MB file of its own" ferry -c A.conf index
	peak_memory_under 102400 "export with a 300 MB file" \
	    "its export stays under 100 MB of memory" \
	    "$FERRY" -c A.conf export stick
	peak_memory_under 102400 "import with a 300 MB file" \
	    "so does its import" "$FERRY" -c B/ferry.conf import stick
	files_same B/mirror/local/big.pdf mirror/local/big.pdf \
	    "the file arrives whole"
	is "$(git -C B/mirror status --porcelain)" "" \
	    "and B's working tree is its HEAD"
else
	skip "memory of an export and an import with a 300 MB file" \
	    "/usr/bin/time is missing (Debian package time)"
fi

done_testing
