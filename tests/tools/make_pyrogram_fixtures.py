#!/usr/bin/env python3
"""Makes tests/data/pyrogram/*.session + *.json: one file per Pyrogram-family layout, built by
replaying each library's own create()/update() steps as docs/formats.md 2.1-2.4 records them (the
libraries themselves cannot be installed here). Keys are random and synthetic. The JSON beside each
file lists the values a reader must find.

  pyrogram-v2.session          Pyrogram v2 (no api_id)
  pyrogram-v3-migrated.session v2 -> v3 (api_id appended last)
  kurigram-v7-migrated.session Pyrogram v3 -> Kurigram 4..7 (stale peers.username, usernames table,
                               update_state, server_address/port appended)
  pyrofork-v4.session          fresh Pyrofork v4 (usernames keyed by username, peer_id)

usage: tests/tools/make_pyrogram_fixtures.py OUT_DIR
"""
import hashlib
import json
import os
import sqlite3
import sys

NOW = "CAST(STRFTIME('%s', 'now') AS INTEGER)"
PEERS_V3 = f"""CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL, username TEXT,
    phone_number TEXT, last_update_on INTEGER NOT NULL DEFAULT ({NOW}));
CREATE INDEX idx_peers_id ON peers (id);
CREATE INDEX idx_peers_username ON peers (username);
CREATE INDEX idx_peers_phone_number ON peers (phone_number);
CREATE TRIGGER trg_peers_last_update_on AFTER UPDATE ON peers
BEGIN UPDATE peers SET last_update_on = {NOW} WHERE id = NEW.id; END;
CREATE TABLE version (number INTEGER PRIMARY KEY);"""
SESSIONS_V2 = """CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL,
    user_id INTEGER, is_bot INTEGER);"""
SESSIONS_V3 = """CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, api_id INTEGER, test_mode INTEGER, auth_key BLOB,
    date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER);"""
UPDATE_STATE = "CREATE TABLE update_state (id INTEGER PRIMARY KEY, pts INTEGER, qts INTEGER, date INTEGER, seq INTEGER);"

PEERS = [  # marked id, access_hash, type, usernames, phone
    (1001, -5, 'bot', ['helper_bot', 'helper_alt'], None),
    (5000000002, -9000000000000000001, 'user', [], '79001234567'),
    (-55, 0, 'group', [], None),
    (-1001234567890, 77, 'supergroup', ['sgroup'], None),
    (-1000000000099, 88, 'channel', [], None),
]


def rand_key():
    return os.urandom(256)


def base_v2(c, key):
    c.executescript(SESSIONS_V2 + PEERS_V3)
    c.execute("INSERT INTO version VALUES (2)")
    c.execute("INSERT INTO sessions VALUES (4, 0, ?, 1700000000, 5000000001, 0)", (key,))


def add_peers(c, with_username_column=True):
    for pid, h, t, names, phone in PEERS:
        if with_username_column:
            c.execute("REPLACE INTO peers (id, access_hash, type, username, phone_number, last_update_on) VALUES (?,?,?,?,?,1700000100)",
                      (pid, h, t, names[0] if names else None, phone))
        else:
            c.execute("REPLACE INTO peers (id, access_hash, type, phone_number, last_update_on) VALUES (?,?,?,?,1700000100)",
                      (pid, h, t, phone))


def describe(path, key, variant, version, api_id, usernames_multi, state, address):
    peers = []
    for pid, h, t, names, phone in PEERS:
        peers.append({'marked_id': pid, 'access_hash': str(h), 'type': t,
                      'usernames': names if usernames_multi else names[:1], 'phone': phone, 'updated': 1700000100})
    doc = {'variant': variant, 'version': version, 'dc': 4, 'user_id': 5000000001, 'is_bot': False, 'test_mode': False,
           'api_id': api_id, 'authKeyId': hashlib.sha1(key).digest()[12:20].hex(), 'authKeyHex': key.hex(),
           'server_address': address, 'peers': peers, 'update_state': state}
    with open(path[:-len('.session')] + '.json', 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    key = rand_key()
    p = os.path.join(out, 'pyrogram-v2.session')
    c = sqlite3.connect(p)
    base_v2(c, key)
    add_peers(c)
    c.commit(); c.close()
    describe(p, key, 'pyrogram', 2, None, False, None, None)

    key = rand_key()
    p = os.path.join(out, 'pyrogram-v3-migrated.session')
    c = sqlite3.connect(p)
    base_v2(c, key)
    c.execute("ALTER TABLE sessions ADD api_id INTEGER")          # Pyrogram update() 2 -> 3
    c.execute("UPDATE version SET number = 3")
    c.execute("UPDATE sessions SET api_id = 12345")
    add_peers(c)
    c.commit(); c.close()
    describe(p, key, 'pyrogram', 3, 12345, False, None, None)

    key = rand_key()
    p = os.path.join(out, 'kurigram-v7-migrated.session')
    c = sqlite3.connect(p)
    c.executescript(SESSIONS_V3 + PEERS_V3)
    c.execute("INSERT INTO version VALUES (3)")
    c.execute("INSERT INTO sessions VALUES (4, 12345, 0, ?, 1700000000, 5000000001, 0)", (key,))
    add_peers(c)                                                  # written by Pyrogram: peers.username filled
    # Kurigram update(): 3 -> 4 usernames, 4 -> 5 update_state, 5 -> 6 index, 6 -> 7 address columns
    c.executescript("CREATE TABLE usernames (id INTEGER, username TEXT, FOREIGN KEY (id) REFERENCES peers(id));"
                    "CREATE INDEX idx_usernames_username ON usernames (username);" + UPDATE_STATE +
                    "CREATE INDEX idx_usernames_id ON usernames (id);"
                    "ALTER TABLE sessions ADD server_address TEXT; ALTER TABLE sessions ADD port INTEGER;")
    c.execute("UPDATE sessions SET server_address = '149.154.167.91', port = 443")
    c.execute("UPDATE version SET number = 7")
    c.executemany("INSERT INTO usernames VALUES (?, ?)", [(pid, n) for pid, _, _, names, _ in PEERS for n in names])
    c.execute("INSERT INTO update_state VALUES (0, 100, 5, 1700000000, 9)")
    c.execute("INSERT INTO update_state VALUES (-1001234567890, 55, NULL, 1700000001, NULL)")
    c.commit(); c.close()
    describe(p, key, 'kurigram', 7, 12345, True,
             {'pts': 100, 'qts': 5, 'date': 1700000000, 'seq': 9, 'channels': {'1234567890': 55}}, '149.154.167.91')

    key = rand_key()
    p = os.path.join(out, 'pyrofork-v4.session')
    c = sqlite3.connect(p)
    c.executescript(SESSIONS_V3 + PEERS_V3 + UPDATE_STATE +
                    f"CREATE TABLE IF NOT EXISTS usernames (id TEXT PRIMARY KEY, peer_id INTEGER NOT NULL,"
                    f" last_update_on INTEGER NOT NULL DEFAULT ({NOW}));")
    c.execute("INSERT INTO version VALUES (4)")
    c.execute("INSERT INTO sessions VALUES (4, 12345, 0, ?, 1700000000, 5000000001, 0)", (key,))
    add_peers(c)
    c.executemany("REPLACE INTO usernames (peer_id, id) VALUES (?, ?)",
                  [(pid, n) for pid, _, _, names, _ in PEERS if len(names) > 1 for n in names])
    c.execute("REPLACE INTO update_state VALUES (0, 100, NULL, 1700000000, NULL)")
    c.execute("REPLACE INTO update_state VALUES (-1001234567890, 55, NULL, 1700000001, NULL)")
    c.commit(); c.close()
    describe(p, key, 'pyrofork', 4, 12345, True,
             {'pts': 100, 'qts': None, 'date': 1700000000, 'seq': None, 'channels': {'1234567890': 55}}, None)


if __name__ == '__main__':
    main()
