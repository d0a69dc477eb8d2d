#!/usr/bin/env python3
"""Builds a synthetic Telethon v1 (database version 7) session with N entities, for the
performance checks of inspect/peers (a real client never stores this many, which is the point).
The auth key is random; no real account is involved.

usage: make_big_telethon.py OUT.session [N=1000000]
"""
import os
import random
import sqlite3
import sys


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    if os.path.exists(out):
        sys.exit(f"{out} exists")
    rnd = random.Random(1)
    c = sqlite3.connect(out)
    c.executescript("""
        create table version (version integer primary key);
        create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob, takeout_id integer);
        create table entities (id integer primary key, hash integer not null, username text, phone integer, name text, date integer);
        create table sent_files (md5_digest blob, file_size integer, type integer, id integer, hash integer,
                                 primary key(md5_digest, file_size, type));
        create table update_state (id integer primary key, pts integer, qts integer, date integer, seq integer);
        insert into version values (7);
    """)
    c.execute("insert into sessions values (2, '149.154.167.51', 443, ?, NULL)", (os.urandom(256),))
    c.execute("insert into update_state values (0, 1, 0, 1700000000, 0)")

    def rows():
        for i in range(n):
            kind = i % 10
            if kind < 8:
                marked = 10_000_000 + i
                name = f"User {i}"
                phone = f"7900{i:07d}" if i % 4 == 0 else None
            elif kind == 8:
                marked = -(1_000_000 + i)
                name = f"Group {i}"
                phone = None
            else:
                marked = -1_000_000_000_000 - (2_000_000 + i)
                name = f"Channel {i}"
                phone = None
            username = f"user{i:x}" if i % 3 else None
            yield (marked, rnd.randrange(-2**63, 2**63), username, phone, name, 1700000000 + i)

    c.executemany("insert into entities values (?,?,?,?,?,?)", rows())
    c.commit()
    c.close()


if __name__ == "__main__":
    main()
