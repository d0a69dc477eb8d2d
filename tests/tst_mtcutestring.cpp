// mtcute-string (v3): every fixture string made by @mtcute/convert decodes to the recorded DC, test
// flag, user id, bot flag and auth_key_id; encode(decode(s)) == s byte for byte; bad input is
// rejected with exit code 3; detection picks mtcute for "Aw..." strings.
#include "testutil.h"

#include "convert/convert.h"
#include "format/probe.h"
#include "format/registry.h"
#include "util/base64.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {
QList<QJsonObject> cases()
{
    QList<QJsonObject> out;
    for (const QByteArray &line : readAll(dataPath(QStringLiteral("strings/cases.jsonl"))).split('\n'))
        if (!line.trimmed().isEmpty())
            out << QJsonDocument::fromJson(line).object();
    return out;
}
QByteArray mtcuteString(const QJsonObject &c)
{
    return c.value(QStringLiteral("strings")).toObject().value(QStringLiteral("mtcute-string")).toString().toLatin1();
}
} // namespace

class TestMtcuteString : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fixtureCases_data()
    {
        QTest::addColumn<int>("index");
        const auto all = cases();
        QVERIFY(all.size() >= 10);
        for (int i = 0; i < all.size(); ++i)
            QTest::newRow(qPrintable(QStringLiteral("case %1").arg(i))) << i;
    }
    void fixtureCases()
    {
        QFETCH(int, index);
        const QJsonObject c = cases().at(index);
        const QByteArray str = mtcuteString(c);
        QVERIFY(str.startsWith("Aw"));
        auto store = sdtest::format("mtcute-string").read(Source::fromString(str), ReadOptions{});
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QVERIFY(store->warnings.isEmpty());
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, c.value(QStringLiteral("dc")).toInt());
        QCOMPARE(s.testMode.value_or(!c.value(QStringLiteral("test")).toBool()), c.value(QStringLiteral("test")).toBool());
        QCOMPARE(s.userId.value_or(-1), c.value(QStringLiteral("userId")).toInteger());
        QCOMPARE(s.isBot.value_or(!c.value(QStringLiteral("isBot")).toBool()), c.value(QStringLiteral("isBot")).toBool());
        QVERIFY(s.primary());
        QCOMPARE(s.primary()->authKeyId(), c.value(QStringLiteral("authKeyId")).toString());
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(hexToBytes(c.value(QStringLiteral("authKeyHex")).toString())));
        QCOMPARE(s.primary()->address, c.value(QStringLiteral("ip")).toString());
        QCOMPARE(s.primary()->port, c.value(QStringLiteral("port")).toInt());

        auto again = sdtest::format("mtcute-string").encodeString(s, WriteOptions{});
        QVERIFY(again.ok());
        QCOMPARE(*again, str);

        auto detected = Registry::instance().detect(Source::fromString(str));
        QVERIFY(detected.ok());
        QCOMPARE((*detected)->id(), QStringLiteral("mtcute-string"));
        // Pasted with quotes, spaces and a line break still reads.
        auto pasted = sdtest::format("mtcute-string").read(Source::fromString("  \"" + str.left(100) + "\n" + str.mid(100) + "\"\n"), ReadOptions{});
        QVERIFY(pasted.ok());
        QCOMPARE(pasted->accounts.front().primary()->authKeyId(), c.value(QStringLiteral("authKeyId")).toString());
    }
    void roundTripsThroughFileFormats_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("via");
        const int n = cases().size();
        for (int i = 0; i < n; ++i)
            for (const char *via : {"mtcute-sqlite", "mtgo-sqlite", "ferogram-sqlite"})
                QTest::newRow(qPrintable(QStringLiteral("case %1 via %2").arg(i).arg(QString::fromLatin1(via)))) << i << QString::fromLatin1(via);
    }
    void roundTripsThroughFileFormats()
    {
        QFETCH(int, index);
        QFETCH(QString, via);
        const QJsonObject c = cases().at(index);
        const QByteArray str = mtcuteString(c);
        const Format *file = Registry::instance().find(via);
        QVERIFY(file);
        auto a = sdtest::format("mtcute-string").read(Source::fromString(str), ReadOptions{});
        QVERIFY(a.ok());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.db"));
        auto w = convertStore(*a, *file, ConvertRequest{}, path);
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().message));
        auto b = file->read(Source::fromPath(path), ReadOptions{});
        QVERIFY(b.ok());
        auto back = convertStore(*b, sdtest::format("mtcute-string"), ConvertRequest{}, QString());
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
        if (via == QLatin1String("mtcute-sqlite")) {
            QCOMPARE(back->string, str); // everything the string holds survives byte for byte
            return;
        }
        auto r = sdtest::format("mtcute-string").read(Source::fromString(back->string), ReadOptions{});
        QVERIFY(r.ok());
        const Session &x = a->accounts.front(), &y = r->accounts.front();
        const Capabilities caps = file->capabilities();
        QCOMPARE(y.dcId, x.dcId);
        QCOMPARE(y.primary()->authKeyId(), c.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(y.primary()->address, x.primary()->address);
        QCOMPARE(y.primary()->port, x.primary()->port);
        if (caps.testFlag(Capability::UserId))
            QCOMPARE(y.userId, x.userId);
        if (caps.testFlag(Capability::IsBot))
            QCOMPARE(y.isBot, x.isBot);
        if (caps.testFlag(Capability::TestFlag))
            QCOMPARE(y.testMode.value_or(false), x.testMode.value_or(false));
    }
    void mtcuteOwnTestVector()
    {
        // docs/formats.md 4.3: mtcute's string-session test (32-byte stub key, dc 2, self 12345, not a bot).
        QByteArray raw = QByteArray::fromHex("0305000000");
        raw += QByteArray::fromHex("17020200") + QByteArray("\x0e" "149.154.167.50") + QByteArray::fromHex("00bb010000");
        raw += QByteArray::fromHex("17020202") + QByteArray("\x0f" "149.154.167.222") + QByteArray::fromHex("bb010000");
        raw += QByteArray::fromHex("3930000000000000379779bc20") + QByteArray(32 + 3, '\0'); // key + TL padding
        const QByteArray str = base64Encode(raw, B64::UrlNoPad);
        auto r = sdtest::format("mtcute-string").read(Source::fromString(str), ReadOptions{});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->warnings.size(), 1); // the stub key is not 256 bytes
        const Session &s = r->accounts.front();
        QCOMPARE(s.dcId, 2);
        QCOMPARE(s.userId.value_or(0), 12345);
        QCOMPARE(s.isBot.value_or(true), false);
        QCOMPARE(s.mediaDcId.value_or(0), 2);
        QCOMPARE(s.primary()->address, QStringLiteral("149.154.167.50"));
        QCOMPARE(s.primary()->authKey.size(), size_t(32));
        bool media = false;
        for (const DcAuth &d : s.dcs)
            if (d.mediaOnly) {
                media = true;
                QCOMPARE(d.address, QStringLiteral("149.154.167.222"));
            }
        QVERIFY(media);
        QCOMPARE(sdtest::format("mtcute-string").encodeString(s, WriteOptions{}).value(), str);
        auto detected = Registry::instance().detect(Source::fromString(str));
        QVERIFY(detected.ok());
        QCOMPARE((*detected)->id(), QStringLiteral("mtcute-string"));
    }
    void encodesFromOtherFormats()
    {
        // A session without media DC, user or address: the string is still what mtcute expects.
        Session s;
        s.dcId = 4;
        s.upsertDc(4).authKey = SecretBytes::random(256);
        auto str = sdtest::format("mtcute-string").encodeString(s, WriteOptions{});
        QVERIFY(str.ok());
        QVERIFY(str->startsWith("Aw"));
        QVERIFY(!str->contains('='));
        const QByteArray raw = base64DecodeLenient(*str).value();
        QCOMPARE(raw.at(0), char(3));
        QCOMPARE(raw.mid(1, 4), QByteArray::fromHex("00000000")); // no self, no media
        auto back = sdtest::format("mtcute-string").read(Source::fromString(*str), ReadOptions{});
        QVERIFY(back.ok());
        const Session &b = back->accounts.front();
        QCOMPARE(b.dcId, 4);
        QVERIFY(!b.userId.has_value());
        QVERIFY(!b.mediaDcId.has_value());
        QVERIFY(b.primary()->authKey == s.primary()->authKey);
        QVERIFY(!b.primary()->address.isEmpty());
        QCOMPARE(b.testMode.value_or(true), false);

        s.testMode = true;
        s.userId = Q_INT64_C(9007199254740000);
        s.isBot = true;
        auto t = sdtest::format("mtcute-string").encodeString(s, WriteOptions{});
        QVERIFY(t.ok());
        auto tb = sdtest::format("mtcute-string").read(Source::fromString(*t), ReadOptions{});
        QVERIFY2(tb.ok(), qPrintable(tb.ok() ? QString() : tb.error().message));
        QCOMPARE(tb->accounts.front().testMode.value_or(false), true);
        QCOMPARE(tb->accounts.front().userId.value_or(0), Q_INT64_C(9007199254740000));
        QCOMPARE(tb->accounts.front().isBot.value_or(false), true);

        Session empty;
        empty.dcId = 2;
        auto e = sdtest::format("mtcute-string").encodeString(empty, WriteOptions{});
        QVERIFY(!e.ok());
    }
    void rejectsBadInput_data()
    {
        QTest::addColumn<QByteArray>("input");
        const QByteArray good = mtcuteString(cases().first());
        const QByteArray raw = base64DecodeLenient(good).value();
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not base64") << QByteArray("Aw!!!!");
        QTest::newRow("version 2") << base64Encode(QByteArray(1, '\x02') + raw.mid(1), B64::UrlNoPad);
        QTest::newRow("truncated") << good.left(good.size() - 40);
        QTest::newRow("header only") << good.left(8);
        QByteArray badBool = raw;
        badBool[raw.size() - 256 - 4 - 4] = 'x'; // inside the Bool constructor
        QTest::newRow("bad bool") << base64Encode(badBool, B64::UrlNoPad);
        QByteArray badDc = raw;
        badDc[6] = 9; // option version byte
        QTest::newRow("bad dc option") << base64Encode(badDc, B64::UrlNoPad);
        QTest::newRow("huge") << QByteArray(100000, 'A');
    }
    void rejectsBadInput()
    {
        QFETCH(QByteArray, input);
        auto r = sdtest::format("mtcute-string").read(Source::fromString(input), ReadOptions{});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().exitCode(), 3);
        QVERIFY(!r.error().message.isEmpty());
    }
    void cliInspectPrintsKeyIdOnly()
    {
        const QJsonObject c = cases().at(1);
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("-"), QStringLiteral("--json")}, mtcuteString(c) + "\n");
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(c.value(QStringLiteral("authKeyId")).toString().toLatin1()));
        QVERIFY(!r.out.contains(c.value(QStringLiteral("authKeyHex")).toString().left(32).toLatin1()));
        QVERIFY(r.out.contains("mtcute-string"));
    }
};

QTEST_GUILESS_MAIN(TestMtcuteString)
#include "tst_mtcutestring.moc"
