#!/bin/sh
# Two machines, one move (issue 16, docs/cli.md "Bundles"): machines A and B each have their own HOME,
# their own vault and their own gnome-keyring on their own private D-Bus session. B prints its
# recipient; A imports sessions of three libraries (Telethon, Pyrogram, GramJS) into its vault and
# bundles the whole vault to B; B imports the bundle with no flag; a session exported from B's vault
# loads in the real Telethon with the same key. Afterwards no key byte (raw, hex, base64) and no age
# secret key is found under either HOME outside the keyrings folder.
# Usage: twomachines.sh SESSIONDESK_CLI TESTS_DATA_DIR
set -eu
cli=$1
data=$2
# Debian's python3 carries python3-telethon (a pyenv python3 first in PATH may not).
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
for tool in dbus-run-session gnome-keyring-daemon "$py"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP   : $tool missing" >&2
        exit 0
    fi
done
if ! "$py" -c 'import telethon.sessions' 2>/dev/null; then
    echo "SKIP   : python3-telethon missing" >&2
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/A" "$work/B" "$work/out"
chmod 700 "$work/A" "$work/B" "$work/out"

fail() { echo "FAIL: $*" >&2; exit 1; }

# machine NAME COMMAND...: runs COMMAND as machine NAME (HOME, vault, a private bus with that
# machine's keyring, unlocked with the machine's password; the keyring file persists in its HOME).
machine() {
    m=$1
    shift
    env HOME="$work/$m" XDG_DATA_HOME="$work/$m/.local/share" XDG_CONFIG_HOME="$work/$m/.config" \
        XDG_CACHE_HOME="$work/$m/.cache" SESSIONDESK_VAULT="$work/$m/vault/vault.sqlite" \
        dbus-run-session -- sh -c '"$(dirname "$0")/keyring-up.sh" "keyring-of-$1" || echo "keyring-up.sh failed" >&2; shift; exec "$@"' "$0" "$m" "$@"
}

json_field() { "$py" -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# 1. B prints its recipient (created on first use, secret in B's keyring); asked again, the same one.
rb=$(machine B "$cli" identity --json | json_field recipient)
case $rb in age1*) ;; *) fail "B's recipient is '$rb'" ;; esac
rb2=$(machine B "$cli" identity)
[ "$rb" = "$rb2" ] || fail "B's recipient changed: $rb then $rb2"
ra=$(machine A "$cli" identity)
[ "$ra" != "$rb" ] || fail "A and B have the same identity"

# 2. A imports three libraries' sessions into its vault and bundles the whole vault to B.
for s in telethon/basic.session pyrogram/pyrogram-v2.session gramjs/store; do
    machine A "$cli" vault import "$data/$s" --json >/dev/null || fail "A could not import $s"
done
n=$(machine A "$cli" vault list --json | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 3 ] || fail "A's vault holds $n accounts, expected 3"
machine A "$cli" bundle create --vault --all -o "$work/out/move.age" --recipient "$rb" --json >"$work/out/create.json" \
    || fail "A could not bundle its vault"
[ "$(stat -c %a "$work/out/move.age")" = 600 ] || fail "the bundle is not 0600"

# A cannot open what it sent to B (exit 4: no matching identity), and writes nothing.
set +e
machine A "$cli" convert "$work/out/move.age" --to telethon-sqlite -o "$work/out/a-try.session" 2>/dev/null
code=$?
set -e
[ "$code" = 4 ] || fail "A opening B's bundle exited $code, expected 4"
[ ! -e "$work/out/a-try.session" ] || fail "a failed open wrote a file"

# 3. B imports the bundle with no flag at all.
machine B "$cli" vault import "$work/out/move.age" --json >"$work/out/import.json" || fail "B could not import the bundle"
machine B "$cli" vault list --json >"$work/out/blist.json"
"$py" - "$work/out/blist.json" "$data" <<'PY' || fail "B's vault does not hold the three accounts"
import json, sys, os
accounts = json.load(open(sys.argv[1]))
ids = sorted(a['auth_key_id'] for a in accounts)
import hashlib
exp = []
for f in ('telethon/basic.json', 'pyrogram/pyrogram-v2.json', 'gramjs/store.json'):
    key = bytes.fromhex(json.load(open(os.path.join(sys.argv[2], f)))['authKeyHex'])
    exp.append(hashlib.sha1(key).digest()[12:20].hex())
assert ids == sorted(exp), (ids, sorted(exp))
PY

# 4. A Telethon session exported from B's vault loads in the real Telethon with the same key.
tid=$("$py" -c 'import json,sys; print([a["id"] for a in json.load(open(sys.argv[1])) if a["auth_key_id"] == "91112dd225adaa54"][0])' "$work/out/blist.json")
machine B "$cli" vault export "$tid" --to telethon-sqlite -o "$work/out/exported.session" || fail "B could not export"
"$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["authKeyHex"])' "$data/telethon/basic.json" | "$py" -c '
import sys, hashlib
from telethon.sessions import SQLiteSession
expected = bytes.fromhex(sys.stdin.read().strip())
s = SQLiteSession(sys.argv[1])
key = s.auth_key.key if s.auth_key else b""
assert key == expected, "the key Telethon loaded differs"
assert s.dc_id == 2, s.dc_id
assert len(s._execute("select id from entities where id != 0") or [1]) >= 1
print("telethon: dc", s.dc_id, "auth_key_id", hashlib.sha1(key).digest()[12:20].hex())
' "$work/out/exported.session" || fail "Telethon did not load the exported session with the same key"

# 5. No key material under either HOME outside the keyrings.
"$py" - "$work/A" "$work/B" "$data" <<'PY' || fail "key material found under a HOME"
import base64, json, os, sys
keys = []
for f in ('telethon/basic.json', 'pyrogram/pyrogram-v2.json', 'gramjs/store.json'):
    keys.append(bytes.fromhex(json.load(open(os.path.join(sys.argv[3], f)))['authKeyHex']))
needles = []
for k in keys:
    needles += [k[:24], k[100:124], k.hex()[:48].encode(), k.hex().upper()[:48].encode(),
                base64.b64encode(k)[:40], base64.urlsafe_b64encode(k)[:40]]
needles.append(b'AGE-SECRET-KEY-')
scanned = 0
for home in sys.argv[1:3]:
    for root, dirs, files in os.walk(home):
        if os.path.relpath(root, home).startswith(os.path.join('.local', 'share', 'keyrings')):
            continue
        for name in files:
            p = os.path.join(root, name)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            blob = open(p, 'rb').read()
            scanned += 1
            for n in needles:
                assert n not in blob, 'key material in ' + p
assert scanned >= 2, scanned
print('scanned', scanned, 'files under both HOMEs: no key material')
PY
echo "two machines: OK"
