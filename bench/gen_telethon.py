#!/usr/bin/env python3
"""Generate a big Telethon v1 (database version 7) .session file for benchmarks and lazy-model tests.

    gen_telethon.py OUT.session [--entities N] [--seed S] [--dc 2]

The auth key is random (synthetic); entity rows mix users, basic groups and channels with marked
ids, signed 64-bit access hashes, lower-cased usernames, phones and dates. Files are never committed.
"""
import argparse
import os
import random
import sqlite3
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dc", type=int, default=2)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    if os.path.exists(a.out):
        if not a.force:
            sys.exit(f"{a.out} exists (use --force)")
        os.remove(a.out)
    rnd = random.Random(a.seed)
    t0 = time.time()
    fd = os.open(a.out, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    db = sqlite3.connect(a.out)
    db.execute("pragma journal_mode=off")
    db.execute("pragma synchronous=off")
    c = db.cursor()
    c.execute("create table version (version integer primary key)")
    c.execute("create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob, takeout_id integer)")
    c.execute("create table entities (id integer primary key, hash integer not null, username text, phone integer, name text, date integer)")
    c.execute("create table sent_files (md5_digest blob, file_size integer, type integer, id integer, hash integer, primary key(md5_digest, file_size, type))")
    c.execute("create table update_state (id integer primary key, pts integer, qts integer, date integer, seq integer)")
    c.execute("insert into version values (7)")
    addresses = {1: "149.154.175.53", 2: "149.154.167.51", 3: "149.154.175.100", 4: "149.154.167.91", 5: "91.108.56.130"}
    c.execute("insert into sessions values (?, ?, 443, ?, null)", (a.dc, addresses.get(a.dc, "149.154.167.51"), os.urandom(256)))
    now = int(time.time())
    c.execute("insert into update_state values (0, ?, ?, ?, ?)", (rnd.randint(1, 10**6), rnd.randint(0, 1000), now, rnd.randint(1, 10**5)))
    c.execute("insert into entities values (0, ?, null, null, null, ?)", (777000 + a.seed, now))

    def rows():
        for i in range(1, a.entities + 1):
            kind = i % 10
            h = rnd.getrandbits(64) - (1 << 63)
            date = now - rnd.randint(0, 400 * 86400)
            if kind < 7:  # users
                uid = 10_000_000 + i
                yield (uid, h, f"user{i}" if i % 3 else None, (79000000000 + i) if i % 5 == 0 else None, f"User {i}", date)
            elif kind < 8:  # basic groups: hash 0
                yield (-(5_000_000 + i), 0, None, None, f"Group {i}", date)
            else:  # channels
                cid = 1_500_000_000 + i
                yield (-(1_000_000_000_000 + cid), h, f"chan{i}" if i % 2 else None, None, f"Channel {i}", date)

    c.executemany("insert into entities values (?, ?, ?, ?, ?, ?)", rows())
    db.commit()
    db.close()
    os.chmod(a.out, 0o600)
    print(f"{a.out}: {a.entities} entities in {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
