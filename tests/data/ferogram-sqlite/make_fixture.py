#!/usr/bin/env python3
"""Builds tests/data/ferogram-sqlite/basic.db (+ basic.json) with the tables ferogram's SqliteBackend
creates (ferogram-session lib.rs, docs/formats.md 8.4), filled with synthetic values (random auth keys).
Tests read every expected value from basic.json."""
import hashlib, json, os, random, sqlite3

here = os.path.dirname(os.path.abspath(__file__))
db_path = os.path.join(here, "basic.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db_path + suffix):
        os.remove(db_path + suffix)

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0)",
    """CREATE TABLE IF NOT EXISTS dcs (dc_id INTEGER NOT NULL, flags INTEGER NOT NULL DEFAULT 0, addr TEXT NOT NULL,
        auth_key BLOB, first_salt INTEGER NOT NULL DEFAULT 0, time_offset INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (dc_id, flags))""",
    """CREATE TABLE IF NOT EXISTS update_state (id INTEGER PRIMARY KEY CHECK (id = 1), pts INTEGER NOT NULL DEFAULT 0,
        qts INTEGER NOT NULL DEFAULT 0, date INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0)""",
    "CREATE TABLE IF NOT EXISTS channel_pts (channel_id INTEGER PRIMARY KEY, pts INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS peers (id INTEGER PRIMARY KEY, access_hash INTEGER NOT NULL, is_channel INTEGER NOT NULL DEFAULT 0,
        is_chat INTEGER NOT NULL DEFAULT 0, channel_kind INTEGER, is_community INTEGER NOT NULL DEFAULT 0)""",
    "CREATE TABLE IF NOT EXISTS min_peers (user_id INTEGER PRIMARY KEY, peer_id INTEGER NOT NULL, msg_id INTEGER NOT NULL)",
]

rnd = random.Random()
key2 = bytes(rnd.getrandbits(8) for _ in range(256))
key4 = bytes(rnd.getrandbits(8) for _ in range(256))
kid = lambda k: hashlib.sha1(k).digest()[12:20].hex()
c = sqlite3.connect(db_path)
c.execute("PRAGMA journal_mode=WAL")
for s in SCHEMA:
    c.execute(s)
c.execute("INSERT INTO meta VALUES ('home_dc_id', 2)")
c.execute("INSERT INTO meta VALUES ('future_auth_token', x'0102030405')")
salt = rnd.randrange(-2**63, 2**63)
c.executemany("INSERT INTO dcs VALUES (?,?,?,?,?,?)", [
    (1, 0, "149.154.175.53:443", None, 0, 0),
    (2, 0, "149.154.167.51:443", key2, salt, -3),
    (2, 1, "[2001:67c:4e8:f002::a]:443", None, 0, 0),
    (2, 2, "149.154.167.222:443", None, 0, 0),
    (4, 0, "149.154.167.91:443", key4, 0, 0),
    (4, 16, "149.154.167.92:443", None, 0, 0),
])
c.execute("INSERT INTO update_state VALUES (1, 321, 12, 1700005000, 45)")
c.executemany("INSERT INTO channel_pts VALUES (?,?)", [(1700000000, 77), (1700000001, 78)])
peers = []
for i in range(8):
    h = rnd.randrange(-2**63, 2**63)
    c.execute("INSERT INTO peers VALUES (?,?,0,0,NULL,0)", (8000 + i, h))
    peers.append({"id": 8000 + i, "type": "user", "hash": str(h), "kind": None})
c.execute("INSERT INTO peers VALUES (5151, 0, 0, 1, NULL, 0)")
peers.append({"id": 5151, "type": "chat", "hash": None, "kind": None})
for j, kind in enumerate([0, 1, 2, None]):
    h = rnd.randrange(-2**63, 2**63)
    c.execute("INSERT INTO peers VALUES (?,?,1,0,?,?)", (1700000000 + j, h, kind, 1 if j == 1 else 0))
    peers.append({"id": 1700000000 + j, "type": "channel", "hash": str(h), "kind": kind, "community": j == 1})
c.execute("INSERT INTO min_peers VALUES (8100, 1700000000, 55)")
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.close()
for suffix in ("-wal", "-shm"):
    if os.path.exists(db_path + suffix):
        os.remove(db_path + suffix)
os.chmod(db_path, 0o644)
expected = {
    "homeDc": 2, "authKeyHex": key2.hex(), "authKeyId": kid(key2), "salt": str(salt), "dcRows": 6,
    "otherKeys": [{"dc": 4, "authKeyId": kid(key4)}],
    "updateState": {"pts": 321, "qts": 12, "date": 1700005000, "seq": 45, "channels": {"1700000000": 77, "1700000001": 78}},
    "minPeers": [[8100, 1700000000, 55]], "futureAuthTokenHex": "0102030405", "peers": peers,
}
with open(os.path.join(here, "basic.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", db_path)
