#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the repository's fixtures. The corpora are git-ignored:
# run this once before fuzzing, from anywhere.
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
testdata="$fuzz/../testdata"
corpus="$fuzz/corpus"

seed() {
    target=$1
    shift
    mkdir -p "$corpus/$target"
    for file in "$@"; do
        # Named with their folder: two fixtures of an export folder are messages.html.
        cp "$file" "$corpus/$target/$(basename "$(dirname "$file")")-$(basename "$file")"
    done
}

seed text "$testdata"/text/*.txt "$testdata"/tme_html/page.copy.txt
seed tdesktop_json "$testdata"/tdesktop_json/*.json
seed tdesktop_html "$testdata"/tdesktop_html/*.html "$testdata"/tdesktop_html/*/*.html
seed tme_html "$testdata"/tme_html/*.html

# One file per message object of the pretty-printed exports: tdesktop closes each object
# on a line of its own, at the indentation of the line that opened it.
mkdir -p "$corpus/tdesktop_json_message"
for json in "$testdata"/tdesktop_json/*.json; do
    awk -v out="$corpus/tdesktop_json_message/$(basename "$json" .json)" '
        /"messages": \[$/ { in_messages = 1; next }
        in_messages && open == "" && /^ *\{$/ {
            open = $0; sub(/\{$/, "", open); message = "{"; next
        }
        open != "" {
            message = message "\n" $0
            if ($0 == open "}" || $0 == open "},") {
                sub(/,$/, "", message)
                file = out "-" ++count ".json"
                print message > file
                close(file)
                open = ""
            }
            next
        }
        in_messages && /^ *\]/ { in_messages = 0 }
    ' "$json"
done
