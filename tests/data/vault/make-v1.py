#!/usr/bin/env python3
"""Makes v1.sqlite (a vault of schema version 1) and v1.json (its expected values) from v1-schema.sql.
The auth key is synthetic; the vault holds only its auth_key_id (the key itself would be in the keychain)."""
import hashlib, json, os, sqlite3

here = os.path.dirname(os.path.abspath(__file__))
key = hashlib.sha512(b"sessiondesk v1 vault fixture").digest() * 4
kid = hashlib.sha1(key).digest()[12:20].hex()
vault_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
acc = "a1b2c3d4e5f6"
path = os.path.join(here, "v1.sqlite")
if os.path.exists(path):
    os.remove(path)
db = sqlite3.connect(path)
db.executescript(open(os.path.join(here, "v1-schema.sql")).read())
db.execute("INSERT INTO meta VALUES ('vault_id', ?), ('created_at', '1700000000')", (vault_id,))
db.execute("INSERT INTO accounts (id, label, format, format_version, dc_id, user_id, is_bot, username, auth_key_id,"
           " imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
           (acc, "old friend", "telethon-sqlite", 7, 2, 5000000001, 0, "oldfriend", kid, 1700000000))
db.execute("INSERT INTO dcs (account_id, idx, dc_id, address, port, auth_key_id, key_size) VALUES (?,?,?,?,?,?,?)",
           (acc, 0, 2, "149.154.167.51", 443, kid, 256))
db.execute("INSERT INTO update_state VALUES (?, 10, 0, 1700000000, 3)", (acc,))
db.execute("INSERT INTO peers (account_id, id, type, access_hash, usernames, name, updated) VALUES (?,?,?,?,?,?,?)",
           (acc, 777000, "user", -9223372036854775807, "telegram", "Telegram", 1700000001))
db.execute("INSERT INTO peers (account_id, id, type, access_hash) VALUES (?,?,?,?)", (acc, 1234567890, "channel", 42))
db.commit()
db.close()
os.chmod(path, 0o600)
with open(os.path.join(here, "v1.json"), "w") as f:
    json.dump({"schema_version": 1, "vault_id": vault_id, "account_id": acc, "label": "old friend",
               "format": "telethon-sqlite", "user_id": 5000000001, "dc_id": 2, "auth_key_id": kid,
               "authKeyHex": key.hex(), "peers": 2,
               "update_state": {"pts": 10, "qts": 0, "date": 1700000000, "seq": 3},
               "note": "made by make-v1.py from v1-schema.sql; the key is synthetic and lives in the test's "
                       "in-memory secret store"}, f, indent=1)
