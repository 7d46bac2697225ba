#!/bin/bash
# t6003: a stick pulled out mid-export.  ferry export is killed (SIGKILL)
# at random moments, on an empty stick and on a stick holding an older
# export; each time `ferry verify` says incomplete (exit 1) unless the
# export finished or never touched the stick, never "complete" over a
# wrong file; the next export repairs the stick and leaves no temporary
# file behind.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
# One collection page of PDFs more (about 12 MB): an export that takes
# long enough to be interrupted.
"$PYTHON3" "$RIG_DIR/gensite.py" --out "$SITE" --port "$PORT" --scale 1 \
    >/dev/null 2>"$TRASH/gensite.err" || bail_out "cannot scale the site"
write_conf ferry.conf '[export]' '	key = k.key'
ROUNDS=30
SEED=${FERRY_YANK_SEED:-6003}
RANDOM=$SEED
diag "random seed $SEED (set FERRY_YANK_SEED to replay another)"

ok_cmd "a first sync builds the mirror" ferry -c ferry.conf sync ||
	bail_out "no mirror to export"
ferry keygen k.key >/dev/null 2>&1 || bail_out "ferry keygen failed"

# When a whole export writes to the stick (it prepares its history
# first), from EXPORT-INCOMPLETE.txt's making to its removal: most kills
# land in that span.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}
mkdir calib
t0=$(now_ms)
"$FERRY" -c ferry.conf export calib >calib.out 2>&1 &
pid=$!
for ((i = 0; i < 6000; i++)); do
	[ -e calib/EXPORT-INCOMPLETE.txt ] && break
	_rig_alive "$pid" || break
	sleep 0.005
done
t1=$(now_ms)
for ((i = 0; i < 6000; i++)); do
	[ -e calib/EXPORT-INCOMPLETE.txt ] || break
	sleep 0.005
done
t2=$(now_ms)
wait "$pid"
status=$?
t3=$(now_ms)
is "$status" 0 "a whole export to a scratch stick succeeds"
SPAN=$((t2 - t1))
[ "$SPAN" -gt 0 ] || SPAN=1
TOTAL=$((t3 - t0))
diag "a whole export takes $TOTAL ms; it writes to the stick from" \
    "$((t1 - t0)) ms to $((t2 - t0)) ms"
rm -rf calib

# tree_on_stick DIR COMMIT: every file of COMMIT's tree is in DIR, with
# its bytes (checked against git, not against the MANIFEST).
tree_on_stick() {
	git -C mirror ls-tree -r -z "$2" | "$PYTHON3" -c '
import hashlib, os, sys
root, bad = sys.argv[1].encode(), 0
for ent in sys.stdin.buffer.read().split(b"\0"):
    if not ent:
        continue
    meta, path = ent.split(b"\t", 1)
    try:
        data = open(os.path.join(root, path), "rb").read()
    except OSError:
        data = None
    oid = meta.split()[2].decode()
    if data is None or hashlib.sha1(b"blob %d\0" % len(data) +
                                    data).hexdigest() != oid:
        print("wrong or missing: %s" % path.decode(errors="replace"))
        bad += 1
sys.exit(1 if bad else 0)' "$1"
}

# change_site N: a small change: the hotline number and one red card.
change_site() {
	local hub=$SITE/127.0.0.1/resources/index.html
	local cards=(en fr ar ru vi ja)
	sed -i "s/(213) 555-01[0-9][0-9]/(213) 555-01$((10 + $1))/" "$hub"
	cp "$SITE/127.0.0.2/redcards/${cards[$(($1 % 6))]}.pdf" \
	    "$SITE/127.0.0.2/redcards/es.pdf"
	touch "$hub" "$SITE/127.0.0.2/redcards/es.pdf"
}

# The kills after writing began land within CAP ms of it; CAP shrinks
# after an export that finished first and grows after a hit, so that
# most kills land mid-write on a fast machine and on a slow one alike.
CAP=$((SPAN / 2 + 1))
hits=0 finished=0 untouched=0 bad=0 uphits=0
JOURNAL_SAYS="the last export to this stick did not finish"
NO_MANIFEST_SAYS="missing: no export finished on this stick"

# wait_writing PID: until the export PID has begun writing to the stick
# (or has ended), within 30 seconds.
wait_writing() {
	local i
	for ((i = 0; i < 6000; i++)); do
		[ -e stick/EXPORT-INCOMPLETE.txt ] && return 0
		_rig_alive "$1" || return 0
		sleep 0.005
	done
}
for ((r = 1; r <= ROUNDS; r++)); do
	# Two rounds in three start from an empty stick (a whole export);
	# the third changes the site and updates the stick's older export.
	if ((r % 3)); then
		rm -rf stick && mkdir stick
		kind=whole
		before=
	else
		change_site "$r"
		ferry -c ferry.conf sync >/dev/null 2>&1 ||
			bail_out "round $r: the sync failed"
		kind=incremental
		before=$(cat stick/MANIFEST)
	fi
	# Most whole exports are killed at a random moment after they begin
	# writing to the stick; the others at a random moment after start.
	"$FERRY" -c ferry.conf export stick >export.out 2>&1 &
	pid=$!
	if [ "$kind" = whole ] && ((RANDOM % 8)); then
		wait_writing "$pid"
		delay=$((RANDOM % (CAP + 1)))
		when="$delay ms after it began writing"
		mode=writing
	elif [ "$kind" = incremental ] && ((RANDOM % 2)); then
		# An update writes little: kill it as soon as it begins.
		wait_writing "$pid"
		delay=$((RANDOM % 3))
		when="$delay ms after it began writing"
		mode=update
	else
		delay=$((RANDOM % (TOTAL + TOTAL / 5 + 1)))
		when="$delay ms after the start"
		mode=start
	fi
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	status=$?
	run ferry verify --key k.pub stick
	v=$RC
	commit=$(sed -n 's/^commit //p' stick/MANIFEST 2>/dev/null)
	what="round $r ($kind, killed $when, export status $status,"
	what+=" verify exit $v)"
	if [ "$status" -eq 0 ]; then
		finished=$((finished + 1))
		if [ "$v" -eq 0 ] && [[ $STDOUT =~ ": complete, signed by key" ]] &&
		    tree_on_stick stick "$commit" >tree.out; then
			pass "$what: finished, verify says complete"
		else
			bad=$((bad + 1))
			fail "$what: finished, verify says complete" "$STDOUT" \
			    "$STDERR" "$(cat tree.out 2>/dev/null)"
		fi
	elif [ "$status" -ne 137 ]; then
		bad=$((bad + 1))
		fail "$what: the export neither finished nor was killed" \
		    "$(cat export.out)"
	elif [ "$v" -eq 1 ] && [[ $STDOUT =~ "stick: incomplete: " ]] &&
	    { [[ $STDOUT =~ "EXPORT-INCOMPLETE.txt: $JOURNAL_SAYS" ]] ||
	    [[ $STDOUT =~ "MANIFEST: $NO_MANIFEST_SAYS" ]]; }; then
		[ -e stick/EXPORT-INCOMPLETE.txt ] && hits=$((hits + 1))
		[ -e stick/EXPORT-INCOMPLETE.txt ] && [ "$kind" = incremental ] &&
			uphits=$((uphits + 1))
		[ -e stick/EXPORT-INCOMPLETE.txt ] ||
			untouched=$((untouched + 1))
		pass "$what: verify says incomplete"
	elif [ "$v" -eq 0 ] && [ ! -e stick/EXPORT-INCOMPLETE.txt ] &&
	    [ "$commit" = "$(git -C mirror rev-parse HEAD)" ] &&
	    [ "$(cat stick/MANIFEST)" != "$before" ] &&
	    tree_on_stick stick "$commit" >tree.out; then
		finished=$((finished + 1))
		pass "$what: killed after the stick was finished, all as listed"
	elif [ "$v" -eq 0 ] && [ -n "$before" ] &&
	    [ "$(cat stick/MANIFEST)" = "$before" ] &&
	    [ ! -e stick/EXPORT-INCOMPLETE.txt ] &&
	    tree_on_stick stick "$commit" >tree.out; then
		untouched=$((untouched + 1))
		pass "$what: killed before it began, the older export is whole"
	else
		bad=$((bad + 1))
		fail "$what: verify says incomplete" "expected: exit 1," \
		    "incomplete" "got:" "$STDOUT" "$STDERR" \
		    "$(cat tree.out 2>/dev/null)"
	fi

	if [ "$mode" = writing ]; then
		if [ -e stick/EXPORT-INCOMPLETE.txt ]; then
			CAP=$((CAP + CAP / 10 + 1))
			[ "$CAP" -gt "$SPAN" ] && CAP=$SPAN
		else
			CAP=$((CAP * 2 / 3 + 1))
		fi
	fi

	run "$FERRY" -c ferry.conf export stick
	e=$RC
	run ferry verify --key k.pub stick
	tmp=$(find stick -name '*.ferry-tmp' | head -3)
	if [ "$e" -eq 0 ] && [ "$RC" -eq 0 ] && [ -z "$tmp" ] &&
	    [ ! -e stick/EXPORT-INCOMPLETE.txt ] &&
	    tree_on_stick stick "$(git -C mirror rev-parse HEAD)" >tree.out
	then
		pass "round $r: the next export repairs the stick"
	else
		bad=$((bad + 1))
		fail "round $r: the next export repairs the stick" \
		    "export exit $e, verify exit $RC" "$STDOUT" "$STDERR" \
		    "temporary files: $tmp" "$(cat tree.out 2>/dev/null)"
	fi
done
msg="$ROUNDS rounds: $hits killed mid-export, $untouched killed before"
msg+=" the stick was touched, $finished finished on the stick;"
diag "$msg $bad went wrong" \
    "$uphits of the mid-export kills interrupted an update of an older export" \
    "(kills after writing began: within $CAP ms at the end)"
ok "at least 10 of $ROUNDS kills landed mid-export ($hits)" test "$hits" -ge 10
is "$(find stick -name '*.ferry-tmp' | wc -l)" 0 \
    "no *.ferry-tmp file is left on the stick"
ok_cmd "the stick verifies at the end" ferry verify --key k.pub stick

done_testing
