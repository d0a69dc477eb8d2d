#!/usr/bin/env python3
"""gen_strings.py FILE [N]: N random Telethon v1 string sessions, one per line (bench input)."""
import base64, os, random, struct, sys
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
with open(sys.argv[1], "w") as f:
    for i in range(n):
        dc = random.randint(1, 5)
        ip = bytes([149, 154, 167, 50 + dc])
        f.write("1" + base64.urlsafe_b64encode(struct.pack(">B4sH256s", dc, ip, 443, os.urandom(256))).decode() + "\n")
