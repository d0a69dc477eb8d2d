// Interop with the real age tool (Debian age 1.1.1): age opens SessionDesk's X25519 and passphrase
// bundles, SessionDesk opens what `age -r` and `age -p` made, payload sizes on the 64 KiB chunk
// edges go both ways, wrong secrets are exit 4, and every flipped byte of a small age-made bundle is
// refused without output. age reads passphrases only from a terminal: a python3 pty drives it, and
// the passphrase reaches that helper on its standard input, never in argv.
#include "bundle/age.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

struct Run {
    int exit = -1;
    QByteArray out, err;
};

Run run(const QString &program, const QStringList &args, const QByteArray &in = {}, int timeoutMs = 120000)
{
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(in);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.exit = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// tests/tools/pty-answer.py runs a program on a pseudo-terminal and answers its passphrase prompts.
const QString kPtyAnswer = QStringLiteral(SD_SOURCE_DIR "/tests/tools/pty-answer.py");

QByteArray pattern(qsizetype n, int seed)
{
    QByteArray b(n, '\0');
    for (qsizetype i = 0; i < n; ++i)
        b[i] = static_cast<char>((i * 7919 + seed * 31 + (i >> 9)) & 0xff);
    return b;
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(data), data.size());
    f.close();
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

class ParsedKeys : public age::KeySource {
public:
    std::vector<age::Identity> ids;
    QByteArray pass;
    Result<std::vector<age::Identity>> identities() override { return ids; }
    Result<SecretBytes> passphrase() override { return SecretBytes::fromByteArray(pass); }
};

QStringList keyIds(const QByteArray &inspectJson)
{
    QStringList out;
    for (const QJsonValue &a : QJsonDocument::fromJson(inspectJson).object().value(QStringLiteral("accounts")).toArray())
        out << a.toObject().value(QStringLiteral("auth_key_id")).toString();
    out.sort();
    return out;
}

} // namespace

class TestInteropAge : public QObject {
    Q_OBJECT

    QString m_age, m_keygen, m_py;
    QTemporaryDir m_dir;
    QString m_keyFile, m_recipient, m_otherKeyFile, m_otherRecipient, m_plainDoc;
    QStringList m_expectedIds;

    QString tmp(const QString &n) const { return m_dir.filePath(n); }
    Run agePty(const QStringList &args, const QByteArray &passphrase)
    {
        return run(m_py, QStringList{kPtyAnswer, m_age} + args, passphrase + '\n');
    }
    std::vector<age::Identity> ids(const QString &file)
    {
        auto parsed = age::parseIdentityFile(readAll(file));
        return parsed ? *parsed : std::vector<age::Identity>{};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_age = QStandardPaths::findExecutable(QStringLiteral("age"));
        m_keygen = QStandardPaths::findExecutable(QStringLiteral("age-keygen"));
        m_py = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (m_age.isEmpty() || m_keygen.isEmpty() || m_py.isEmpty())
            QSKIP("age, age-keygen (Debian package age) or python3 is missing");
        QVERIFY(m_dir.isValid());
        m_keyFile = tmp(QStringLiteral("age.key"));
        m_otherKeyFile = tmp(QStringLiteral("other.key"));
        for (const QString &k : {m_keyFile, m_otherKeyFile})
            QCOMPARE(run(m_keygen, {QStringLiteral("-o"), k}).exit, 0);
        m_recipient = QString::fromLatin1(run(m_keygen, {QStringLiteral("-y"), m_keyFile}).out.trimmed());
        m_otherRecipient = QString::fromLatin1(run(m_keygen, {QStringLiteral("-y"), m_otherKeyFile}).out.trimmed());
        QVERIFY(m_recipient.startsWith(QStringLiteral("age1")));
        // age-keygen's recipient is what SessionDesk derives from the same identity file.
        QCOMPARE(ids(m_keyFile).front().recipient(), m_recipient);
        // A plaintext sessiondesk-json document with two accounts, for age to encrypt.
        m_plainDoc = tmp(QStringLiteral("plain.json"));
        const QString one = tmp(QStringLiteral("one.json"));
        QCOMPARE(runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"),
                         QStringLiteral("sessiondesk-json"), QStringLiteral("-o"), one}).exitCode, 0);
        m_plainDoc = one;
        m_expectedIds = keyIds(runCli({QStringLiteral("inspect"), one, QStringLiteral("--json")}).out);
        QCOMPARE(m_expectedIds.size(), 1);
    }

    void ageOpensOurX25519Bundle()
    {
        const QString bundle = tmp(QStringLiteral("ours-x.age"));
        const CliRun c = runCli({QStringLiteral("bundle"), QStringLiteral("create"), dataPath(QStringLiteral("telethon/basic.session")),
                                 dataPath(QStringLiteral("mtcute/basic.sqlite")), QStringLiteral("-o"), bundle, QStringLiteral("--recipient"), m_recipient,
                                 QStringLiteral("--recipient"), m_otherRecipient});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        for (const QString &key : {m_keyFile, m_otherKeyFile}) {
            const QString plain = tmp(QStringLiteral("age-out.json"));
            QFile::remove(plain);
            const Run d = run(m_age, {QStringLiteral("-d"), QStringLiteral("-i"), key, QStringLiteral("-o"), plain, bundle});
            QVERIFY2(d.exit == 0, d.err.constData());
            const CliRun in = runCli({QStringLiteral("inspect"), plain, QStringLiteral("--json")});
            QCOMPARE(in.json().object().value(QStringLiteral("format")).toString(), QStringLiteral("sessiondesk-json"));
            QCOMPARE(keyIds(in.out), keyIds(runCli({QStringLiteral("inspect"), bundle, QStringLiteral("--identity"), key, QStringLiteral("--json")}).out));
            QCOMPARE(keyIds(in.out).size(), 2);
            QFile::remove(plain);
        }
    }

    void ageOpensOurPassphraseBundle()
    {
        const QString bundle = tmp(QStringLiteral("ours-p.age"));
        const QString pass = tmp(QStringLiteral("pass"));
        writeFile(pass, "a long passphrase with spaces\n");
        const CliRun c = runCli({QStringLiteral("bundle"), QStringLiteral("create"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("-o"), bundle,
                                 QStringLiteral("--passphrase-file"), pass, QStringLiteral("--work-factor"), QStringLiteral("14")});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        const QString plain = tmp(QStringLiteral("age-p-out.json"));
        const Run d = agePty({QStringLiteral("-d"), QStringLiteral("-o"), plain, bundle}, "a long passphrase with spaces");
        QVERIFY2(d.exit == 0, d.err.constData());
        QCOMPARE(keyIds(runCli({QStringLiteral("inspect"), plain, QStringLiteral("--json")}).out), m_expectedIds);
        QFile::remove(plain);
        const Run wrong = agePty({QStringLiteral("-d"), QStringLiteral("-o"), plain, bundle}, "not it");
        QVERIFY(wrong.exit != 0);
        QVERIFY(!QFileInfo::exists(plain) || QFileInfo(plain).size() == 0);
        QFile::remove(plain);
    }

    void weOpenWhatAgeRecipientMade()
    {
        const QString bundle = tmp(QStringLiteral("age-r.age"));
        const Run e = run(m_age, {QStringLiteral("-r"), m_recipient, QStringLiteral("-r"), m_otherRecipient, QStringLiteral("-o"), bundle, m_plainDoc});
        QVERIFY2(e.exit == 0, e.err.constData());
        for (const QString &key : {m_keyFile, m_otherKeyFile}) {
            const CliRun in = runCli({QStringLiteral("inspect"), bundle, QStringLiteral("--identity"), key, QStringLiteral("--json")});
            QVERIFY2(in.exitCode == 0, in.err.constData());
            QCOMPARE(in.json().object().value(QStringLiteral("format")).toString(), QStringLiteral("sessiondesk-bundle"));
            QCOMPARE(keyIds(in.out), m_expectedIds);
        }
        // A recipients file (-R) works the same; an identity it was not made for is exit 4.
        const QString rfile = tmp(QStringLiteral("recipients"));
        writeFile(rfile, m_otherRecipient.toLatin1() + "\n");
        const QString only = tmp(QStringLiteral("age-R.age"));
        QCOMPARE(run(m_age, {QStringLiteral("-R"), rfile, QStringLiteral("-o"), only, m_plainDoc}).exit, 0);
        const CliRun wrong = runCli({QStringLiteral("inspect"), only, QStringLiteral("--identity"), m_keyFile, QStringLiteral("--json")});
        QCOMPARE(wrong.exitCode, 4);
        QVERIFY(wrong.out.isEmpty());
        const QString target = tmp(QStringLiteral("never.session"));
        QCOMPARE(runCli({QStringLiteral("convert"), only, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), target,
                         QStringLiteral("--identity"), m_keyFile}).exitCode, 4);
        QVERIFY(!QFileInfo::exists(target));
    }

    void weOpenWhatAgePassphraseMade()
    {
        const QString bundle = tmp(QStringLiteral("age-p.age"));
        const Run e = agePty({QStringLiteral("-p"), QStringLiteral("-o"), bundle, m_plainDoc}, "correct horse battery staple");
        QVERIFY2(e.exit == 0, e.err.constData());
        QVERIFY(readAll(bundle).contains("\n-> scrypt "));
        const QString pass = tmp(QStringLiteral("pass-age"));
        writeFile(pass, "correct horse battery staple\n");
        const CliRun in = runCli({QStringLiteral("inspect"), bundle, QStringLiteral("--passphrase-file"), pass, QStringLiteral("--json")});
        QVERIFY2(in.exitCode == 0, in.err.constData());
        QCOMPARE(keyIds(in.out), m_expectedIds);
        const CliRun wrong = runCli({QStringLiteral("inspect"), bundle, QStringLiteral("--json")}, {}, 60000,
                                    {QStringLiteral("SESSIONDESK_PASSPHRASE=correct horse battery stapler")});
        QCOMPARE(wrong.exitCode, 4);
        QVERIFY(wrong.out.isEmpty());
    }

    // Raw payloads on the STREAM edges (empty, 64 KiB, 64 KiB + 1, several chunks) both ways.
    void payloadEdgesBothWays_data()
    {
        QTest::addColumn<int>("size");
        for (int n : {0, 1, 65535, 65536, 65537, 131072, 200000})
            QTest::newRow(qPrintable(QString::number(n))) << n;
    }
    void payloadEdgesBothWays()
    {
        QFETCH(int, size);
        const QByteArray data = pattern(size, size % 251);
        const QString in = tmp(QStringLiteral("raw.bin")), enc = tmp(QStringLiteral("raw.age")), out = tmp(QStringLiteral("raw.out"));
        for (const QString &f : {in, enc, out})
            QFile::remove(f);
        writeFile(in, data);
        QCOMPARE(run(m_age, {QStringLiteral("-r"), m_recipient, QStringLiteral("-o"), enc, in}).exit, 0);
        ParsedKeys keys;
        keys.ids = ids(m_keyFile);
        auto plain = age::decrypt(readAll(enc), keys);
        QVERIFY2(plain, qPrintable(plain ? QString() : plain.error().message));
        QCOMPARE(plain->exposeUnsafe(), data);
        age::EncryptOptions eo;
        eo.recipients.push_back(*age::parseRecipient(m_recipient));
        writeFile(enc, *age::encrypt(data, eo));
        const Run d = run(m_age, {QStringLiteral("-d"), QStringLiteral("-i"), m_keyFile, QStringLiteral("-o"), out, enc});
        QVERIFY2(d.exit == 0, d.err.constData());
        QCOMPARE(readAll(out), data);
    }

    // Every byte of a small age-made bundle, flipped: SessionDesk refuses it (3; 4 only inside the
    // recipient stanza, its type name included, where damage and "another recipient" or "a type we
    // do not support" look the same, docs/formats.md 15.2), prints nothing and
    // writes nothing. age itself refuses the same files.
    void everyFlippedByteOfAnAgeBundle()
    {
        // A small document: one account from a string session, no peers.
        QFile lib(dataPath(QStringLiteral("strings/libraries.jsonl")));
        QVERIFY(lib.open(QIODevice::ReadOnly));
        const QJsonObject first = QJsonDocument::fromJson(lib.readLine()).object();
        const QString doc = tmp(QStringLiteral("small.json"));
        QCOMPARE(runCli({QStringLiteral("convert"), QStringLiteral("-"), QStringLiteral("--to"), QStringLiteral("sessiondesk-json"), QStringLiteral("-o"), doc},
                        first.value(QStringLiteral("string")).toString().toLatin1()).exitCode, 0);
        const QString bundle = tmp(QStringLiteral("small.age"));
        QCOMPARE(run(m_age, {QStringLiteral("-r"), m_recipient, QStringLiteral("-o"), bundle, doc}).exit, 0);
        const QByteArray good = readAll(bundle);
        QVERIFY(good.size() < 4096);
        QCOMPARE(runCli({QStringLiteral("inspect"), bundle, QStringLiteral("--identity"), m_keyFile}).exitCode, 0);
        const qsizetype stanzaType = good.indexOf("-> X25519 ") + 3;
        const qsizetype stanzaEnd = good.indexOf("\n---");
        const QString bad = tmp(QStringLiteral("flipped.age"));
        const QString target = tmp(QStringLiteral("flipped-out.session"));
        // Every byte through the library (fast), every 3rd header byte and every 16th payload byte through the CLI.
        ParsedKeys keys;
        keys.ids = ids(m_keyFile);
        for (qsizetype i = 0; i < good.size(); ++i) {
            QByteArray b = good;
            b[i] = static_cast<char>(b[i] ^ 0x04);
            auto r = age::decrypt(b, keys);
            QVERIFY2(!r, qPrintable(QStringLiteral("byte %1 decrypted").arg(i)));
            const bool inStanza = i >= stanzaType && i < stanzaEnd;
            QVERIFY2(r.error().kind == ErrorKind::BadInput || (inStanza && r.error().kind == ErrorKind::Secret),
                     qPrintable(QStringLiteral("byte %1: %2").arg(i).arg(r.error().message)));
        }
        const qsizetype headerEnd = good.indexOf('\n', stanzaEnd + 1) + 1;
        int threes = 0, fours = 0;
        for (qsizetype i = 0; i < good.size(); ++i) {
            if (i % (i < headerEnd ? 3 : 16) != 0 && i != good.size() - 1)
                continue;
            QByteArray b = good;
            b[i] = static_cast<char>(b[i] ^ 0x04);
            QFile::remove(bad);
            writeFile(bad, b);
            const CliRun r = runCli({QStringLiteral("convert"), bad, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), target,
                                     QStringLiteral("--identity"), m_keyFile});
            QVERIFY2(r.out.isEmpty(), qPrintable(QStringLiteral("byte %1 printed something").arg(i)));
            QVERIFY2(!QFileInfo::exists(target), qPrintable(QStringLiteral("byte %1 wrote the target").arg(i)));
            const bool inStanza = i >= stanzaType && i < stanzaEnd;
            if (inStanza && r.exitCode == 4) {
                ++fours;
                continue;
            }
            QVERIFY2(r.exitCode == 3, qPrintable(QStringLiteral("byte %1: exit %2: %3").arg(i).arg(r.exitCode).arg(QString::fromUtf8(r.err))));
            ++threes;
        }
        qInfo("%lld-byte bundle: every byte refused by the library; through the CLI %d refused as corrupt (3), "
              "%d in the recipient stanza as not ours (4)", static_cast<long long>(good.size()), threes, fours);
        QVERIFY(threes > fours);
        // No temporary files left next to the target.
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral(".*sdtmp*")}, QDir::Hidden | QDir::Files).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestInteropAge)
#include "tst_interop_age.moc"
