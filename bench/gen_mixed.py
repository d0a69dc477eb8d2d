#!/usr/bin/env python3
"""Generates a tree of N mixed session files for the audit benchmark (never committed).

Usage: gen_mixed.py OUTDIR [N] [--telethon-only]

Mix (by index modulo 10): 5/10 Telethon v1 SQLite files with a few entities, 2/10 Pyrogram v3 SQLite
files, 1/10 Telethon strings in .env files, 1/10 plain text files without sessions, 1/10 mtcute strings
in .txt files. Every 50th file reuses an earlier key (duplicate-auth-key findings). Keys are random.
--telethon-only: every file is a Telethon v1 .session (the audit benchmark against bench_sqlitefloor).
"""
import base64, os, random, sqlite3, struct, sys

def telethon_file(path, key, dc=2):
    c = sqlite3.connect(path)
    c.executescript("""
    CREATE TABLE version (version integer primary key);
    CREATE TABLE sessions (dc_id integer primary key, server_address text, port integer, auth_key blob, takeout_id integer);
    CREATE TABLE entities (id integer primary key, hash integer not null, username text, phone integer, name text, date integer);
    CREATE TABLE sent_files (md5_digest blob, file_size integer, type integer, id integer, hash integer, primary key(md5_digest, file_size, type));
    CREATE TABLE update_state (id integer primary key, pts integer, qts integer, date integer, seq integer);
    """)
    c.execute("INSERT INTO version VALUES (7)")
    c.execute("INSERT INTO sessions VALUES (?,?,?,?,NULL)", (dc, "149.154.167.51", 443, key))
    rows = [(random.randint(1, 2**40), random.randint(-2**63, 2**63 - 1), "u%d" % i, None, "User %d" % i, 1700000000 + i) for i in range(5)]
    c.executemany("INSERT INTO entities VALUES (?,?,?,?,?,?)", rows)
    c.commit(); c.close()

def pyrogram_file(path, key, dc=2):
    c = sqlite3.connect(path)
    c.executescript("""
    CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, api_id INTEGER, test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER);
    CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL, username TEXT, phone_number TEXT, last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)));
    CREATE TABLE version (number INTEGER PRIMARY KEY);
    CREATE INDEX idx_peers_id ON peers (id);
    CREATE INDEX idx_peers_username ON peers (username);
    CREATE INDEX idx_peers_phone_number ON peers (phone_number);
    """)
    c.execute("INSERT INTO sessions VALUES (?,?,?,?,?,?,?)", (dc, 12345, 0, key, 0, random.randint(1, 2**33), 0))
    c.execute("INSERT INTO version VALUES (3)")
    c.commit(); c.close()

def telethon_string(key, dc=2):
    return "1" + base64.urlsafe_b64encode(struct.pack(">B4sH256s", dc, bytes([149, 154, 167, 51]), 443, key)).decode()

def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    telethon_only = "--telethon-only" in sys.argv[1:]
    out = args[0]
    n = int(args[1]) if len(args) > 1 else 10000
    random.seed(7)
    keys = []
    for i in range(n):
        d = os.path.join(out, "d%03d" % (i // 100))
        os.makedirs(d, exist_ok=True)
        if i % 50 == 49 and keys:
            key = random.choice(keys)
        else:
            key = os.urandom(256)
            keys.append(key)
        kind = 0 if telethon_only else i % 10
        if kind < 5:
            telethon_file(os.path.join(d, "s%05d.session" % i), key)
        elif kind < 7:
            pyrogram_file(os.path.join(d, "p%05d.session" % i), key)
        elif kind == 7:
            open(os.path.join(d, "bot%05d.env" % i), "w").write("API_ID=1\nSESSION=%s\n" % telethon_string(key))
        elif kind == 8:
            open(os.path.join(d, "notes%05d.txt" % i), "w").write("nothing to see here %d\n" % i)
        else:
            open(os.path.join(d, "sess%05d.txt" % i), "w").write(telethon_string(key) + "\n")
    print("generated %d files under %s" % (n, out))

if __name__ == "__main__":
    main()
