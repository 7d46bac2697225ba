#!/bin/bash
# t6004: a tampered stick is refused, by `ferry verify --key` and by
# `ferry import` at a receiving mirror that pins the key, with a line
# naming the file and what is wrong; the receiving mirror is left as it
# was (HEAD, git status, every file).  Each case starts from a fresh copy
# of a good stick: one byte changed in a PDF, a page added (under site/
# and at the root), a file removed, the MANIFEST edited, a MANIFEST
# re-signed by another key (with that key's ferry.pub), its commit line
# changed, its signature truncated, an older signed stick replayed, an
# expired one.  Without a pinned key, a stick re-signed with its own
# swapped ferry.pub passes, but shows the other key's id: that is why
# trust comes from the pinned key.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
unset FERRY_CONF
write_conf A.conf '[export]' '	key = ferry.key'
write_conf A-short.conf '[export]' '	key = ferry.key' '	valid-for = 1s'
H1=site/127.0.0.1_$PORT

# The pinned key is given as "RW..." text.  Its base64 holds a '/' in
# about half the keys: take one that does (a bounded number of tries), so
# that such a key is always tested and the test does not depend on luck.
for ((i = 0; i < 40; i++)); do
	ferry keygen -f ferry.key >/dev/null || bail_out "keygen failed"
	[[ $(sed -n 2p ferry.pub) == */* ]] && break
done
like "$(sed -n 2p ferry.pub)" '/' "the pinned key's text has a '/' (base64)"
ok_cmd "keygen makes another key" ferry keygen other.key ||
	bail_out "no second key"
KEY=$(sed -n 2p ferry.pub)
KEYID=$(sed -n '1s/^untrusted comment: minisign public key //p' ferry.pub)
OTHERID=$(sed -n '1s/^untrusted comment: minisign public key //p' other.pub)
like "$KEYID" '^[0-9A-F]{16}$' "the pinned key has an id"
isnt "$OTHERID" "$KEYID" "the other key has another id"

mkdir B
printf '[mirror]\n\tpath = mirror\n[import]\n\ttrusted-key = %s\n' "$KEY" \
    >B/ferry.conf

# The site changes: a hotline number (the first pass 0142 -> 0199, then
# 0199 -> 0777...).

ok_cmd "A's first sync" ferry -c A.conf sync || bail_out "no mirror A"
ok_cmd "the first export (sequence 1)" ferry -c A.conf export stick1 ||
	bail_out "no stick"
cp -a stick1 stick1-kept
ok_cmd "B takes in the first stick" ferry -c B/ferry.conf import stick1 ||
	bail_out "no mirror B"
site_hotline 0142 0199
ok_cmd "A syncs the changed site" ferry -c A.conf sync
cp -a stick1 good
ok_cmd "the second export (sequence 2) is the good stick" \
    ferry -c A.conf export good || bail_out "no good stick"
like "$(grep '^sequence ' good/MANIFEST)" '^sequence 2$' \
    "the good stick has sequence 2"
ok_cmd "the good stick verifies with the pinned key" \
    ferry verify --key "$KEY" good
head2=$(git -C mirror rev-parse HEAD)
isnt "$head2" "$(git -C B/mirror rev-parse HEAD)" \
    "the good stick would move B (so a refusal below means something)"

# snap: what must not change in B: HEAD, git status, every file's
# SHA-256 and name, the record of the last import.
snap() {
	git -C B/mirror rev-parse HEAD
	git -C B/mirror status --porcelain
	(cd B/mirror && find . -path ./.git -prune -o -type f -print0 |
	    LC_ALL=C sort -z | xargs -0 sha256sum)
	cat B/mirror/.git/ferry/import
}

# refused DIR LINE-REGEX WHAT: verify with the pinned key and import at B
# both refuse DIR with a line matching LINE-REGEX; B does not change.
refused() {
	local dir=$1 line=$2 what=$3 before
	cmd_exits 1 "$what: verify --key refuses it" \
	    ferry verify --key "$KEY" "$dir"
	like "$STDOUT" "(^|
)$line(
|$)" "$what: verify names the file and the problem"
	like "$STDOUT" "(^|
)$dir: NOT valid: [0-9]+ problems? found$" "$what: verify says NOT valid"
	unlike "$STDOUT" "complete, signed" "$what: verify does not say complete"
	before=$(snap)
	cmd_exits 1 "$what: import refuses it" \
	    ferry -c B/ferry.conf import "$dir"
	like "$STDOUT" "(^|
)$line(
|$)" "$what: import names the file and the problem"
	like "$STDERR" "refused '$dir'.*the mirror was not changed" \
	    "$what: import says refused"
	is "$(snap)" "$before" "$what: B's HEAD, status and files are unchanged"
}

# sha FILE: its SHA-256.
sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# set_manifest DIR PATH: DIR/MANIFEST lists DIR/PATH as it now is.
set_manifest() {
	local s n
	s=$(sha "$1/$2")
	n=$(wc -c <"$1/$2")
	awk -v p="$2" -v s="$s" -v n="$n" \
	    '$3 == p && NF == 3 { $1 = s; $2 = n } { print }' \
	    "$1/MANIFEST" >"$1/MANIFEST.new" && mv "$1/MANIFEST.new" "$1/MANIFEST"
}

# (1) One byte changed inside a PDF, the size kept.
pdf=$(awk '$3 ~ /^site\/.*\.pdf$/ { print $3; exit }' good/MANIFEST)
like "$pdf" '\.pdf$' "the good stick has a PDF under site/ ($pdf)"
cp -a good case-1
size=$(wc -c <"case-1/$pdf")
off=$((size / 2))
byte=$(od -An -tu1 -j "$off" -N1 "case-1/$pdf" | tr -d ' ')
printf "\\$(printf %03o $((byte ^ 1)))" |
    dd of="case-1/$pdf" bs=1 seek="$off" conv=notrunc status=none
is "$(wc -c <"case-1/$pdf")" "$size" "(1) the PDF keeps its size"
isnt "$(sha "case-1/$pdf")" "$(sha "good/$pdf")" "(1) but not its bytes"
old=$(sha "good/$pdf")
new=$(sha "case-1/$pdf")
refused case-1 "$pdf: expected $size bytes, SHA-256 ${old:0:16}\.\.\., \
found $size bytes, SHA-256 ${new:0:16}\.\.\." \
    "(1) a byte changed in a PDF"

# (2) A forged page added under site/; (2b) at the root.
forged='<html><body><p class="phone">Call (213) 555-6666 now</p></body></html>'
cp -a good case-2
printf '%s\n' "$forged" >"case-2/$H1/resources/hotline-update.html"
added='not in the MANIFEST \(added after the export\)'
refused case-2 "$H1/resources/hotline-update\.html: $added" \
    "(2) a page added under site/"
cp -a good case-2b
printf '%s\n' "$forged" >case-2b/urgent.html
refused case-2b "urgent\.html: $added" \
    "(2b) a page added at the root"

# (3) A file removed.
gone=$(awk '$3 ~ /^site\/.*\.html$/ { print $3; exit }' good/MANIFEST)
cp -a good case-3
rm "case-3/$gone"
refused case-3 "$gone: missing" "(3) a file removed"

SIG='MANIFEST\.minisig'
nomatch='the signature does not match the data'

# (4) A page forged and its MANIFEST line changed to match; the old
# signature kept.
page=$H1/resources/index.html
cp -a good case-4
printf '%s\n' "$forged" >"case-4/$page"
set_manifest case-4 "$page"
like "$(grep " $page\$" case-4/MANIFEST)" "^$(sha "case-4/$page") " \
    "(4) the MANIFEST lists the forged page's SHA-256"
refused case-4 "$SIG: $nomatch.*" \
    "(4) the MANIFEST edited"
run ferry verify --key "$KEY" case-4
like "$STDOUT" "^MANIFEST\.minisig: the signature does not match the data" \
    "(4) the problem line starts with the file it names (PATH: detail)"

# (5) The same forgery re-signed with another key, its ferry.pub too
# (minisign signs it: what a forger would use).
if command -v minisign >/dev/null; then
	cp -a case-4 case-5
	ok_cmd "(5) minisign re-signs the MANIFEST with the other key" \
	    minisign -S -s other.key -m case-5/MANIFEST
	cp other.pub case-5/ferry.pub
	ok_cmd "(5) minisign accepts it with the stick's (swapped) ferry.pub" \
	    minisign -V -p case-5/ferry.pub -m case-5/MANIFEST
	refused case-5 \
	    "$SIG: signed by key $OTHERID, not by the trusted key $KEYID" \
	    "(5) signed by another key"

	# Without a pinned key the swapped stick passes, with the other key's id.
	cmd_exits 0 "(5) without a pinned key, verify accepts the stick's own key" \
	    ferry verify case-5
	like "$STDOUT" "^case-5: complete, signed by key $OTHERID," \
	    "(5) it shows the id of the key that signed"
	like "$STDOUT" "the key is the one the stick carries \(ferry\.pub\)" \
	    "(5) it says the key is the stick's own"
	shown=$(sed -n 's/^case-5: complete, signed by key \([0-9A-F]*\),.*/\1/p' \
	    "$TRASH/.stdout")
	isnt "$shown" "$KEYID" \
	    "(5) the id shown is not the real key's: trust comes from the pinned key"
	cmd_exits 0 "the good stick without a pinned key" ferry verify good
	like "$STDOUT" "^good: complete, signed by key $KEYID," \
	    "shows the real key's id"
else
	skip "(5) a MANIFEST signed by another key" "minisign is not installed"
fi

# The commit line changed (the signature breaks).
cp -a good case-commit
awk '/^commit / { $2 = (substr($2, 1, 1) == "0" ? "1" : "0") substr($2, 2) }
    { print }' good/MANIFEST >case-commit/MANIFEST
isnt "$(grep '^commit ' case-commit/MANIFEST)" \
    "$(grep '^commit ' good/MANIFEST)" \
    "the commit line is changed"
refused case-commit "$SIG: $nomatch.*" \
    "the commit line changed"

# A truncated signature; an empty one.
cp -a good case-trunc
head -c 100 good/MANIFEST.minisig >case-trunc/MANIFEST.minisig
refused case-trunc "$SIG: .+" "a truncated MANIFEST.minisig"
cp -a good case-empty
: >case-empty/MANIFEST.minisig
refused case-empty "$SIG: .+" "an empty MANIFEST.minisig"

# (6) An older signed stick replayed after a newer one was taken in.
cmd_exits 0 "(6) verify alone accepts the older stick (signed, complete: stale)" \
    ferry verify --key "$KEY" stick1-kept
like "$STDOUT" "^stick1-kept: complete, signed by key $KEYID," \
    "(6) it says complete"
like "$STDOUT" "sequence 1$" "(6) with sequence 1"
cmd_exits 0 "(6) B takes in the good stick (sequence 2)" \
    ferry -c B/ferry.conf import good
is "$(git -C B/mirror rev-parse HEAD)" "$head2" "(6) B is at A's HEAD"
before=$(snap)
cmd_exits 1 "(6) the older stick is refused" \
    ferry -c B/ferry.conf import stick1-kept
like "$STDERR" "refused: this stick is older than what this mirror has \
\(its export sequence is 1, the mirror took in 2 already\)" \
    "(6) as older, with both sequence numbers"
is "$(snap)" "$before" "(6) B's HEAD, status and files are unchanged"

# (7) An expired stick.
site_hotline 0199 0777
ok_cmd "(7) A syncs the changed site" ferry -c A.conf sync
head3=$(git -C mirror rev-parse HEAD)
cp -a good expired
ok_cmd "(7) an export valid for 1 s" ferry -c A-short.conf export expired
sleep 2
exported=$(sed -n 's/^exported \(.\{10\}\).*/\1/p' expired/MANIFEST)
expires=$(sed -n 's/^expires \(.\{10\}\).*/\1/p' expired/MANIFEST)
like "$exported $expires" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{4}-[0-9]{2}-[0-9]{2}$' \
    "(7) the MANIFEST has its export and expiry dates"
cmd_exits 1 "(7) verify refuses the expired stick" \
    ferry verify --key "$KEY" expired
like "$STDOUT" "(^|
)MANIFEST: expired on $expires \(exported $exported\): ask for a newer stick" \
    "(7) verify says expired on (and when it was exported)"
like "$STDOUT" "(^|
)expired: NOT valid: 1 problem found$" "(7) and NOT valid"
before=$(snap)
cmd_exits 1 "(7) import refuses the expired stick" \
    ferry -c B/ferry.conf import expired
like "$STDERR" "refused 'expired': the export expired on $expires;.*--allow-expired" \
    "(7) with the --allow-expired hint"
is "$(snap)" "$before" "(7) B's HEAD, status and files are unchanged"
cmd_exits 0 "(7) import --allow-expired takes it in" \
    ferry -c B/ferry.conf import --allow-expired expired
like "$STDOUT" "(^|
)imported ${head3:0:12} \(sequence 3\) from expired: ${head2:0:12} -> ${head3:0:12}(
|$)" \
    "(7) it says what it took in"
like "$STDERR" "expired on $expires: imported all the same \(--allow-expired\)" \
    "(7) with a warning on stderr"
is "$(git -C B/mirror rev-parse HEAD)" "$head3" "(7) B is at A's new HEAD"
is "$(git -C B/mirror status --porcelain)" "" "(7) B's working tree is its HEAD"

done_testing
