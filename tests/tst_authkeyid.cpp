#include "domain/secretbytes.h"

#include <QtTest>

using namespace sd;

class TestAuthKeyId : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void vectorFromFormatsMd()
    {
        // docs/formats.md 0.1: auth_key = bytes(0..255) -> key id bytes 32d1586ea457dfc8.
        QByteArray key(256, 0);
        for (int i = 0; i < 256; ++i)
            key[i] = static_cast<char>(i);
        const SecretBytes s = SecretBytes::fromByteArray(key);
        QCOMPARE(authKeyId(s), QStringLiteral("32d1586ea457dfc8"));
        QCOMPARE(authKeyIdInt(s), Q_INT64_C(-3972359982579920590));
    }
    void emptyKeyHasNoId()
    {
        QCOMPARE(authKeyId(SecretBytes()), QString());
        QVERIFY(SecretBytes().isAllZero());
        QVERIFY(SecretBytes::zeroed(256).isAllZero());
        QVERIFY(!SecretBytes::random(256).isAllZero());
    }
    void copiesCompareAndWipe()
    {
        SecretBytes a = SecretBytes::random(32);
        SecretBytes b = a;
        QVERIFY(a == b);
        SecretBytes c = std::move(b);
        QVERIFY(c == a);
        QVERIFY(b.isEmpty());
        c.clear();
        QVERIFY(c.isEmpty());
        QVERIFY(c != a);
    }
};

QTEST_GUILESS_MAIN(TestAuthKeyId)
#include "tst_authkeyid.moc"
