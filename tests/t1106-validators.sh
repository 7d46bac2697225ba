#!/bin/bash
# t1106: validators.  Whatever validators a server sends (only
# Last-Modified, a weak ETag, none) are sent back on the next pass: a
# server with validators answers 304 and no body is downloaded again; one
# without gets unconditional requests, and an unchanged body makes no
# commit.  The copies stay byte-identical either way.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
H2=site/127.0.0.2_$PORT
NCARDS=$(ls "$SITE/127.0.0.2/redcards" | wc -l)

cards_same() {	# cards_same MIRROR DESC
	local f bad=
	for f in "$SITE"/127.0.0.2/redcards/*.pdf; do
		case $f in *레드카드*) continue ;; esac
		cmp -s "$f" "$1/$H2/redcards/${f##*/}" || bad="$bad ${f##*/}"
	done
	is "${bad# }" "" "$2"
}

for mode in only_last_modified weak_etag no_validators; do
	write_conf $mode.conf
	sed -i "s|path = mirror|path = $mode|" $mode.conf
	rig_rules "{\"127.0.0.2/redcards/*\": {\"$mode\": true}}"
	cmd_exits 0 "$mode: first sync succeeds" ferry -c $mode.conf sync
	head=$(git -C $mode rev-parse HEAD)
	rig_log_clear
	cmd_exits 0 "$mode: a re-sync succeeds" ferry -c $mode.conf sync
	is "$(git -C $mode rev-parse HEAD)" "$head" "$mode: nothing changed, no commit"
	cards_same $mode "$mode: every card is byte-identical"
	case $mode in
	only_last_modified)
		is "$(rig_count host=127.0.0.2 path~^/redcards/ ims!=null inm=null)" "$NCARDS" \
		    "only Last-Modified: If-Modified-Since alone is sent back"
		is "$(rig_count host=127.0.0.2 path~^/redcards/ status=304)" "$NCARDS" \
		    "and every card answers 304"
		;;
	weak_etag)
		is "$(rig_count host=127.0.0.2 path~^/redcards/ 'inm~^W/"')" "$NCARDS" \
		    "a weak ETag is sent back as it came"
		is "$(rig_count host=127.0.0.2 path~^/redcards/ status=304)" "$NCARDS" \
		    "and every card answers 304"
		;;
	no_validators)
		is "$(rig_count host=127.0.0.2 path~^/redcards/ inm=null ims=null)" "$NCARDS" \
		    "no validators: the requests are unconditional"
		is "$(rig_count host=127.0.0.2 path~^/redcards/ status=200)" "$NCARDS" \
		    "and every card comes again"
		;;
	esac
	is "$(rig_count host=127.0.0.1 status=200)" 0 \
	    "$mode: the pages (with strong ETags) are not downloaded again"
done

done_testing
