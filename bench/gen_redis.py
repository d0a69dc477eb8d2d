#!/usr/bin/env python3
"""N peers of one mtgo-redis session as RESP for `redis-cli --pipe` (docs/formats.md 7.2).

    sessiondesk-cli convert tests/data/telethon/basic.session --to mtgo-redis -o redis://127.0.0.1:PORT/0 --session big
    python3 bench/gen_redis.py 1000000 | redis-cli -p PORT --pipe

Kinds in turn, a timestamp on every peer, a username (and its peer_uname key) on every other one,
a phone on every fifth: the layout mtgo's adapter writes.
"""
import json
import sys


def main():
    n = int(sys.argv[1])
    session = sys.argv[2] if len(sys.argv) > 2 else "big"
    out = sys.stdout.buffer

    def cmd(*args):
        parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        out.write(b"*%d\r\n" % len(parts))
        for p in parts:
            out.write(b"$%d\r\n%s\r\n" % (len(p), p))

    for i in range(1, n + 1):
        pid = 1000000 + i
        username = "user%d" % i if i % 2 else ""
        peer = {"id": pid, "type": i % 3, "access_hash": i * 7919, "username": username,
                "first_name": "First%d" % i, "last_name": "", "last_updated": 1700000000 + i}
        if i % 5 == 0:
            peer["phone_number"] = "7900%07d" % i
        cmd("SET", "mtgo:%s:peer:%d" % (session, pid), json.dumps(peer, separators=(",", ":")))
        if username:
            cmd("SET", "mtgo:%s:peer_uname:%s" % (session, username), pid)


if __name__ == "__main__":
    main()
