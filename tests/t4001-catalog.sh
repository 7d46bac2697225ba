#!/bin/bash
# t4001: what the index lists and how: descriptions, languages, hotlines
# and video links taken from the source page, and the administrator's
# overrides in catalog.conf (a bad entry is reported, the rest applies).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H2=site/127.0.0.2_$PORT

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync

json() {	# json PYTHON-EXPRESSION over r (the resources) and d (the file)
	"$PYTHON3" -c 'import json,sys
d=json.load(open(sys.argv[1])); r=d["resources"]
by={e["url"]: e for e in r}
print(eval(sys.argv[2]))' mirror/index.json "$1"
}
ko="http://127.0.0.2:$PORT/redcards/ko.pdf"
is "$(json "by['$ko']['languages']")" "['ko']" "a red card's language comes from its link"
is "$(json "by['http://127.0.0.2:$PORT/redcards/zh-hant.pdf']['languages']")" "['zh-Hant']" \
    "Traditional Chinese is told from Simplified"
is "$(json "by['$ko']['section']")" "Printable Red Cards" "entries carry their section"
is "$(json "sum(1 for e in r if e['kind']=='link')")" 6 "video links are listed"
like "$(json "by['$SOURCE_URL/red-cards.html'.replace('/resources//','/resources/')]['description']")" \
    "wallet-sized cards" "a page's entry carries the text that describes its link"
like "$(cat mirror/index.html)" "tel:\+12135550142" "the index lists the hotlines"

cat >mirror/catalog.conf <<CONF
[resource "$H2/redcards/ko.pdf"]
	title = Red Card (Korean)
	note = Printed copies at the front desk
	order = -1
[resource "http://127.0.0.1:$PORT/files/Report.PDF"]
	hidden
[resource "site/nowhere.pdf"]
	titel = a typo
CONF
cmd_exits 0 "a sync with catalog.conf succeeds" ferry -c ferry.conf sync
like "$STDERR" "catalog\.conf: resource\.site/nowhere\.pdf\.titel: unknown key \(did you mean 'title'\?\)" \
    "a bad entry is reported with the file and the key"
is "$(json "by['$ko']['title']")" "Red Card (Korean)" "an overridden title applies"
is "$(json "by['$ko']['note']")" "Printed copies at the front desk" "a note applies"
is "$(json "r[0]['url']")" "$ko" "order moves an entry"
is "$(json "'http://127.0.0.1:$PORT/files/Report.PDF' in by")" False "a hidden entry is not listed"
file_exists "mirror/$H2/redcards/ko.pdf" "overrides never touch the copies"
like "$(git -C mirror show --stat HEAD)" "catalog\.conf" "catalog.conf is committed with the pass"
is "$(git -C mirror status --porcelain)" "" "the working tree is HEAD"
cmd_exits 0 "a sync with nothing changed succeeds" ferry -c ferry.conf sync
like "$STDOUT" "no change" "and makes no commit"

done_testing
