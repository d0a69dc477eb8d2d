// host:port text (core/util/hostport.h), the one parser every format that stores addresses as
// text uses (gogram, ferogram, Telethon v2, gotd).
#include "util/hostport.h"

#include <QTest>

using namespace sd;

class TestHostPort : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void required_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("ipv6");
        QTest::newRow("v4") << "149.154.167.51:443" << true << "149.154.167.51" << 443 << false;
        QTest::newRow("v6 bracketed") << "[2001:b28:f23d:f001::a]:80" << true << "2001:b28:f23d:f001::a" << 80 << true;
        QTest::newRow("spaces") << "  1.2.3.4:5 " << true << "1.2.3.4" << 5 << false;
        QTest::newRow("hostname") << "venus.web.telegram.org:443" << true << "venus.web.telegram.org" << 443 << false;
        QTest::newRow("bare v6") << "2001:b28::a" << false << "" << 0 << false;
        QTest::newRow("port too large") << "host:99999" << false << "" << 0 << false;
        QTest::newRow("port zero") << "host:0" << false << "" << 0 << false;
        QTest::newRow("port sign") << "host:+443" << false << "" << 0 << false;
        QTest::newRow("no port") << "1.2.3.4" << false << "" << 0 << false;
        QTest::newRow("empty port") << "1.2.3.4:" << false << "" << 0 << false;
        QTest::newRow("empty host") << ":443" << false << "" << 0 << false;
        QTest::newRow("v6 no port") << "[2001:db8::1]" << false << "" << 0 << false;
        QTest::newRow("v6 junk") << "[2001:db8::1]x443" << false << "" << 0 << false;
        QTest::newRow("empty") << "" << false << "" << 0 << false;
    }
    void required()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        const auto hp = parseHostPort(text);
        QCOMPARE(hp.has_value(), ok);
        if (!ok)
            return;
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(bool, ipv6);
        QCOMPARE(hp->host, host);
        QCOMPARE(hp->port, port);
        QCOMPARE(hp->ipv6, ipv6);
    }
    void optionalPort()
    {
        auto hp = parseHostPort(u"1.2.3.4", PortRule::Optional);
        QVERIFY(hp);
        QCOMPARE(hp->host, QStringLiteral("1.2.3.4"));
        QCOMPARE(hp->port, 0);
        hp = parseHostPort(u"2001:b28::a", PortRule::Optional);
        QVERIFY(hp);
        QCOMPARE(hp->host, QStringLiteral("2001:b28::a"));
        QVERIFY(hp->ipv6);
        QCOMPARE(hp->port, 0);
        hp = parseHostPort(u"[2001:b28::a]", PortRule::Optional);
        QVERIFY(hp);
        QCOMPARE(hp->host, QStringLiteral("2001:b28::a"));
        hp = parseHostPort(u"[2001:b28::a]:443", PortRule::Optional);
        QVERIFY(hp);
        QCOMPARE(hp->port, 443);
        QVERIFY(!parseHostPort(u"host:abc", PortRule::Optional));
        QVERIFY(!parseHostPort(u"", PortRule::Optional));
    }
    void format()
    {
        QCOMPARE(formatHostPort(QStringLiteral("2001:b28::a"), 443), QStringLiteral("[2001:b28::a]:443"));
        QCOMPARE(formatHostPort(QStringLiteral("1.2.3.4"), 443), QStringLiteral("1.2.3.4:443"));
        for (const QString &t : {QStringLiteral("[2001:b28::a]:443"), QStringLiteral("1.2.3.4:80")}) {
            const auto hp = parseHostPort(t);
            QVERIFY(hp);
            QCOMPARE(formatHostPort(hp->host, hp->port), t);
        }
    }
};

QTEST_APPLESS_MAIN(TestHostPort)
#include "tst_hostport.moc"
