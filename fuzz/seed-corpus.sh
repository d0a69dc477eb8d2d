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
    tdata-blocks)
        for f in "$d"/tdata/*/*; do add "$f"; done
        ;;
    tdata-mtp)
        # An MTP authorization payload (mode byte 0) and an account list (mode byte 1).
        python3 - "$corpus" <<'PY' || true
import os, struct, sys
out = sys.argv[1]
blob = struct.pack(">iiqi", -1, -1, 123456789, 2) + struct.pack(">I", 2)
blob += struct.pack(">i", 2) + bytes(range(256)) + struct.pack(">i", 4) + bytes(255 - i for i in range(256))
blob += struct.pack(">I", 1) + struct.pack(">i", 1) + b"\x07" * 256
payload = struct.pack(">iI", 0x4B, len(blob)) + blob
open(os.path.join(out, "mtp"), "wb").write(b"\x00" + payload)
open(os.path.join(out, "list"), "wb").write(b"\x01" + struct.pack(">iiiii", 3, 0, 1, 2, 1))
PY
        ;;
    gob) add "$d/gogram/gogram-cache.db" ;;
    bbolt) add "$d/gotd/gotd-bbolt-botapi.db" ;;
    audit-text)
        python3 - "$d/strings/cases.jsonl" "$corpus" <<'PY' || true
import json, os, sys
path, corpus = sys.argv[1:3]
for i, line in enumerate(open(path)):
    strings = json.loads(line).get("strings", {})
    body = "".join("# %s\nSESSION_%d=%s\n" % (k, n, v) for n, (k, v) in enumerate(sorted(strings.items())))
    if body:
        open(os.path.join(corpus, "env%d" % i), "w").write(body)
PY
        ;;
    peer-search)
        for w in alice 100% _ '\\' 'news\\chan' '"group"' ZZ 777 -100 5550 CaSe '%_%'; do
            printf '%s' "$w" >"$corpus/w-$(printf '%s' "$w" | od -An -tx1 | tr -d ' \n')"
        done
        ;;
    vault-blob)
        # One DC row, an empty key, no extras, no API hash (secretblob.h layout).
        printf '\001SDVK\000\000\000\001\000\000\000\001\000\000\000\000\000\000\000\001\000\000\000\000\000\000\000\000\000\000\000\000\000\377\377\377\377' >"$corpus/one-row"
        ;;
    sqlite-snapshot)
        python3 - "$d/telethon/basic.session" "$corpus/basic" <<'PY' || true
import sys
img = open(sys.argv[1], "rb").read()
n = (len(img) + 63) // 64
img = img.ljust(n * 64, b"\0")
open(sys.argv[2], "wb").write(bytes([n >> 8, n & 255, 0, 0]) + img)
PY
        ;;
    schema-text)
        # The column lists of every CREATE TABLE in the SQLite fixtures, as "( ... )" text.
        python3 - "$d" "$corpus" <<'PY' || true
import os, re, sqlite3, sys
root, out = sys.argv[1:3]
n = 0
for dirpath, _, files in os.walk(root):
    for f in files:
        p = os.path.join(dirpath, f)
        try:
            if open(p, "rb").read(16) != b"SQLite format 3\0":
                continue
            con = sqlite3.connect("file:" + p + "?mode=ro&immutable=1", uri=True)
            for (sql,) in con.execute("select sql from sqlite_master where type = 'table' and sql is not null"):
                i = sql.find("(")
                if i >= 0:
                    open(os.path.join(out, "create-%d" % n), "w").write(sql[i:])
                    n += 1
        except Exception:
            pass
PY
        ;;
    json)
        for f in "$d"/gotd/*.json "$d"/*/*.json; do add "$f"; done
        ;;
    ferogram-codec)
        for f in "$d"/ferogram/*.bin; do add "$f"; done
        python3 - "$d/ferogram" "$corpus" <<'PY' || true
import base64, glob, os, sys
src, out = sys.argv[1:3]
for f in glob.glob(os.path.join(src, "ferogram-string-*.txt")):
    t = open(f).read().strip()
    for cut in range(0, 8):
        try:
            raw = base64.urlsafe_b64decode(t[cut:] + "=" * (-len(t[cut:]) % 4))
        except Exception:
            continue
        open(os.path.join(out, "compact-" + os.path.basename(f)), "wb").write(raw)
        break
PY
        ;;
    string-payloads)
        python3 - "$d/strings/cases.jsonl" "$corpus" <<'PY' || true
import base64, json, os, sys
path, out = sys.argv[1:3]
for i, line in enumerate(open(path)):
    for fmt, s in json.loads(line).get("strings", {}).items():
        if not fmt.endswith("-string") or fmt.startswith(("gogram", "ferogram", "mtcute")):
            continue
        t = s[1:] if fmt in ("telethon-string", "gramjs-string") else s
        try:
            raw = base64.urlsafe_b64decode(t.replace("+", "-").replace("/", "_") + "=" * (-len(t) % 4))
        except Exception:
            continue
        open(os.path.join(out, f"{fmt}-{i}"), "wb").write(raw)
PY
        ;;
    mtcute-tl)
        # Every blob and text cell of the mtcute fixture (dc options, current user, peers.complete
        # followed by the row's id as the fuzz target expects).
        python3 - "$d/mtcute/basic.sqlite" "$corpus" <<'PY' || true
import os, sqlite3, struct, sys
db, out = sys.argv[1:3]
con = sqlite3.connect("file:" + db + "?mode=ro&immutable=1", uri=True)
n = 0
for (table,) in con.execute("select name from sqlite_master where type='table'"):
    cols = [r[1] for r in con.execute(f"pragma table_info('{table}')")]
    for row in con.execute(f"select * from '{table}' limit 200"):
        r = dict(zip(cols, row))
        for c, v in r.items():
            if isinstance(v, str):
                v = v.encode()
            if isinstance(v, bytes) and v:
                if c == "complete" and isinstance(r.get("id"), int):
                    v += struct.pack("<q", abs(r["id"]) % (1 << 63))
                open(os.path.join(out, f"{table}-{c}-{n}"), "wb").write(v)
                n += 1
PY
        ;;
    gogram-plain)
        python3 - "$corpus" <<'PY' || true
import base64, hashlib, os, sys
key = bytes((i * 13 + 5) % 256 for i in range(256))
h = hashlib.sha1(key).digest()[12:20]
doc = '{"key":"%s","hash":"%s","salt":"AAAAAAAAAAA=","hostname":"149.154.167.51:443","app_id":12345}' % (
    base64.b64encode(key).decode(), base64.b64encode(h).decode())
open(os.path.join(sys.argv[1], "plain.json"), "w").write(doc)
PY
        ;;
esac
# Inputs over 4 MiB (docs/security.md, "Fuzzing"), for the targets whose inputs matter by their
# size: run-one.sh gives them -max_len 5 MiB, and libFuzzer runs every seed of the corpus once at
# start-up, so each of these is executed whole on every run (INITED reports the corpus max size).
big=4718592 # 4.5 MiB
case "$fmt" in
    bbolt)
        # The fixture grown to 4.5 MiB: copies of its data pages appended (each renumbered), the
        # high-water mark of both metas raised to cover them and their checksums recomputed.
        python3 - "$d/gotd/gotd-bbolt-botapi.db" "$corpus/big-bbolt" "$big" <<'PY' || true
import struct, sys
src, out, big = sys.argv[1], sys.argv[2], int(sys.argv[3])
img = bytearray(open(src, "rb").read())
ps = struct.unpack_from("<I", img, 16 + 8)[0]
orig = len(img) // ps
img = img[:orig * ps]
total = (big + ps - 1) // ps
for i in range(orig, total):
    page = bytearray(img[ps * (2 + (i - orig) % (orig - 2)):][:ps])
    struct.pack_into("<Q", page, 0, i)
    img += page
def fnv1a64(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return h
off = 0
for _ in range(2):
    m = off + 16
    struct.pack_into("<Q", img, m + 40, total)
    struct.pack_into("<Q", img, m + 56, fnv1a64(img[m:m + 56]))
    off = ps
open(out, "wb").write(img)
PY
        ;;
    gob)
        # A gob stream of a peer cache with 120000 users, channels and usernames (Go's own encoder).
        if command -v go >/dev/null 2>&1; then
            t=$(mktemp -d)
            cat >"$t/big.go" <<'GO'
package main

import (
	"encoding/gob"
	"fmt"
	"os"
)

type cache struct {
	InputPeers map[int64]int64
	Channels   map[int64]int64
	Usernames  map[string]int64
}

func main() {
	c := cache{map[int64]int64{}, map[int64]int64{}, map[string]int64{}}
	for i := int64(1); i <= 120000; i++ {
		c.InputPeers[5000000000+i] = i * 7919
		c.Channels[-1000000000000-i] = i * 104729
		c.Usernames[fmt.Sprintf("user_%d", i)] = 5000000000 + i
	}
	f, _ := os.Create(os.Args[1])
	defer f.Close()
	gob.NewEncoder(f).Encode(c)
}
GO
            (cd "$t" && GOFLAGS=-mod=mod GO111MODULE=off go run big.go "$corpus/big-gob") >/dev/null 2>&1 || true
            rm -rf "$t"
        fi
        ;;
    telethon-sqlite)
        # A Telethon session with 95000 entities.
        python3 - "$d/telethon/basic.session" "$corpus/big.session" <<'PY' || true
import os, shutil, sqlite3, sys
src, out = sys.argv[1:3]
shutil.copyfile(src, out)
con = sqlite3.connect(out)
con.executemany("insert or replace into entities (id, hash, username, phone, name, date) values (?, ?, ?, ?, ?, ?)",
                ((5000000000 + i, i * 7919, "user_%d" % i, "1555%07d" % i, "Name %d" % i, 1700000000 + i) for i in range(95000)))
con.commit()
con.close()
PY
        ;;
    audit-text)
        # A 4.5 MiB .env: the string cases repeated, with long comment and noise lines between.
        python3 - "$d/strings/cases.jsonl" "$corpus/big-env" "$big" <<'PY' || true
import json, sys
path, out, big = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = []
for i, line in enumerate(open(path)):
    for k, v in sorted(json.loads(line).get("strings", {}).items()):
        lines.append("# %s %d %s\nSESSION_%d=%s\nNOISE_%d=%s\n" % (k, i, "x" * 200, i, v, i, "ab" * 300))
body, n = [], 0
while n < big:
    for l in lines:
        body.append(l)
        n += len(l)
        if n >= big:
            break
open(out, "w").write("".join(body))
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
