#!/usr/bin/env bash
# browser-copy.sh — what a person gets by select-all and copy on a saved t.me page.
#
#   scripts/browser-copy.sh [PAGE.html ...]    (default: testdata/tme_html/*.html)
#
# For each page, writes PAGE.copy.txt beside it: the text headless Chromium selects with
# select-all (`document.execCommand('selectAll')`, then the selection's text), with each
# no-break space as a plain space — as the clipboard gets it: a page's `Forwarded
# from&nbsp;<a …>` is pasted as `Forwarded from ` — and one newline at the end, as an
# editor saves a paste. These copies are the browser's word on how a page reads; the
# tests check that the text reader and the HTML reader agree on them. CI does not run
# a browser: run this after changing a fixture, and commit what it writes.
#
# The page is laid out as saved, HTML only: its stylesheets and scripts live on
# telegram.org and are not loaded (no network: every host name resolves to nothing), so
# what the site's style hides or places side by side shows as plain HTML has it (the
# author's name above each post, `1.2K views10:20`). That is the copy a person makes of a
# page saved as "HTML only" and opened again.
#
# Needs Debian's chromium (`apt-get install chromium`); CHROMIUM=/path/to/chrome picks
# another build.
set -euo pipefail

chromium=${CHROMIUM:-chromium}
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then
    set -- testdata/tme_html/*.html
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs after the page is parsed; replaces the page by its selected text, URL-encoded so
# that the dumped DOM holds it without HTML escapes.
read -r -d '' select_all <<'EOF' || true
<script>
document.execCommand('selectAll');
var copied = String(window.getSelection()).replace(/\u00a0/g, ' ');
document.documentElement.innerHTML = '<body><pre id="copy">' + encodeURIComponent(copied) + '</pre></body>';
</script>
EOF

for page in "$@"; do
    cp "$page" "$work/page.html"
    printf '%s\n' "$select_all" >>"$work/page.html"
    rm -rf "$work/profile"
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$work/profile" \
        --dump-dom "file://$work/page.html" >"$work/dom.html" 2>"$work/chromium.log" || {
        cat "$work/chromium.log" >&2
        exit 1
    }
    encoded=$(sed -n 's:.*<pre id="copy">\([^<]*\)</pre>.*:\1:p' "$work/dom.html")
    if [ -z "$encoded" ]; then
        echo "browser-copy.sh: no copy of $page (see $work/dom.html)" >&2
        trap - EXIT
        exit 1
    fi
    # %XX → \xXX, which printf %b turns back into bytes; encodeURIComponent left no
    # backslash of the text unescaped.
    printf '%b\n' "${encoded//%/\\x}" >"${page%.html}.copy.txt"
    echo "${page%.html}.copy.txt"
done
