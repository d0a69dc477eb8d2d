// ferogram strings (docs/formats.md 8.2, 8.3): the "native" string (base64url of the binary), the compact
// V1/V2 strings, and conversions with the other string formats. No fixtures from the real ferogram
// exist here: the compact payloads are built in this file from the table of docs/formats.md 8.3
// (big-endian), the binary ones field by field from 8.1 (ferogramtestutil.h).
#include "convert/convert.h"
#include "ferogramtestutil.h"
#include "format/registry.h"
#include "testutil.h"
#include "util/ipaddress.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace ferogramtest;

namespace {

// docs/formats.md 8.3 compact payload (big-endian).
QByteArray buildCompact(int version, int dc, const QByteArray &ip, quint16 port, qint64 user, const QByteArray &key,
                        qint64 salt = 0, quint32 seq = 0, quint32 layer = 0)
{
    Buf w;
    w.be(static_cast<quint64>(version), 1).be(static_cast<quint64>(dc), 1).be(ip.size() == 4 ? 4 : 6, 1).raw(ip).be(port, 2).be(static_cast<quint64>(user), 8);
    if (version == 1)
        w.be(static_cast<quint64>(salt), 8).be(seq, 4).be(layer, 4);
    w.raw(key);
    return w.b;
}
QByteArray urlNoPad(const QByteArray &b) { return b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals); }

} // namespace

class TestFerogramString : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---------------------------------------------------------------- strings (8.2, 8.3)
    void compactStrings_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("ip");
        QTest::addColumn<int>("length");
        QTest::addRow("v2-ipv4") << 2 << QStringLiteral("149.154.167.51") << 364;
        QTest::addRow("v2-ipv6") << 2 << QStringLiteral("2001:67c:4e8:f002::a") << 380;
        QTest::addRow("v1-ipv4") << 1 << QStringLiteral("149.154.167.51") << 386;
        QTest::addRow("v1-ipv6") << 1 << QStringLiteral("2001:67c:4e8:f002::a") << 402;
    }
    void compactStrings()
    {
        QFETCH(int, version);
        QFETCH(QString, ip);
        QFETCH(int, length);
        const QByteArray key = testKey(50 + version);
        auto ipBytes = ipTextToBytes(ip);
        QVERIFY(ipBytes);
        const QByteArray text = urlNoPad(buildCompact(version, 2, *ipBytes, 443, 5000000001LL, key, -9, 17, 181));
        QCOMPARE(text.size(), length);
        QVERIFY(text.startsWith(version == 2 ? "Ag" : "AQ"));
        QCOMPARE(detectedId(Source::fromString(text)), QStringLiteral("ferogram-string"));
        auto st = sdtest::format("ferogram-string").read(Source::fromString(text), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(st->variant, version == 2 ? QStringLiteral("v2") : QStringLiteral("v1"));
        const Session &s = st->accounts[0];
        QCOMPARE(s.dcId, 2);
        QCOMPARE(s.userId, std::optional<qint64>(5000000001LL));
        QCOMPARE(s.primary()->address, ip);
        QCOMPARE(s.primary()->port, 443);
        QCOMPARE(s.primary()->ipv6, ip.contains(QLatin1Char(':')));
        QCOMPARE(s.primary()->authKeyId(), keyIdHex(key));
        if (version == 1)
            QCOMPARE(s.primary()->salt, std::optional<qint64>(-9));
        WriteOptions o;
        o.variant = version == 1 ? QStringLiteral("v1") : QString();
        QCOMPARE(*sdtest::format("ferogram-string").encodeString(s, o), text);
    }

    void nativeString()
    {
        const QByteArray v8 = buildBinary(8, sample(8));
        const QByteArray text = urlNoPad(v8);
        QVERIFY(text.startsWith("CA"));
        QCOMPARE(detectedId(Source::fromString(text)), QStringLiteral("ferogram-string"));
        auto st = sdtest::format("ferogram-string").read(Source::fromString(text), {});
        QVERIFY(st.ok());
        QCOMPARE(st->variant, QStringLiteral("native"));
        QCOMPARE(st->accounts[0].peers.size(), size_t(4));
        WriteOptions native;
        native.variant = QStringLiteral("native");
        QCOMPARE(*sdtest::format("ferogram-string").encodeString(st->accounts[0], native), text);
        // Default: compact V2 of the home DC.
        const QByteArray v2 = *sdtest::format("ferogram-string").encodeString(st->accounts[0], {});
        QCOMPARE(v2.size(), 364);
        auto back = sdtest::format("ferogram-string").read(Source::fromString(v2), {});
        QCOMPARE(back->accounts[0].primary()->authKeyId(), keyIdHex(testKey(8)));
        // An older native string (v5) still reads.
        auto v5 = sdtest::format("ferogram-string").read(Source::fromString(urlNoPad(buildBinary(5, sample(5)))), {});
        QVERIFY(v5.ok());
        QCOMPARE(v5->formatVersion, std::optional<int>(5));
    }

    void stringsOfOtherLibrariesAreNotMine()
    {
        const Format &f = sdtest::format("ferogram-string");
        // Pyrogram current: 271 bytes -> 362 characters, first byte 0x02 like compact V2.
        QByteArray pyro = QByteArray(1, '\x02') + QByteArray(270, '\x07');
        QCOMPARE(f.detect(Probe::fromString(urlNoPad(pyro))), 0);
        // mtgo-labs export: 364 characters but padded (URLEncoding), starting AQ.
        QByteArray mtgo = QByteArray(1, '\x01') + QByteArray(271, '\x05');
        const QByteArray padded = mtgo.toBase64(QByteArray::Base64UrlEncoding);
        QCOMPARE(padded.size(), 364);
        QCOMPARE(f.detect(Probe::fromString(padded)), 0);
        // mtcute v3 (first byte 3) and random text.
        QCOMPARE(f.detect(Probe::fromString(urlNoPad(QByteArray(1, '\x03') + QByteArray(300, '\x01')))), 0);
        QCOMPARE(f.detect(Probe::fromString("hello world")), 0);
        // A compact string with a bad ip_type or a wrong length.
        QByteArray c = buildCompact(2, 2, QByteArray(4, '\x01'), 443, 1, testKey(1));
        c[2] = 5;
        QCOMPARE(f.detect(Probe::fromString(urlNoPad(c))), 0);
        QVERIFY(!f.read(Source::fromString(urlNoPad(c)), {}).ok());
        QCOMPARE(f.detect(Probe::fromString(urlNoPad(buildCompact(2, 2, QByteArray(4, '\x01'), 443, 1, testKey(1)).left(200)))), 0);
    }

    // ---------------------------------------------------------------- conversions
    void convertsWithOtherStringFormats()
    {
        const QByteArray key = testKey(60);
        const QByteArray text = urlNoPad(buildCompact(2, 2, *ipTextToBytes(QStringLiteral("149.154.167.51")), 443, 424242, key));
        auto src = sdtest::format("ferogram-string").read(Source::fromString(text), {});
        QVERIFY(src.ok());
        for (const char *id : {"telethon-string", "mtcute-string", "gogram-string"}) {
            const Format *t = Registry::instance().find(QString::fromLatin1(id));
            QVERIFY2(t, id);
            auto out = convertStore(*src, *t, {}, QString());
            QVERIFY2(out.ok(), out.ok() ? id : qPrintable(out.error().message));
            auto mid = t->read(Source::fromString(out->string), {});
            QVERIFY2(mid.ok(), id);
            QCOMPARE(mid->accounts[0].dcId, 2);
            QCOMPARE(mid->accounts[0].primary()->authKeyId(), keyIdHex(key));
            ConvertRequest back;
            if (!t->capabilities().testFlag(Capability::UserId))
                back.userId = 424242; // the CLI's --user-id for sources without one
            auto again = convertStore(*mid, sdtest::format("ferogram-string"), back, QString());
            QVERIFY(again.ok());
            auto r = sdtest::format("ferogram-string").read(Source::fromString(again->string), {});
            QVERIFY(r.ok());
            QCOMPARE(r->accounts[0].dcId, 2);
            QCOMPARE(r->accounts[0].userId, std::optional<qint64>(424242));
            QCOMPARE(r->accounts[0].primary()->authKeyId(), keyIdHex(key));
        }
        // Binary file -> string formats: the home DC's key.
        QTemporaryDir dir;
        const QString bin = writeTemp(dir, QStringLiteral("s.bin"), buildBinary(8, sample(8)));
        auto b = sdtest::format("ferogram-binary").read(Source::fromPath(bin), {});
        QVERIFY(b.ok());
        for (const char *id : {"telethon-string", "mtcute-string"}) {
            const Format *t = Registry::instance().find(QString::fromLatin1(id));
            QVERIFY2(t, id);
            ConvertRequest req;
            req.userId = 1;
            auto out = convertStore(*b, *t, req, QString());
            QVERIFY2(out.ok(), id);
            QVERIFY(!out->dropped.isEmpty()); // peers, update state, other DC keys are reported
            auto r = t->read(Source::fromString(out->string), {});
            QCOMPARE(r->accounts[0].primary()->authKeyId(), keyIdHex(testKey(8)));
        }
    }
};

QTEST_GUILESS_MAIN(TestFerogramString)
#include "tst_ferogramstring.moc"
