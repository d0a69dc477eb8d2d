// gotd-json: gotd/td session.json read/write, key-id check (pitfall 12), version, Config, CLI.
#include "crypto/crypto.h"
#include "format/registry.h"
#include "testutil.h"
#include "util/base64.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

const Format &gotdJson() { return *Registry::instance().find(QStringLiteral("gotd-json")); }

QByteArray sessionJson(const QByteArray &key, const QByteArray &keyId, int version = 1, const QString &addr = QStringLiteral("149.154.167.50:443"),
                       const QByteArray &config = "{\"TestMode\":false,\"DCOptions\":null}", const QByteArray &salt = "-5837374628374628374")
{
    return QByteArray("{\"Version\":") + QByteArray::number(version) + ",\"Data\":{\"Config\":" + config
           + ",\"DC\":2,\"Addr\":\"" + addr.toLatin1() + "\",\"AuthKey\":\"" + key.toBase64() + "\",\"AuthKeyID\":\""
           + keyId.toBase64() + "\",\"Salt\":" + salt + "}}";
}

QString writeTemp(QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString p = dir.filePath(name);
    QFile f(p);
    if (f.open(QIODevice::WriteOnly))
        f.write(data);
    return p;
}

} // namespace

class TestGotd : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readHandWritten()
    {
        QTemporaryDir tmp;
        const QByteArray key = crypto::randomBytes(256);
        const QByteArray id = crypto::sha1(key).mid(12, 8);
        const QString path = writeTemp(tmp, QStringLiteral("session.json"), sessionJson(key, id));
        auto det = Registry::instance().detect(Source::fromPath(path));
        QVERIFY(det);
        QCOMPARE((*det)->id(), QStringLiteral("gotd-json"));
        auto store = gotdJson().read(Source::fromPath(path), ReadOptions{});
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, 2);
        QCOMPARE(s.testMode, std::optional<bool>(false));
        QVERIFY(s.primary());
        QCOMPARE(s.primary()->authKeyId(), QString::fromLatin1(id.toHex()));
        QCOMPARE(s.primary()->address, QStringLiteral("149.154.167.50"));
        QCOMPARE(s.primary()->port, 443);
        // 64-bit salt stays exact (not through double).
        QCOMPARE(s.primary()->salt, std::optional<qint64>(-5837374628374628374LL));
    }

    void readGoFixture()
    {
        // tests/data/gotd/gotd-json-session.json: Go encoding/json of gotd's session structs (README there).
        const QJsonObject expected = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("gotd/session.expected.json")))).object();
        const Source src = Source::fromPath(dataPath(QStringLiteral("gotd/gotd-json-session.json")));
        auto det = Registry::instance().detect(src);
        QVERIFY(det);
        QCOMPARE((*det)->id(), QStringLiteral("gotd-json"));
        auto store = gotdJson().read(src, ReadOptions{});
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, expected.value(QStringLiteral("dc")).toInt());
        QCOMPARE(s.primary()->authKeyId(), expected.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(QString::number(*s.primary()->salt), expected.value(QStringLiteral("salt")).toString());
        QCOMPARE(s.testMode, std::optional<bool>(false));
        QByteArray hex = s.primary()->authKey.exposeUnsafeHex();
        const bool same = hex == expected.value(QStringLiteral("authKeyHex")).toString().toLatin1();
        wipe(hex);
        QVERIFY(same);
        // Written back by SessionDesk, it reads the same (Config kept).
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("copy.json"));
        QVERIFY(gotdJson().write(*store, out, WriteOptions{}));
        auto back = gotdJson().read(Source::fromPath(out), ReadOptions{});
        QVERIFY(back);
        QVERIFY(back->accounts.front().primary()->authKey == s.primary()->authKey);
        QCOMPARE(back->accounts.front().primary()->salt, s.primary()->salt);
        const QJsonObject config = QJsonDocument::fromJson(readAll(out)).object().value(QStringLiteral("Data")).toObject()
                                       .value(QStringLiteral("Config")).toObject();
        QCOMPARE(config.value(QStringLiteral("DCOptions")).toArray().size(), 2);
    }

    void wrongAuthKeyIdIsRejected()
    {
        QTemporaryDir tmp;
        const QByteArray key = crypto::randomBytes(256);
        QByteArray id = crypto::sha1(key).mid(12, 8);
        id[0] = static_cast<char>(id[0] ^ 0x01);
        const QString path = writeTemp(tmp, QStringLiteral("s.json"), sessionJson(key, id));
        auto r = gotdJson().read(Source::fromPath(path), ReadOptions{});
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QVERIFY(r.error().message.contains(QStringLiteral("AuthKeyID")));
        // The aux hash (SHA1[0:8]) is a classic mistake: rejected too.
        const QString aux = writeTemp(tmp, QStringLiteral("aux.json"), sessionJson(key, crypto::sha1(key).left(8)));
        QVERIFY(!gotdJson().read(Source::fromPath(aux), ReadOptions{}));
        const CliRun cli = runCli({QStringLiteral("inspect"), path, QStringLiteral("--format"), QStringLiteral("gotd-json")});
        QCOMPARE(cli.exitCode, 3);
        QVERIFY(cli.err.contains("AuthKeyID"));
    }

    void versionMustBeOne()
    {
        QTemporaryDir tmp;
        const QByteArray key = crypto::randomBytes(256);
        const QString path = writeTemp(tmp, QStringLiteral("v2.json"), sessionJson(key, crypto::sha1(key).mid(12, 8), 2));
        auto r = gotdJson().read(Source::fromPath(path), ReadOptions{});
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QStringLiteral("version 2")));
        ReadOptions ro;
        ro.ignoreVersion = true;
        auto ok = gotdJson().read(Source::fromPath(path), ro);
        QVERIFY(ok);
        QVERIFY(!ok->warnings.isEmpty());
    }

    void addressFromConfigAndTestMode()
    {
        QTemporaryDir tmp;
        const QByteArray key = crypto::randomBytes(256);
        const QByteArray config =
            "{\"TestMode\":true,\"ThisDC\":2,\"DCOptions\":["
            "{\"Flags\":2,\"Ipv6\":false,\"MediaOnly\":true,\"ID\":2,\"IPAddress\":\"10.0.0.9\",\"Port\":443,\"Secret\":null},"
            "{\"Flags\":0,\"Ipv6\":false,\"MediaOnly\":false,\"ID\":2,\"IPAddress\":\"149.154.167.40\",\"Port\":443,\"Secret\":null}]}";
        const QString path = writeTemp(tmp, QStringLiteral("t.json"), sessionJson(key, crypto::sha1(key).mid(12, 8), 1, QString(), config, "0"));
        auto r = gotdJson().read(Source::fromPath(path), ReadOptions{});
        QVERIFY(r);
        const Session &s = r->accounts.front();
        QCOMPARE(s.testMode, std::optional<bool>(true));
        QCOMPARE(s.primary()->address, QStringLiteral("149.154.167.40"));
        QCOMPARE(s.primary()->port, 443);
        // A bare IP (gotd's tdesktop converter) gets port 443.
        const QString bare = writeTemp(tmp, QStringLiteral("b.json"), sessionJson(key, crypto::sha1(key).mid(12, 8), 1, QStringLiteral("149.154.167.51")));
        auto b = gotdJson().read(Source::fromPath(bare), ReadOptions{});
        QVERIFY(b);
        QCOMPARE(b->accounts.front().primary()->address, QStringLiteral("149.154.167.51"));
        QCOMPARE(b->accounts.front().primary()->port, 443);
    }

    void writeRoundTrip()
    {
        QTemporaryDir tmp;
        Store in;
        Session s;
        s.dcId = 4;
        s.testMode = false;
        DcAuth &d = s.upsertDc(4);
        d.authKey = SecretBytes::fromByteArray(crypto::randomBytes(256));
        d.address = QStringLiteral("149.154.167.91");
        d.port = 443;
        d.salt = std::numeric_limits<qint64>::min() + 12345;
        in.accounts.push_back(s);
        const QString out = tmp.filePath(QStringLiteral("session.json"));
        auto st = gotdJson().write(in, out, WriteOptions{});
        QVERIFY2(st, qPrintable(st ? QString() : st.error().message));
        QCOMPARE(fileMode(out), 0600);

        // The JSON itself: what gotd's loader expects.
        const QByteArray raw = readAll(out);
        const QJsonObject root = QJsonDocument::fromJson(raw).object();
        QCOMPARE(root.value(QStringLiteral("Version")).toInt(), 1);
        const QJsonObject data = root.value(QStringLiteral("Data")).toObject();
        QCOMPARE(data.value(QStringLiteral("DC")).toInt(), 4);
        QCOMPARE(data.value(QStringLiteral("Addr")).toString(), QStringLiteral("149.154.167.91:443"));
        const QByteArray keyBytes = d.authKey.exposeUnsafe();
        QCOMPARE(data.value(QStringLiteral("AuthKey")).toString().toLatin1(), keyBytes.toBase64());
        QCOMPARE(data.value(QStringLiteral("AuthKeyID")).toString().toLatin1(), crypto::sha1(keyBytes).mid(12, 8).toBase64());
        QVERIFY(data.value(QStringLiteral("Config")).isObject());
        QVERIFY(raw.contains(QByteArray::number(std::numeric_limits<qint64>::min() + 12345)));

        auto back = gotdJson().read(Source::fromPath(out), ReadOptions{});
        QVERIFY(back);
        const Session &b = back->accounts.front();
        QCOMPARE(b.dcId, 4);
        QVERIFY(b.primary()->authKey == d.authKey);
        QCOMPARE(b.primary()->salt, d.salt);
        QCOMPARE(b.primary()->address, d.address);

        // No overwrite without force; force replaces.
        auto again = gotdJson().write(in, out, WriteOptions{});
        QVERIFY(!again);
        QCOMPARE(again.error().kind, ErrorKind::Output);
        WriteOptions force;
        force.force = true;
        QVERIFY(gotdJson().write(back.value(), out, force));
        // Re-writing a read session keeps its Config.
        QVERIFY(QJsonDocument::fromJson(readAll(out)).object().value(QStringLiteral("Data")).toObject().value(QStringLiteral("Config")).isObject());
    }

    void cliConvertTdataToGotd()
    {
        QTemporaryDir tmp;
        const QJsonObject expected = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("tdata/plain.json")))).object();
        const QString out = tmp.filePath(QStringLiteral("session.json"));
        CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("tdata/plain")), QStringLiteral("--to"),
                           QStringLiteral("gotd-json"), QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runCli({QStringLiteral("inspect"), out, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject acc = r.json().object().value(QStringLiteral("accounts")).toArray().at(0).toObject();
        QCOMPARE(r.json().object().value(QStringLiteral("format")).toString(), QStringLiteral("gotd-json"));
        QCOMPARE(acc.value(QStringLiteral("auth_key_id")).toString(), expected.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(acc.value(QStringLiteral("dc_id")).toInt(), expected.value(QStringLiteral("dc")).toInt());
    }

    void malformedInput()
    {
        QTemporaryDir tmp;
        const QByteArray key = crypto::randomBytes(256);
        const QByteArray good = sessionJson(key, crypto::sha1(key).mid(12, 8));
        const QList<QByteArray> bad = {
            "", "{}", "[]", "{\"Version\":1}", "{\"Version\":1,\"Data\":[]}", "{\"Version\":\"1\",\"Data\":{}}",
            "{\"Version\":1,\"Data\":{\"DC\":2,\"AuthKey\":\"!!!\"}}",
            "{\"Version\":1,\"Data\":{\"DC\":2,\"AuthKey\":\"" + crypto::randomBytes(100).toBase64() + "\"}}",
            "{\"Version\":1,\"Data\":{\"DC\":-1}}",
        };
        for (const QByteArray &b : bad) {
            const QString p = writeTemp(tmp, QStringLiteral("bad.json"), b);
            QVERIFY2(!gotdJson().read(Source::fromPath(p), ReadOptions{}), b.constData());
        }
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < 500; ++i) {
            QByteArray m = good;
            m[rng->bounded(static_cast<int>(m.size()))] = static_cast<char>(rng->bounded(256));
            if (i % 2)
                m.truncate(rng->bounded(static_cast<int>(m.size())));
            auto r = gotdJson().read(Source::fromString(m), ReadOptions{});
            if (r)
                QCOMPARE(r->accounts.size(), std::size_t(1));
        }
    }
};

QTEST_GUILESS_MAIN(TestGotd)
#include "tst_gotd.moc"
