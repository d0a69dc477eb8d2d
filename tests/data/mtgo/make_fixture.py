#!/usr/bin/env python3
"""Builds tests/data/mtgo/basic.db (+ basic.json) with the schema mtgo-labs/storage's runtime
initSchema() creates (sqlite/sqlite.go), filled with synthetic values (random auth keys, no real
account). Run again to regenerate; tests read every expected value from basic.json."""
import hashlib, json, os, random, sqlite3, sys

here = os.path.dirname(os.path.abspath(__file__))
db_path = os.path.join(here, "basic.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db_path + suffix):
        os.remove(db_path + suffix)

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS sessions (
        session_id     TEXT DEFAULT '', dc_id INTEGER PRIMARY KEY, api_id INTEGER DEFAULT 0, api_hash TEXT DEFAULT '',
        test_mode INTEGER DEFAULT 0, auth_key BLOB, state BLOB, user_id INTEGER DEFAULT 0, is_bot INTEGER DEFAULT 0,
        first_name TEXT DEFAULT '', last_name TEXT DEFAULT '', username TEXT DEFAULT '', date INTEGER DEFAULT 0,
        server_address TEXT DEFAULT '', port INTEGER DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS peers (
        id INTEGER PRIMARY KEY, type INTEGER NOT NULL, access_hash INTEGER DEFAULT 0, username TEXT DEFAULT '',
        usernames TEXT DEFAULT '', first_name TEXT DEFAULT '', last_name TEXT DEFAULT '', phone_number TEXT DEFAULT '',
        is_bot INTEGER DEFAULT 0, photo_id INTEGER DEFAULT 0, language TEXT DEFAULT '', last_updated INTEGER DEFAULT 0)""",
    "CREATE INDEX IF NOT EXISTS idx_peers_username ON peers(username)",
    "CREATE INDEX IF NOT EXISTS idx_peers_phone ON peers(phone_number)",
    """CREATE TABLE IF NOT EXISTS update_state (session_id TEXT PRIMARY KEY, pts INTEGER NOT NULL DEFAULT 0,
        qts INTEGER NOT NULL DEFAULT 0, date INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS channel_update_state (session_id TEXT NOT NULL, channel_id INTEGER NOT NULL,
        pts INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (session_id, channel_id))""",
    """CREATE TABLE IF NOT EXISTS update_dedup (session_id TEXT NOT NULL, dedup_key TEXT NOT NULL,
        created_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (session_id, dedup_key))""",
    """CREATE TABLE IF NOT EXISTS durable_updates (session_id TEXT NOT NULL, id TEXT NOT NULL, payload BLOB NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (session_id, id))""",
    """CREATE TABLE IF NOT EXISTS conversations (chat_id INTEGER NOT NULL, user_id INTEGER NOT NULL, name TEXT NOT NULL,
        step INTEGER DEFAULT 0, data BLOB, created_at INTEGER DEFAULT 0, updated_at INTEGER DEFAULT 0,
        PRIMARY KEY (chat_id, user_id))""",
]

rnd = random.Random()
key2 = bytes(rnd.getrandbits(8) for _ in range(256))
key4 = bytes(rnd.getrandbits(8) for _ in range(256))
kid = lambda k: hashlib.sha1(k).digest()[12:20].hex()

c = sqlite3.connect(db_path)
c.execute("PRAGMA journal_mode=WAL")
for s in SCHEMA:
    c.execute(s)
ins = "INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
c.execute(ins, ("acc1", 2, 123456, "0123456789abcdef0123456789abcdef", 0, key2, b"\x01\x02\x03", 5000000001, 0,
                "Ann", "Example", "annex", 1700000000, "149.154.167.51", 443))
c.execute(ins, ("acc1", 4, 123456, "0123456789abcdef0123456789abcdef", 0, key4, None, 5000000001, 0,
                "Ann", "Example", "annex", 1700000100, "149.154.167.91", 443))
peers = []
for i in range(12):
    pid = 7000 + i
    h = rnd.randrange(-2**63, 2**63)
    bot = 1 if i % 5 == 0 else 0
    uname = f"user{i}" if i % 3 else ""
    unames = f"user{i},alt{i}" if i % 4 == 1 and uname else ""
    phone = f"7900{i:07d}" if i % 2 == 0 else ""
    c.execute("INSERT INTO peers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
              (pid, 0, h, uname, unames, f"First{i}", f"Last{i}" if i % 2 else "", phone, bot, 9000 + i if i == 3 else 0,
               "en" if i == 2 else "", 1700000000 + i))
    peers.append({"id": pid, "type": "user", "bot": bool(bot), "hash": str(h), "username": uname or None, "phone": phone or None})
c.execute("INSERT INTO peers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (4242, 1, 0, "", "", "Basic group", "", "", 0, 0, "", 1700001000))
peers.append({"id": 4242, "type": "chat", "hash": None, "username": None, "phone": None})
for j in range(3):
    h = rnd.randrange(-2**63, 2**63)
    c.execute("INSERT INTO peers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
              (1600000000 + j, 2, h, f"chan{j}", "", f"Channel {j}", "", "", 0, 0, "", 1700002000 + j))
    peers.append({"id": 1600000000 + j, "type": "channel", "hash": str(h), "username": f"chan{j}", "phone": None})
c.execute("INSERT INTO update_state VALUES ('acc1', 1234, 56, 1700003000, 78, 1700003001)")
c.execute("INSERT INTO update_state VALUES ('other', 1, 1, 1, 1, 1)")
c.execute("INSERT INTO channel_update_state VALUES ('acc1', 1600000000, 999, 1700003002)")
c.execute("INSERT INTO channel_update_state VALUES ('acc1', 1600000001, 1000, 1700003003)")
c.execute("INSERT INTO update_dedup VALUES ('acc1', 'k1', 1700003004)")
c.execute("INSERT INTO durable_updates VALUES ('acc1', 'u1', x'00ff', 1, 'boom', 1700003005, 1700003006)")
c.execute("INSERT INTO conversations VALUES (-1001600000000, 7001, 'signup', 2, x'7b7d', 1700004000, 1700004001)")
c.execute("INSERT INTO conversations VALUES (7002, 7002, 'feedback', 0, NULL, 1700004002, 1700004003)")
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.close()
for suffix in ("-wal", "-shm"):
    if os.path.exists(db_path + suffix):
        os.remove(db_path + suffix)
os.chmod(db_path, 0o644)

expected = {
    "dc": 2, "testMode": False, "apiId": 123456, "apiHash": "0123456789abcdef0123456789abcdef", "userId": 5000000001,
    "isBot": False, "firstName": "Ann", "lastName": "Example", "username": "annex", "address": "149.154.167.51", "port": 443,
    "authKeyHex": key2.hex(), "authKeyId": kid(key2), "otherDcs": [{"dc": 4, "authKeyId": kid(key4)}],
    "updateState": {"pts": 1234, "qts": 56, "date": 1700003000, "seq": 78, "channels": {"1600000000": 999, "1600000001": 1000}},
    "conversations": [{"chatId": -1001600000000, "userId": 7001, "name": "signup", "step": "2", "dataHex": "7b7d"},
                      {"chatId": 7002, "userId": 7002, "name": "feedback", "step": "0", "dataHex": ""}],
    "peers": peers,
}
with open(os.path.join(here, "basic.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", db_path)
