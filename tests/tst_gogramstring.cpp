// gogram string session (docs/formats.md 5.2): the JSON strings ("1BvE"), the legacy ones ("1BvX"),
// conversions with the other string formats and the CLI. No fixtures from the real gogram exist
// here, so every string is built in this file from the layout in docs/formats.md, with Qt's own base64
// and SHA (independent of the code under test).
#include "convert/convert.h"
#include "format/registry.h"
#include "gogramtestutil.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;
using namespace gogramtest;

namespace {

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

} // namespace

class TestGogramString : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---------------------------------------------------------------- strings (5.2)
    void jsonStringReadsAndRoundTrips()
    {
        const QByteArray key = testKey(1);
        const QByteArray text = gogramJsonString(key, keyIdBytes(key), 2, "149.154.167.50:443", 12345);
        QCOMPARE(detectedId(Source::fromString(text)), QStringLiteral("gogram-string"));
        auto st = sdtest::format("gogram-string").read(Source::fromString("  '" + text + "'\n"), {});
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
        auto again = sdtest::format("gogram-string").encodeString(s, {});
        QVERIFY(again.ok());
        QCOMPARE(*again, text);
    }

    void formatsMdTestVector()
    {
        // docs/formats.md 5.2: key = bytes(0..255), hash = first 8 bytes, dc 2, 149.154.167.50:443, app 12345
        // gives 580 characters starting 1BvEeyJrZXkiOiJBQUVDQXdRRkJnY0lDUW9MREEw.
        QByteArray key(256, '\0');
        for (int i = 0; i < 256; ++i)
            key[i] = static_cast<char>(i);
        const QByteArray text = gogramJsonString(key, key.left(8), 2, "149.154.167.50:443", 12345);
        QCOMPARE(text.size(), 580);
        QVERIFY(text.startsWith("1BvEeyJrZXkiOiJBQUVDQXdRRkJnY0lDUW9MREEw"));
        auto st = sdtest::format("gogram-string").read(Source::fromString(text), {});
        QVERIFY(st.ok());
        QCOMPARE(st->warnings.size(), 1); // the stored hash is not SHA1(key)[12:20]
        QCOMPARE(st->accounts[0].primary()->authKeyId(), QStringLiteral("32d1586ea457dfc8"));
        QCOMPARE(*sdtest::format("gogram-string").encodeString(st->accounts[0], {}), text);
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
            auto st = sdtest::format("gogram-string").read(Source::fromString(gogramJsonString(key, keyIdBytes(key), 0, c.ip, 0)), {});
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
            auto st = sdtest::format("gogram-string").read(Source::fromString(t), {});
            QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st->warnings.join(QLatin1Char(' '))));
            QCOMPARE(st->variant, QStringLiteral("legacy"));
            const Session &s = st->accounts[0];
            QCOMPARE(s.dcId, 1);
            QCOMPARE(s.apiId, std::optional<qint32>(777));
            QCOMPARE(s.primary()->authKeyId(), keyIdHex(key));
        }
        auto st = sdtest::format("gogram-string").read(Source::fromString(oldText), {});
        QCOMPARE(st->accounts[0].primary()->address, QStringLiteral("2001:b28:f23d:f001::a"));
        QVERIFY(st->accounts[0].primary()->ipv6);
        WriteOptions legacy;
        legacy.variant = QStringLiteral("legacy");
        auto n = sdtest::format("gogram-string").read(Source::fromString(newText), {});
        QCOMPARE(*sdtest::format("gogram-string").encodeString(n->accounts[0], legacy), newText);
        // The default writes the current JSON variant.
        QVERIFY(sdtest::format("gogram-string").encodeString(n->accounts[0], {})->startsWith("1BvE"));
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
            QCOMPARE(sdtest::format("gogram-string").detect(Probe::fromString(b)), 0);
            auto st = sdtest::format("gogram-string").read(Source::fromString(b), {});
            QVERIFY(!st.ok());
            QCOMPARE(st.error().kind, ErrorKind::BadInput);
            QVERIFY(!st.error().message.contains(QLatin1Char('\n')));
        }
    }

    // ---------------------------------------------------------------- conversions
    void convertsWithOtherStringFormats()
    {
        const QByteArray key = testKey(8);
        const QByteArray text = gogramJsonString(key, keyIdBytes(key), 4, "149.154.167.91:443", 99);
        auto src = sdtest::format("gogram-string").read(Source::fromString(text), {});
        QVERIFY(src.ok());
        for (const char *id : {"telethon-string", "mtcute-string", "ferogram-string", "pyrogram-string"}) {
            const Format *t = Registry::instance().find(QString::fromLatin1(id));
            QVERIFY2(t, id);
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
            auto g = convertStore(*back, sdtest::format("gogram-string"), {}, QString());
            QVERIFY(g.ok());
            auto gs = sdtest::format("gogram-string").read(Source::fromString(g->string), {});
            QVERIFY(gs.ok());
            QCOMPARE(gs->accounts[0].dcId, 4);
            QCOMPARE(gs->accounts[0].primary()->authKeyId(), keyIdHex(key));
        }
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

QTEST_GUILESS_MAIN(TestGogramString)
#include "tst_gogramstring.moc"
