#!/bin/bash
# t7004: publish and follow with nobody at the keyboard.  A hub ferryd
# crawls the sample site every 2 s and pushes to a git daemon (git://)
# and to smart HTTP with a token; a follower ferryd follows the git
# daemon every second.  The hub's passes push; the follower's scheduled
# passes bring it the hub's HEAD and tree; a change on the site reaches
# the follower through the daemons alone.  With the git daemon down the
# hub still commits, says the push failed and leaves that remote behind,
# while the follower's passes fail and its status says so; with the git
# daemon back on the same port the hub's next pass pushes and the
# follower catches up.  The token is in no log line, status or file
# under either mirror's .git/ferry.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/remotes.sh"
. "$top_srcdir/tests/daemon.sh"
rig_start
unset FERRY_CONF
export GIT_TERMINAL_PROMPT=0

TOKEN=tok-$RANDOM$RANDOM$RANDOM-daemon
printf '%s\n' "$TOKEN" >token
chmod 600 token
gd=$(bare_repo gd) && web=$(bare_repo web) || bail_out "no bare repositories"
gitd_start
githttp_start ferry "$TRASH/token"

write_conf hub.conf '	interval = 2s' \
    '[mirror]' '	jitter = 0' \
    '[fetch]' '	retries = 0' '	connect-timeout = 2s' \
    '[daemon]' '	backoff = 1s' \
    '[publish]' "	remote = $GITD_URL/gd.git" \
    "	remote = $GITHTTP_URL/web.git" \
    '[credentials]' "	token-file = $TRASH/token"
mkdir F
cat >F/ferry.conf <<EOF
[mirror]
	path = mirror
	jitter = 0
[follow]
	remote = $GITD_URL/gd.git
	interval = 1s
[daemon]
	backoff = 1s
EOF

head_of() { git -C "$1" rev-parse -q --verify "${2:-HEAD}" 2>/dev/null; }
hub_head() { head_of mirror; }
# pushed REPO: the bare repository's main is the hub's HEAD.
pushed() {
	local h
	h=$(hub_head) && [ -n "$h" ] &&
	    [ "$(head_of "$1" refs/heads/main)" = "$h" ]
}
caught_up() {
	local h
	h=$(hub_head) && [ -n "$h" ] && [ "$(head_of F/mirror)" = "$h" ]
}
# caught_up, and the follower's pass that moved HEAD is over (its
# working tree written): the last pass line of its log is an end.
settled() {
	caught_up && [ "$(grep -E "follow: pass (started|ended)" follow.log |
	    tail -n 1)" = "<6>follow: pass ended (ok)" ]
}
has_hotline() { git -C "$1" grep -q "555-$2" HEAD -- text/ 2>/dev/null; }
# since FILE N REGEX: a line matching REGEX after the first N lines.
since() { tail -n +"$(($2 + 1))" "$1" | grep -Eq -- "$3"; }
lines() { wc -l <"$1"; }
start() {	# start LOG CONF: ferryd on CONF; its pid in DPID
	daemon_start "$1" -c "$2"
}
stop() {	# stop PID: daemon_stop for that daemon
	DPID=$1
	daemon_stop
}

# --- the hub's passes push ------------------------------------------------

start hub.log hub.conf
HUB_PID=$DPID
ok "the hub's first pass pushes to the git daemon" until_true 20 pushed "$gd"
ok "and to the HTTP remote with the token" until_true 10 pushed "$web"
ok "the hub's log says the pass went well" \
    until_true 5 logged hub.log "city: pass ended \(ok\)"
ok "the HTTP server saw the user ferry" until_true 5 grep -q "user=ferry" "$GITHTTP_LOG"

# --- the follower's scheduled passes ---------------------------------------

start follow.log F/ferry.conf
FOL_PID=$DPID
ok "the follower's scheduled pass takes in the hub's HEAD" \
    until_true 15 settled
is "$(head_of F/mirror 'HEAD^{tree}')" "$(head_of mirror 'HEAD^{tree}')" \
    "the follower's tree is the hub's"
ok_cmd "the follower's site/ is the hub's, byte for byte" \
    diff -r F/mirror/site mirror/site
ok "the follower's log names its follow pass" \
    until_true 5 logged follow.log "follow: [0-9]+ new commits? of the hub"
ok "a second follow pass runs on the schedule" until_true 10 eval \
    '[ "$(count follow.log "follow: pass ended \(ok\)")" -ge 2 ]'
is "$(count follow.log "pass started")" \
    "$(count follow.log "follow: pass started")" \
    "every pass of the follower is a follow pass: it never crawls"

# --- a change on the site reaches the follower ------------------------------

site_hotline 0142 0931
ok "the hub commits the new hotline" until_true 15 has_hotline mirror 0931
ok "and pushes it to the git daemon" until_true 10 pushed "$gd"
ok "and to the HTTP remote" until_true 10 pushed "$web"
ok "the follower catches up" until_true 15 settled
ok "the follower has the new hotline" has_hotline F/mirror 0931
ok "the follower's index shows it" \
    until_true 5 grep -q 555-0931 F/mirror/index.html

# --- the git daemon down -----------------------------------------------------

old=$(hub_head)
h=$(lines hub.log)
f=$(lines follow.log)
gitd_stop
site_hotline 0931 0932
ok "with the git daemon down the hub still commits" \
    until_true 15 has_hotline mirror 0932
new=$(hub_head)
isnt "$new" "$old" "the hub's HEAD moved"
like "$(git -C mirror log -1 -p --format=%s -- text/)" "555-0932" \
    "git log shows the new hotline"
ok "the hub's log says the push failed" until_true 10 since hub.log "$h" \
    "publish: 1 of 2 failed, tried again after the next pass: .*git://127\.0\.0\.1:$GITD_PORT/gd\.git"
ok "and the pass ended partial (neither ok nor failed)" until_true 5 \
    since hub.log "$h" "city: pass ended \(partial: some resources or pushes failed\)"
is "$(head_of "$gd" refs/heads/main)" "$old" \
    "the git daemon remote is not updated"
ok "the HTTP remote is" until_true 10 pushed "$web"
ok "the follower's follow pass fails meanwhile" until_true 10 since \
    follow.log "$f" "follow: pass failed: .*gd\.git"
is "$(head_of F/mirror)" "$old" "the follower stays where it was"
cmd_exits 0 "the follower's ferry status" ferry -c F/ferry.conf status
printf '%s\n' "$STDOUT" >status-f-down.txt
like "$STDOUT" "last follow pass: [^
]*, failed" "the follower's status shows the failure"
like "$STDOUT" "taken in: ${old:0:12}" "and what it took in last"
cmd_exits 0 "the hub's ferry status" ferry -c hub.conf status
printf '%s\n' "$STDOUT" >status-hub-down.txt
like "$STDOUT" "git://127\.0\.0\.1:$GITD_PORT/gd\.git: has ${old:0:12}, [0-9]+ commits? behind; last push .* failed" \
    "the hub's status: the git daemon remote behind, its push failed"

# --- the git daemon back ----------------------------------------------------

h=$(lines hub.log)
gitd_start
ok "the hub's next pass pushes to the git daemon again" \
    until_true 15 pushed "$gd"
ok "the hub's pass ended ok" until_true 10 since hub.log "$h" \
    "city: pass ended \(ok\)"
ok "the follower catches up" until_true 15 settled
ok "with the hotline changed while the git daemon was down" \
    has_hotline F/mirror 0932
is "$(head_of F/mirror 'HEAD^{tree}')" "$(head_of mirror 'HEAD^{tree}')" \
    "the follower's tree is the hub's"
ok "its follow pass went well" until_true 10 eval \
    'ferry -c F/ferry.conf status >status-f-up.txt 2>&1 &&
    grep -q "last follow pass: .*, ok" status-f-up.txt'
like "$(cat status-f-up.txt)" "behind the hub by 0 commits" \
    "the follower's status: not behind"
ok "the hub's status: no failure left" until_true 5 eval \
    'ferry -c hub.conf status >status-hub-up.txt 2>&1 &&
    ! grep -q failed status-hub-up.txt'

stop "$FOL_PID"
stop "$HUB_PID"

# --- the token is nowhere ---------------------------------------------------

ferry -c hub.conf status --json >>status-hub-up.txt 2>&1
ferry -c F/ferry.conf status --json >>status-f-up.txt 2>&1
ok "the token file is not empty (the search means something)" \
    grep -qF "$TOKEN" token
leaks=$(grep -rlF -e "$TOKEN" hub.log follow.log status-*.txt \
    mirror/.git/ferry F/mirror/.git/ferry mirror/.git/config \
    F/mirror/.git/config 2>/dev/null)
is "$leaks" "" "no token in either log, any status or either .git/ferry"

done_testing
