#!/bin/bash
# t1107: remove-after.  A resource that answers 404 or 410 keeps its copy
# until it has done so in remove-after consecutive passes (3 by default);
# an answer in between starts the count again; the removal commit says
# why.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H2=site/127.0.0.2_$PORT
HUB=$SITE/127.0.0.1/resources/index.html
write_conf ferry.conf

n=10
pass_with() {	# pass_with CONF: one pass, with an edit so it commits
	n=$((n + 1))
	sed -i "s/(213) 555-01[0-9][0-9]/(213) 555-01$n/" "$HUB"
	run ferry -c "$1" sync
}

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync
cp "$SITE/127.0.0.2/redcards/es.pdf" es.good

rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 404}}'
for i in 1 2; do
	pass_with ferry.conf
	is "$RC" 3 "404 in pass $i: the pass exits 3"
	like "$(git -C mirror log -1 --format=%B)" \
	    "failed   http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(404 Not Found, previous copy kept\)" \
	    "404 in pass $i: the commit says the copy was kept"
	files_same "mirror/$H2/redcards/es.pdf" es.good \
	    "404 in pass $i: the copy is byte-identical"
done
pass_with ferry.conf
is "$RC" 3 "404 in pass 3: the pass exits 3"
like "$(git -C mirror log -1 --format=%B)" \
    "removed  $H2/redcards/es\.pdf
         http://127\.0\.0\.2:$PORT/redcards/es\.pdf \(404 Not Found\)" \
    "404 in pass 3 (remove-after = 3): the copy is removed, saying why"
file_missing "mirror/$H2/redcards/es.pdf" "and is gone from the copy"
rig_rules '{}'
pass_with ferry.conf
files_same "mirror/$H2/redcards/es.pdf" es.good "once it answers again, it is back"

# An answer between 404s starts the count again.
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 410}}'
pass_with ferry.conf
pass_with ferry.conf
rig_rules '{}'
pass_with ferry.conf
is "$RC" 0 "a pass where it answers again succeeds"
rig_rules '{"127.0.0.2/redcards/es.pdf": {"status": 410}}'
pass_with ferry.conf
pass_with ferry.conf
files_same "mirror/$H2/redcards/es.pdf" es.good \
    "410, 410, 200, 410, 410: the copy is still kept"

# remove-after = 1: the first 404 removes.
write_conf once.conf "[fetch]" "	remove-after = 1"
rig_rules '{"127.0.0.2/redcards/fr.pdf": {"status": 404}}'
pass_with once.conf
is "$RC" 3 "with remove-after = 1 a 404 fails the pass"
like "$(git -C mirror log -1 --format=%B)" "removed  $H2/redcards/fr\.pdf
         http://127\.0\.0\.2:$PORT/redcards/fr\.pdf \(404 Not Found\)" \
    "and removes the copy at once"
file_missing "mirror/$H2/redcards/fr.pdf" "the copy is gone"
ok_cmd "every link of the offline copy still works" \
    "$PYTHON3" "$RIG_DIR/checklinks.py" mirror

done_testing
