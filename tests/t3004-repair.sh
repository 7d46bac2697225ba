#!/bin/bash
# t3004: a pass starts by making the working tree HEAD's again where ferry
# owns it (a checkout killed half-way, a hand edit), saying so, and by
# removing the lock files and unfinished files a killed writer left in
# .git; local/ is never touched, and a tree that only differs in git's
# index is fixed quietly.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT
T1=text/127.0.0.1_$PORT

cmd_exits 0 "a first pass" ferry -c ferry.conf sync
cmd_exits 0 "a pass with nothing to repair" ferry -c ferry.conf sync
is "$STDERR" "" "says nothing about the working tree"

echo "edited by hand" >>"mirror/$H2/redcards/ko.pdf"
rm "mirror/$T1/resources/red-cards.html.txt"
echo "stray" >"mirror/$H1/files/stray.pdf"
mkdir -p mirror/local
echo "the site's own notes" >mirror/local/notes.txt
: >mirror/.git/index.lock
: >mirror/.git/refs/heads/main.lock
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
cmd_exits 0 "the next pass succeeds" ferry -c ferry.conf sync
like "$STDERR" "ferry: the working tree of '$TRASH/mirror' differs from HEAD in 3 files \('$H1/files/stray.pdf' not in HEAD, '$H2/redcards/ko.pdf' modified, '$T1/resources/red-cards.html.txt' missing\): checking them out again from HEAD" \
    "saying what differed and that it is put back"
like "$STDERR" "removed '$TRASH/mirror/.git/index.lock', left by a writer that was killed" \
    "a stale index lock is removed"
like "$STDERR" "removed '$TRASH/mirror/.git/refs/heads/main.lock', left by a writer that was killed" \
    "and a stale branch lock"
like "$STDOUT" "1 updated.*commit [0-9a-f]{12}" "so the pass could commit"
files_same "mirror/$H2/redcards/ko.pdf" "$SITE/127.0.0.2/redcards/ko.pdf" \
    "the edited copy has the served bytes again"
file_exists "mirror/$T1/resources/red-cards.html.txt" "the deleted text is back"
file_missing "mirror/$H1/files/stray.pdf" "the stray file is gone"
is "$(cat mirror/local/notes.txt)" "the site's own notes" "local/ is untouched"
is "$(git -C mirror status --porcelain)" "" "the working tree is HEAD"
cmd_exits 0 "ferry verify agrees" ferry -c ferry.conf verify

# Only git's index is stale (a checkout killed after the files, before
# the index): nothing to say, the index is fixed.
git -C mirror read-tree HEAD~1
isnt "$(git -C mirror status --porcelain)" "" "git's index is the previous commit's"
cmd_exits 0 "a pass" ferry -c ferry.conf sync
unlike "$STDERR" "differs from HEAD" "finds the files as HEAD has them"
is "$(git -C mirror status --porcelain)" "" "and git's index is HEAD's again"

# An index that names a file HEAD does not have, which is not on disk.
git -C mirror update-index --add --cacheinfo \
    "100644,$(git -C mirror rev-parse HEAD:index.json),$H1/ghost.pdf"
cmd_exits 0 "a pass" ferry -c ferry.conf sync
unlike "$STDERR" "differs from HEAD" "sees no difference in the files"
is "$(git -C mirror status --porcelain)" "" "and drops the entry"

# A whole directory gone, as a checkout killed early may leave it.
rm -rf "mirror/$H2"
cmd_exits 0 "a pass" ferry -c ferry.conf sync
like "$STDERR" "differs from HEAD in 2[0-9] files" "counts every missing file"
is "$(git -C mirror status --porcelain)" "" "and puts them all back"
cmd_exits 0 "ferry verify agrees" ferry -c ferry.conf verify

# A writer killed while writing a file of the tree, a download, the
# state: its unfinished files are in .git/ferry, never in the tree, and
# the next pass removes them.
P=mirror/.git/ferry
mkdir -p "$P/tmp"
for f in tmp/co-99999-0 tmp/co-99999-7 tmp/dl-Ab12Cd state.tmp.99999; do
	echo "half-written" >"$P/$f"
done
cmd_exits 0 "a pass" ferry -c ferry.conf sync
is "$(cd "$P" && ls tmp; ls | grep -c '^state\.tmp\.')" "0" \
    "removes every unfinished file a killed writer left"
is "$(git -C mirror status --porcelain --ignored)" "" \
    "and the tree has nothing git does not know"
file_exists "$P/state" "the state is kept"

done_testing
