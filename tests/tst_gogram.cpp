// gogram formats (formats.md 5): the string session (5.2), session.dat and its AES containers (5.1),
// and the gob peer cache (5.3). No fixtures from the real gogram exist here, so every vector is
// built in this file from the byte layouts in formats.md, with Qt's own base64/SHA/HMAC and raw
// OpenSSL EVP AES (independent of the code under test).
#include "convert/convert.h"
#include "format/registry.h"
#include "formats/gogram/gogram-crypto.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/evp.h>

using namespace sd;
using namespace sdtest;

namespace {

QByteArray testKey(int seed)
{
    QByteArray k(256, '\0');
    for (int i = 0; i < 256; ++i)
        k[i] = static_cast<char>((i * 31 + seed * 7 + 1) & 0xff);
    return k;
}

// formats.md 0.1: bytes 12..19 of SHA-1(key).
QByteArray keyIdBytes(const QByteArray &key) { return QCryptographicHash::hash(key, QCryptographicHash::Sha1).mid(12, 8); }
QString keyIdHex(const QByteArray &key) { return QString::fromLatin1(keyIdBytes(key).toHex()); }

QByteArray b64(const QByteArray &b) { return b.toBase64(); }
QByteArray b64urlNoPad(const QByteArray &b) { return b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals); }

// 5.2: "1BvE" + base64url-no-pad of the Go struct JSON {key, hash, dc_id, ip_addr, app_id} (omitempty).
QByteArray gogramJsonString(const QByteArray &key, const QByteArray &hash, int dc, const QByteArray &ip, int app)
{
    QByteArray j = "{\"key\":\"" + b64(key) + "\",\"hash\":\"" + b64(hash) + "\"";
    if (dc)
        j += ",\"dc_id\":" + QByteArray::number(dc);
    j += ",\"ip_addr\":\"" + ip + "\"";
    if (app)
        j += ",\"app_id\":" + QByteArray::number(app);
    j += "}";
    return "1BvE" + b64urlNoPad(j);
}

// 5.1 plaintext: compact JSON in field order key, hash, salt (8 bytes LE), hostname, app_id.
QByteArray fileJson(const QByteArray &key, qint64 salt, const QByteArray &host, int app)
{
    QByteArray s(8, '\0');
    for (int i = 0; i < 8; ++i)
        s[i] = static_cast<char>((static_cast<quint64>(salt) >> (8 * i)) & 0xff);
    return "{\"key\":\"" + b64(key) + "\",\"hash\":\"" + b64(keyIdBytes(key)) + "\",\"salt\":\"" + b64(s)
        + "\",\"hostname\":\"" + host + "\",\"app_id\":" + QByteArray::number(app) + "}";
}

QByteArray evpCbc(bool enc, const QByteArray &key, const QByteArray &iv, const QByteArray &in)
{
    const EVP_CIPHER *c = key.size() == 16 ? EVP_aes_128_cbc() : key.size() == 24 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    EVP_CipherInit_ex(ctx, c, nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                      reinterpret_cast<const unsigned char *>(iv.constData()), enc ? 1 : 0);
    QByteArray out(in.size() + 32, '\0');
    int a = 0, b = 0;
    EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char *>(out.data()), &a, reinterpret_cast<const unsigned char *>(in.constData()),
                     static_cast<int>(in.size()));
    const int ok = EVP_CipherFinal_ex(ctx, reinterpret_cast<unsigned char *>(out.data()) + a, &b);
    EVP_CIPHER_CTX_free(ctx);
    return ok == 1 ? out.left(a + b) : QByteArray();
}

// v2: A3 5C 02 00 | IV | AES-256-CBC(SHA256("gogram-enc:"+k)) | HMAC-SHA256(SHA256("gogram-mac:"+k), all before)
QByteArray containerV2(const QByteArray &plain, const QByteArray &k, const QByteArray &iv)
{
    const QByteArray enc = QCryptographicHash::hash(QByteArray("gogram-enc:" + k), QCryptographicHash::Sha256);
    const QByteArray mac = QCryptographicHash::hash(QByteArray("gogram-mac:" + k), QCryptographicHash::Sha256);
    const QByteArray body = QByteArray::fromHex("a35c0200") + iv + evpCbc(true, enc, iv, plain);
    return body + QMessageAuthenticationCode::hash(body, mac, QCryptographicHash::Sha256);
}
QByteArray openV2(const QByteArray &file, const QByteArray &k)
{
    const QByteArray enc = QCryptographicHash::hash(QByteArray("gogram-enc:" + k), QCryptographicHash::Sha256);
    return evpCbc(false, enc, file.mid(4, 16), file.mid(20, file.size() - 20 - 32));
}
QByteArray containerV1(const QByteArray &plain, const QByteArray &k, const QByteArray &iv)
{
    return QByteArray::fromHex("a35c0100") + iv + evpCbc(true, k, iv, plain);
}
QByteArray containerLegacy(const QByteArray &plain, const QByteArray &k) { return evpCbc(true, k, k.left(16), plain); }

// The gob stream Go writes for gogram's InputPeerCache (see tst_gob.cpp): OwnerID 123456789,
// InputUsers {1001: -42, 555555555: MaxInt64}, InputChannels {1234567890: 987654321987},
// UsernameMap {"alice": 1001, "ghost": 42, "news": 1234567890}.
QByteArray cacheStream()
{
    return hexToBytes(QStringLiteral(
        "5cff810301010e496e70757450656572436163686501ff82000104010d496e7075744368616e6e656c7301ff8400010a496e7075745573"
        "65727301ff8400010b557365726e616d654d617001ff860001074f776e657249440104000000"
        "1fff830401010f6d61705b696e7436345d696e74363401ff8400010401040000"
        "20ff85040101106d61705b737472696e675d696e74363401ff8600010c01040000"
        "47ff820101fc932c05a4fa01cbe991ee860102fe07d253fc423a35c6f8fffffffffffffffe010305616c696365fe07d20567686f7374"
        "54046e657773fc932c05a401fc0eb79a2a00"));
}

const Format &fmt(const char *id)
{
    const Format *f = Registry::instance().find(QString::fromLatin1(id));
    Q_ASSERT(f);
    return *f;
}

QString writeTemp(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString p = dir.filePath(name);
    QFile f(p);
    if (f.open(QIODevice::WriteOnly))
        f.write(data);
    return p;
}

QString detectedId(const Source &src)
{
    auto d = Registry::instance().detect(src);
    return d ? (*d)->id() : QStringLiteral("error: ") + d.error().message;
}

} // namespace

class TestGogram : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---------------------------------------------------------------- strings (5.2)
    void jsonStringReadsAndRoundTrips()
    {
        const QByteArray key = testKey(1);
        const QByteArray text = gogramJsonString(key, keyIdBytes(key), 2, "149.154.167.50:443", 12345);
        QCOMPARE(detectedId(Source::fromString(text)), QStringLiteral("gogram-string"));
        auto st = fmt("gogram-string").read(Source::fromString("  '" + text + "'\n"), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(st->variant, QStringLiteral("json"));
        QVERIFY(st->warnings.isEmpty());
        const Session &s = st->accounts.at(0);
        QCOMPARE(s.dcId, 2);
        QCOMPARE(s.primary()->address, QStringLiteral("149.154.167.50"));
        QCOMPARE(s.primary()->port, 443);
        QCOMPARE(s.primary()->authKeyId(), keyIdHex(key));
        QCOMPARE(s.apiId, std::optional<qint32>(12345));
        QVERIFY(!s.userId);
        auto again = fmt("gogram-string").encodeString(s, {});
        QVERIFY(again.ok());
        QCOMPARE(*again, text);
    }

    void formatsMdTestVector()
    {
        // formats.md 5.2: key = bytes(0..255), hash = first 8 bytes, dc 2, 149.154.167.50:443, app 12345
        // gives 580 characters starting 1BvEeyJrZXkiOiJBQUVDQXdRRkJnY0lDUW9MREEw.
        QByteArray key(256, '\0');
        for (int i = 0; i < 256; ++i)
            key[i] = static_cast<char>(i);
        const QByteArray text = gogramJsonString(key, key.left(8), 2, "149.154.167.50:443", 12345);
        QCOMPARE(text.size(), 580);
        QVERIFY(text.startsWith("1BvEeyJrZXkiOiJBQUVDQXdRRkJnY0lDUW9MREEw"));
        auto st = fmt("gogram-string").read(Source::fromString(text), {});
        QVERIFY(st.ok());
        QCOMPARE(st->warnings.size(), 1); // the stored hash is not SHA1(key)[12:20]
        QCOMPARE(st->accounts[0].primary()->authKeyId(), QStringLiteral("32d1586ea457dfc8"));
        QCOMPARE(*fmt("gogram-string").encodeString(st->accounts[0], {}), text);
    }

    void derivesDcFromAddress()
    {
        const QByteArray key = testKey(2);
        struct Case {
            QByteArray ip;
            int dc;
            bool v6;
        } cases[] = {{"91.108.56.151:443", 5, false},  {"149.154.175.99:443", 1, false}, {"149.154.167.222:443", 2, false},
                     {"10.0.0.1:8443", 4, false},     {"[2001:b28:f23f:f005::a]:443", 5, true},
                     {"149.154.167.91:443", 4, false}};
        for (const Case &c : cases) {
            auto st = fmt("gogram-string").read(Source::fromString(gogramJsonString(key, keyIdBytes(key), 0, c.ip, 0)), {});
            QVERIFY(st.ok());
            QCOMPARE(st->accounts[0].dcId, c.dc);
            QCOMPARE(st->accounts[0].primary()->ipv6, c.v6);
            QVERIFY(!st->accounts[0].apiId);
        }
    }

    void legacyStrings()
    {
        const QByteArray key = testKey(3);
        QByteArray hash = keyIdBytes(key);
        hash[7] = ':'; // the reason "::" was replaced (commit fb08358)
        const QByteArray newText = "1BvX" + b64urlNoPad(key + ":_:" + hash + ":_:149.154.175.58:443:_:1:_:777");
        const QByteArray oldText = "1BvX" + b64urlNoPad(key + "::" + hash + "::[2001:b28:f23d:f001::a]:443::1::777");
        for (const QByteArray &t : {newText, oldText}) {
            QCOMPARE(detectedId(Source::fromString(t)), QStringLiteral("gogram-string"));
            auto st = fmt("gogram-string").read(Source::fromString(t), {});
            QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st->warnings.join(QLatin1Char(' '))));
            QCOMPARE(st->variant, QStringLiteral("legacy"));
            const Session &s = st->accounts[0];
            QCOMPARE(s.dcId, 1);
            QCOMPARE(s.apiId, std::optional<qint32>(777));
            QCOMPARE(s.primary()->authKeyId(), keyIdHex(key));
        }
        auto st = fmt("gogram-string").read(Source::fromString(oldText), {});
        QCOMPARE(st->accounts[0].primary()->address, QStringLiteral("2001:b28:f23d:f001::a"));
        QVERIFY(st->accounts[0].primary()->ipv6);
        WriteOptions legacy;
        legacy.variant = QStringLiteral("legacy");
        auto n = fmt("gogram-string").read(Source::fromString(newText), {});
        QCOMPARE(*fmt("gogram-string").encodeString(n->accounts[0], legacy), newText);
        // The default writes the current JSON variant.
        QVERIFY(fmt("gogram-string").encodeString(n->accounts[0], {})->startsWith("1BvE"));
    }

    void rejectsBadStrings()
    {
        const QByteArray key = testKey(4);
        const QByteArray good = gogramJsonString(key, keyIdBytes(key), 2, "149.154.167.50:443", 1);
        const QList<QByteArray> bad = {
            "1BvE",                                              // empty payload
            good.left(good.size() - 7),                          // truncated JSON
            "1BvE" + b64urlNoPad("{\"hash\":\"AAAAAAAAAAA=\"}"),  // no key
            "1BvE" + b64urlNoPad("[1,2,3]"),                     // not an object
            "1BvE" + b64urlNoPad("{\"key\":\"" + b64(key.left(100)) + "\",\"ip_addr\":\"1.2.3.4:443\"}"), // short key
            "1BvE" + b64urlNoPad("{\"key\":\"" + b64(key) + "\",\"ip_addr\":\"nonsense\"}"),               // bad address
            good + "==",                                         // padded
            "1BvX" + b64urlNoPad(key + "##" + key.left(8)),     // no separator
            "1BvX" + b64urlNoPad(key.left(10)),                 // too short
        };
        for (const QByteArray &b : bad) {
            QCOMPARE(fmt("gogram-string").detect(Probe::fromString(b)), 0);
            auto st = fmt("gogram-string").read(Source::fromString(b), {});
            QVERIFY(!st.ok());
            QCOMPARE(st.error().kind, ErrorKind::BadInput);
            QVERIFY(!st.error().message.contains(QLatin1Char('\n')));
        }
    }

    // ---------------------------------------------------------------- session.dat (5.1)
    void readsEveryContainer()
    {
        QTemporaryDir dir;
        const QByteArray key = testKey(5);
        const QByteArray plain = fileJson(key, -0x0123456789abcdefLL, "149.154.167.50:443", 611335);
        const QByteArray def = gogram::kDefaultAesKey;
        const QByteArray iv = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f");
        struct Case {
            const char *name;
            QByteArray data;
            int version;
            QString variant;
        } cases[] = {{"v2.dat", containerV2(plain, def, iv), 2, QStringLiteral("v2")},
                     {"v1.dat", containerV1(plain, def, iv), 1, QStringLiteral("v1")},
                     {"legacy.dat", containerLegacy(plain, def), 0, QStringLiteral("legacy")}};
        for (const Case &c : cases) {
            const QString p = writeTemp(dir, QString::fromLatin1(c.name), c.data);
            QCOMPARE(detectedId(Source::fromPath(p)), QStringLiteral("gogram-file"));
            auto st = fmt("gogram-file").read(Source::fromPath(p), {});
            QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
            QCOMPARE(st->variant, c.variant);
            QCOMPARE(st->formatVersion, std::optional<int>(c.version));
            const Session &s = st->accounts[0];
            QCOMPARE(s.dcId, 2);
            QCOMPARE(s.primary()->authKeyId(), keyIdHex(key));
            QCOMPARE(s.primary()->salt, std::optional<qint64>(-0x0123456789abcdefLL));
            QCOMPARE(s.apiId, std::optional<qint32>(611335));
            QCOMPARE(s.primary()->port, 443);
        }
        // The encryptor of the code under test matches this file's independent construction.
        auto mine = gogram::encryptV2(plain, def, iv);
        QVERIFY(mine.ok());
        QCOMPARE(mine->toHex(), containerV2(plain, def, iv).toHex());
    }

    void customKeyNeedsThePasscode()
    {
        QTemporaryDir dir;
        const QByteArray key = testKey(6);
        const QByteArray plain = fileJson(key, 5, "91.108.56.151:443", 0);
        const QString p = writeTemp(dir, QStringLiteral("custom.dat"), containerV2(plain, "correct horse", QByteArray(16, 'x')));
        QCOMPARE(detectedId(Source::fromPath(p)), QStringLiteral("gogram-file"));
        auto noKey = fmt("gogram-file").read(Source::fromPath(p), {});
        QVERIFY(!noKey.ok());
        QCOMPARE(noKey.error().kind, ErrorKind::Secret);
        ReadOptions wrong;
        wrong.passcode = SecretBytes::fromByteArray("wrong horse");
        QCOMPARE(fmt("gogram-file").read(Source::fromPath(p), wrong).error().kind, ErrorKind::Secret);
        ReadOptions right;
        right.passcode = SecretBytes::fromByteArray("correct horse");
        auto st = fmt("gogram-file").read(Source::fromPath(p), right);
        QVERIFY(st.ok());
        QCOMPARE(st->accounts[0].dcId, 5);
        QVERIFY(!st->accounts[0].apiId);
        // A flipped ciphertext byte breaks the tag: never decrypted.
        QByteArray tampered = containerV2(plain, gogram::kDefaultAesKey, QByteArray(16, 'y'));
        tampered[30] = static_cast<char>(tampered[30] ^ 1);
        const QString t = writeTemp(dir, QStringLiteral("tampered.dat"), tampered);
        QVERIFY(!fmt("gogram-file").read(Source::fromPath(t), {}).ok());
    }

    void writesV2PrivatelyAndRefusesOverwrite()
    {
        QTemporaryDir dir;
        const QByteArray key = testKey(7);
        const QByteArray plain = fileJson(key, 42, "149.154.175.58:443", 2040);
        const QString src = writeTemp(dir, QStringLiteral("in.dat"), containerLegacy(plain, gogram::kDefaultAesKey));
        auto st = fmt("gogram-file").read(Source::fromPath(src), {});
        QVERIFY(st.ok());
        const QString out = dir.filePath(QStringLiteral("session.dat"));
        QVERIFY(fmt("gogram-file").write(*st, out, {}).ok());
        QCOMPARE(fileMode(out), 0600);
        const QByteArray written = readAll(out);
        QVERIFY(written.startsWith(QByteArray::fromHex("a35c0200")));
        // encode(decode(x)) == x: the plaintext is byte-identical; only the random IV differs.
        QCOMPARE(openV2(written, gogram::kDefaultAesKey), plain);
        auto again = fmt("gogram-file").write(*st, out, {});
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
        QCOMPARE(readAll(out), written);
        WriteOptions force;
        force.force = true;
        force.passcode = SecretBytes::fromByteArray("per-user key");
        QVERIFY(fmt("gogram-file").write(*st, out, force).ok());
        QCOMPARE(openV2(readAll(out), "per-user key"), plain);
        QCOMPARE(fileMode(out), 0600);
    }

    void fileRejectsGarbage()
    {
        QTemporaryDir dir;
        const QList<QByteArray> bad = {QByteArray(32, 'A'), QByteArray::fromHex("a35c0200") + QByteArray(20, '\0'),
                                       QByteArray::fromHex("a35c0100") + QByteArray(33, '\1'),
                                       containerLegacy("{\"not\":\"gogram\"}", gogram::kDefaultAesKey),
                                       containerV2("{\"key\":\"AAAA\",\"hostname\":\"1.2.3.4:1\"}", gogram::kDefaultAesKey, QByteArray(16, 'z'))};
        int i = 0;
        for (const QByteArray &b : bad) {
            const QString p = writeTemp(dir, QStringLiteral("bad%1").arg(i++), b);
            QVERIFY(fmt("gogram-file").detect(*Probe::fromSource(Source::fromPath(p))) < 100);
            QVERIFY(!fmt("gogram-file").read(Source::fromPath(p), {}).ok());
        }
    }

    // ---------------------------------------------------------------- peer cache (5.3)
    void cacheReadsGoStreamAndWritesItBack()
    {
        QTemporaryDir dir;
        const QString p = writeTemp(dir, QStringLiteral("cache_123456789.db"), cacheStream());
        QCOMPARE(detectedId(Source::fromPath(p)), QStringLiteral("gogram-cache"));
        auto st = fmt("gogram-cache").read(Source::fromPath(p), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        const Session &s = st->accounts[0];
        QCOMPARE(s.userId, std::optional<qint64>(123456789));
        QCOMPARE(s.peers.size(), size_t(3));
        QCOMPARE(s.peers[0].id, qint64(1001));
        QCOMPARE(s.peers[0].type, PeerType::User);
        QCOMPARE(s.peers[0].accessHash, std::optional<qint64>(-42));
        QCOMPARE(s.peers[0].usernames, QStringList{QStringLiteral("alice")});
        QCOMPARE(s.peers[1].id, qint64(555555555));
        QCOMPARE(s.peers[1].accessHash, std::optional<qint64>(std::numeric_limits<qint64>::max()));
        QCOMPARE(s.peers[2].id, qint64(1234567890));
        QCOMPARE(s.peers[2].kind(), PeerKind::Channel);
        QCOMPARE(s.peers[2].markedId(), qint64(-1001234567890LL));
        QCOMPARE(s.peers[2].accessHash, std::optional<qint64>(987654321987LL));
        QCOMPARE(s.peers[2].usernames, QStringList{QStringLiteral("news")});
        QCOMPARE(st->warnings.size(), 1); // "ghost" points to no cached peer
        // Counts only.
        ReadOptions fast;
        fast.loadPeers = false;
        auto counts = fmt("gogram-cache").read(Source::fromPath(p), fast);
        QCOMPARE(counts->accounts[0].peerCountsOnly->users, qint64(2));
        QCOMPARE(counts->accounts[0].peerCountsOnly->channels, qint64(1));
        // encode(decode(x)) == x
        const QString out = dir.filePath(QStringLiteral("out.db"));
        QVERIFY(fmt("gogram-cache").write(*st, out, {}).ok());
        QCOMPARE(readAll(out).toHex(), cacheStream().toHex());
        QCOMPARE(fileMode(out), 0600);
        QCOMPARE(fmt("gogram-cache").write(*st, out, {}).error().kind, ErrorKind::Output);
    }

    void cacheReadsTheOldStruct()
    {
        // Before UsernameMap/OwnerID (commit acbca67): two fields; InputChannels empty (count 0),
        // InputUsers {7: 8}.
        QTemporaryDir dir;
        const QByteArray old = hexToBytes(QStringLiteral(
            "3fff810301010e496e70757450656572436163686501ff82000102010d496e7075744368616e6e656c7301ff8400010a496e70757455"
            "73657273" "01ff84000000" "1fff830401010f6d61705b696e7436345d696e74363401ff8400010401040000" "09ff82010001010e1000"));
        const QString p = writeTemp(dir, QStringLiteral("cache.db"), old);
        QCOMPARE(detectedId(Source::fromPath(p)), QStringLiteral("gogram-cache"));
        auto st = fmt("gogram-cache").read(Source::fromPath(p), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QVERIFY(!st->accounts[0].userId);
        QCOMPARE(st->accounts[0].peers.size(), size_t(1));
        QCOMPARE(st->accounts[0].peers[0].id, qint64(7));
        QCOMPARE(st->accounts[0].peers[0].accessHash, std::optional<qint64>(8));
    }

    void cacheRoundTripsASession()
    {
        Session s;
        s.userId = 5550001;
        auto peer = [](qint64 id, PeerType t, std::optional<qint64> h, QStringList names) {
            Peer p;
            p.id = id;
            p.type = t;
            p.accessHash = h;
            p.usernames = names;
            return p;
        };
        s.peers = {peer(10, PeerType::User, -1, {QStringLiteral("Ten"), QStringLiteral("ten_alt")}),
                   peer(11, PeerType::Bot, 1LL << 62, {QStringLiteral("somebot")}),
                   peer(20, PeerType::Channel, std::numeric_limits<qint64>::min(), {}),
                   peer(21, PeerType::Supergroup, 99, {QStringLiteral("Group")}),
                   peer(30, PeerType::Chat, std::nullopt, {})};
        Store store;
        store.accounts.push_back(s);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cache.db"));
        QVERIFY(fmt("gogram-cache").write(store, out, {}).ok());
        auto st = fmt("gogram-cache").read(Source::fromPath(out), {});
        QVERIFY(st.ok());
        const Session &r = st->accounts[0];
        QCOMPARE(r.userId, s.userId);
        QCOMPARE(r.peers.size(), size_t(4)); // basic groups are not persisted by gogram
        QHash<qint64, const Peer *> byId;
        for (const Peer &p : r.peers)
            byId.insert(p.markedId(), &p);
        for (const Peer &p : s.peers) {
            if (p.kind() == PeerKind::Chat) {
                QVERIFY(!byId.contains(p.markedId()));
                continue;
            }
            const Peer *q = byId.value(p.markedId());
            QVERIFY(q);
            QCOMPARE(q->kind(), p.kind());
            QCOMPARE(q->accessHash, p.accessHash);
            QStringList a = q->usernames, b = p.usernames;
            a.sort();
            b.sort();
            QCOMPARE(a, b);
        }
        WriteOptions noPeers;
        noPeers.carryPeers = false;
        noPeers.force = true;
        QVERIFY(fmt("gogram-cache").write(store, out, noPeers).ok());
        auto empty = fmt("gogram-cache").read(Source::fromPath(out), {});
        QVERIFY(empty->accounts[0].peers.empty());
        QCOMPARE(empty->accounts[0].userId, s.userId);
    }

    void cacheRejectsCorruptStreams()
    {
        QTemporaryDir dir;
        const QByteArray full = cacheStream();
        for (int n : {1, 10, 93, 150, static_cast<int>(full.size()) - 1}) {
            const QString p = writeTemp(dir, QStringLiteral("cut%1").arg(n), full.left(n));
            auto st = fmt("gogram-cache").read(Source::fromPath(p), {});
            QVERIFY(!st.ok());
            QCOMPARE(st.error().kind, ErrorKind::BadInput);
        }
        // A struct of other fields is not a gogram cache.
        const QString p = writeTemp(dir, QStringLiteral("point"), hexToBytes(QStringLiteral(
            "1fff8103010105506f696e7401ff820001020101580104000101590104000000" "07ff82012c014200")));
        QCOMPARE(fmt("gogram-cache").detect(*Probe::fromSource(Source::fromPath(p))), 0);
        QVERIFY(!fmt("gogram-cache").read(Source::fromPath(p), {}).ok());
    }

    // ---------------------------------------------------------------- tests/data/gogram (make_vectors.py)
    void handMadeVectorFiles()
    {
        const QJsonObject all = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("gogram/vectors.json")))).object();
        QVERIFY(all.size() >= 7);
        QTemporaryDir dir;
        for (auto it = all.constBegin(); it != all.constEnd(); ++it) {
            const QString name = it.key();
            const QJsonObject e = it.value().toObject();
            const QString path = dataPath(QStringLiteral("gogram/") + name);
            const QString formatId = e.value(QStringLiteral("format")).toString();
            QCOMPARE(detectedId(Source::fromPath(path)), formatId);
            const Format &f = *Registry::instance().find(formatId);
            ReadOptions ro;
            const QString aes = e.value(QStringLiteral("aesKey")).toString();
            if (!aes.isEmpty())
                ro.passcode = SecretBytes::fromByteArray(aes.toUtf8());
            auto st = f.read(Source::fromPath(path), ro);
            QVERIFY2(st.ok(), qPrintable(name + QStringLiteral(": ") + (st.ok() ? QString() : st.error().message)));
            const Session &s = st->accounts.at(0);
            if (formatId == QLatin1String("gogram-cache")) {
                QCOMPARE(s.userId, std::optional<qint64>(e.value(QStringLiteral("owner")).toString().toLongLong()));
                const QJsonObject users = e.value(QStringLiteral("users")).toObject();
                const QJsonObject channels = e.value(QStringLiteral("channels")).toObject();
                const QJsonObject names = e.value(QStringLiteral("usernames")).toObject();
                QCOMPARE(s.peers.size(), static_cast<size_t>(users.size() + channels.size()));
                for (const Peer &p : s.peers) {
                    const QJsonObject &m = p.kind() == PeerKind::User ? users : channels;
                    QVERIFY(m.contains(QString::number(p.id)));
                    QCOMPARE(p.accessHash, std::optional<qint64>(m.value(QString::number(p.id)).toString().toLongLong()));
                    for (const QString &u : p.usernames)
                        QCOMPARE(names.value(u).toString().toLongLong(), p.id);
                }
                const QString out = dir.filePath(name);
                QVERIFY(f.write(*st, out, {}).ok());
                QCOMPARE(readAll(out).toHex(), readAll(path).toHex());
                continue;
            }
            QCOMPARE(st->variant, e.value(QStringLiteral("variant")).toString());
            QCOMPARE(s.dcId, e.value(QStringLiteral("dc")).toInt());
            QCOMPARE(s.primary()->address, e.value(QStringLiteral("address")).toString());
            QCOMPARE(s.primary()->port, e.value(QStringLiteral("port")).toInt());
            QCOMPARE(s.apiId, std::optional<qint32>(e.value(QStringLiteral("apiId")).toInt()));
            QCOMPARE(s.primary()->authKeyId(), e.value(QStringLiteral("authKeyId")).toString());
            if (e.contains(QStringLiteral("salt")))
                QCOMPARE(s.primary()->salt, std::optional<qint64>(e.value(QStringLiteral("salt")).toString().toLongLong()));
            if (formatId == QLatin1String("gogram-string")) {
                if (e.value(QStringLiteral("rewritesIdentically")).toBool())
                    QCOMPARE(*f.encodeString(s, {}), readAll(path).trimmed());
                continue;
            }
            WriteOptions wo;
            if (!aes.isEmpty())
                wo.passcode = SecretBytes::fromByteArray(aes.toUtf8());
            const QString out = dir.filePath(name);
            QVERIFY(f.write(*st, out, wo).ok());
            QCOMPARE(openV2(readAll(out), aes.isEmpty() ? QByteArray(gogram::kDefaultAesKey) : aes.toUtf8()),
                     e.value(QStringLiteral("plain")).toString().toUtf8());
        }
    }

    void cacheCarriesOtherPeerCaches()
    {
        // Real-library fixtures (tests/data/README.md) -> gogram-cache: users and channels with their
        // access hashes survive; basic groups are not persisted by gogram.
        QTemporaryDir dir;
        int tried = 0;
        for (const QString &rel : {QStringLiteral("telethon/basic.session"), QStringLiteral("mtcute/basic.sqlite")}) {
            const Source src = Source::fromPath(dataPath(rel));
            auto f = Registry::instance().detect(src);
            if (!f || !(*f)->canRead())
                continue;
            auto st = (*f)->read(src, {});
            QVERIFY(st.ok());
            ++tried;
            ConvertRequest req;
            if (!st->accounts[0].userId)
                req.userId = 4242;
            const QString out = dir.filePath(QFileInfo(rel).fileName() + QStringLiteral(".cache"));
            auto r = convertStore(*st, fmt("gogram-cache"), req, out);
            QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
            auto back = fmt("gogram-cache").read(Source::fromPath(out), {});
            QVERIFY(back.ok());
            QCOMPARE(back->accounts[0].userId, req.userId ? req.userId : st->accounts[0].userId);
            QHash<qint64, std::optional<qint64>> hashes;
            for (const Peer &p : back->accounts[0].peers)
                hashes.insert(p.markedId(), p.accessHash);
            qint64 expected = 0;
            for (const Peer &p : st->accounts[0].peers) {
                if (p.kind() == PeerKind::Chat)
                    continue;
                ++expected;
                QVERIFY(hashes.contains(p.markedId()));
                QCOMPARE(hashes.value(p.markedId()), std::optional<qint64>(p.accessHash.value_or(0)));
            }
            QCOMPARE(static_cast<qint64>(hashes.size()), expected);
        }
        if (!tried)
            QSKIP("no peer-cache fixture readable in this build");
    }

    // ---------------------------------------------------------------- conversions
    void convertsWithOtherStringFormats()
    {
        const QByteArray key = testKey(8);
        const QByteArray text = gogramJsonString(key, keyIdBytes(key), 4, "149.154.167.91:443", 99);
        auto src = fmt("gogram-string").read(Source::fromString(text), {});
        QVERIFY(src.ok());
        int tried = 0;
        for (const char *id : {"telethon-string", "mtcute-string", "ferogram-string", "pyrogram-string"}) {
            const Format *t = Registry::instance().find(QString::fromLatin1(id));
            if (!t || !t->canRead() || !t->canWrite())
                continue;
            ++tried;
            ConvertRequest req;
            req.userId = 777000111;
            auto out = convertStore(*src, *t, req, QString());
            QVERIFY2(out.ok(), out.ok() ? id : qPrintable(out.error().message));
            auto back = t->read(Source::fromString(out->string), {});
            QVERIFY2(back.ok(), id);
            const Session &b = back->accounts[0];
            QCOMPARE(b.dcId, 4);
            QCOMPARE(b.primary()->authKeyId(), keyIdHex(key));
            if (t->capabilities().testFlag(Capability::UserId))
                QCOMPARE(b.userId, std::optional<qint64>(777000111));
            // And back to gogram: key and DC survive.
            auto g = convertStore(*back, fmt("gogram-string"), {}, QString());
            QVERIFY(g.ok());
            auto gs = fmt("gogram-string").read(Source::fromString(g->string), {});
            QVERIFY(gs.ok());
            QCOMPARE(gs->accounts[0].dcId, 4);
            QCOMPARE(gs->accounts[0].primary()->authKeyId(), keyIdHex(key));
        }
        if (!tried)
            QSKIP("no other string format can read and write in this build");
    }

    void cliInspectsAndConverts()
    {
        const QByteArray key = testKey(9);
        const QByteArray text = gogramJsonString(key, keyIdBytes(key), 2, "149.154.167.50:443", 12345);
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("-"), QStringLiteral("--json")}, text + "\n");
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains(b64(key)));
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("gogram-string"));
        const QJsonObject a = o.value(QStringLiteral("accounts")).toArray().at(0).toObject();
        QCOMPARE(a.value(QStringLiteral("dc_id")).toInt(), 2);
        QCOMPARE(a.value(QStringLiteral("auth_key_id")).toString(), keyIdHex(key));
        QCOMPARE(a.value(QStringLiteral("api_id")).toInt(), 12345);

        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("session.dat"));
        const QStringList conv = {QStringLiteral("convert"), QStringLiteral("-"), QStringLiteral("--to"), QStringLiteral("gogram-file"),
                                  QStringLiteral("-o"), out};
        QCOMPARE(runCli(conv, text).exitCode, 0);
        QCOMPARE(fileMode(out), 0600);
        QCOMPARE(runCli(conv, text).exitCode, 5);
        const CliRun back = runCli({QStringLiteral("convert"), out, QStringLiteral("--to"), QStringLiteral("gogram-string")});
        QCOMPARE(back.exitCode, 0);
        QCOMPARE(back.out.trimmed(), text);
    }
};

QTEST_GUILESS_MAIN(TestGogram)
#include "tst_gogram.moc"
