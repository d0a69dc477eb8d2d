#!/bin/sh
# seed-corpus.sh FORMAT SOURCE_DIR CORPUS_DIR: copies the fixtures that belong to FORMAT into the corpus.
set -eu
fmt=$1 src=$2 corpus=$3
d="$src/tests/data"
add() { [ -f "$1" ] && cp -f "$1" "$corpus/$(basename "$(dirname "$1")")-$(basename "$1")" || true; }
case "$fmt" in
    *-string)
        python3 - "$d/strings/cases.jsonl" "$corpus" "$fmt" <<'PY' || true
import json, sys, os
path, corpus, fmt = sys.argv[1:4]
for i, line in enumerate(open(path)):
    s = json.loads(line).get("strings", {}).get(fmt)
    if s:
        open(os.path.join(corpus, f"case{i}"), "w").write(s)
PY
        ;;
    telethon-sqlite) add "$d/telethon/basic.session" ;;
    mtcute-sqlite) add "$d/mtcute/basic.sqlite" ;;
    tdata)
        python3 - "$d/tdata/plain" "$corpus/plain" <<'PY' || true
import os, sys
root, out = sys.argv[1:3]
parts = []
for dirpath, _, files in os.walk(root):
    for f in files:
        if dirpath == root:
            parts += [f.encode(), open(os.path.join(dirpath, f), "rb").read()]
open(out, "wb").write(b"\0".join(parts))
PY
        ;;
    gramjs-store)
        python3 - "$d/gramjs/store" "$corpus/store" <<'PY' || true
import os, sys
root, out = sys.argv[1:3]
parts = []
for f in sorted(os.listdir(root)):
    parts += [f.encode(), open(os.path.join(root, f), "rb").read()]
open(out, "wb").write(b"\0".join(parts))
PY
        ;;
esac
# Any fixture a format's developer added under tests/data/<family>/ with a matching name.
for f in "$d"/*/*; do
    case "$(basename "$f")" in
        *"$fmt"*) [ -f "$f" ] && add "$f" ;;
    esac
done
[ -n "$(ls -A "$corpus")" ] || printf 'x' > "$corpus/empty-seed"
