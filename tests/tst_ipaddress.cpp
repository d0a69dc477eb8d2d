#include "util/ipaddress.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace sd;

class TestIpAddress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsCanonicalText_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *t : {"149.154.167.51", "91.108.56.130", "0.0.0.0", "255.255.255.255", "2001:67c:4e8:f002::a",
                              "2001:b28:f23d:f001::e", "::1", "::", "1::", "2a0a:f280:203:a:5000::100", "1:0:0:2::3",
                              "1:0:2:0:3:0:4:0", "2001:db8::1:0:0:1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
            QTest::addRow("%s", t) << QString::fromLatin1(t);
    }
    void roundTripsCanonicalText()
    {
        QFETCH(QString, text);
        const auto b = ipTextToBytes(text);
        QVERIFY(b);
        QCOMPARE(b->size(), text.contains(QLatin1Char(':')) ? 16 : 4);
        QCOMPARE(ipBytesToText(*b), text);
        QCOMPARE(ipTextToBytes(QByteArrayView(text.toLatin1())), b);
    }

    void bytesAreNetworkOrder()
    {
        QCOMPARE(*ipTextToBytes(QStringLiteral("149.154.167.51")), QByteArray::fromHex("959aa733"));
        QCOMPARE(*ipTextToBytes(QStringLiteral("2001:db8::1")), QByteArray::fromHex("20010db8000000000000000000000001"));
        QCOMPARE(*ipTextToBytes(QStringLiteral("::ffff")), QByteArray::fromHex("0000000000000000000000000000ffff"));
    }

    void acceptsLooseInput()
    {
        // Upper case, leading zeros in IPv6 groups, the full form, brackets and surrounding space.
        QCOMPARE(ipBytesToText(*ipTextToBytes(QStringLiteral("2001:0DB8:0:0:0:0:0:1"))), QStringLiteral("2001:db8::1"));
        QCOMPARE(ipBytesToText(*ipTextToBytes(QStringLiteral("2001:0db8:0000:0000:0001:0000:0000:0001"))),
                 QStringLiteral("2001:db8::1:0:0:1"));
        QCOMPARE(ipBytesToText(*ipTextToBytes(QStringLiteral("[::1]"))), QStringLiteral("::1"));
        QCOMPARE(ipBytesToText(*ipTextToBytes(QStringLiteral("  10.0.0.1\n"))), QStringLiteral("10.0.0.1"));
    }

    void compressesTheLongestZeroRun()
    {
        // RFC 5952: the longest run of two or more zero groups, the first one on a tie; a single
        // zero group stays "0".
        QCOMPARE(ipBytesToText(QByteArray::fromHex("00010000000000020000000000000003")), QStringLiteral("1:0:0:2::3"));
        QCOMPARE(ipBytesToText(QByteArray::fromHex("00010000000000020000000000030004")), QStringLiteral("1::2:0:0:3:4"));
        QCOMPARE(ipBytesToText(QByteArray::fromHex("00010000000200030004000500060007")), QStringLiteral("1:0:2:3:4:5:6:7"));
        QCOMPARE(ipBytesToText(QByteArray::fromHex("00000000000000000000000000000000")), QStringLiteral("::"));
    }

    void refusesWhatIsNotAnAddress_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *t : {"", " ", "1.2.3", "256.1.1.1", "1.2.3.4.5", "1.2.3.4.", ".1.2.3.4", "1..2.3", "01.2.3.4",
                              "1.2.3.0004", "1.2.3.-4", "1:2", "::1::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
                              "1:2:3:4:5:6:7::8", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "g::1", "::ffff:1.2.3.4",
                              "host.example", "vesta.web.telegram.org", "[::1", "1.2.3.4:443", "１.2.3.4"})
            QTest::addRow("%s", t) << QString::fromUtf8(t);
    }
    void refusesWhatIsNotAnAddress()
    {
        QFETCH(QString, text);
        QVERIFY(!ipTextToBytes(text));
        QVERIFY(!ipTextToBytes(QByteArrayView(text.toUtf8())));
    }

    void formatsOnlyFourOrSixteenBytes()
    {
        QCOMPARE(ipBytesToText(QByteArray()), QString());
        QCOMPARE(ipBytesToText(QByteArray(5, '\1')), QString());
        QCOMPARE(ipBytesToText(QByteArray(15, '\1')), QString());
    }

    void randomBytesRoundTrip()
    {
        QRandomGenerator rng(42);
        for (int i = 0; i < 2000; ++i) {
            QByteArray b(i % 2 ? 16 : 4, Qt::Uninitialized);
            for (char &c : b)
                c = static_cast<char>(rng.bounded(4) == 0 ? 0 : rng.bounded(256));
            const QString text = ipBytesToText(b);
            QCOMPARE(ipTextToBytes(text), std::optional<QByteArray>(b));
            QCOMPARE(isIpv6Text(text), b.size() == 16);
        }
    }
};

QTEST_GUILESS_MAIN(TestIpAddress)
#include "tst_ipaddress.moc"
