#!/bin/bash
# t3006: ferry restore writes an earlier version of a resource beside the
# copy, under restored/DATE-COMMIT/, for reading: by default the version
# before the current one (or the last one kept, for a resource the mirror
# no longer has), with --at the version as of a revision or a date.  The
# copy, the history and git status are left as they were.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT
T1=text/127.0.0.1_$PORT
U1=http://127.0.0.1:$PORT
U2=http://127.0.0.2:$PORT
cards=$SITE/127.0.0.2/redcards

cp "$cards/es.pdf" "$TRASH/es.v1"
cmd_exits 0 "a first pass" ferry -c ferry.conf sync
c1=$(git -C mirror rev-parse HEAD)
cp "$cards/fr.pdf" "$cards/es.pdf"
cp "$cards/es.pdf" "$TRASH/es.v2"
cmd_exits 0 "a second pass: the Spanish card changes" ferry -c ferry.conf sync
c2=$(git -C mirror rev-parse HEAD)
cp "$cards/en.pdf" "$cards/es.pdf"
hub=$SITE/127.0.0.1/resources/index.html
sed -i '/href="\/resources\/schools.html"/d' "$hub"
cmd_exits 0 "a third: it changes again, a page goes" ferry -c ferry.conf sync
c3=$(git -C mirror rev-parse HEAD)
day=$(date +%Y-%m-%d)

cmd_exits 0 "restore by URL" ferry -c ferry.conf restore "$U2/redcards/es.pdf"
dir=restored/$day-${c2:0:7}
is "$STDOUT" "$H2/redcards/es.pdf as it was on $day $(git -C mirror log -1 --format=%cd --date=format-local:%H:%M "$c2") (commit ${c2:0:12}): $TRASH/mirror/$dir/$H2/redcards/es.pdf
its text: $TRASH/mirror/$dir/text/${H2#site/}/redcards/es.pdf.txt" \
    "says which version went where, and where its text went"
files_same "mirror/$dir/$H2/redcards/es.pdf" "$TRASH/es.v2" \
    "the version before the current one"
files_same "mirror/$H2/redcards/es.pdf" "$cards/en.pdf" "the copy itself is unchanged"

cmd_exits 0 "restore --at a revision" ferry -c ferry.conf restore --at HEAD~2 "$H2/redcards/es.pdf"
files_same "mirror/restored/$day-${c1:0:7}/$H2/redcards/es.pdf" "$TRASH/es.v1" \
    "the version of that commit"
cmd_exits 0 "restore --at a commit id" ferry -c ferry.conf restore --at "${c2:0:10}" "$H2/redcards/es.pdf"
files_same "mirror/$dir/$H2/redcards/es.pdf" "$TRASH/es.v2" "an abbreviated id works"
cmd_exits 0 "restore --at a date" ferry -c ferry.conf restore --at "$day" "$U2/redcards/es.pdf"
files_same "mirror/restored/$day-${c3:0:7}/$H2/redcards/es.pdf" "$cards/en.pdf" \
    "the version at the end of that day"
cmd_exits 1 "restore --at a date before the mirror" ferry -c ferry.conf restore --at 2001-01-01 "$U2/redcards/es.pdf"
like "$STDERR" "no commit in mirror '.*' was made by 2001-01-01" "says so"

cmd_exits 0 "restore a page the mirror no longer has" ferry -c ferry.conf restore "$U1/resources/schools.html"
dir=restored/$day-${c2:0:7}
like "$STDOUT" "^$H1/resources/schools.html as it was on .* \(commit ${c2:0:12}\): $TRASH/mirror/$dir/$H1/resources/schools.html
its text: $TRASH/mirror/$dir/$T1/resources/schools.html.txt$" \
    "the last version kept, with its text"
is "$(git -C mirror show "$c2:$H1/resources/schools.html" | cmp - "mirror/$dir/$H1/resources/schools.html" && echo same)" \
    same "the page as the mirror kept it"
file_exists "mirror/$dir/$T1/resources/schools.html.txt"

is "$(git -C mirror rev-parse HEAD)" "$c3" "the history is unchanged"
is "$(git -C mirror status --porcelain)" "" "git status does not show restored/"
cmd_exits 0 "ferry verify is clean" ferry -c ferry.conf verify
cmd_exits 0 "a pass leaves restored/ alone" ferry -c ferry.conf sync
file_exists "mirror/$dir/$H1/resources/schools.html"

cmd_exits 1 "a resource that never changed" ferry -c ferry.conf restore "$U2/redcards/ko.pdf"
is "$STDERR" "ferry: no earlier version of '$U2/redcards/ko.pdf' in the mirror's history" \
    "has no earlier version"
cmd_exits 1 "a URL the mirror never had" ferry -c ferry.conf restore "$U2/nothing.pdf"
like "$STDERR" "no earlier version of '$U2/nothing.pdf'" "is refused"
cmd_exits 1 "--at where it was not" ferry -c ferry.conf restore --at HEAD "$H1/resources/schools.html"
like "$STDERR" "'$H1/resources/schools.html' was not in the mirror as of HEAD" "is refused"
cmd_exits 2 "no argument is a usage error" ferry -c ferry.conf restore

done_testing
