#!/bin/bash
# t3003: ferry verify re-hashes every object reachable from HEAD, compares
# the working tree with HEAD and index.json with HEAD's tree, and says
# exactly what is wrong: a flipped byte in a loose object and in a packed
# one, a missing object, a changed, missing or extra file in the working
# tree, an index.json that disagrees with the tree.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT
T1=text/127.0.0.1_$PORT

# flip FILE: change one byte in the middle of FILE (made writable first).
flip() {
	chmod u+w "$1"
	"$PYTHON3" - "$1" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01
open(p, "wb").write(b)
EOF
}

loose() {
	local id
	id=$(git -C mirror rev-parse "$1")
	printf 'mirror/.git/objects/%s/%s' "${id:0:2}" "${id:2}"
}

cmd_exits 0 "a first pass" ferry -c ferry.conf sync
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
cmd_exits 0 "and a second" ferry -c ferry.conf sync
cmd_exits 0 "ferry verify on a sound mirror" ferry -c ferry.conf verify
like "$STDOUT" "^$TRASH/mirror: 2 commits, [0-9]+ objects re-hashed, 97 files and 50 index entries compared: no problem found$" \
    "gives a plain verdict"

# Objects.
ko=$(git -C mirror rev-parse "HEAD:$H2/redcards/ko.pdf")
f=$(loose "HEAD:$H2/redcards/ko.pdf")
cp "$f" "$TRASH/ko.obj"
flip "$f"
cmd_exits 1 "a flipped byte in a loose object" ferry -c ferry.conf verify
like "$STDOUT" "^object $ko \(blob $H2/redcards/ko.pdf\): expected a readable object, found a damaged one \([^)]+\)
.*: 1 problem found$" "is found, named by its id and its path"
rm -f "$f"
cmd_exits 1 "a missing object" ferry -c ferry.conf verify
like "$STDOUT" "^object $ko \(blob $H2/redcards/ko.pdf\): expected the object, found none: it is missing
" "is found"
cp "$TRASH/ko.obj" "$f"
old=$(git -C mirror rev-parse "HEAD~1:$H2/redcards/es.pdf")
f=$(loose "HEAD~1:$H2/redcards/es.pdf")
cp "$f" "$TRASH/es.obj"
rm -f "$f"
cmd_exits 1 "a missing object of an older commit" ferry -c ferry.conf verify
like "$STDOUT" "^object $old \(blob $H2/redcards/es.pdf\): expected the object, found none: it is missing
" "is found too: the whole history is checked"
cp "$TRASH/es.obj" "$f"
cmd_exits 0 "with the objects back, verify is clean" ferry -c ferry.conf verify

cmd_exits 0 "ferry gc packs everything" ferry -c ferry.conf gc
pack=$(ls mirror/.git/objects/pack/*.pack)
cp "$pack" "$TRASH/pack.bak"
flip "$pack"
cmd_exits 1 "a flipped byte in a packed object" ferry -c ferry.conf verify
like "$STDOUT" "^object [0-9a-f]{40} \((blob|tree|commit)[^)]*\): expected a readable object, found a damaged one" \
    "is found"
like "$(tail -n 1 <<<"$STDOUT")" "[1-9][0-9]* problems? found$" "and counted"
cp "$TRASH/pack.bak" "$pack"
cmd_exits 0 "the pack restored, verify is clean" ferry -c ferry.conf verify

# The working tree.
blob=$(git -C mirror rev-parse "HEAD:$H1/files/guide-for-employers.pdf")
size=$(git -C mirror cat-file -s "$blob")
flip "mirror/$H1/files/guide-for-employers.pdf"
new=$(git -C mirror hash-object "$H1/files/guide-for-employers.pdf")
rm "mirror/$T1/resources/community.html.txt"
echo "not ferry's" >"mirror/$H1/files/extra.pdf"
mkdir -p mirror/local && echo "the site's own" >mirror/local/flyer.txt
cmd_exits 1 "a working tree that differs from HEAD" ferry -c ferry.conf verify
got=$(grep -v '^/' <<<"$STDOUT")
expected="$H1/files/extra.pdf: expected nothing (not in HEAD), found a file of 12 bytes
$H1/files/guide-for-employers.pdf: expected blob $blob ($size bytes) as in HEAD, found blob $new ($size bytes)
$T1/resources/community.html.txt: expected blob $(git -C mirror rev-parse "HEAD:$T1/resources/community.html.txt") ($(git -C mirror cat-file -s "HEAD:$T1/resources/community.html.txt") bytes) as in HEAD, found no file"
is "$(sort <<<"$got")" "$(sort <<<"$expected")" \
    "each difference is one line: file, expected, found (local/ is not ferry's)"
like "$(tail -n 1 <<<"$STDOUT")" ": 3 problems found$" "the verdict counts them"
run ferry -c ferry.conf sync
like "$STDERR" "differs from HEAD in 3 files" "the next pass puts HEAD's files back"
cmd_exits 0 "after which verify is clean" ferry -c ferry.conf verify
file_exists mirror/local/flyer.txt "and local/ was left alone"

# index.json against the tree: a commit made by hand that lies.
(
	cd mirror || exit 1
	git show HEAD:index.json >"$TRASH/index.json"
	"$PYTHON3" - "$TRASH/index.json" <<'EOF'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for r in d["resources"]:
    if r["path"].endswith("/redcards/es.pdf"):
        r["sha256"] = "0" * 64
        r["size"] = 7
d["resources"] = [r for r in d["resources"]
                  if not r["path"].endswith("/redcards/fr.pdf")]
d["resources"].append(dict(d["resources"][-1], path="site/gone.pdf",
                           url="http://127.0.0.9/gone.pdf"))
json.dump(d, open(p, "w"), indent=2)
EOF
	cp "$TRASH/index.json" index.json
	echo "no page" >"$TRASH/orphan.txt"
	git add index.json
	git update-index --add --cacheinfo "100644,$(git hash-object -w "$TRASH/orphan.txt"),$T1/orphan.html.txt"
	mkdir -p "$T1" && cp "$TRASH/orphan.txt" "$T1/orphan.html.txt"
	git -c user.name=x -c user.email=x@example.org commit -q -m "by hand"
)
cmd_exits 1 "an index.json that disagrees with the tree" ferry -c ferry.conf verify
got=$(grep -v '^/' <<<"$STDOUT" | sort)
es=$(sha256sum <"mirror/$H2/redcards/es.pdf" | cut -d' ' -f1)
es_size=$(wc -c <"mirror/$H2/redcards/es.pdf")
expected="$H2/redcards/fr.pdf: expected listed in index.json, found not listed
$T1/orphan.html.txt: expected the text of a copy in HEAD, found no such copy
index.json: $H2/redcards/es.pdf: expected 7 bytes, found $es_size bytes in HEAD
index.json: $H2/redcards/es.pdf: expected sha256 $(printf '0%.0s' {1..64}), found sha256 $es in HEAD
index.json: site/gone.pdf: expected a copy in HEAD's tree, found no such file"
is "$got" "$(sort <<<"$expected")" "each disagreement is named"

cmd_exits 2 "two arguments are a usage error" ferry -c ferry.conf verify a b
cmd_exits 2 "--key without a directory is a usage error" \
    ferry -c ferry.conf verify --key ferry.pub
cmd_exits 1 "an argument that is not a stick is an error" \
    ferry -c ferry.conf verify now
like "$STDERR" "'now' is not a directory \\(give the stick's mount point\\)" \
    "it says what to give"

done_testing
