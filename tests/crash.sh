#!/bin/bash
# tests/crash.sh: kill "ferry sync" with SIGKILL at random moments and
# check that nothing is ever half-written or lost.
#
#	tests/crash.sh [--kills N] [--seed S]	(run from the build directory,
#						or set top_builddir)
#
# The sample site changes before every pass (a red card's bytes, a
# hotline number, a page's text, a card unlinked or linked again).  Each
# pass is killed after a random delay drawn from the length of the
# previous passes, some with the server slowed down (delay_ms, drip) so
# that kills land while fetching, others timed for the end of a pass
# (writing objects, committing, checking out, saving the state, packing:
# mirror.gc-threshold is low so that automatic packing happens too).
# After each kill:
#
#   - git fsck --strict is clean, and HEAD is a complete pass: its
#     index.json lists every site/ file of its tree and nothing else,
#     every page has its text, every document has the listed SHA-256;
#   - no resource that had a copy before the killed pass lost it, unless
#     the site stopped linking it;
#   - the next pass succeeds, and then ferry verify is clean, git fsck
#     --strict is clean, the working tree is HEAD, and the mirror holds
#     exactly the site as served (tests/rig/checkmirror.py);
#   - every fifth kill, a "ferry gc" is killed too, and the same checks
#     follow it.
#
# Output is TAP, one test per kill; the last lines sum up the kills by
# the phase they interrupted, the passes and the corruption found.  The
# reduced form runs in make check (t3010-crash.sh); the full form is
# "tests/crash.sh --kills 200".  FERRY_VALGRIND=1 runs the recovering
# passes and the checks under valgrind (the killed passes run bare).

kills=200
seed=${FERRY_CRASH_SEED:-$$}
while [ $# -gt 0 ]; do
	case $1 in
	--kills) kills=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	*) echo "usage: $0 [--kills N] [--seed S]" >&2; exit 2 ;;
	esac
done

if [ -z "${top_builddir:-}" ] && [ -x "$PWD/mirror/ferry" ]; then
	top_builddir=$PWD
fi
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

[ -x "$FERRY" ] || bail_out "no ferry at $FERRY (run from the build directory)"
command -v git >/dev/null || skip_all "git is not installed"

rig_start
write_conf ferry.conf '[mirror]' '	gc-threshold = 40'
RANDOM=$seed
CHECK=$TRASH/crashcheck.py
PARKED=$TRASH/parked.json

cat >"$CHECK" <<'EOF'
"""The crash test's site changes and mirror checks (see crash.sh)."""
import hashlib, json, os, random, re, subprocess, sys

IN_SCOPE = {"source", "page", "document", "requisite"}


def git(mirror, *args, data=None):
    return subprocess.run(["git", "-C", mirror] + list(args), input=data,
                          stdout=subprocess.PIPE, check=True).stdout


def canonical(url):
    return re.sub(r"/index\.html?$", "/", url)


def mutate(site, rnd, parked_file):
    rng = random.Random(rnd)
    with open(os.path.join(site, "_site.json"), encoding="utf-8") as f:
        cat = json.load(f)
    parked = []
    if os.path.exists(parked_file):
        with open(parked_file, encoding="utf-8") as f:
            parked = json.load(f)
    cards = os.path.join(site, "127.0.0.1/resources/red-cards.html")
    hub = os.path.join(site, "127.0.0.1/resources/index.html")
    pages = []
    for root, _, files in os.walk(site):
        pages += [os.path.join(root, n) for n in files if n.endswith(".html")]
    done = []
    for op in rng.sample(["pdf", "pdf", "hotline", "page", "unlink",
                          "relink", "doc"], rng.randint(2, 4)):
        html = open(cards, encoding="utf-8").read()
        linked = re.findall(r'<li><a href="(http://127\.0\.0\.2:\d+/redcards/'
                            r'([a-z-]+)\.pdf)"[^\n]*\n', html)
        if op == "pdf" and linked:
            url, name = rng.choice(linked)
            path = os.path.join(site, "127.0.0.2/redcards/%s.pdf" % name)
            data = open(path, "rb").read().split(b"\n%crash ")[0]
            with open(path, "wb") as f:
                f.write(data + b"\n%%crash %d %d\n" % (rnd, rng.randrange(10**9)))
            done.append("pdf " + name)
        elif op == "doc":
            d = os.path.join(site, "127.0.0.1/files")
            name = rng.choice(sorted(n for n in os.listdir(d)
                                     if n.endswith(".pdf") and len(n) < 40))
            path = os.path.join(d, name)
            data = open(path, "rb").read().split(b"\n%crash ")[0]
            with open(path, "wb") as f:
                f.write(data + b"\n%%crash %d\n" % rnd)
            done.append("doc " + name)
        elif op == "hotline":
            text = open(hub, encoding="utf-8").read()
            nums = re.findall(r'tel:\+1(\d{10})">\((\d{3})\) (\d{3})-(\d{4})',
                              text)
            tel, a, b, c = rng.choice(nums)
            new = "%04d" % rng.randrange(10000)
            text = text.replace('tel:+1%s">(%s) %s-%s' % (tel, a, b, c),
                                'tel:+1%s%s">(%s) %s-%s' % (tel[:6], new, a, b,
                                                           new))
            open(hub, "w", encoding="utf-8").write(text)
            done.append("hotline " + tel)
        elif op == "page":
            path = os.path.join(site, "127.0.0.1/resources/community.html")
            text = open(path, encoding="utf-8").read()
            text = re.sub(r'<p class="crash">[^<]*</p>\n', "", text)
            text = text.replace("</main>", '<p class="crash">Meeting moved '
                                "to room %d.</p>\n</main>" % rng.randrange(999))
            open(path, "w", encoding="utf-8").write(text)
            done.append("page")
        elif op == "unlink" and len(linked) > 4:
            url, name = rng.choice(linked)
            others = [p for p in pages if p != cards and
                      ("redcards/%s.pdf" % name) in open(p, encoding="utf-8",
                                                          errors="replace").read()]
            if others:
                continue
            line = re.search(r'<li><a href="%s"[^\n]*\n' % re.escape(url),
                             html).group(0)
            open(cards, "w", encoding="utf-8").write(html.replace(line, ""))
            entry = [r for r in cat["resources"] if r["url"] == url]
            cat["resources"] = [r for r in cat["resources"] if r["url"] != url]
            parked.append({"line": line, "entries": entry})
            done.append("unlink " + name)
        elif op == "relink" and parked:
            p = parked.pop(rng.randrange(len(parked)))
            html = html.replace('<ul class="redcards">\n',
                                '<ul class="redcards">\n' + p["line"], 1)
            open(cards, "w", encoding="utf-8").write(html)
            cat["resources"] += p["entries"]
            done.append("relink")
    with open(os.path.join(site, "_site.json"), "w", encoding="utf-8") as f:
        json.dump(cat, f, indent=1)
    with open(parked_file, "w", encoding="utf-8") as f:
        json.dump(parked, f)
    print(", ".join(done))


def blobs(mirror, ids):
    """id -> bytes, through one git cat-file --batch."""
    out = git(mirror, "cat-file", "--batch", data="".join(
        i + "\n" for i in ids).encode())
    got, pos = {}, 0
    for i in ids:
        head_end = out.index(b"\n", pos)
        oid, _, size = out[pos:head_end].split()
        size = int(size)
        got[i] = out[head_end + 1:head_end + 1 + size]
        pos = head_end + 1 + size + 1
    return got


def complete(mirror, rev):
    """Problems that make rev less than a whole pass."""
    bad = []
    tree = {}
    for line in git(mirror, "ls-tree", "-r", "-z", "--full-tree",
                    rev).decode("utf-8", "surrogateescape").split("\0"):
        if not line:
            continue
        meta, path = line.split("\t", 1)
        tree[path] = meta.split()[2]
    for f in ("index.html", "search.js", "index.json", "README.txt"):
        if f not in tree:
            bad.append("%s: no %s" % (rev, f))
    index = json.loads(blobs(mirror, [tree["index.json"]])[tree["index.json"]])
    res = [r for r in index["resources"] if r.get("path")]
    listed = {r["path"] for r in res}
    site = {p for p in tree if p.startswith("site/")}
    for p in sorted(site - listed):
        bad.append("%s: %s is in the tree, not in index.json" % (rev, p))
    for p in sorted(listed - site):
        bad.append("%s: index.json lists %s, not in the tree" % (rev, p))
    for p in sorted(p for p in tree if p.startswith("text/")):
        if "site/" + p[5:-4] not in tree:
            bad.append("%s: %s is the text of no page" % (rev, p))
    docs = [r for r in res if r["kind"] != "page" and r["path"] in tree and
            not r["content_type"].startswith("text/css")]
    data = blobs(mirror, sorted({tree[r["path"]] for r in docs}))
    for r in res:
        if r["kind"] == "page" and "text/" + r["path"][5:] + ".txt" not in tree:
            bad.append("%s: page %s has no text" % (rev, r["path"]))
    for r in docs:
        b = data[tree[r["path"]]]
        if hashlib.sha256(b).hexdigest() != r["sha256"] or len(b) != r["size"]:
            bad.append("%s: %s is not the document index.json lists"
                       % (rev, r["path"]))
    return bad, {canonical(r["url"]) for r in res}


def after_kill(mirror, before, site):
    bad, now = complete(mirror, "HEAD")
    if before != "none":
        with open(os.path.join(site, "_site.json"), encoding="utf-8") as f:
            cat = json.load(f)
        redirects = cat.get("redirects", {})
        served = {canonical(redirects.get(r["url"], r["url"]))
                  for r in cat["resources"] if r["role"] in IN_SCOPE}
        _, had = complete(mirror, before)
        for u in sorted((had & served) - now):
            bad.append("HEAD lost the copy of %s" % u)
    for line in bad:
        print(line)
    return 1 if bad else 0


def after_pass(mirror, site, checkmirror):
    rc = after_kill(mirror, "HEAD", site)
    sys.argv = ["checkmirror.py", mirror, site]
    return checkmirror.main() or rc


def serve(checkmirror_py):
    """One request per line (words separated by tabs), each answered with
    its output and a line "== rc N": one interpreter for the whole run."""
    import contextlib, importlib.util, io
    spec = importlib.util.spec_from_file_location("checkmirror",
                                                  checkmirror_py)
    checkmirror = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checkmirror)
    for line in sys.stdin:
        args = line.rstrip("\n").split("\t")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                if args[0] == "mutate":
                    rc = mutate(args[1], int(args[2]), args[3])
                elif args[0] == "after-kill":
                    rc = after_kill(args[1], args[2], args[3])
                else:
                    rc = after_pass(args[1], args[2], checkmirror)
            except Exception as e:
                print("crashcheck: %s: %r" % (args[0], e))
                rc = 2
        text = out.getvalue()
        if text and not text.endswith("\n"):
            text += "\n"
        sys.stdout.write(text + "== rc %d\n" % (rc or 0))
        sys.stdout.flush()


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    serve(sys.argv[2])
EOF

coproc CHECKER { "$PYTHON3" "$CHECK" serve "$RIG_DIR/checkmirror.py"; }
at_exit "kill $CHECKER_PID"

# ask WORD...: one request to the checker; its output in ASKED, its
# status returned.
ask() {
	local line rc=99 IFS=$'\t'
	ASKED=
	printf '%s\n' "$*" >&"${CHECKER[1]}"
	while IFS= read -r line <&"${CHECKER[0]}"; do
		if [[ $line == "== rc "* ]]; then
			rc=${line#== rc }
			break
		fi
		ASKED+=$line$'\n'
	done
	ASKED=${ASKED%$'\n'}
	return "$rc"
}

OWNED=(site text index.html search.js index.json README.txt)

loose_count() {
	find mirror/.git/objects -path '*/objects/[0-9a-f][0-9a-f]/*' -type f \
	    2>/dev/null | wc -l
}

state_sum() {
	cksum <mirror/.git/ferry/state 2>/dev/null
}

# A random delay in seconds: between LO and HI hundredths of T (ms).
pick_delay() {
	local t=$1 lo=$2 hi=$3 pct
	pct=$((lo + RANDOM % (hi - lo + 1)))
	printf '%d.%03d' $((t * pct / 100000)) $((t * pct / 100 % 1000))
}

# The milliseconds a pass took, from its summary line ("... in 0.3 s;").
pass_ms() {
	local line ms
	while IFS= read -r line; do
		if [[ $line =~ \ in\ ([0-9]+)\.([0-9])\ s\; ]]; then
			ms=$((BASH_REMATCH[1] * 1000 + BASH_REMATCH[2] * 100 + 50))
		fi
	done
	[ -n "$ms" ] && echo "$ms"
}

# How long the last pass went on after its last response (t_tail, ms),
# from the request log and the time it ended (END, in ns).
tail_ms() {
	local last t ms
	last=$(tail -n 1 "$RIG_LOG")
	[[ $last =~ \"t\":\ ([0-9]+)\.([0-9]{3}) ]] || return 0
	t=$((BASH_REMATCH[1] * 1000 + 10#${BASH_REMATCH[2]}))
	[[ $last =~ \"ms\":\ ([0-9]+) ]] && t=$((t + BASH_REMATCH[1]))
	ms=$(($1 / 1000000 - t))
	[ "$ms" -gt 0 ] && t_tail=$(((t_tail + ms) / 2))
	[ "$t_tail" -lt 10 ] && t_tail=10
	return 0
}

diag "seed $seed (tests/crash.sh --seed $seed repeats this run)"

# The first pass, whole: the mirror every kill starts from.
lines0=$(wc -l <"$RIG_LOG")
ok_cmd "the first pass succeeds" ferry -c ferry.conf sync ||
    bail_out "cannot make the first pass"
n_req=$(($(wc -l <"$RIG_LOG") - lines0))
t_tail=60
t_gc=100
n_gc_kills=0
tail_ms "$(date +%s%N)"
declare -A phases=([fetch]=0 [objects]=0 [checkout]=0 [state]=0 [done]=0)
t_full=400		# ms a pass takes; measured again on every pass
n_kills=0 n_passes=1 n_finished=0 n_bad=0 n_repairs=0 round=0

while [ "$n_kills" -lt "$kills" ]; do
	round=$((round + 1))
	ask mutate "$SITE" $((seed * 100000 + round)) "$PARKED" ||
	    bail_out "cannot change the site: $ASKED"
	what=$ASKED
	# A quarter of the passes slowed while fetching and killed at any
	# time; the rest killed after their last requests, in the tail.
	target=
	case $((round % 4)) in
	0) rig_rules '{"127.0.0.2/redcards/*": {"delay_ms": 40}}'
	   delay=$(pick_delay "$t_full" 0 100) ;;
	1) rig_rules '{"127.0.0.1/files/*": {"drip": 40000}}'
	   delay=$(pick_delay "$t_full" 0 100) ;;
	*) rig_rules '{}'
	   target=$(($(wc -l <"$RIG_LOG") + n_req - 1))
	   delay=$(pick_delay "$t_tail" 0 110) ;;
	esac
	head0=$(git -C mirror rev-parse HEAD)
	loose0=$(loose_count)
	state0=$(state_sum)
	"$FERRY" -c ferry.conf sync >"$TRASH/killed.out" 2>&1 &
	pid=$!
	while [ -n "$target" ] && kill -0 "$pid" 2>/dev/null &&
	    [ "$(wc -l <"$RIG_LOG")" -lt "$target" ]; do
		sleep 0.002
	done
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	if [ "$rc" -ne 137 ]; then
		n_finished=$((n_finished + 1))
		n_passes=$((n_passes + 1))
		took=$(pass_ms <"$TRASH/killed.out")
		[ -n "$took" ] && t_full=$took
			diag "round $round ($what): the pass ended before its kill (${delay}s), in ${took:-?} ms"
		if [ "$rc" -ne 0 ]; then
			fail "round $round: a pass that was not killed failed" \
			    "exit $rc" "$(cat "$TRASH/killed.out")"
			n_bad=$((n_bad + 1))
		fi
		continue
	fi
	n_kills=$((n_kills + 1))
	head1=$(git -C mirror rev-parse HEAD)
	if [ "$head1" = "$head0" ]; then
		if [ "$(loose_count)" -gt "$loose0" ]; then phase=objects
		else phase=fetch; fi
	elif [ -n "$(git -C mirror status --porcelain -- "${OWNED[@]}")" ]; then
		phase=checkout
	elif [ "$(state_sum)" = "$state0" ]; then
		phase=state
	else
		phase=done
	fi
	phases[$phase]=$((phases[$phase] + 1))
	problems=()

	# Right after the kill: the repository is whole, HEAD a whole pass.
	if ! out=$(git -C mirror fsck --strict --no-dangling 2>&1); then
		problems+=("git fsck --strict after the kill: $out")
	fi
	if ! ask after-kill mirror "$head0" "$SITE"; then
		problems+=("after the kill: $ASKED")
	fi

	# The next pass succeeds and leaves the mirror exactly the site.
	lines0=$(wc -l <"$RIG_LOG")
	run ferry -c ferry.conf sync
	end=$(date +%s%N)
	if [ "$RC" -ne 0 ]; then
		problems+=("the next pass failed (exit $RC): $STDERR")
	else
		n_passes=$((n_passes + 1))
		n_req=$(($(wc -l <"$RIG_LOG") - lines0))
		# Under valgrind this pass is no measure of a bare one.
		if [ "${FERRY_VALGRIND:-0}" != 1 ]; then
			took=$(pass_ms <<<"$STDOUT")
			[ -n "$took" ] && t_full=$(((t_full + took) / 2))
			tail_ms "$end"
		fi
	fi
	[[ $STDERR == *"differs from HEAD"* ]] && n_repairs=$((n_repairs + 1))
	run ferry -c ferry.conf verify
	[ "$RC" -eq 0 ] || problems+=("ferry verify (exit $RC): $STDOUT $STDERR")
	if ! out=$(git -C mirror fsck --strict --no-dangling 2>&1); then
		problems+=("git fsck --strict after the pass: $out")
	fi
	if [ -n "$(git -C mirror status --porcelain)" ]; then
		problems+=("the working tree is not HEAD: $(git -C mirror status --porcelain | head -5)")
	fi
	if ! ask after-pass mirror "$SITE"; then
		problems+=("after the next pass: $ASKED")
	fi

	# Now and then, a ferry gc killed half-way: the mirror stays whole.
	if [ $((n_kills % 5)) -eq 3 ]; then
		gdelay=$(pick_delay "$t_gc" 0 120)
		t0=$(date +%s%N)
		"$FERRY" -q -c ferry.conf gc >/dev/null 2>&1 &
		gpid=$!
		sleep "$gdelay"
		kill -KILL "$gpid" 2>/dev/null
		wait "$gpid" 2>/dev/null
		if [ $? -eq 137 ]; then
			n_gc_kills=$((n_gc_kills + 1))
			what+="; then gc killed after ${gdelay}s"
		else
			t_gc=$((($(date +%s%N) - t0) / 1000000))
			what+="; then gc (not killed, ${t_gc} ms)"
		fi
		if ! out=$(git -C mirror fsck --strict --no-dangling 2>&1); then
			problems+=("git fsck --strict after gc: $out")
		fi
		run ferry -c ferry.conf verify
		[ "$RC" -eq 0 ] ||
		    problems+=("ferry verify after gc (exit $RC): $STDOUT $STDERR")
		ask after-pass mirror "$SITE" ||
		    problems+=("after gc: $ASKED")
	fi

	desc="kill $n_kills (round $round, $what): after ${delay}s${target:+ past the last request (tail ${t_tail} ms)}, during $phase"
	if [ ${#problems[@]} -eq 0 ]; then
		pass "$desc: the next pass recovered, all clean"
	else
		n_bad=$((n_bad + 1))
		fail "$desc" "${problems[@]}"
	fi
done

diag "seed $seed, $SECONDS s: $n_kills kills: ${phases[fetch]} before any object was written, ${phases[objects]} after objects were written and before the commit, ${phases[checkout]} after the commit and before the checkout ended, ${phases[state]} before the state was saved, ${phases[done]} after (pruning, packing, exiting)"
diag "$n_gc_kills runs of ferry gc killed as well, each followed by the same checks"
diag "$n_passes passes completed ($n_finished of them ended before their kill), $n_repairs working trees repaired at the start of a pass"
diag "corruption or loss found: $n_bad"
done_testing
