#!/bin/bash
# t6007: FAT32 holds no file of 4 GiB or more.  A mirror whose HEAD has a
# document of 4 GiB + 1 byte (a real git object, written here as a loose
# zlib stream of zeros so the test stays quick) is refused by `ferry
# export --fat32` before anything is written, with the file, its size and
# what to do; without the big file the same export goes through.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf '[export]' '	key = ferry.key'
ferry keygen ferry.key >/dev/null || bail_out "no key"
ok_cmd "a first sync" ferry -c ferry.conf sync || bail_out "no mirror"
good=$(git -C mirror rev-parse HEAD)

# The loose object of a blob of 4 GiB + 1 zero bytes, streamed.
size=$((4 * 1024 * 1024 * 1024 + 1))
oid=$("$PYTHON3" - mirror/.git/objects "$size" <<'PY'
import hashlib, os, sys, zlib
objects, size = sys.argv[1], int(sys.argv[2])
head = b"blob %d\0" % size
sha, z = hashlib.sha1(head), zlib.compressobj(1)
chunk = bytes(1 << 20)
tmp = os.path.join(objects, "tmp_big")
with open(tmp, "wb") as f:
    f.write(z.compress(head))
    left = size
    while left:
        part = chunk if left >= len(chunk) else bytes(left)
        sha.update(part)
        f.write(z.compress(part))
        left -= len(part)
    f.write(z.flush())
hexid = sha.hexdigest()
os.makedirs(os.path.join(objects, hexid[:2]), exist_ok=True)
os.rename(tmp, os.path.join(objects, hexid[:2], hexid[2:]))
print(hexid)
PY
) || bail_out "cannot write the big object"
is "$(git -C mirror cat-file -s "$oid")" "$size" "git sees a blob of 4 GiB + 1"

# Commit it under local/ with git's plumbing, beside the mirror's files.
export GIT_INDEX_FILE=$TRASH/big.index
git -C mirror read-tree HEAD
git -C mirror update-index --add --cacheinfo "100644,$oid,local/disk-image.iso"
tree=$(git -C mirror write-tree)
commit=$(git -C mirror -c user.name=Test -c user.email=test@example.org \
    commit-tree "$tree" -p HEAD -m "edit: local/disk-image.iso")
unset GIT_INDEX_FILE
git -C mirror update-ref refs/heads/main "$commit" "$good"

mkdir stick
cmd_exits 1 "export --fat32 refuses a file of 4 GiB" \
    ferry -c ferry.conf export --fat32 stick
like "$STDERR" "cannot export 'local/disk-image.iso' \\(4294967297 bytes\\) to 'stick': FAT32 holds no file of 4 GiB or more \\(format the stick as exFAT\\)" \
    "the message names the file, its size and what to do"
is "$(ls -A stick)" "" "nothing was written to the stick"

git -C mirror update-ref refs/heads/main "$good" "$commit"
cmd_exits 0 "without that file the same export goes through" \
    ferry -c ferry.conf export --fat32 stick
cmd_exits 0 "and the stick verifies" ferry verify --key ferry.pub stick

done_testing
