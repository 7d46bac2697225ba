#!/bin/bash
# t1000: a first pass mirrors the sample site: every in-scope resource
# with the right bytes, nothing out of scope requested, every link of the
# offline copy working, one commit that lists what was added.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
rig_start
write_conf ferry.conf

cmd_exits 0 "first sync succeeds" ferry -c ferry.conf sync
like "$STDOUT" "^city: 50 resources, 50 added, 0 updated, 0 removed, 0 failed" \
    "the summary counts the sample site's 50 resources"

ok_cmd "the mirror matches the site (scope, bytes, sha256, splices only)" \
    "$PYTHON3" "$RIG_DIR/checkmirror.py" mirror "$SITE"
ok_cmd "every link of the offline copy works" \
    "$PYTHON3" "$RIG_DIR/checklinks.py" mirror

# Scope: what must never be requested.
is "$(rig_count host=127.0.0.3)" 0 "a host not in allow is never requested"
is "$(rig_count host=127.0.0.2 path~^/know-your-rights)" 0 \
    "a page on an allowed host is not crawled"
is "$(rig_count path~^/resources/deeper/)" 0 \
    "nothing past the configured depth is requested"
is "$(rig_count path=/resources/index.html)" 0 \
    "/dir/index.html is the same resource as /dir/"
is "$(rig_count path~mployers.pdf)" 1 \
    "a percent-encoded alias of a document is fetched once"
is "$(rig_count status!=200 status!=301 path!=/robots.txt)" 0 "every request succeeded"
is "$(rig_count path=/robots.txt)" 2 "robots.txt is asked once per host (the site has none)"
is "$(rig_count method!=GET)" 0 "only GET requests"
like "$(rig_requests path=/resources/ | head -1)" '"ua": "ferry/' \
    "the user agent names ferry"

# Files: names that must come out right.
H1=site/127.0.0.1_$PORT
H2=site/127.0.0.2_$PORT
file_exists "mirror/$H2/redcards/레드카드-한국어.pdf" "a Korean file name is kept"
file_exists "mirror/$H1/files/CON_.pdf" "a DOS device name is made safe"
file_exists "mirror/$H1/files/Report.PDF" "one of two names differing in case"
like "$(ls mirror/$H1/files/ | grep -i '^report~[0-9a-f]*\.pdf$')" "report~" \
    "the other gets a distinct name"
file_exists "mirror/$H1/toolkits/family-preparedness.html" \
    "a redirect's target is stored under its own name"
file_missing "mirror/$H1/old-toolkit" "nothing is stored under the redirecting name"
file_missing "mirror/$H1/old-toolkit.html" "no redirect stub page"
like "$(cat "mirror/$H1/resources/index.html")" 'href="\.\./toolkits/family-preparedness\.html"' \
    "a link to the redirecting URL points to the target's copy"
like "$(cat "mirror/$H1/resources/community.html")" '<base href="community\.html">' \
    "<base href> is pointed at the page itself"
like "$(cat "mirror/$H1/resources/community.html")" 'href="\.\./community/docs/preparedness-checklist\.pdf"' \
    "links under <base href> resolve against it"
like "$(cat "mirror/$H1/resources/index.html")" 'https://www\.youtube\.com/watch' \
    "an external video link stays absolute"
like "$(cat "mirror/$H1/resources/index.html")" 'href="tel:' "tel: links are kept"
like "$(cat "mirror/$H1/resources/index.html")" 'srcset="\.\./img/logo\.png 1x, \.\./img/logo%402x\.png 2x"' \
    "srcset candidates are rewritten"
like "$(cat "mirror/$H1/assets/site.css")" 'url\(\.\./img/bg\.png\)' \
    "CSS url() is rewritten"
unsafe=$(git -C mirror ls-files -z | tr '\0' '\n' | grep '[[:cntrl:]<>:"\\|?*]')
is "$unsafe" "" "no name has a character reserved on FAT or NTFS"

# The repository.
is "$(git -C mirror rev-list --count HEAD)" 1 "one commit"
is "$(git -C mirror log -1 --format=%s)" "sync city: 50 added" "the subject counts"
body=$(git -C mirror log -1 --format=%B)
like "$body" "added    $H2/redcards/ko\.pdf
         http://127\.0\.0\.2:$PORT/redcards/ko\.pdf" "the body lists path and URL"
is "$(git -C mirror log -1 --format=%B | grep -c '^added ')" 50 "one line per resource"
trailers=$(git -C mirror log -1 --format=%B | git interpret-trailers --parse)
like "$trailers" "Ferry-Source: city" "Ferry-Source trailer parses"
like "$trailers" "Ferry-Started: 20[0-9-]+T[0-9:]+Z" "Ferry-Started trailer parses"
like "$trailers" "Ferry-Requests: 53" "Ferry-Requests counts the requests (robots.txt too)"
is "$(git -C mirror log -1 --format='%an <%ae>')" "Ferry Test <ferry@example.org>" \
    "the author comes from the configuration"
is "$(git -C mirror status --porcelain)" "" "the working tree is HEAD"
ok_cmd "git fsck is clean" git -C mirror fsck --strict
ok_cmd "index.json is valid JSON" "$PYTHON3" -m json.tool mirror/index.json
like "$(cat mirror/index.html)" "Rapid Response Tools: Red Cards and Hotlines" \
    "index.html is organised by the source's sections"
file_exists mirror/README.txt

# Readable text for the audit diff, and what the index lists without a copy.
T1=text/127.0.0.1_$PORT
text=$(cat "mirror/$T1/resources/index.html.txt")
like "$text" "(^|
)## Rapid Response Tools: Red Cards and Hotlines
" "the page's text keeps its headings"
like "$text" "
\(213\) 555-0142 <tel:\+12135550142>
- Hours Available: 24/7
" "hotlines read as number, target and details, one per line"
unlike "$text" "<script|Skip to main content" "no scripts or navigation in the text"
is "$(cd mirror && find text -name '*.txt' ! -iname '*.pdf.txt' | wc -l)" 5 \
    "one text file per page (5 pages)"
is "$(cd mirror && find text -iname '*.pdf.txt' | wc -l)" \
    "$(cd mirror && find site -iname '*.pdf' | wc -l)" \
    "one .txt per PDF (t1010 checks what they say)"
file_missing "mirror/$T1/files/kyr-slides.pptx.txt" "other documents get no text"
is "$("$PYTHON3" -c 'import json,sys
r=json.load(open(sys.argv[1]))["resources"]
print(sum(1 for e in r if e["kind"]=="link" and "youtube.com" in e["url"] and e["path"]==""))' mirror/index.json)" 6 \
    "the source's six video links are listed, without a copy"
is "$(git -C mirror branch --show-current)" main "the branch is main"

done_testing
