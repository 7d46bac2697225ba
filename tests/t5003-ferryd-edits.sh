#!/bin/bash
# t5003: ferryd watches the site's own files.  A file written under
# local/ is in index.html and in an "edit: ..." commit within 3 s of the
# last write (default quiet period 2 s), authored by mirror.admin; a
# burst of 100 writes to one file makes at most 2 commits; an editor's
# write-to-temp-then-rename is one edit; a directory made after start is
# watched, however deep; catalog.conf is watched; a file removed is a
# commit too; an edit made while a pass runs is committed after it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start

. "$top_srcdir/tests/daemon.sh"
subject() { git -C mirror log -1 --format=%s; }
commits() { git -C mirror rev-list --count HEAD; }
committed() { [ "$(commits)" -gt "$1" ]; }	# committed N: more than N
within() {	# within MS DESC: the time since $T0 is at most MS
	local took=$(($(now_ms) - T0))
	if [ "$took" -le "$1" ]; then
		pass "$2 (${took} ms)"
	else
		fail "$2" "expected: at most $1 ms" "got:      $took ms"
	fi
}

write_conf ferry.conf '	interval = 1h' \
    '[mirror]' '	jitter = 0' '	admin = Ana Admin <ana@example.org>'
daemon_start d.log
ok "the first pass builds the mirror" \
    until_true 20 logged d.log "city: pass ended"
n=$(commits)

# One new file: index and commit within 3 s of the write.
mkdir -p mirror/local
printf 'Clinic on Saturdays\n' >mirror/local/flyer.txt
T0=$(now_ms)
ok "a new file under local/ is committed" until_true 5 committed "$n"
within 3000 "within 3 s of the write"
is "$(subject)" "edit: local/flyer.txt" "the subject names the file"
is "$(git -C mirror log -1 --format='%an <%ae>')" \
    "Ana Admin <ana@example.org>" "the author is mirror.admin"
like "$(cat mirror/index.html)" 'local/flyer\.txt' "index.html lists it"
is "$(git -C mirror show HEAD:local/flyer.txt)" "Clinic on Saturdays" \
    "the commit holds the file"
is "$(git -C mirror status --porcelain)" "" "git status is clean"

# 100 writes in a burst: at most 2 commits, the last content wins.
n=$(commits)
for i in $(seq 1 100); do
	printf 'version %d\n' "$i" >mirror/local/flyer.txt
	sleep 0.01
done
T0=$(now_ms)
ok "the burst is committed" until_true 5 committed "$n"
within 3000 "within 3 s of the last write"
sleep 2.5
made=$(($(commits) - n))
ok "100 rapid writes make at most 2 commits ($made)" test "$made" -le 2
is "$(git -C mirror show HEAD:local/flyer.txt)" "version 100" \
    "the last write is committed"

# An editor's save: write a temporary file, rename it over the old one.
n=$(commits)
printf 'Clinic on Saturdays and Sundays\n' >mirror/local/.flyer.txt.swp
mv mirror/local/.flyer.txt.swp mirror/local/flyer.txt
ok "a save by rename is committed" until_true 5 committed "$n"
sleep 2.5
is "$(commits)" $((n + 1)) "as one commit"
unlike "$(git -C mirror log -1 --format=%b)" "swp" \
    "the temporary file is not in it"

# A directory made after start, two levels deep, is watched.
n=$(commits)
mkdir -p mirror/local/nuevo/formularios
sleep 0.5
printf '%%PDF-1.4 tarjeta\n' >mirror/local/nuevo/formularios/tarjeta.pdf
ok "a file in a new directory is committed" until_true 5 eval \
    '[ "$(git -C mirror show HEAD:local/nuevo/formularios/tarjeta.pdf 2>/dev/null)" = "%PDF-1.4 tarjeta" ]'
n=$(commits)
printf '%%PDF-1.4 tarjeta 2\n' >mirror/local/nuevo/formularios/tarjeta.pdf
ok "a later write in the new directory is seen too" \
    until_true 5 committed "$n"
like "$(git -C mirror log -1 --format=%b)" \
    "updated +local/nuevo/formularios/tarjeta\.pdf" "the commit says updated"

# catalog.conf is watched.
n=$(commits)
printf '[resource "local/flyer.txt"]\n\ttitle = Weekend clinic\n' \
    >mirror/catalog.conf
ok "a change to catalog.conf is committed" until_true 5 committed "$n"
is "$(subject)" "edit: catalog.conf" "as 'edit: catalog.conf'"
like "$(cat mirror/index.html)" "Weekend clinic" "the index uses the title"

# Removing a file is an edit.
n=$(commits)
rm mirror/local/flyer.txt
ok "a removed file is committed" until_true 5 committed "$n"
like "$(git -C mirror log -1 --format=%b)" "removed +local/flyer\.txt" \
    "the commit says removed"

# An edit made while a pass runs is committed after the pass.
rig_rules '{"127.0.0.1/resources/": {"delay_ms": 3000}}'
ferry -c ferry.conf sync --now city >/dev/null ||
	fail "ferry sync --now city"
ok "a pass starts" until_true 5 eval \
    '[ "$(count d.log "city: pass started")" -ge 2 ]'
printf 'during the pass\n' >mirror/local/during.txt
ok "the edit is committed after the pass" until_true 15 eval \
    '[ "$(git -C mirror show HEAD:local/during.txt 2>/dev/null)" = "during the pass" ]'
order() { grep -E 'pass (started|ended)|edit: committing' d.log | tail -3 |
    tr '\n' ' '; }
ok "the edit is taken up once the pass has ended" until_true 5 eval \
    '[[ $(order) =~ "city: pass started".*"city: pass ended".*"edit: committing" ]]'
rig_rules '{}'

daemon_stop
done_testing
