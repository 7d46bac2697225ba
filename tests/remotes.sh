# tests/remotes.sh: real git servers on 127.0.0.1 for the publish and
# follow tests, sourced after tests/lib.sh.
#
# It owns the bare repositories under $TRASH/git, a smart-HTTP server
# (tests/rig/githttp.py running git http-backend) and a git daemon
# serving them, and stopping both when the script ends, whatever the
# outcome. It does not know what ferry should push or fetch: the
# scripts assert that.
#
#	. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
#	. "$top_srcdir/tests/remotes.sh"
#	hub=$(bare_repo hub)
#	githttp_start ferry "$TRASH/token"	# no arguments: no auth
#	gitd_start
#	... "$GITHTTP_URL/hub.git" ... "$GITD_URL/hub.git" ...
#	gitd_stop; ...; gitd_start	# down, then back on GITD_PORT

# A push to a git:// server that is down leaks inside libgit2 1.5;
# the suppression names libgit2's entry point, which only a full unwind
# of each allocation reaches (see tests/lsan-libgit2.supp).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$top_srcdir/tests/lsan-libgit2.supp"
export ASAN_OPTIONS LSAN_OPTIONS

GIT_ROOT=
GITHTTP_PID=
GITHTTP_PORT=
GITHTTP_URL=
GITHTTP_LOG=
GITHTTP_EXIT=
GITD_PID=
GITD_PORT=
GITD_URL=
GITD_LOG=
_remotes_armed=

# Setup shared by every function: the scratch directory, $TRASH/git,
# and the servers' stop at exit (registered once).
_remotes_setup() {
	setup_trash
	GIT_ROOT=$TRASH/git
	mkdir -p "$GIT_ROOT" || bail_out "cannot create $GIT_ROOT"
	if [ -z "$_remotes_armed" ]; then
		at_exit "githttp_stop; gitd_stop"
		_remotes_armed=1
	fi
	export GIT_ROOT
}

# bare_repo NAME [BRANCH]: an empty bare repository $TRASH/git/NAME.git
# whose HEAD names BRANCH (main); prints its path. In $(bare_repo ...)
# it runs in a subshell, where it cannot make $TRASH for the script:
# call setup_trash (or rig_start) first.
bare_repo() {
	local dir
	if [ -z "$TRASH" ] && [ "$BASH_SUBSHELL" -gt 0 ]; then
		echo "bare_repo: no scratch directory: call setup_trash" \
		    "first" >&2
		return 1
	fi
	_remotes_setup
	dir=$GIT_ROOT/$1.git
	if [ -e "$dir" ] ||
	    ! git init -q --bare --initial-branch="${2:-main}" "$dir" >&2; then
		echo "bare_repo: cannot create '$dir'" >&2
		return 1
	fi
	printf '%s\n' "$dir"
}

# Whether something accepts TCP connections on 127.0.0.1 port $1.
_remotes_listening() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --- smart HTTP ------------------------------------------------------

# githttp_start [USER PASSWORD-FILE]: serves $TRASH/git over smart HTTP
# (with Basic authentication when USER is given) on GITHTTP_PORT if
# set, else on a free port. Sets GITHTTP_URL, GITHTTP_PORT, GITHTTP_LOG
# (one line per request; Authorization values never written).
githttp_start() {
	local args=() port_file
	_remotes_setup
	githttp_stop
	if [ $# -gt 0 ]; then
		[ $# -eq 2 ] || bail_out "githttp_start: USER PASSWORD-FILE"
		args+=(--user "$1" --password-file "$2")
	fi
	[ -n "$GITHTTP_PORT" ] && args+=(--port "$GITHTTP_PORT")
	port_file=$TRASH/githttp.port
	GITHTTP_LOG=$TRASH/githttp.log
	: >>"$GITHTTP_LOG"
	rm -f "$port_file"
	"$PYTHON3" "$RIG_DIR/githttp.py" --root "$GIT_ROOT" \
	    --port-file "$port_file" --log "$GITHTTP_LOG" --watch-pid $$ \
	    "${args[@]}" </dev/null >>"$TRASH/githttp.err" 2>&1 &
	GITHTTP_PID=$!
	rig_wait_port "$port_file" GITHTTP_PID "the git HTTP server" \
	    "$TRASH/githttp.err"
	GITHTTP_PORT=$(cat "$port_file")
	_remotes_listening "$GITHTTP_PORT" ||
	    bail_out "the git HTTP server does not answer on $GITHTTP_PORT"
	GITHTTP_URL=http://127.0.0.1:$GITHTTP_PORT
	export GITHTTP_URL GITHTTP_PORT GITHTTP_LOG
}

# githttp_stop: stops the server; its exit status lands in GITHTTP_EXIT.
githttp_stop() {
	[ -n "$GITHTTP_PID" ] || return 0
	stop_pid "$GITHTTP_PID"
	GITHTTP_EXIT=$?
	GITHTTP_PID=
	return 0
}

# --- git daemon --------------------------------------------------------

# A port nobody listens on now (the kernel's choice).
_remotes_free_port() {
	"$PYTHON3" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# _gitd_try PORT: starts git daemon on PORT; 0 once it listens (it
# says "Ready to rumble" then), 1 when it exited (the port was taken),
# 2 on timeout.
_gitd_try() {
	local port=$1 i
	"$(git --exec-path)/git-daemon" --reuseaddr --listen=127.0.0.1 \
	    --port="$port" --base-path="$GIT_ROOT" --export-all \
	    --enable=receive-pack --informative-errors --verbose \
	    --log-destination=stderr \
	    </dev/null >>"$GITD_LOG" 2>&1 &
	GITD_PID=$!
	for ((i = 0; i < 200; i++)); do
		if ! _rig_alive "$GITD_PID"; then
			wait "$GITD_PID" 2>/dev/null
			GITD_PID=
			return 1
		fi
		grep -qs "^\[$GITD_PID\] Ready to rumble" "$GITD_LOG" &&
		    return 0
		sleep 0.05
	done
	return 2
}

# gitd_start: git daemon serving $TRASH/git (push enabled) on
# GITD_PORT if set, else on a free port. Sets GITD_URL, GITD_PORT and
# GITD_LOG.
gitd_start() {
	local fixed=$GITD_PORT i rc
	_remotes_setup
	gitd_stop
	GITD_LOG=$TRASH/gitd.log
	# A free port may be taken before the daemon binds it: another
	# one then. The same port again may still be held for a moment by
	# the previous daemon's last connection: a few more tries.
	for ((i = 0; i < 20; i++)); do
		if [ -z "$fixed" ]; then
			GITD_PORT=$(_remotes_free_port) ||
			    bail_out "cannot find a free port"
		fi
		_gitd_try "$GITD_PORT"
		rc=$?
		[ "$rc" -eq 1 ] || break
		sleep 0.25
	done
	if [ "$rc" -ne 0 ]; then
		_lib_tail "git daemon output" "$GITD_LOG"
		gitd_stop
		bail_out "git daemon did not listen on port $GITD_PORT"
	fi
	GITD_URL=git://127.0.0.1:$GITD_PORT
	export GITD_URL GITD_PORT GITD_LOG
}

# gitd_stop: stops the daemon and waits for it; GITD_PORT stays, so the
# next gitd_start listens on the same port again.
gitd_stop() {
	[ -n "$GITD_PID" ] || return 0
	stop_pid "$GITD_PID"
	GITD_PID=
	return 0
}

# --- OpenSSH ---------------------------------------------------------

SSHD=${SSHD:-/usr/sbin/sshd}
SSHD_PID=

# sshd_start: an OpenSSH server on 127.0.0.1 for this user only, with
# a host key and a client key of its own ($TRASH/ssh/client, allowed to
# log in). Sets SSHD_URL (ssh://USER@127.0.0.1:PORT, to which a path
# under $TRASH/git is appended), SSHD_FP (the host key's SHA256:
# fingerprint) and SSHD_LOG. Run as root, sshd wants /run/sshd, which
# the package makes at boot: made here when missing, and removed again.
sshd_start() {
	local d port i
	_remotes_setup
	[ -x "$SSHD" ] || bail_out "no $SSHD (Debian package openssh-server)"
	d=$TRASH/ssh
	mkdir -p "$d" && chmod 700 "$d"
	ssh-keygen -q -t ed25519 -N '' -C host -f "$d/host" &&
	    ssh-keygen -q -t ed25519 -N '' -C client -f "$d/client" &&
	    cp "$d/client.pub" "$d/authorized_keys" ||
		bail_out "cannot make the SSH keys"
	SSHD_FP=$(ssh-keygen -lf "$d/host.pub" | awk '{print $2}')
	if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
		mkdir -m 755 /run/sshd && at_exit "rmdir /run/sshd"
	fi
	SSHD_LOG=$TRASH/sshd.log
	for ((i = 0; i < 10; i++)); do
		port=$(_remotes_free_port) || bail_out "cannot find a free port"
		cat >"$d/sshd_config" <<-CONF
		Port $port
		ListenAddress 127.0.0.1
		HostKey $d/host
		AuthorizedKeysFile $d/authorized_keys
		PidFile $d/sshd.pid
		StrictModes no
		UsePAM no
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PubkeyAuthentication yes
		PermitRootLogin prohibit-password
		CONF
		"$SSHD" -D -e -f "$d/sshd_config" </dev/null >"$SSHD_LOG" 2>&1 &
		SSHD_PID=$!
		until_listening "$port" "$SSHD_PID" && break
		stop_pid "$SSHD_PID"
		SSHD_PID=
	done
	[ -n "$SSHD_PID" ] || {
		_lib_tail "sshd output" "$SSHD_LOG"
		bail_out "sshd did not listen"
	}
	at_exit "sshd_stop"
	SSHD_URL=ssh://$(id -un)@127.0.0.1:$port
	export SSHD_URL SSHD_FP SSHD_LOG
}

# until_listening PORT PID: 0 once PORT accepts connections, 1 when PID
# exited or after 20 seconds.
until_listening() {
	local i
	for ((i = 0; i < 400; i++)); do
		_remotes_listening "$1" && return 0
		_rig_alive "$2" || return 1
		sleep 0.05
	done
	return 1
}

sshd_stop() {
	[ -n "$SSHD_PID" ] || return 0
	stop_pid "$SSHD_PID"
	SSHD_PID=
	return 0
}
