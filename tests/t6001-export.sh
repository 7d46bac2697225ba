#!/bin/bash
# t6001: ferry export writes HEAD's whole tree, its history and a signed
# MANIFEST to a directory; the copy opens offline, `ferry verify`,
# `minisign -V` and `git clone` accept it.  Names no stick can hold are
# refused before anything is written, as is an export that does not fit;
# the same export survives a round trip through a real FAT32 image.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf '[export]' '	key = k.key'

ok_cmd "a first sync builds the mirror" ferry -c ferry.conf sync ||
	bail_out "no mirror to export"

# A minisign public key is base64 and often holds a '/': such a key
# must be taken on the command line like any other, so use one.
for ((i = 0; i < 40; i++)); do
	ferry keygen -f k.key >/dev/null 2>&1 || bail_out "ferry keygen failed"
	case $(sed -n 2p k.pub) in */*) break ;; esac
done
PUB=$(sed -n 2p k.pub)
KEYID=$(sed -n '1s/^untrusted comment: minisign public key //p' k.pub)
like "$PUB" '^RW.*/' "the test key has a '/' in its base64 ($PUB)"

# tree_on_stick DIR: every file of HEAD's tree is in DIR, same bytes.
tree_on_stick() {
	git -C mirror ls-tree -r -z HEAD | "$PYTHON3" -c '
import hashlib, os, sys
root, bad, n = sys.argv[1].encode(), 0, 0
for ent in sys.stdin.buffer.read().split(b"\0"):
    if not ent:
        continue
    meta, path = ent.split(b"\t", 1)
    oid = meta.split()[2].decode()
    n += 1
    try:
        data = open(os.path.join(root, path), "rb").read()
    except OSError as e:
        print("missing: %s" % path.decode(errors="replace"))
        bad += 1
        continue
    if hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() != oid:
        print("differs: %s" % path.decode(errors="replace"))
        bad += 1
print("%d files, %d problems" % (n, bad))
sys.exit(1 if bad else 0)' "$1"
}

# manifest_files DIR: the number of "<sha256> <size> <path>" lines.
manifest_files() {
	grep -c '^[0-9a-f]\{64\} [0-9]\{1,\} ' "$1/MANIFEST"
}

# stick_files DIR: the files of DIR but MANIFEST, its signature, the key.
stick_files() {
	find "$1" -type f ! -path "$1/MANIFEST" ! -path "$1/MANIFEST.minisig" \
	    ! -path "$1/ferry.pub" | wc -l
}

HEAD=$(git -C mirror rev-parse HEAD)
cmd_exits 0 "export to a directory succeeds" ferry -c ferry.conf export stick
like "$STDOUT" "^exported ${HEAD:0:12} \(sequence 1\) to stick" \
    "it names the commit and the sequence"
ok_cmd "every file of HEAD's tree is on the stick with its bytes" \
    tree_on_stick stick
ok_cmd "every link of the copy works offline (index.html and site/)" \
    "$PYTHON3" "$RIG_DIR/checklinks.py" stick
file_missing stick/EXPORT-INCOMPLETE.txt "no EXPORT-INCOMPLETE.txt is left"
is "$(find stick -name '*.ferry-tmp' | wc -l)" 0 "no temporary file is left"

cmd_exits 0 "ferry verify --key RW... accepts the stick" \
    ferry verify --key "$PUB" stick
like "$STDOUT" "^stick: complete, signed by key $KEYID, exported 20[0-9]{2}-[0-9]{2}-[0-9]{2}, valid until 20[0-9]{2}-[0-9]{2}-[0-9]{2}
  [0-9]+ files, .*, all as listed; commit ${HEAD:0:12}, sequence 1" \
    "the verdict: complete, signed by the key in ferry.pub's comment"
cmd_exits 0 "ferry verify --key FILE.pub accepts the stick" \
    ferry verify --key k.pub stick
like "$STDOUT" "^stick: complete, signed by key $KEYID, exported" "complete"
like "$STDOUT" "complete, signed by key $KEYID" "with the same key id"
unlike "$STDOUT" "the one the stick carries" \
    "and does not call the key unpinned"
cmd_exits 0 "ferry verify without a key accepts the stick" ferry verify stick
like "$STDOUT" "complete, signed by key $KEYID" "it names the key id"
like "$STDOUT" "the key is the one the stick carries \(ferry\.pub\)" \
    "and says the key is the stick's own"
files_same stick/ferry.pub k.pub "ferry.pub on the stick is the public key"

if command -v minisign >/dev/null 2>&1; then
	ok_cmd "minisign -V accepts the MANIFEST" \
	    minisign -V -p stick/ferry.pub -m stick/MANIFEST
	like "$STDOUT" "Trusted comment: ferry export sequence 1 commit $HEAD" \
	    "the trusted comment names the sequence and the commit"
	cp -a stick resigned
	ok_cmd "minisign -S re-signs the MANIFEST with the same key" \
	    minisign -S -s k.key -m resigned/MANIFEST
	cmd_exits 0 "ferry verify accepts a MANIFEST signed by minisign" \
	    ferry verify --key k.pub resigned
	like "$STDOUT" "^resigned: complete, signed by key $KEYID" \
	    "with the complete verdict"
	rm -rf resigned
else
	for d in "minisign -V accepts the MANIFEST" \
	    "ferry verify accepts a MANIFEST signed by minisign"; do
		skip "$d" "minisign is not installed (Debian package minisign)"
	done
fi

ok_cmd "git clone of history.git works" git clone -q stick/history.git clone
is "$(git -C clone rev-parse 'HEAD^{tree}' 2>&1)" \
    "$(git -C mirror rev-parse 'HEAD^{tree}')" \
    "the clone's HEAD tree is the mirror's"
is "$(git -C clone rev-parse HEAD 2>&1)" "$HEAD" \
    "the clone's HEAD is the mirror's"
ok_cmd "git fsck of the clone is clean" git -C clone fsck --strict
ok_cmd "git fsck of history.git itself is clean" \
    git --git-dir=stick/history.git fsck --strict
is "$(manifest_files stick)" "$(stick_files stick)" \
    "MANIFEST lists every file but itself, its signature and ferry.pub"
is "$(sed -n 's/^files //p' stick/MANIFEST)" "$(manifest_files stick)" \
    "its files line counts them"
is "$(sed -n 's/^commit //p' stick/MANIFEST)" "$HEAD" \
    "its commit line is the mirror's HEAD"
is "$(sed -n 1p stick/MANIFEST)" "ferry manifest 1" "its first line"
is "$(tail -n 1 stick/MANIFEST)" "end" "its last line"
rm -rf clone

# Nasty names.  ferry index takes a Korean name; it keeps local names
# to the mirror's own limit (120 bytes), so the longer names go in with
# git itself: the export must hold its own line whatever HEAD has.
commit_all() {
	git -C mirror add -A local >/dev/null 2>&1 &&
	    git -C mirror -c user.name=T -c user.email=t@example.org \
	    commit -q -m "$1" >/dev/null 2>&1
}
ko=local/주민-안내-레드카드.pdf
long=local/$(printf '%0196d' 0 | tr 0 l).pdf
mkdir -p mirror/local
printf '%%PDF-1.4 주민 안내\n' >"mirror/$ko"
ok_cmd "ferry index takes a Korean name" ferry -c ferry.conf index
printf '%%PDF-1.4 long\n' >"mirror/$long"
ok "a 200-byte name is committed" commit_all "a long name"
is "$(printf '%s' "${long#local/}" | wc -c)" 200 "the long name is 200 bytes"
HEAD=$(git -C mirror rev-parse HEAD)
cmd_exits 0 "export with a Korean and a 200-byte name succeeds" \
    ferry -c ferry.conf export stick
files_same "stick/$ko" "mirror/$ko" "the Korean name is on the stick"
files_same "stick/$long" "mirror/$long" "the 200-byte name is on the stick"
cmd_exits 0 "verify accepts it" ferry verify --key k.pub stick
cp -a stick before

good=$HEAD
for bad in local/CON.pdf 'local/a:b.pdf'; do
	printf 'bad\n' >"mirror/$bad"
	commit_all "add $bad" || bail_out "cannot commit $bad"
	cmd_exits 1 "export refuses '$bad'" ferry -c ferry.conf export stick
	is "$STDERR" "ferry: export to 'stick' failed: cannot export '$bad': the name is not valid on a FAT32, exFAT or NTFS stick (rename the file)" \
	    "the message names '$bad' and says what to do"
	ok_cmd "the stick is left as it was ($bad)" diff -r before stick
	cmd_exits 0 "verify still accepts the stick ($bad)" \
	    ferry verify --key k.pub stick
	git -C mirror reset -q --hard "$good"
done
printf 'upper\n' >mirror/local/Flyer.pdf
printf 'lower\n' >mirror/local/flyer.pdf
commit_all "two flyers" || bail_out "cannot commit the flyers"
cmd_exits 1 "export refuses names that differ only in case" \
    ferry -c ferry.conf export stick
like "$STDERR" "cannot export '(local/Flyer\.pdf' and 'local/flyer\.pdf|local/flyer\.pdf' and 'local/Flyer\.pdf)': the names differ only in case" \
    "the message names both files"
ok_cmd "the stick is left as it was (case)" diff -r before stick
git -C mirror reset -q --hard "$good"
rm -rf before

# A real FAT32 file system, through mtools (no mount needed).
fat_skip() {
	local d
	for d in "export --fat32 to a FAT32 image, copied back, verifies" \
	    "a Korean name survives FAT32" "a 200-byte name survives FAT32"; do
		skip "$d" "$1"
	done
}
if ! command -v mkfs.vfat >/dev/null 2>&1; then
	fat_skip "mkfs.vfat is not installed (Debian package dosfstools)"
elif ! command -v mcopy >/dev/null 2>&1; then
	fat_skip "mcopy is not installed (Debian package mtools)"
else
	export MTOOLS_SKIP_CHECK=1 LC_ALL=C.UTF-8
	cmd_exits 0 "export --fat32 succeeds" \
	    ferry -c ferry.conf export --fat32 stick2
	is "$(find stick2 -name '.*' | wc -l)" 0 "the stick has no hidden file"
	truncate -s 64M fat.img &&
	    ok_cmd "mkfs.vfat makes a 64 MiB FAT32 image" \
	    mkfs.vfat -F 32 -n FERRYUSB fat.img
	shopt -s dotglob
	top=(stick2/*)
	shopt -u dotglob
	ok_cmd "mcopy copies the export into the image (${#top[@]} names)" \
	    mcopy -s -i fat.img "${top[@]}" ::/
	run mdir -i fat.img ::/local
	like "$STDOUT" "주민-안내-레드카드\.pdf" \
	    "mdir shows the Korean long name"
	like "$STDOUT" "${long#local/}" "mdir shows the 200-byte long name"
	mkdir out
	ok_cmd "mcopy copies everything back out" mcopy -s -i fat.img ::/ out/
	for f in MANIFEST MANIFEST.minisig ferry.pub index.html \
	    history.git/HEAD; do
		files_same "out/$f" "stick2/$f" "$f comes back from FAT32"
	done
	is "$(find out -type f | wc -l)" "$(find stick2 -type f | wc -l)" \
	    "as many files come back as went in"
	cmd_exits 0 "export --fat32 to a FAT32 image, copied back, verifies" \
	    ferry verify --key k.pub out
	like "$STDOUT" "^out: complete, signed by key $KEYID" "complete"
	files_same "out/$ko" "mirror/$ko" "a Korean name survives FAT32"
	files_same "out/$long" "mirror/$long" "a 200-byte name survives FAT32"
	rm -rf out stick2 fat.img
fi

# Free space, checked before anything is written.
mkdir small
if mount -t tmpfs -o size=512k tmpfs small 2>/dev/null; then
	at_exit "umount '$TRASH/small'"
	cmd_exits 1 "export to a 512 KiB file system is refused" \
	    ferry -c ferry.conf export small
	like "$STDERR" "not enough space on 'small': the export needs [0-9.]+ MB, [0-9.]+ MB free \([0-9.]+ MB short\); nothing was written" \
	    "the message says not enough space and the shortfall"
	is "$(ls -A small)" "" "nothing was written (no EXPORT-INCOMPLETE.txt)"
	umount small
else
	skip "export to a 512 KiB file system is refused" \
	    "cannot mount a tmpfs here (needs root)"
fi

# No key.
write_conf nokey.conf
cmd_exits 2 "export without [export] key is a configuration error" \
    ferry -c nokey.conf export stick3
like "$STDERR" "export\.key: missing" "the message names export.key"
file_missing stick3 "nothing is written"

done_testing
