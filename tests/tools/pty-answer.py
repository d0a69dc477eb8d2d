#!/usr/bin/env python3
"""Runs PROGRAM on a pseudo-terminal and answers every passphrase prompt with the first line of stdin.

    pty-answer.py [--raw] PROGRAM [ARGS...]

age and sessiondesk-cli read passphrases only from a terminal (docs/cli.md). A prompt is any output
containing "passphrase:" or age's "one):" ("…generate a secure one):"). Exits like PROGRAM (-9 when it
did not finish within 120 s and was killed). What the terminal showed goes to stdout as is with --raw
(a test then checks that the secret was never echoed), else to stderr with the secret masked.
"""
import os
import pty
import select
import sys

raw = len(sys.argv) > 1 and sys.argv[1] == "--raw"
argv = sys.argv[2:] if raw else sys.argv[1:]
secret = sys.stdin.readline().rstrip("\n").encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen, answered = b"", 0
while True:
    try:
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:
            os.kill(pid, 9)
            break
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    while seen.lower().count(b"passphrase:") + seen.lower().count(b"one):") > answered:
        os.write(fd, secret + b"\n")
        answered += 1
_, status = os.waitpid(pid, 0)
if raw:
    sys.stdout.buffer.write(seen)
else:
    sys.stderr.write(seen.decode(errors="replace").replace(secret.decode(), "<secret>"))
sys.exit(os.waitstatus_to_exitcode(status))
