#!/bin/bash
# t0002: the manual pages.  mandoc and groff read each page in the source
# tree without a warning, and the pages are complete: ferry(1) has every
# command `ferry help` lists and every option of each, ferry.conf(5) every
# key ferry.conf and catalog.conf know, and neither documents a command or
# a key the code does not have.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v mandoc >/dev/null 2>&1 ||
    skip_all "mandoc is not installed (Debian package mandoc): the manual \
pages are not checked"
setup_trash

FERRY1=$top_srcdir/mirror/ferry.1
CONF5=$top_srcdir/conf/ferry.conf.5

# --- every page reads without a warning ------------------------------------

pages=(mirror/ferry.1 conf/ferry.conf.5)
[ -e "$top_srcdir/daemon/ferryd.8" ] && pages+=(daemon/ferryd.8)
for page in "${pages[@]}"; do
	file=$top_srcdir/$page
	file_exists "$file" "$page is in the source tree"
	run mandoc -T lint -W warning "$file"
	is "$RC ${STDOUT}${STDERR}" "0 " "mandoc -T lint -W warning: $page"
	if command -v groff >/dev/null 2>&1; then
		run groff -ww -mandoc -Tutf8 -z "$file"
		is "$RC ${STDOUT}${STDERR}" "0 " \
		    "groff -ww (what man -l runs): $page"
	else
		skip "groff -ww: $page" "groff is not installed"
	fi
done

# --- reading the pages and the code ------------------------------------

# in_list WORD LIST: LIST holds WORD as a whole line.
in_list() {
	grep -qxF -- "$1" <<<"$2"
}

# man_items FILE SH [SS-REGEX]: "NAME" for each ".It Cm NAME" (ferry.1's
# COMMANDS) or "SECTION.KEY" for each ".It Ic KEY" under a subsection
# whose title holds [SECTION (ferry.conf.5), within the .Sh named SH.
man_items() {
	awk -v want="$2" '
	/^\.Sh / { sh = substr($0, 5); gsub(/"/, "", sh); ss = ""; next }
	sh != want { next }
	/^\.Ss / {
		ss = ""
		if (match($0, /\[[a-z]+/))
			ss = substr($0, RSTART + 1, RLENGTH - 1)
		next
	}
	/^\.It Cm [a-z]/ { print $3; next }
	/^\.It Ic [a-z]/ && ss != "" { print ss "." $3 }
	' "$1"
}

# command_entry NAME: ferry.1's entry for command NAME, up to the next.
command_entry() {
	awk -v name="$1" '
	/^\.Sh / { in_cmds = ($0 == ".Sh COMMANDS"); on = 0; next }
	!in_cmds { next }
	/^\.It Cm / { on = ($3 == name) }
	on { print }
	' "$FERRY1"
}

# --- ferry(1): every command and option -----------------------------------

run ferry help
commands=$(sed -n 's/^  \([a-z][a-z-]*\)  *[a-z].*/\1/p' <<<"$STDOUT")
ncommands=$(grep -c . <<<"$commands")
ok "ferry help lists the commands (found $ncommands: $(echo $commands))" \
    test "$RC" -eq 0 -a "$ncommands" -ge 8
ok "ferry help lists sync among them" in_list sync "$commands"

documented=$(man_items "$FERRY1" COMMANDS)
for c in $commands; do
	ok "ferry.1 has '.It Cm $c' under COMMANDS" in_list "$c" "$documented"
done
for c in $documented; do
	ok "ferry.1 documents '$c', a command of ferry help" \
	    in_list "$c" "$commands"
done

for c in $commands; do
	run ferry help "$c"
	usage=$(head -n 1 <<<"$STDOUT")
	like "$usage" "^usage: ferry .* $c" "ferry help $c prints its usage"
	entry=$(command_entry "$c")
	for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"${usage#*" $c"}"); do
		like "$entry" "Fl \\\\?-${opt#--}([^a-z-]|\$)" \
		    "ferry.1 documents $c $opt"
	done
done

run ferry --help
is "$RC" 0 "ferry --help succeeds"
globals=$(sed -n 's/^  \(-[a-zA-Z]\) .*/\1/p' <<<"$STDOUT")
ok "ferry --help lists the global options ($(echo $globals))" \
    test "$(grep -c . <<<"$globals")" -ge 3
for opt in $globals --help --version; do
	re="\\.It Fl ([a-zA-Z] , Fl )?\\\\?-?${opt#-}([^a-z-]|\$)"
	like "$(cat "$FERRY1")" "$re" "ferry.1 documents the global option $opt"
done

# --- ferry.conf(5): every key of ferry.conf and catalog.conf ---------------

# The keys conf.c knows, from its tables: "SECTION.KEY" per line.
conf_c_keys() {
	awk '
	/^static const struct keydef [a-z_]+\[\] = \{/ {
		table = $5; sub(/\[\]$/, "", table); next
	}
	table != "" && /^\};/ { table = ""; next }
	table != "" && match($0, /\{ "[a-z-]+",/) {
		key = substr($0, RSTART + 3, RLENGTH - 5)
		keys[table] = keys[table] " " key
		next
	}
	match($0, /\{ "[a-z]+",[ \t]*[01],[ \t]*[a-z_]+ \}/) {
		split(substr($0, RSTART, RLENGTH), f, /[",{} \t]+/)
		section[f[4]] = f[2]
	}
	END {
		for (t in section) {
			n = split(keys[t], k, " ")
			for (i = 1; i <= n; i++)
				print section[t] "." k[i]
		}
	}
	' "$top_srcdir/mirror/conf.c" | sort
}

# The keys ferry check prints for conf/ferry.conf, defaults included.
check_keys() {
	awk '
	/^\[[a-z]+( "[^"]*")?\]$/ {
		s = $1; gsub(/[\["\]]/, "", s); next
	}
	/^\t[a-z][a-z-]* = / { sub(/^\t/, ""); print s "." $1 }
	' <<<"$1" | sort -u
}

run ferry -c "$top_srcdir/conf/ferry.conf" check
is "$RC" 0 "ferry check accepts conf/ferry.conf"
printed=$(check_keys "$STDOUT")
known=$(conf_c_keys)
nprinted=$(grep -c . <<<"$printed")
nknown=$(grep -c . <<<"$known")
ok "ferry check prints the effective keys (found $nprinted)" \
    test "$nprinted" -ge 20
ok "conf.c's key tables are read (found $nknown)" test "$nknown" -ge "$nprinted"
for k in $printed; do
	ok "conf.c's tables hold $k, which ferry check prints" \
	    in_list "$k" "$known"
done

documented=$(man_items "$CONF5" DESCRIPTION)
for k in $(sort -u <<<"$known"$'\n'"$printed"); do
	ok "ferry.conf.5 documents $k" in_list "$k" "$documented"
done
for k in $documented; do
	ok "ferry.conf.5 documents $k, a key of conf.c" in_list "$k" "$known"
done

# The keys catalog.c knows, from its table.
catalog_keys=$(awk '
	/^static const struct keydef keys\[\] = \{/ { on = 1; next }
	on && /^\};/ { on = 0 }
	on && match($0, /\{ "[a-z-]+",/) {
		print "resource." substr($0, RSTART + 3, RLENGTH - 5)
	}
	' "$top_srcdir/mirror/catalog.c")
ok "catalog.c's key table is read ($(echo $catalog_keys))" \
    test "$(grep -c . <<<"$catalog_keys")" -ge 5
documented=$(man_items "$CONF5" CATALOG.CONF)
for k in $catalog_keys; do
	ok "ferry.conf.5 documents catalog.conf's $k" in_list "$k" "$documented"
done
for k in $documented; do
	ok "ferry.conf.5 documents catalog.conf's $k, a key of catalog.c" \
	    in_list "$k" "$catalog_keys"
done

done_testing
