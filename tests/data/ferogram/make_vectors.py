#!/usr/bin/env python3
"""Builds hand-made ferogram test vectors (docs/formats.md 8.1-8.3) with synthetic random auth keys:
binary sessions of every version 1-8, compact V1/V2 strings and a native string, plus vectors.json
with every expected value. NOT produced by the real ferogram (no Rust toolchain here): they follow
the layouts of docs/formats.md, written independently of the C++ code. Run again to regenerate; tests
read every expected value from vectors.json."""
import base64, hashlib, ipaddress, json, os, random, struct

here = os.path.dirname(os.path.abspath(__file__))
rnd = random.SystemRandom()


def key_id(k):
    return hashlib.sha1(k).digest()[12:20].hex()


def i64():
    return rnd.randint(-2**63, 2**63 - 1)


def binary(v, s):
    out = b""
    if v >= 2:
        out += bytes([v])
    out += struct.pack("<iB", s["home"], len(s["dcs"]))
    for d in s["dcs"]:
        out += struct.pack("<i", d["dc"])
        out += b"\x01" + d["key"] if d["key"] else b"\x00"
        addr = d["addr"].encode()
        out += struct.pack("<qiB", d["salt"], d["offset"], len(addr)) + addr
        if v >= 3:
            out += bytes([d["flags"]])
    if v >= 2:
        st = s["state"]
        out += struct.pack("<iiiiH", st["pts"], st["qts"], st["date"], st["seq"], len(s["channels"]))
        for cid, pts in s["channels"]:
            out += struct.pack("<qi", cid, pts)
        out += struct.pack("<H", len(s["peers"]))
        for p in s["peers"]:
            out += struct.pack("<qqB", p["id"], p["hash"], p["type"])
            if v >= 6:
                out += bytes([p["kind"]])
            if v >= 8:
                out += bytes([p["community"]])
    if v >= 4:
        out += struct.pack("<H", len(s["mins"]))
        for m in s["mins"]:
            out += struct.pack("<qqi", *m)
    if v >= 7:
        out += b"\x01" + struct.pack("<H", len(s["token"])) + s["token"] if s["token"] else b"\x00"
    return out


def sample(v):
    home = 1 if v == 1 else rnd.choice([2, 4])
    addrs = {1: "149.154.175.53:443", 2: "149.154.167.51:443", 4: "149.154.167.91:443"}
    dcs = [{"dc": home, "key": os.urandom(256), "salt": i64(), "offset": rnd.randint(-100, 100), "addr": addrs[home], "flags": 0},
           {"dc": 5, "key": None, "salt": 0, "offset": 0, "addr": "[2001:b28:f23f:f005::a]:443", "flags": 1 if v >= 3 else 0}]
    if v >= 3:
        dcs.append({"dc": 2, "key": os.urandom(256), "salt": i64(), "offset": 0, "addr": "149.154.167.151:443", "flags": 2})
    peers = []
    for n in range(rnd.randint(5, 20)):
        t = rnd.choice([0, 1, 2] if v >= 5 else [0, 1])
        kind = 0xFF if t != 1 or v < 6 else rnd.choice([0, 1, 2, 0xFF])
        peers.append({"id": rnd.randint(1, 2**40), "hash": 0 if t == 2 else i64(), "type": t, "kind": kind,
                      "community": rnd.choice([0, 1]) if v >= 8 and t == 1 else 0})
    return {"home": home, "dcs": dcs,
            "state": {"pts": rnd.randint(0, 2**31 - 1), "qts": rnd.randint(0, 2**31 - 1), "date": 1700000000 + rnd.randint(0, 10**7),
                      "seq": rnd.randint(0, 10**6)},
            # Sorted by channel id: the domain model keeps channel pts in an ordered map, so only a sorted
            # table rewrites byte for byte (ferogram itself writes its HashMap in any order).
            "channels": sorted((rnd.randint(1, 2**40), rnd.randint(0, 2**31 - 1)) for _ in range(rnd.randint(0, 5))),
            "peers": peers, "mins": [(rnd.randint(1, 2**40), -rnd.randint(1, 2**40), rnd.randint(1, 2**31 - 1))],
            "token": os.urandom(rnd.randint(8, 40)) if v >= 7 else b""}


def expected(v, s):
    types = {0: "user", 1: "channel", 2: "chat"}
    e = {"format": "ferogram-binary", "version": v, "home": s["home"],
         "dcs": [{"dc": d["dc"], "authKeyId": key_id(d["key"]) if d["key"] else None,
                  "address": d["addr"].rsplit(":", 1)[0].strip("[]"), "port": int(d["addr"].rsplit(":", 1)[1]),
                  "salt": str(d["salt"]), "ipv6": bool(d["flags"] & 1) or d["addr"].startswith("["),
                  "mediaOnly": bool(d["flags"] & 2)} for d in s["dcs"]]}
    if v >= 2:
        e["state"] = s["state"]
        e["channelPts"] = {str(c): p for c, p in s["channels"]}
        e["peers"] = [{"id": str(p["id"]), "type": types[p["type"]], "hash": str(p["hash"]),
                       "supergroup": p["type"] == 1 and p["kind"] in (1, 2)} for p in s["peers"]]
    return e


def write(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)


vectors = {}
for v in range(1, 9):
    s = sample(v)
    name = "ferogram-binary-v%d.bin" % v
    write(name, binary(v, s))
    vectors[name] = expected(v, s)
    vectors[name]["rewritesIdentically"] = v == 8
    if v == 8:
        write("ferogram-string-native.txt", base64.urlsafe_b64encode(binary(v, s)).rstrip(b"="))
        vectors["ferogram-string-native.txt"] = dict(expected(v, s), format="ferogram-string", variant="native",
                                                     rewritesIdentically=True)


def compact(version, dc, ip, port, user, key, salt=0, seq=0, layer=0):
    raw = ipaddress.ip_address(ip).packed
    out = struct.pack(">BBB", version, dc, 4 if len(raw) == 4 else 6) + raw + struct.pack(">Hq", port, user)
    if version == 1:
        out += struct.pack(">qII", salt, seq, layer)
    return base64.urlsafe_b64encode(out + key).rstrip(b"=")


for version, ip in [(2, "149.154.167.51"), (2, "2001:67c:4e8:f002::a"), (1, "91.108.56.130"), (1, "2001:b28:f23d:f001::a")]:
    k = os.urandom(256)
    user = rnd.randint(1, 2**40)
    dc = {"149.154.167.51": 2, "2001:67c:4e8:f002::a": 2, "91.108.56.130": 5, "2001:b28:f23d:f001::a": 1}[ip]
    salt = i64()
    name = "ferogram-string-v%d-%s.txt" % (version, "ipv6" if ":" in ip else "ipv4")
    write(name, compact(version, dc, ip, 443, user, k, salt, 7, 181))
    vectors[name] = {"format": "ferogram-string", "variant": "v%d" % version, "version": version, "home": dc,
                     "userId": str(user), "rewritesIdentically": True,
                     "dcs": [{"dc": dc, "authKeyId": key_id(k), "address": ip, "port": 443, "ipv6": ":" in ip,
                              "salt": str(salt) if version == 1 else None, "mediaOnly": False}]}
with open(os.path.join(here, "vectors.json"), "w") as f:
    json.dump(vectors, f, indent=1, sort_keys=True)
