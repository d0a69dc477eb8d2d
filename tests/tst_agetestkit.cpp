// The age specification's test kit (C2SP CCTV, vendored in tests/data/age-testkit/, see its README.md)
// run through core/bundle/age.* (docs/formats.md 15): every X25519, scrypt, STREAM, header MAC and
// header-syntax vector decrypts with the vector's identities/passphrases, and its `expect:` maps to
// SessionDesk's outcome:
//   success          -> the plaintext's SHA-256 is the vector's `payload:`
//   no match         -> ErrorKind::Secret (exit 4): no stanza opens with what the user holds
//   HMAC failure, header failure, payload failure -> ErrorKind::BadInput (exit 3)
// age::decrypt is all-or-nothing (docs/formats.md 15.2: nothing is used before every chunk
// authenticates), so a failing vector releases no plaintext at all; the kit's `payload:` for a
// payload failure (what a streaming reader may have released before the error) has nothing to match.
//
// SessionDesk does not implement age's ASCII armor. The armored vectors are therefore not checked
// against their `expect:`: each one is checked to be refused as damaged input (BadInput, exit 3), which
// is what `inspect` does with an armored bundle.
#include "bundle/age.h"
#include "crypto/crypto.h"
#include "testutil.h"

#include <QDir>
#include <QtTest>

using namespace sd;

namespace {

struct Vector {
    QByteArray expect;
    QByteArray payloadSha256;   // hex
    QList<QByteArray> identities;
    QList<QByteArray> passphrases;
    bool armored = false;
    QByteArray file;            // the age file (decompressed)
};

// zlib stream -> bytes, through Qt's zlib (qUncompress wants a 4-byte big-endian size hint first and
// grows its buffer past the hint).
QByteArray inflateZlib(const QByteArray &z)
{
    QByteArray framed("\x00\x10\x00\x00", 4); // 1 MiB hint
    framed += z;
    return qUncompress(framed);
}

std::optional<Vector> readVector(const QString &path, QString *why)
{
    const QByteArray all = sdtest::readAll(path);
    const qsizetype split = all.indexOf("\n\n");
    if (split < 0) {
        *why = QStringLiteral("no blank line after the header");
        return std::nullopt;
    }
    Vector v;
    bool zlib = false;
    for (const QByteArray &line : all.first(split).split('\n')) {
        const qsizetype colon = line.indexOf(": ");
        if (colon < 0) {
            *why = QStringLiteral("header line without ': '");
            return std::nullopt;
        }
        const QByteArray key = line.first(colon), value = line.mid(colon + 2);
        if (key == "expect")
            v.expect = value;
        else if (key == "payload")
            v.payloadSha256 = value;
        else if (key == "identity")
            v.identities << value;
        else if (key == "passphrase")
            v.passphrases << value;
        else if (key == "armored")
            v.armored = value == "yes";
        else if (key == "compressed")
            zlib = value == "zlib";
        else if (key != "file key" && key != "comment") {
            *why = QStringLiteral("unknown key '%1' (the kit says: ignore the file)").arg(QString::fromLatin1(key));
            return std::nullopt;
        }
    }
    v.file = all.mid(split + 2);
    if (zlib) {
        v.file = inflateZlib(v.file);
        if (v.file.isEmpty()) {
            *why = QStringLiteral("zlib data does not inflate");
            return std::nullopt;
        }
    }
    return v;
}

// Hands out the vector's identities and its first passphrase (the kit lists a second passphrase
// only for scrypt_double, which must fail on its header before any passphrase is tried).
class VectorKeys : public age::KeySource {
public:
    explicit VectorKeys(const Vector &v) : m_v(v) {}
    Result<std::vector<age::Identity>> identities() override
    {
        if (m_v.identities.isEmpty())
            return Error::secret(QStringLiteral("the vector gives no identity"));
        return age::parseIdentityFile(m_v.identities.join('\n'));
    }
    Result<SecretBytes> passphrase() override
    {
        if (m_v.passphrases.isEmpty())
            return Error::secret(QStringLiteral("the vector gives no passphrase"));
        return SecretBytes::fromByteArray(m_v.passphrases.first());
    }

private:
    const Vector &m_v;
};

QString kitDir() { return sdtest::dataPath(QStringLiteral("age-testkit")); }

QStringList vectorNames()
{
    QStringList names = QDir(kitDir()).entryList(QDir::Files, QDir::Name);
    names.removeAll(QStringLiteral("README.md"));
    return names;
}

const char *kindName(ErrorKind k)
{
    switch (k) {
    case ErrorKind::BadInput: return "BadInput (exit 3)";
    case ErrorKind::Secret: return "Secret (exit 4)";
    default: return "another kind";
    }
}

} // namespace

class TestAgeTestkit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The kit is there and covers every part the issue names; a missing folder must not pass as
    // "zero vectors, zero failures".
    void kitIsComplete()
    {
        const QStringList names = vectorNames();
        QVERIFY2(names.size() >= 120, qPrintable(QStringLiteral("%1 vectors in %2").arg(names.size()).arg(kitDir())));
        for (const char *prefix : {"x25519", "scrypt", "stream_", "hmac_", "stanza_", "armor_"}) {
            const auto n = std::count_if(names.cbegin(), names.cend(), [&](const QString &s) { return s.startsWith(QLatin1String(prefix)); });
            QVERIFY2(n >= 5, prefix);
        }
        int success = 0, noMatch = 0, failure = 0;
        for (const QString &name : names) {
            QString why;
            auto v = readVector(kitDir() + QLatin1Char('/') + name, &why);
            QVERIFY2(v, qPrintable(name + QStringLiteral(": ") + why));
            if (v->armored)
                continue;
            success += v->expect == "success";
            noMatch += v->expect == "no match";
            failure += v->expect.endsWith("failure");
        }
        QVERIFY(success >= 15);
        QVERIFY(noMatch >= 5);
        QVERIFY(failure >= 60);
    }

    void vector_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : vectorNames())
            QTest::newRow(qPrintable(name)) << name;
    }
    void vector()
    {
        QFETCH(QString, name);
        QString why;
        auto v = readVector(kitDir() + QLatin1Char('/') + name, &why);
        QVERIFY2(v, qPrintable(why));
        VectorKeys keys(*v);
        auto r = age::decrypt(v->file, keys);

        if (v->armored) {
            // Armor is not supported (see the top of this file): refused as damaged input, never
            // decrypted and never taken for a wrong key.
            QVERIFY2(!r, "an armored file decrypted although SessionDesk has no armor support");
            QVERIFY2(r.error().kind == ErrorKind::BadInput, kindName(r.error().kind));
            return;
        }
        if (v->expect == "success") {
            QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
            QCOMPARE(crypto::sha256(r->exposeUnsafe()).toHex(), v->payloadSha256);
            return;
        }
        QVERIFY2(!r, "decrypted a vector the kit expects to fail");
        const ErrorKind want = v->expect == "no match" ? ErrorKind::Secret : ErrorKind::BadInput;
        QVERIFY2(v->expect == "no match" || v->expect == "HMAC failure" || v->expect == "header failure"
                     || v->expect == "payload failure",
                 v->expect.constData());
        QVERIFY2(r.error().kind == want, qPrintable(QStringLiteral("expect '%1' -> %2, got %3: %4")
                                                          .arg(QString::fromLatin1(v->expect), QLatin1String(kindName(want)),
                                                               QLatin1String(kindName(r.error().kind)), r.error().message)));
    }
};

QTEST_GUILESS_MAIN(TestAgeTestkit)
#include "tst_agetestkit.moc"
