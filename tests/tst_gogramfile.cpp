// gogram session.dat (docs/formats.md 5.1): the v2, v1 and legacy AES containers, custom keys, the writer,
// and the hand-made vector files of tests/data/gogram. No fixtures from the real gogram exist here,
// so every container is built in this file from the byte layouts in docs/formats.md, with Qt's own
// base64/SHA/HMAC and raw OpenSSL EVP AES (independent of the code under test).
#include "format/registry.h"
#include "formats/gogram/gogram-crypto.h"
#include "gogramtestutil.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/evp.h>

using namespace sd;
using namespace sdtest;
using namespace gogramtest;

namespace {

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

} // namespace

class TestGogramFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
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
            auto st = sdtest::format("gogram-file").read(Source::fromPath(p), {});
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
        auto noKey = sdtest::format("gogram-file").read(Source::fromPath(p), {});
        QVERIFY(!noKey.ok());
        QCOMPARE(noKey.error().kind, ErrorKind::Secret);
        ReadOptions wrong;
        wrong.passcode = SecretBytes::fromByteArray("wrong horse");
        QCOMPARE(sdtest::format("gogram-file").read(Source::fromPath(p), wrong).error().kind, ErrorKind::Secret);
        ReadOptions right;
        right.passcode = SecretBytes::fromByteArray("correct horse");
        auto st = sdtest::format("gogram-file").read(Source::fromPath(p), right);
        QVERIFY(st.ok());
        QCOMPARE(st->accounts[0].dcId, 5);
        QVERIFY(!st->accounts[0].apiId);
        // A flipped ciphertext byte breaks the tag: never decrypted.
        QByteArray tampered = containerV2(plain, gogram::kDefaultAesKey, QByteArray(16, 'y'));
        tampered[30] = static_cast<char>(tampered[30] ^ 1);
        const QString t = writeTemp(dir, QStringLiteral("tampered.dat"), tampered);
        QVERIFY(!sdtest::format("gogram-file").read(Source::fromPath(t), {}).ok());
    }

    void writesV2PrivatelyAndRefusesOverwrite()
    {
        QTemporaryDir dir;
        const QByteArray key = testKey(7);
        const QByteArray plain = fileJson(key, 42, "149.154.175.58:443", 2040);
        const QString src = writeTemp(dir, QStringLiteral("in.dat"), containerLegacy(plain, gogram::kDefaultAesKey));
        auto st = sdtest::format("gogram-file").read(Source::fromPath(src), {});
        QVERIFY(st.ok());
        const QString out = dir.filePath(QStringLiteral("session.dat"));
        QVERIFY(sdtest::format("gogram-file").write(*st, out, {}).ok());
        QCOMPARE(fileMode(out), 0600);
        const QByteArray written = readAll(out);
        QVERIFY(written.startsWith(QByteArray::fromHex("a35c0200")));
        // encode(decode(x)) == x: the plaintext is byte-identical; only the random IV differs.
        QCOMPARE(openV2(written, gogram::kDefaultAesKey), plain);
        auto again = sdtest::format("gogram-file").write(*st, out, {});
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
        QCOMPARE(readAll(out), written);
        WriteOptions force;
        force.force = true;
        force.passcode = SecretBytes::fromByteArray("per-user key");
        QVERIFY(sdtest::format("gogram-file").write(*st, out, force).ok());
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
            QVERIFY(sdtest::format("gogram-file").detect(*Probe::fromSource(Source::fromPath(p))) < 100);
            QVERIFY(!sdtest::format("gogram-file").read(Source::fromPath(p), {}).ok());
        }
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
};

QTEST_GUILESS_MAIN(TestGogramFile)
#include "tst_gogramfile.moc"
