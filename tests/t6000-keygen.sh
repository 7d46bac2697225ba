#!/bin/bash
# t6000: ferry keygen writes a key pair in minisign's formats (the secret
# key owner-only and without a password), never replaces one without -f,
# and minisign itself signs and verifies with it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
setup_trash

mode_of() {
	stat -c %a "$1" 2>/dev/null
}

cmd_exits 0 "keygen writes a key pair" ferry keygen ferry.key
file_exists ferry.key "the secret key is written"
file_exists ferry.pub "the public key is written next to it, as .pub"
is "$(mode_of ferry.key)" 600 "the secret key is readable by its owner only"
like "$(sed -n 1p ferry.pub)" '^untrusted comment: minisign public key [0-9A-F]{16}$' \
    "the .pub comment names the key id"
like "$(sed -n 2p ferry.pub)" '^RW[Q-T][A-Za-z0-9+/]{53}$' \
    "the .pub holds a minisign Ed25519 key"
is "$(wc -l <ferry.pub)" 2 "the .pub has two lines"
like "$(sed -n 1p ferry.key)" '^untrusted comment: ' "the secret key is minisign's"
like "$(sed -n 2p ferry.key)" '^RWQAAEIy' \
    "the secret key is Ed25519, not password-protected, checksum B2"
id=$(sed -n 's/^key id: *//p' "$TRASH/.stdout")
pubid=$(sed -n '1s/^untrusted comment: minisign public key //p' ferry.pub)
like "$id" '^[0-9A-F]{16}$' "keygen prints a key id"
is "$id" "$pubid" "the printed key id is the one in the .pub"
like "$STDOUT" "secret key: ferry\.key \(keep it private" "it names the secret key"
like "$STDOUT" "public key: ferry\.pub" "it names the public key"
like "$STDOUT" "\[import\]" "it shows the section to pin the key in"
is "$(sed -n 's/^[[:space:]]*trusted-key = //p' "$TRASH/.stdout")" \
    "$(sed -n 2p ferry.pub)" "and the key to pin is the .pub's"

# Never replace a key without -f.
cp ferry.key key.before
cp ferry.pub pub.before
cmd_exits 1 "a second keygen without -f fails" ferry keygen ferry.key
like "$STDERR" "ferry: 'ferry\.key' exists already" "it says which file exists"
like "$STDERR" "-f replaces it" "and how to replace it"
files_same ferry.key key.before "the secret key is unchanged"
files_same ferry.pub pub.before "the public key is unchanged"
mv ferry.key ferry.key.moved
cmd_exits 1 "an existing .pub alone is not replaced either" ferry keygen ferry.key
like "$STDERR" "'ferry\.pub' exists already" "it names the .pub"
file_missing ferry.key "and writes no secret key"
mv ferry.key.moved ferry.key
cmd_exits 0 "keygen -f replaces the key pair" ferry keygen -f ferry.key
newid=$(sed -n 's/^key id: *//p' "$TRASH/.stdout")
isnt "$newid" "$id" "the new key has a new id"
is "$(sed -n '1s/^untrusted comment: minisign public key //p' ferry.pub)" \
    "$newid" "the .pub is the new one"
is "$(mode_of ferry.key)" 600 "the new secret key is owner-only too"
ok "the secret key changed" test "$(cat ferry.key)" != "$(cat key.before)"

# Where the public key goes.
cmd_exits 0 "-p names the public key" ferry keygen -p other.pub other.key
file_exists other.pub "the public key is where -p says"
file_missing other.key.pub "and nowhere else"
cmd_exits 0 "a name without .key gets .pub appended" ferry keygen signer
file_exists signer.pub "signer.pub is written"

# minisign signs with the key and verifies with the .pub.
printf 'MANIFEST\nsite/index.html 1234 abc\n' >data
if command -v minisign >/dev/null 2>&1; then
	cmd_exits 0 "minisign -S signs with the ferry key, asking nothing" \
	    minisign -S -s ferry.key -m data -t "export 1"
	cmd_exits 0 "minisign -V verifies with the ferry .pub" \
	    minisign -V -p ferry.pub -m data
	like "$STDOUT" "Trusted comment: export 1" "minisign shows the trusted comment"
	cmd_exits 0 "minisign -V -P verifies with the pinned key line" \
	    minisign -V -P "$(sed -n 2p ferry.pub)" -m data
	cmd_fails "minisign -V refuses another ferry key" \
	    minisign -V -p other.pub -m data
	like "$STDERR" "key id" "minisign says the key ids differ"
	printf 'tampered\n' >>data
	cmd_fails "minisign -V refuses the changed data" \
	    minisign -V -p ferry.pub -m data
else
	for t in "minisign -S signs with the ferry key" \
	    "minisign -V verifies with the ferry .pub" \
	    "minisign -V -P verifies with the pinned key line" \
	    "minisign -V refuses another ferry key" \
	    "minisign -V refuses the changed data"; do
		skip "$t" "minisign is not installed (Debian package minisign)"
	done
	diag "SKIPPED: the minisign interoperability checks (no minisign)"
fi

# Bad usage and places that cannot be written.
cmd_exits 2 "keygen without a file is a usage error" ferry keygen
like "$STDERR" "usage: ferry .*keygen \[-f\] \[-p pubfile\] secfile" "it prints the usage"
cmd_exits 2 "two files is a usage error" ferry keygen a.key b.key
cmd_exits 2 "an unknown option is a usage error" ferry keygen -x a.key
cmd_exits 2 "the same file for both keys is refused" ferry keygen -p same same
like "$STDERR" "cannot both be written to 'same'" "it says why"
file_missing same "nothing is written"
cmd_exits 1 "a missing directory fails" ferry keygen no-such-dir/ferry.key
is "$STDERR" "ferry: cannot write secret key 'no-such-dir/ferry.key': No such file or directory" \
    "the message names the file and the reason"
: >afile
cmd_exits 1 "a file in place of a directory fails" ferry keygen afile/ferry.key
like "$STDERR" "cannot write secret key 'afile/ferry\.key': Not a directory" \
    "the message names the file and the reason"
cmd_exits 1 "an unwritable public key fails" ferry keygen -p no-such-dir/x.pub x.key
like "$STDERR" "cannot write public key 'no-such-dir/x\.pub'" "the message names the .pub"
file_missing x.key "and no secret key is left without its public key"
mkdir ro
chmod 0555 ro
if [ -w ro ]; then
	skip "a read-only directory fails" "running as root: every directory is writable"
else
	cmd_exits 1 "a read-only directory fails" ferry keygen ro/ferry.key
	like "$STDERR" "cannot write secret key 'ro/ferry\.key': Permission denied" \
	    "the message says permission was denied"
fi
chmod 0755 ro
ok "no temporary file is left" test -z "$(find . -name '*.tmp.*')"

cmd_exits 0 "ferry help keygen succeeds" ferry help keygen
like "$STDOUT" "without a password" "help says the key has no password"
like "$STDOUT" "0600" "and that the file is owner-only"
cmd_exits 0 "ferry --help lists keygen" ferry --help
like "$STDOUT" "keygen +make the key pair that signs exports" "with its summary"

done_testing
