#include "domain/dcaddress.h"
#include "domain/session.h"
#include "util/base64.h"
#include "util/bytes.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace sd;

class TestDomain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void markedIds_data()
    {
        QTest::addColumn<qint64>("bare");
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("marked");
        QTest::newRow("user") << Q_INT64_C(777000) << int(PeerKind::User) << Q_INT64_C(777000);
        QTest::newRow("chat") << Q_INT64_C(123456) << int(PeerKind::Chat) << Q_INT64_C(-123456);
        QTest::newRow("channel") << Q_INT64_C(1234567890) << int(PeerKind::Channel) << Q_INT64_C(-1001234567890);
        QTest::newRow("big user") << Q_INT64_C(8000000000) << int(PeerKind::User) << Q_INT64_C(8000000000);
    }
    void markedIds()
    {
        QFETCH(qint64, bare);
        QFETCH(int, kind);
        QFETCH(qint64, marked);
        QCOMPARE(markedId(bare, PeerKind(kind)), marked);
        const auto back = unmarkId(marked);
        QVERIFY(back.has_value());
        QCOMPARE(back->first, bare);
        QCOMPARE(int(back->second), kind);
        QVERIFY(!unmarkId(0).has_value());
    }
    void optionalFieldsStayUnknown()
    {
        Session s;
        QVERIFY(!s.userId.has_value());
        QVERIFY(!s.isBot.has_value());
        QVERIFY(s.primary() == nullptr);
        DcAuth &d = s.upsertDc(2);
        d.authKey = SecretBytes::random(256);
        s.dcId = 2;
        s.upsertDc(4).authKey = SecretBytes::random(256);
        QCOMPARE(s.primary()->dcId, 2);
        QCOMPARE(s.dcs.size(), size_t(2));
        QCOMPARE(&s.upsertDc(2), s.primary());
    }
    void peerCounts()
    {
        Session s;
        Peer u; u.id = 1; u.type = PeerType::Bot;
        Peer c; c.id = 2; c.type = PeerType::Chat;
        Peer ch; ch.id = 3; ch.type = PeerType::Supergroup;
        s.peers = {u, c, ch, u};
        const PeerCounts pc = s.peerCounts();
        QCOMPARE(pc.users, 2);
        QCOMPARE(pc.chats, 1);
        QCOMPARE(pc.channels, 1);
        QCOMPARE(pc.total(), 4);
    }
    void base64Dialects()
    {
        const QByteArray raw = QByteArray::fromHex("fbff00fe");
        QCOMPARE(base64Encode(raw, B64::Standard), QByteArray("+/8A/g=="));
        QCOMPARE(base64Encode(raw, B64::UrlNoPad), QByteArray("-_8A_g"));
        QCOMPARE(base64DecodeLenient("-_8A_g").value(), raw);
        QCOMPARE(base64DecodeLenient("+/8A/g==").value(), raw);
        QCOMPARE(base64DecodeLenient("+/8A/g").value(), raw);
        QVERIFY(!base64DecodeLenient("+/8A*g").has_value());
        QVERIFY(!base64DecodeStrict("-_8A_g", B64::Standard).has_value());
        QVERIFY(!base64DecodeStrict("-_8A_g", B64::Url).has_value()); // padding required
    }
    void base64EncoderAgreesWithQt()
    {
        // The table-driven encoder against Qt's, every dialect, every length remainder.
        QRandomGenerator rng(7);
        for (int n = 0; n < 300; ++n) {
            QByteArray raw(n, Qt::Uninitialized);
            for (char &c : raw)
                c = static_cast<char>(rng.bounded(256));
            QCOMPARE(base64Encode(raw, B64::Standard), raw.toBase64());
            QCOMPARE(base64Encode(raw, B64::StandardNoPad), raw.toBase64(QByteArray::OmitTrailingEquals));
            QCOMPARE(base64Encode(raw, B64::Url), raw.toBase64(QByteArray::Base64UrlEncoding));
            QCOMPARE(base64Encode(raw, B64::UrlNoPad),
                     raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            QCOMPARE(base64DecodeLenient(base64Encode(raw, B64::UrlNoPad)).value(), raw);
            QCOMPARE(base64Encode(raw, B64::Url, "1BvE"), "1BvE" + raw.toBase64(QByteArray::Base64UrlEncoding));
        }
    }
    void secretBytesCompareEveryByte()
    {
        QByteArray key(256, '\x5a');
        const SecretBytes a = SecretBytes::fromByteArray(key);
        for (int i : {0, 7, 8, 100, 254, 255}) {
            QByteArray other = key;
            other[i] = static_cast<char>(other[i] ^ 1);
            QVERIFY(!(a == SecretBytes::fromByteArray(other)));
        }
        QVERIFY(a == SecretBytes::fromByteArray(key));
        QVERIFY(!(a == SecretBytes::fromByteArray(key.left(255))));
        QVERIFY(SecretBytes::fromByteArray(QByteArray(13, '\1')) == SecretBytes::fromByteArray(QByteArray(13, '\1')));
    }
    void wipeOverwritesOwnBytesOnly()
    {
        QByteArray owned(64, 'k');
        const char *buf = owned.constData();
        QByteArray alias = owned; // shared: wiping the alias must neither copy nor touch the owner's bytes
        wipe(alias);
        QVERIFY(alias.isEmpty());
        QCOMPARE(owned, QByteArray(64, 'k'));
        QCOMPARE(owned.constData(), buf);
        wipe(owned);
        QVERIFY(owned.isEmpty());
    }
    void knownDcAddresses()
    {
        auto dc2 = lookupDcAddress(QStringLiteral("149.154.167.51"));
        QVERIFY(dc2);
        QCOMPARE(dc2->dcId, 2);
        QVERIFY(!dc2->test && !dc2->media);
        auto test1 = lookupDcAddress(QStringLiteral("149.154.175.10"));
        QVERIFY(test1 && test1->dcId == 1 && test1->test);
        auto media = lookupDcAddress(QStringLiteral("149.154.175.211"));
        QVERIFY(media && media->dcId == 1 && media->media);
        // Non-canonical spellings of a known IPv6 address.
        for (const char *v6 : {"2001:67c:4e8:f002::a", "2001:67C:4E8:F002::A", "[2001:67c:4e8:f002::a]", " 2001:67c:4e8:f002::a\n"}) {
            auto a = lookupDcAddress(QString::fromLatin1(v6));
            QVERIFY2(a && a->dcId == 2 && !a->test, v6);
        }
        for (const char *other : {"", "149.154.167.5", "149.154.167.510", "example.org", "2001:67c:4e8:f002::"})
            QVERIFY2(!lookupDcAddress(QString::fromLatin1(other)), other);
    }
    void byteReaderBounds()
    {
        const QByteArray data = QByteArray::fromHex("0102030405");
        ByteReader r(data);
        QCOMPARE(r.u32le(), 0x04030201u);
        QVERIFY(r.ok());
        QCOMPARE(r.u32le(), 0u);
        QVERIFY(!r.ok());
    }
    void tlBytesRoundTrip()
    {
        for (int n : {0, 1, 3, 253, 254, 300, 256}) {
            QByteArray payload(n, 'x');
            ByteWriter w;
            w.tlBytes(payload);
            QCOMPARE(w.data().size() % 4, 0);
            ByteReader r(w.data());
            QCOMPARE(r.tlBytes(), payload);
            QVERIFY(r.ok());
            QVERIFY(r.atEnd());
        }
    }
};

QTEST_GUILESS_MAIN(TestDomain)
#include "tst_domain.moc"
