#!/bin/bash
# t1010: every PDF gets a .txt beside its text path, with its title,
# author, page count, size, SHA-256, source URL and text.  The .txt
# follows the PDF: a new PDF changes it in the next commit, a removed PDF
# takes it along.  A corrupt PDF still gets one (size, hash, URL, and a
# line saying the text could not be read) and fails nothing.  The
# offline index's search carries words found only inside PDFs.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf
H2=site/127.0.0.2_$PORT
T1=text/127.0.0.1_$PORT
T2=text/127.0.0.2_$PORT
URL2=http://127.0.0.2:$PORT

poppler=no
grep -q '^#define HAVE_POPPLER 1' "$top_builddir/config.h" && poppler=yes
diag "built with poppler: $poppler"

# field FILE NAME: the value of the header line "NAME: ..." of a .txt.
field() {
	sed -n "s/^$2: //p" "$1" | head -n 1
}

# copy_lines SERVED URL: the .txt lines that describe the copy.
copy_lines() {
	printf 'Size: %s bytes\nSHA-256: %s\nURL: %s' "$(wc -c <"$1")" \
	    "$(sha256sum "$1" | cut -d' ' -f1)" "$2"
}

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync
unlike "$STDERR" "cannot read the text" "every PDF of the site is read"

es=mirror/$T2/redcards/es.pdf.txt
file_exists "$es" "the Spanish red card has a .txt beside its text path"
is "$(grep -E '^(Size|SHA-256|URL): ' "$es")" \
    "$(copy_lines "$SITE/127.0.0.2/redcards/es.pdf" "$URL2/redcards/es.pdf")" \
    "it gives the served file's size, SHA-256 and source URL"
if [ $poppler = yes ]; then
	is "$(field "$es" Title)" "Red Card - Español" "it gives the PDF's title"
	is "$(field "$es" Author)" "Immigrant Legal Resource Center (sample)" \
	    "it gives the PDF's author"
	is "$(field "$es" Pages)" 1 "it gives the page count"
	like "$(cat "$es")" "
Know your rights: you have the right to remain silent.
" "it holds the PDF's text, one line per line"
	is "$(grep -c '^Text: ' "$es")" 0 "no note when the whole text is there"
	is "$(grep -rl '^Title: 레드카드 - 한국어 (인쇄용)$' mirror/text | wc -l)" 1 \
	    "the Korean red card's UTF-16 title reads as UTF-8"
else
	is "$(field "$es" Text)" "not read (ferry was built without poppler)" \
	    "without poppler, the .txt says the text was not read"
fi
ok "the .txt is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$es" -o /dev/null
is "$(grep -c ' $' "$es")" 0 "no line ends with a space"

missing=
for pdf in $(cd mirror && find site -iname '*.pdf'); do
	[ -f "mirror/text/${pdf#site/}.txt" ] || missing+=" $pdf"
done
is "$missing" "" "every PDF of the mirror has its .txt"
is "$(cd mirror && find text -iname '*.pdf.txt' | wc -l)" \
    "$(cd mirror && find site -iname '*.pdf' | wc -l)" \
    "and no .txt is without its PDF"
is "$(git -C mirror status --porcelain)" "" "the working tree is HEAD"
ok_cmd "ferry verify is clean" ferry -c ferry.conf verify
is "$(ls mirror/.git/ferry/tmp | grep -c '^pdf-')" 0 "no temporary PDF is left"

# The search of the offline index: a phrase only PDFs hold.
is "$(grep -rl 'remain silent' "$SITE" --include='*.html' | wc -l)" 0 \
    "the phrase is in no page of the site"
if [ $poppler = yes ]; then
	like "$(cat mirror/search.js)" "you have the right to remain silent" \
	    "search.js carries a phrase from inside the PDFs"
	like "$(cat mirror/search.js)" "Red Card - Español" \
	    "and the PDFs' own titles"
fi
unlike "$(cat mirror/search.js)" "SHA-256|[0-9a-f]{64}" \
    "but not the copies' hashes"
ok "index.html and search.js stay within 3,000,000 bytes" \
    test $(($(wc -c <mirror/index.html) + $(wc -c <mirror/search.js))) -le 3000000

# Nothing changed: same bytes, same .txt, no commit.
first=$(git -C mirror rev-parse HEAD)
cmd_exits 0 "a second sync succeeds" ferry -c ferry.conf sync
is "$(git -C mirror rev-parse HEAD)" "$first" "it makes no commit: every .txt is the same"

# A PDF replaced behind an unchanged page, one removed, one corrupt.
cp "$SITE/127.0.0.2/redcards/fr.pdf" "$SITE/127.0.0.2/redcards/es.pdf"
sed -i '/redcards\/ru\.pdf/d' \
    "$SITE/127.0.0.1/resources/red-cards.html"
printf 'this is not a PDF \001\002\003 at all\n' >garbage
rig_rules "{\"127.0.0.2/redcards/ja.pdf\": {\"status\": 200,
    \"body\": \"this is not a PDF \\u0001\\u0002\\u0003 at all\\n\",
    \"content_type\": \"application/pdf\"}}"
cmd_exits 0 "a sync with a changed, a removed and a corrupt PDF succeeds" \
    ferry -c ferry.conf sync
if [ $poppler = yes ]; then
	like "$STDERR" "cannot read the text of '$URL2/redcards/ja.pdf': the document cannot be opened" \
	    "the log says why the corrupt PDF's text was not read"
fi
is "$(git -C mirror rev-list --count "$first..HEAD")" 1 "exactly one new commit"
patch=$(git -C mirror log -p -1 --format= -- text/)
if [ $poppler = yes ]; then
	like "$patch" "
-Title: Red Card - Español
\+Title: Red Card - Français
" "the changed PDF's new title shows in git log -p -- text/"
	like "$patch" "
-Red Card - Spanish \(es\)
\+Red Card - French \(fr\)
" "and so does the line of its text that changed"
fi
old_sha=$(git -C mirror show "$first:$H2/redcards/es.pdf" | sha256sum | cut -d' ' -f1)
new_sha=$(sha256sum <"$SITE/127.0.0.2/redcards/fr.pdf" | cut -d' ' -f1)
like "$patch" "
-SHA-256: $old_sha
.*
\+SHA-256: $new_sha
" "the changed PDF's SHA-256 changes in its .txt"
file_missing "mirror/$H2/redcards/ru.pdf" "the PDF no longer linked is removed"
file_missing "mirror/$T2/redcards/ru.pdf.txt" "and its .txt with it"
like "$(git -C mirror log -1 --format= --name-status -- text/)" \
    "D	$T2/redcards/ru.pdf.txt" "the commit removes the .txt"

ja=mirror/$T2/redcards/ja.pdf.txt
file_exists "$ja" "the corrupt PDF has a .txt"
files_same "mirror/$H2/redcards/ja.pdf" garbage "the corrupt PDF is kept as served"
is "$(grep -E '^(Size|SHA-256|URL): ' "$ja")" \
    "$(copy_lines garbage "$URL2/redcards/ja.pdf")" \
    "its .txt gives its size, SHA-256 and URL"
if [ $poppler = yes ]; then
	like "$(field "$ja" Text)" "^not read \(the document cannot be opened: " \
	    "and says its text could not be read"
else
	is "$(field "$ja" Text)" "not read (ferry was built without poppler)" \
	    "and says its text was not read"
fi
is "$(grep -c '^Title: ' "$ja")" 0 "it invents no title"
ok_cmd "ferry verify is clean after the changes" ferry -c ferry.conf verify
is "$(git -C mirror status --porcelain)" "" "the working tree is HEAD"

# The corrupt PDF served again: its .txt does not change.
second=$(git -C mirror rev-parse HEAD)
cmd_exits 0 "a sync with the corrupt PDF unchanged succeeds" ferry -c ferry.conf sync
is "$(git -C mirror rev-parse HEAD)" "$second" "it makes no commit"

# A PDF that is not fetched again (304) but whose .txt was never made
# (a pass that could not read it): read from the store, the same .txt.
es_before=$(cat "$es")
sed -i '/\/redcards\/es\.pdf\t/s/\ttext_blob=[0-9a-f]*//' mirror/.git/ferry/state
unlike "$(grep '/redcards/es\.pdf	' mirror/.git/ferry/state)" "text_blob=" \
    "(its .txt forgotten by the state)"
cmd_exits 0 "a pass reads it from the store" ferry -c ferry.conf sync
like "$(grep '/redcards/es\.pdf	' mirror/.git/ferry/state)" "text_blob=[0-9a-f]{40}" \
    "and records its .txt"
is "$(cat "$es")" "$es_before" "the same .txt as from the download"
is "$(git -C mirror rev-parse HEAD)" "$second" "so nothing is committed"
is "$(ls mirror/.git/ferry/tmp | grep -c '^pdf-')" 0 "and nothing is left to read"

done_testing
