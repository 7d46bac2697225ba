#!/bin/bash
# t3005: objects are packed with libgit2's packbuilder: by a pass once
# mirror.gc-threshold loose objects have piled up, and by ferry gc, which
# makes one pack of everything reachable and drops what nothing reaches.
# git reads the packs; fsync and gc-threshold are configuration keys.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf defaults.conf
write_conf ferry.conf '[mirror]' '	gc-threshold = 0'

loose() {
	find mirror/.git/objects -path '*/objects/[0-9a-f][0-9a-f]/*' -type f | wc -l
}
packs() {
	find mirror/.git/objects/pack -name '*.pack' 2>/dev/null | wc -l
}

cmd_exits 0 "ferry check shows the defaults" ferry -c defaults.conf check
like "$STDOUT" "	fsync = true
	gc-threshold = 1000" "fsync on, packing past 1000 loose objects"
write_conf bad.conf '[mirror]' '	fsync = maybe' '	gc-threshold = -1'
cmd_exits 2 "bad values are refused" ferry -c bad.conf check
like "$STDERR" "mirror\.fsync: invalid value 'maybe' \(use true or false\)" "naming fsync"
like "$STDERR" "mirror\.gc-threshold: invalid number '-1'" "and gc-threshold"

cmd_exits 0 "a first pass, gc-threshold = 0" ferry -c ferry.conf sync
before=$(loose)
ok "leaves its objects loose ($before)" test "$before" -gt 50
is "$(packs)" 0 "and makes no pack"
cmd_exits 0 "ferry gc" ferry -c ferry.conf gc
like "$STDOUT" "^$TRASH/mirror: $before objects in one pack; removed $before loose objects and 0 older packs; [0-9.]+ kB -> [0-9.]+ kB$" \
    "says what it packed"
is "$(loose)" 0 "no loose object is left"
is "$(packs)" 1 "one pack"
ok_cmd "git fsck --strict reads it" git -C mirror fsck --strict --no-dangling
is "$(git -C mirror count-objects -v | sed -n 's/^in-pack: //p')" "$before" "git counts every object in it"
cmd_exits 0 "ferry verify reads it" ferry -c ferry.conf verify

# Objects nothing reaches (a killed pass's downloads) and old packs.
echo "a download whose pass was killed" >"$TRASH/orphan"
orphan=$(git -C mirror hash-object -w "$TRASH/orphan")
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
cmd_exits 0 "another pass" ferry -c ferry.conf sync
ok "writes loose objects" test "$(loose)" -gt 1
cmd_exits 0 "ferry gc again" ferry -c ferry.conf gc
like "$STDOUT" "removed [0-9]+ loose objects and 1 older pack;" "replaces the older pack"
is "$(loose)" 0 "nothing is left loose"
is "$(packs)" 1 "one pack is left"
cmd_fails "the object nothing reached is gone" git -C mirror cat-file -e "$orphan"
ok_cmd "git fsck --strict is clean" git -C mirror fsck --strict --no-dangling
ok_cmd "every commit is whole" git -C mirror rev-list --objects --all --missing=print
unlike "$STDOUT" "^\?" "no object is missing"
cmd_exits 0 "ferry verify is clean" ferry -c ferry.conf verify

# A pass packs by itself past the threshold.
write_conf auto.conf '[mirror]' '	gc-threshold = 5'
cp "$SITE/127.0.0.2/redcards/en.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
sed -i 's/(213) 555-0142/(213) 555-0177/' "$SITE/127.0.0.1/resources/index.html"
echo "another orphan" >"$TRASH/orphan2"
orphan2=$(git -C mirror hash-object -w "$TRASH/orphan2")
cmd_exits 0 "a pass past the threshold" ferry -c auto.conf sync
is "$(loose)" 1 "packs what its history reaches: the orphan stays loose"
is "$(packs)" 2 "in a second pack"
ok_cmd "the orphan is still there (a pass removes nothing)" git -C mirror cat-file -e "$orphan2"
ok_cmd "git fsck --strict is clean" git -C mirror fsck --strict --no-dangling
cmd_exits 0 "ferry verify is clean" ferry -c ferry.conf verify
cmd_exits 0 "a pass with nothing new" ferry -c auto.conf sync
is "$(packs)" 2 "does not pack again"

cmd_exits 0 "fsync = false works" ferry -c ferry.conf sync
write_conf nosync.conf '[mirror]' '	fsync = false'
sed -i 's/(213) 555-0177/(213) 555-0178/' "$SITE/127.0.0.1/resources/index.html"
cmd_exits 0 "a pass with fsync off" ferry -c nosync.conf sync
like "$STDOUT" "1 updated" "commits as usual"
cmd_exits 0 "ferry verify is clean" ferry -c ferry.conf verify

# Flushing: one syncfs before the branch moves (the objects are on disk
# before anything names them) and one after; no fsync per object, which
# stalled the downloads.  fsync = false flushes nothing.
syncs() {	# syncs CONF: "syncfs fsync" calls of a changing pass
	sed -i "s/(213) 555-01[0-9][0-9]/(213) 555-01$((RANDOM % 90 + 10))/" \
	    "$SITE/127.0.0.1/resources/index.html"
	strace -f -qq -e trace=syncfs,fsync,fdatasync -o "$TRASH/strace" \
	    "$FERRY" -q -c "$1" sync >/dev/null 2>&1
	echo "$(grep -c 'syncfs(' "$TRASH/strace") $(grep -c 'fsync(' "$TRASH/strace")"
}
if command -v strace >/dev/null && strace -qq -o /dev/null true 2>/dev/null; then
	read -r nsyncfs nfsync <<<"$(syncs ferry.conf)"
	is "$nsyncfs" 2 "a commit flushes the file system twice"
	ok "with few fsyncs besides ($nfsync: the state, its directory)" \
	    [ "$nfsync" -le 3 ]
	is "$(syncs nosync.conf)" "0 0" "fsync = false flushes nothing"
else
	skip "strace cannot trace here" 3
fi

# Documents stay loose objects when a pass packs: one whose bytes do not
# compress, or one over 512 KiB; they gain nothing in a pack and packing
# reads each whole.  ferry gc, which repacks everything, takes them in.
{ printf '%%PDF-1.4\n'; head -c 800000 /dev/urandom; } >"$SITE/127.0.0.2/redcards/es.pdf"
{ printf '%%PDF-1.4\n'; head -c 20000 /dev/urandom; } >"$SITE/127.0.0.2/redcards/fr.pdf"
sed -i 's/(213) 555-01[0-9][0-9]/(213) 555-0176/' "$SITE/127.0.0.1/resources/index.html"
cmd_exits 0 "ferry gc first" ferry -c ferry.conf gc
cmd_exits 0 "a pass with a big document, past the threshold" ferry -c auto.conf sync
big=$(git -C mirror rev-parse "HEAD:site/127.0.0.2_$PORT/redcards/es.pdf")
small=$(git -C mirror rev-parse "HEAD:site/127.0.0.2_$PORT/redcards/fr.pdf")
file_exists "mirror/.git/objects/${big:0:2}/${big:2}" "the big document stays loose"
file_exists "mirror/.git/objects/${small:0:2}/${small:2}" \
    "so does a small one that does not compress"
is "$(packs)" 2 "while the rest of the pass is packed"
is "$(loose)" 2 "they alone"
ok_cmd "git fsck --strict is clean" git -C mirror fsck --strict --no-dangling
cmd_exits 0 "ferry verify is clean" ferry -c ferry.conf verify
cmd_exits 0 "ferry gc" ferry -c ferry.conf gc
file_missing "mirror/.git/objects/${big:0:2}/${big:2}" "takes it into the one pack"
ok_cmd "which git reads" git -C mirror cat-file -e "$big"

rm -rf empty && mkdir empty
write_conf empty.conf
sed -i 's|path = mirror|path = empty|' empty.conf
cmd_exits 1 "ferry gc with no mirror yet" ferry -c empty.conf gc
like "$STDERR" "no mirror at" "says so"
cmd_exits 2 "an argument is a usage error" ferry -c ferry.conf gc now

done_testing
