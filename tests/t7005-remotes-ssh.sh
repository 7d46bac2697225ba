#!/bin/bash
# t7005: publish and follow over SSH, against a real OpenSSH server on
# 127.0.0.1 started by the test.  The hub pushes with a key file, a
# follower fetches with the SSH agent; the server's host key must be the
# one pinned ([credentials] ssh-host-key): without one, or with another,
# nothing is sent and the message gives the key the server presented.
# A key the server does not accept fails once, without looping.  No
# private key material appears in any output or file ferry writes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/remotes.sh"
[ -x "${SSHD:-/usr/sbin/sshd}" ] ||
	skip_all "no OpenSSH server (Debian package openssh-server)"
rig_start
unset FERRY_CONF SSH_AUTH_SOCK SSH_AGENT_PID

hub=$(bare_repo hub) || bail_out "no bare repository"
sshd_start
url=$SSHD_URL$hub
fp_re=$(sed 's/[+.]/\\&/g' <<<"$SSHD_FP")

# hub_conf FILE [CREDENTIAL-LINE...]: the hub publishing over SSH.
hub_conf() {
	local f=$1
	shift
	write_conf "$f" '[publish]' "	remote = $url" '[credentials]' "$@"
}

# --- the host key --------------------------------------------------------

hub_conf nopin.conf "	ssh-key = $TRASH/ssh/client"
cmd_exits 3 "no host key pinned: the pass commits, the push is refused" \
    ferry -c nopin.conf sync
like "$STDERR" "the SSH server's key is $fp_re, and none is pinned \(if that is the server's key, set \[credentials\] ssh-host-key to it\)" \
    "the message gives the fingerprint to pin"
is "$(git -C "$hub" rev-parse -q --verify main)" "" "nothing was pushed"
unlike "$(cat "$SSHD_LOG")" "Accepted publickey" "the key was never offered"

other=SHA256:$(printf '%043d' 0 | tr 0 A)
hub_conf wrong.conf "	ssh-key = $TRASH/ssh/client" "	ssh-host-key = $other"
cmd_exits 1 "another host key pinned: refused" ferry -c wrong.conf publish
like "$STDERR" "the SSH server's key is $fp_re, not the one \[credentials\] ssh-host-key names" \
    "it says the server's key changed"

# --- a key file ----------------------------------------------------------

hub_conf hub.conf "	ssh-key = $TRASH/ssh/client" "	ssh-host-key = $SSHD_FP"
cmd_exits 0 "the hub publishes over SSH with its key file" \
    ferry -c hub.conf publish
is "$(git -C "$hub" rev-parse main)" "$(git -C mirror rev-parse HEAD)" \
    "the SSH remote has the hub's HEAD"
like "$(cat "$SSHD_LOG")" "Accepted publickey for $(id -un)" \
    "the server accepted the key"
site_hotline 0142 0971
cmd_exits 0 "a pass that commits pushes over SSH" ferry -c hub.conf sync
is "$(git -C "$hub" rev-parse main)" "$(git -C mirror rev-parse HEAD)" \
    "and the remote has the new commit"

ssh-keygen -q -t ed25519 -N '' -f stranger || bail_out "no key"
hub_conf stranger.conf "	ssh-key = $TRASH/stranger" "	ssh-host-key = $SSHD_FP"
site_hotline 0971 0975
started=$SECONDS
cmd_exits 3 "a key the server does not accept: committed, not pushed" \
    timeout 30 "$FERRY" -c stranger.conf sync
like "$STDERR" "cannot push to '$url': " "fails with the remote named"
ok "and gives up at once ($((SECONDS - started)) s)" \
    test $((SECONDS - started)) -lt 10

# --- the SSH agent -------------------------------------------------------

eval "$(ssh-agent -s)" >/dev/null || bail_out "no ssh-agent"
at_exit "kill $SSH_AGENT_PID"
ssh-add -q "$TRASH/ssh/client" 2>/dev/null || bail_out "ssh-add failed"
ok_cmd "the hub pushes what the stranger's key could not" \
    ferry -c hub.conf publish
mkdir -p F
printf '[mirror]\n\tpath = mirror\n[follow]\n\tremote = %s\n' "$url" \
    >F/ferry.conf
printf '[credentials]\n\tssh-host-key = %s\n' "$SSHD_FP" >>F/ferry.conf
cmd_exits 0 "a follower fetches over SSH with the agent's key" \
    ferry -c F/ferry.conf sync
is "$(git -C F/mirror rev-parse HEAD)" "$(git -C mirror rev-parse HEAD)" \
    "its HEAD is the hub's"
is "$(git -C F/mirror rev-parse 'HEAD^{tree}')" \
    "$(git -C mirror rev-parse 'HEAD^{tree}')" "so is its tree"
site_hotline 0975 0976
ferry -c hub.conf sync >/dev/null 2>&1
cmd_exits 0 "the follower follows the next hub pass" ferry -c F/ferry.conf sync
is "$(git -C F/mirror rev-parse HEAD)" "$(git -C mirror rev-parse HEAD)" \
    "and is at the hub's HEAD again"

# --- no secret anywhere ------------------------------------------------------

secret=$(sed -n 2p "$TRASH/ssh/client")
leaks=$(grep -rlF -e "$secret" mirror/.git F/mirror/.git "$TRASH"/.stdout \
    "$TRASH"/.stderr 2>/dev/null | grep -v '/objects/')
is "$leaks" "" "no private key material in the mirrors' files or output"

done_testing
