#!/bin/bash
# t4002: the site's own edits.  Files added under local/ (in a
# subdirectory too, with Spanish and Korean names) and changes to
# catalog.conf are taken by `ferry index`: the index lists them, one
# "edit: ..." commit records them, nothing is fetched, and a run with
# nothing changed commits nothing.  A symbolic link under local/ that
# leads outside the mirror is refused with a clear message; a sync pass
# keeps the local files and never overwrites them.  A removal is found
# against HEAD, even when the state file is older than HEAD.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf

ok_cmd "a first sync builds the mirror" ferry -c ferry.conf sync ||
	bail_out "no mirror to edit"

# json PYTHON-EXPRESSION over r (the resources) and by (by path)
json() {
	"$PYTHON3" -c 'import json,sys
d=json.load(open(sys.argv[1], encoding="utf-8")); r=d["resources"]
by={e["path"]: e for e in r}
print(eval(sys.argv[2]))' mirror/index.json "$1"
}
subject() { git -C mirror log -1 --format=%s; }
commits() { git -C mirror rev-list --count HEAD; }

es=local/formularios/guía-tarjeta-roja-español.pdf
ko=local/레드카드-한국어.pdf
fl=local/flyer.txt
mkdir -p mirror/local/formularios
printf '%%PDF-1.4 tarjeta roja\n' >"mirror/$es"
printf '%%PDF-1.4 레드카드\n' >"mirror/$ko"
printf 'Clinic on Saturdays\n' >"mirror/$fl"
n0=$(commits)
rig_log_clear

cmd_exits 0 "ferry index takes the new files" ferry -c ferry.conf index
like "$STDOUT" "3 local files; 3 added, 0 updated, 0 removed; commit" \
    "it says what it did"
is "$(rig_count)" 0 "nothing is fetched"
is "$(commits)" $((n0 + 1)) "one commit"
like "$(subject)" "^edit: local/" "its subject is 'edit: ...'"
body=$(git -C mirror log -1 --format=%b)
like "$body" "added    $es" "the commit lists the file in a subdirectory"
like "$body" "added    $ko" "the commit lists the Korean file name"
like "$body" "added    $fl" "the commit lists every file"
is "$(git -C mirror log -1 --format='%an <%ae>')" \
    "Ferry Test <ferry@example.org>" "the author is mirror.author"
is "$(git -C mirror show "HEAD:$ko" | od -An -tx1)" \
    "$(od -An -tx1 <"mirror/$ko")" "the file is committed as it is"
is "$(json "by['$es']['kind']")" local "index.json lists it as a local entry"
is "$(json "by['$es']['title']")" "guía-tarjeta-roja-español.pdf" \
    "its title is the file name"
is "$(json "by['$ko']['size']")" "$(wc -c <"mirror/$ko")" "with its size"
like "$(json "by['$ko']['fetched']")" "^20[0-9]{2}-[0-9]{2}-[0-9]{2}T" \
    "and the date it was added"
is "$(json "by['$ko']['languages']")" "['ko']" \
    "its language comes from its name"
page=$(cat mirror/index.html)
like "$page" "Added by this site" "index.html has a part for the site's files"
like "$page" "href=\"?local/formularios/gu%C3%ADa-tarjeta-roja-espa%C3%B1ol\.pdf" \
    "index.html links the file in the subdirectory"
like "$page" ">레드카드-한국어\.pdf</a>" "index.html shows the Korean name"
like "$(cat mirror/README.txt)" "Added by this site: 3 resources" \
    "README.txt counts them"
is "$(git -C mirror status --porcelain)" "" "git status is clean"

cmd_exits 0 "ferry index with nothing changed succeeds" \
    ferry -c ferry.conf index
like "$STDOUT" "no change" "and says so"
is "$(commits)" $((n0 + 1)) "and makes no commit"

cat >mirror/catalog.conf <<'CONF'
[resource "local/flyer.txt"]
	title = Saturday clinic flyer
	note = Also on the front door
CONF
cmd_exits 0 "ferry index after editing catalog.conf" ferry -c ferry.conf index
is "$(subject)" "edit: catalog.conf" "commits 'edit: catalog.conf'"
is "$(json "by['$fl']['title']")" "Saturday clinic flyer" \
    "the catalog's title applies to a local file"
is "$(json "by['$fl']['note']")" "Also on the front door" "so does its note"
like "$(cat mirror/index.html)" ">Saturday clinic flyer</a>" \
    "index.html shows the new title"
is "$(git -C mirror status --porcelain)" "" "git status is clean"

printf 'Clinic on Saturdays and Sundays\n' >"mirror/$fl"
rm "mirror/$ko"
cmd_exits 0 "ferry index after a change and a removal" \
    ferry -c ferry.conf index
body=$(git -C mirror log -1 --format=%b)
like "$body" "updated  $fl" "the commit lists the changed file"
like "$body" "removed  $ko" "and the removed one"
is "$(git -C mirror ls-tree --name-only HEAD -- "$ko")" "" \
    "the removed file is out of the commit"
is "$(json "'$ko' in by")" False "and out of the index"
is "$(json "by['$fl']['changed'] is not None")" True \
    "a changed file is marked changed"
is "$(git -C mirror status --porcelain)" "" "git status is clean"

printf 'not for the mirror\n' >outside.txt
ln -s "$TRASH/outside.txt" mirror/local/secret.txt
mkdir outdir && printf 'x\n' >outdir/x.txt
ln -s "$TRASH/outdir" mirror/local/dir
n1=$(commits)
cmd_exits 3 "ferry index refuses symbolic links (exit 3)" \
    ferry -c ferry.conf index
like "$STDERR" "cannot add 'local/secret\.txt': it is a symbolic link, which could lead outside the mirror" \
    "a link to a file is refused with a clear message"
like "$STDERR" "cannot add 'local/dir': it is a symbolic link" \
    "so is a link to a directory"
like "$STDOUT" "2 refused" "the summary counts them"
is "$(commits)" "$n1" "nothing is committed from them"
is "$(git -C mirror ls-tree -r --name-only HEAD -- local/secret.txt local/dir)" \
    "" "they are not in the tree"
unlike "$(cat mirror/index.html mirror/index.json)" "secret\.txt|not for the mirror" \
    "nor in the index"
rm mirror/local/secret.txt mirror/local/dir

cmd_exits 0 "a sync pass after local edits succeeds" ferry -c ferry.conf sync
is "$(cat "mirror/$fl")" "Clinic on Saturdays and Sundays" \
    "a sync never overwrites local/"
is "$(json "by['$fl']['title']")" "Saturday clinic flyer" \
    "the sync's index lists the local files too"
is "$(git -C mirror -c core.quotepath=false ls-tree --name-only HEAD -- \
    "$es")" "$es" \
    "and keeps them in the commit"
is "$(git -C mirror status --porcelain)" "" "git status is clean"

printf 'added before a sync\n' >mirror/local/new.txt
cmd_exits 0 "a sync pass takes a new local file" ferry -c ferry.conf sync
like "$(git -C mirror log -1 --format=%B)" \
    "added    local/new\.txt"$'\n'"         edited by hand in the mirror" \
    "its commit names the file as an edit"
is "$(git -C mirror status --porcelain)" "" "git status is clean"

rm mirror/catalog.conf
cmd_exits 0 "ferry index after removing catalog.conf" \
    ferry -c ferry.conf index
like "$(git -C mirror log -1 --format=%B)" "^edit: catalog\.conf.*removed  catalog\.conf" \
    "commits its removal"
is "$(json "by['$fl']['title']")" "flyer.txt" "its overrides no longer apply"
is "$(git -C mirror status --porcelain)" "" "git status is clean"

grep -v 'author = ' ferry.conf >anon.conf
printf 'by whoever runs ferry\n' >mirror/local/anon.txt
cmd_exits 0 "ferry index with no mirror.author" ferry -c anon.conf index
is "$(git -C mirror log -1 --format=%ae)" "$(id -un)@$(hostname)" \
    "the author is the user running it"

# A pass killed after its commit but before it saved its state leaves a
# state that does not know a file HEAD has: removing that file is still
# an edit, found in HEAD.
cp mirror/.git/ferry/state state.before
printf 'added by a pass that died\n' >mirror/local/killed.txt
cmd_exits 0 "ferry index takes a new file" ferry -c ferry.conf index
cp state.before mirror/.git/ferry/state
rm mirror/local/killed.txt
cmd_exits 0 "ferry index after its removal, with the older state" \
    ferry -c ferry.conf index
like "$STDOUT" "0 added, 0 updated, 1 removed; commit" "it says removed"
like "$(git -C mirror log -1 --format=%B)" "removed  local/killed\.txt" \
    "the commit records the removal"
ok "HEAD no longer has the file" eval \
    '! git -C mirror cat-file -e HEAD:local/killed.txt 2>/dev/null'
is "$(json "'local/killed.txt' in by")" False "the index no longer lists it"
is "$(git -C mirror status --porcelain)" "" "git status is clean"

rm -rf other && mkdir other
printf '[mirror]\n\tpath = nowhere\n[source "city"]\n\turl = %s\n' \
    "$SOURCE_URL" >other/ferry.conf
cmd_exits 1 "ferry index without a mirror fails" \
    ferry -c other/ferry.conf index
like "$STDERR" "no mirror at '.*nowhere' yet \(run 'ferry sync' first\)" \
    "and says to sync first"
file_missing other/nowhere "and creates nothing"

done_testing
