#!/usr/bin/env python3
"""Builds hand-made gogram test vectors (docs/formats.md section 5) with synthetic random auth keys:
string sessions (5.2), session.dat containers v2/v1/legacy (5.1) and a gob peer cache (5.3), plus
vectors.json with every expected value. These are NOT produced by the real gogram (no Go toolchain
here): they follow the byte layouts of docs/formats.md, written independently of the C++ code.
Run again to regenerate; tests read every expected value from vectors.json."""
import base64, hashlib, json, os, random, struct

from cryptography.hazmat.primitives import hashes, hmac, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

here = os.path.dirname(os.path.abspath(__file__))
rnd = random.SystemRandom()
DEFAULT_KEY = b"1234567890123456"


def key_id(k):
    return hashlib.sha1(k).digest()[12:20]


def cbc(key, iv, data):
    p = padding.PKCS7(128).padder()
    data = p.update(data) + p.finalize()
    e = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return e.update(data) + e.finalize()


def sha256(b):
    return hashlib.sha256(b).digest()


def container(kind, plain, key_string):
    if kind == "v2":
        iv = os.urandom(16)
        body = b"\xa3\x5c\x02\x00" + iv + cbc(sha256(b"gogram-enc:" + key_string), iv, plain)
        h = hmac.HMAC(sha256(b"gogram-mac:" + key_string), hashes.SHA256())
        h.update(body)
        return body + h.finalize()
    if kind == "v1":
        iv = os.urandom(16)
        return b"\xa3\x5c\x01\x00" + iv + cbc(key_string, iv, plain)
    return cbc(key_string, key_string[:16], plain)


def file_plain(k, salt, host, app):
    b = lambda x: base64.b64encode(x).decode()
    return json.dumps({"key": b(k), "hash": b(key_id(k)), "salt": b(struct.pack("<q", salt)), "hostname": host,
                       "app_id": app}, separators=(",", ":")).encode()


# ---- gob (Go encoding/gob wire format)
def u(v):
    if v < 128:
        return bytes([v])
    b = v.to_bytes((v.bit_length() + 7) // 8, "big")
    return bytes([256 - len(b)]) + b


def i(v):
    return u(((~v) << 1) | 1 if v < 0 else v << 1)


def s(x):
    x = x.encode()
    return u(len(x)) + x


def msg(body):
    return u(len(body)) + body


def common(name, tid):
    return u(1) + u(1) + s(name) + u(1) + i(tid) + u(0)


def gob_cache(owner, users, channels, usernames):
    st = i(-65) + u(3) + common("InputPeerCache", 65) + u(1) + u(4)
    for name, tid in [("InputChannels", 66), ("InputUsers", 66), ("UsernameMap", 67), ("OwnerID", 2)]:
        st += u(1) + s(name) + u(1) + i(tid) + u(0)
    st += u(0) + u(0)
    m66 = i(-66) + u(4) + common("map[int64]int64", 66) + u(1) + i(2) + u(1) + i(2) + u(0) + u(0)
    m67 = i(-67) + u(4) + common("map[string]int64", 67) + u(1) + i(6) + u(1) + i(2) + u(0) + u(0)
    val = i(65)
    val += u(1) + u(len(channels)) + b"".join(i(k) + i(v) for k, v in sorted(channels.items()))
    val += u(1) + u(len(users)) + b"".join(i(k) + i(v) for k, v in sorted(users.items()))
    val += u(1) + u(len(usernames)) + b"".join(s(k) + i(v) for k, v in sorted(usernames.items()))
    if owner:
        val += u(1) + i(owner)
    val += u(0)
    return msg(st) + msg(m66) + msg(m67) + msg(val)


def write(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)


vectors = {}
# Strings
k = os.urandom(256)
js = json.dumps({"key": base64.b64encode(k).decode(), "hash": base64.b64encode(key_id(k)).decode(), "dc_id": 2,
                 "ip_addr": "149.154.167.50:443", "app_id": 2040}, separators=(",", ":")).encode()
write("gogram-string-json.txt", b"1BvE" + base64.urlsafe_b64encode(js).rstrip(b"="))
vectors["gogram-string-json.txt"] = {"format": "gogram-string", "variant": "json", "dc": 2, "address": "149.154.167.50",
                                     "port": 443, "apiId": 2040, "authKeyId": key_id(k).hex(), "rewritesIdentically": True}
k = os.urandom(256)
text = k + b"::" + key_id(k) + b"::91.108.56.151:443::5::6"
write("gogram-string-legacy.txt", b"1BvX" + base64.urlsafe_b64encode(text).rstrip(b"="))
vectors["gogram-string-legacy.txt"] = {"format": "gogram-string", "variant": "legacy", "dc": 5, "address": "91.108.56.151",
                                       "port": 443, "apiId": 6, "authKeyId": key_id(k).hex(), "rewritesIdentically": False}
# session.dat containers
for kind, host, dc, aes in [("v2", "149.154.167.50:443", 2, None), ("v1", "149.154.175.58:443", 1, None),
                            ("legacy", "[2001:b28:f23f:f005::a]:443", 5, None), ("v2", "91.108.56.151:443", 5, "my own key")]:
    k = os.urandom(256)
    salt = rnd.randint(-2**63, 2**63 - 1)
    app = rnd.randint(1, 2**31 - 1)
    plain = file_plain(k, salt, host, app)
    name = "gogram-file-%s%s.dat" % (kind, "-custom" if aes else "")
    write(name, container(kind, plain, aes.encode() if aes else DEFAULT_KEY))
    hp = host.rsplit(":", 1)
    vectors[name] = {"format": "gogram-file", "variant": kind, "dc": dc, "address": hp[0].strip("[]"), "port": int(hp[1]),
                     "apiId": app, "salt": str(salt), "authKeyId": key_id(k).hex(), "plain": plain.decode(),
                     "aesKey": aes}
# Peer cache
users = {rnd.randint(1, 2**40): rnd.randint(-2**63, 2**63 - 1) for _ in range(30)}
channels = {rnd.randint(1, 2**40): rnd.randint(-2**63, 2**63 - 1) for _ in range(8)}
names = {}
for n, pid in enumerate(list(users)[:10] + list(channels)[:3]):
    names["name%02d" % n] = pid
owner = rnd.randint(1, 2**40)
write("gogram-cache.db", gob_cache(owner, users, channels, names))
vectors["gogram-cache.db"] = {"format": "gogram-cache", "owner": str(owner),
                              "users": {str(a): str(b) for a, b in users.items()},
                              "channels": {str(a): str(b) for a, b in channels.items()},
                              "usernames": {a: str(b) for a, b in names.items()}, "rewritesIdentically": True}
with open(os.path.join(here, "vectors.json"), "w") as f:
    json.dump(vectors, f, indent=1, sort_keys=True)
