// `bundle create` and bundles as a SOURCE of inspect / peers / convert (docs/cli.md "Bundles"),
// with age identity files and passphrases (the machine identity needs a keychain:
// tst_keychain_bundle). Checks exit codes, that nothing is printed or written on a wrong secret
// or a damaged bundle, modes, --force, and that no key byte reaches stdout or the bundle in clear.
#include "bundle/age.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

struct Fixture {
    QString path;
    QString authKeyId;
    QByteArray keyHex;
};

Fixture fixture(const QString &file, const QString &json)
{
    const QJsonObject o = QJsonDocument::fromJson(readAll(dataPath(json))).object();
    return {dataPath(file), o.value(QStringLiteral("authKeyId")).toString(), o.value(QStringLiteral("authKeyHex")).toString().toLatin1()};
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
    f.close();
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QStringList ids(const QJsonArray &accounts)
{
    QStringList out;
    for (const QJsonValue &a : accounts)
        out << a.toObject().value(QStringLiteral("auth_key_id")).toString();
    out.sort();
    return out;
}

QStringList sorted(QStringList l)
{
    l.sort();
    return l;
}

} // namespace

class TestBundleCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_idFile, m_otherIdFile, m_recipient;
    Fixture m_telethon, m_pyrogram;

    QString tmp(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const age::Identity id = age::Identity::generate();
        m_recipient = id.recipient();
        m_idFile = tmp(QStringLiteral("me.key"));
        writeFile(m_idFile, "# test identity\n" + id.encoded().exposeUnsafe() + "\n");
        m_otherIdFile = tmp(QStringLiteral("other.key"));
        writeFile(m_otherIdFile, age::Identity::generate().encoded().exposeUnsafe() + "\n");
        m_telethon = fixture(QStringLiteral("telethon/basic.session"), QStringLiteral("telethon/basic.json"));
        m_pyrogram = fixture(QStringLiteral("pyrogram/pyrogram-v2.session"), QStringLiteral("pyrogram/pyrogram-v2.json"));
        QVERIFY(!m_telethon.authKeyId.isEmpty() && !m_pyrogram.authKeyId.isEmpty());
    }

    void createForRecipientAndReadBack()
    {
        const QString out = tmp(QStringLiteral("two.age"));
        const QByteArray before = fileSha256(m_telethon.path);
        const CliRun r = runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_telethon.path, m_pyrogram.path, QStringLiteral("-o"), out,
                                 QStringLiteral("--recipient"), m_recipient, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(fileMode(out), 0600);
        QCOMPARE(fileSha256(m_telethon.path), before);
        const QJsonObject doc = r.json().object();
        QCOMPARE(doc.value(QStringLiteral("recipients")).toInt(), 1);
        QCOMPARE(ids(doc.value(QStringLiteral("accounts")).toArray()), sorted({m_telethon.authKeyId, m_pyrogram.authKeyId}));
        const QByteArray bundle = readAll(out);
        QVERIFY(bundle.startsWith("age-encryption.org/v1\n-> X25519 "));
        for (const Fixture *f : {&m_telethon, &m_pyrogram}) {
            const QByteArray key = QByteArray::fromHex(f->keyHex);
            QVERIFY(!bundle.contains(key.left(32)));
            QVERIFY(!bundle.contains(key.toBase64().left(40)));
            QVERIFY(!r.out.contains(f->keyHex.left(32)));
        }

        const CliRun in = runCli({QStringLiteral("inspect"), out, QStringLiteral("--identity"), m_idFile, QStringLiteral("--json")});
        QVERIFY2(in.exitCode == 0, in.err.constData());
        const QJsonObject io = in.json().object();
        QCOMPARE(io.value(QStringLiteral("format")).toString(), QStringLiteral("sessiondesk-bundle"));
        QCOMPARE(ids(io.value(QStringLiteral("accounts")).toArray()), sorted({m_telethon.authKeyId, m_pyrogram.authKeyId}));

        // peers reads the same bundle; convert writes a plain session with the same key.
        const CliRun peers = runCli({QStringLiteral("peers"), out, QStringLiteral("--identity"), m_idFile, QStringLiteral("--json")});
        QVERIFY2(peers.exitCode == 0, peers.err.constData());
        QVERIFY(peers.json().array().size() > 0);
        const QString converted = tmp(QStringLiteral("from-bundle.session"));
        const CliRun conv = runCli({QStringLiteral("convert"), out, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), converted,
                                    QStringLiteral("--account"), QStringLiteral("1"), QStringLiteral("--identity"), m_idFile});
        QVERIFY2(conv.exitCode == 0, conv.err.constData());
        const CliRun back = runCli({QStringLiteral("inspect"), converted, QStringLiteral("--json")});
        const QString secondId = io.value(QStringLiteral("accounts")).toArray().at(1).toObject().value(QStringLiteral("auth_key_id")).toString();
        QCOMPARE(back.json().object().value(QStringLiteral("accounts")).toArray().at(0).toObject().value(QStringLiteral("auth_key_id")).toString(), secondId);
    }

    void wrongIdentityIsExit4AndWritesNothing()
    {
        const QString out = tmp(QStringLiteral("w.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_telethon.path, QStringLiteral("-o"), out, QStringLiteral("--recipient"), m_recipient}).exitCode, 0);
        const CliRun in = runCli({QStringLiteral("inspect"), out, QStringLiteral("--identity"), m_otherIdFile, QStringLiteral("--json")});
        QCOMPARE(in.exitCode, 4);
        QVERIFY(in.out.isEmpty());
        QCOMPARE(in.err.count('\n'), 1);
        const QString target = tmp(QStringLiteral("never.session"));
        const CliRun conv = runCli({QStringLiteral("convert"), out, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), target,
                                    QStringLiteral("--identity"), m_otherIdFile});
        QCOMPARE(conv.exitCode, 4);
        QVERIFY(!QFileInfo::exists(target));
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral(".*sdtmp*")}, QDir::Hidden | QDir::Files).size(), 0);
        // A file that is not an identity file: exit 4 too (a secret is not available), naming the file.
        const CliRun bad = runCli({QStringLiteral("inspect"), out, QStringLiteral("--identity"), m_telethon.path});
        QCOMPARE(bad.exitCode, 4);
    }

    void damagedBundleIsExit3()
    {
        const QString out = tmp(QStringLiteral("d.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_telethon.path, QStringLiteral("-o"), out, QStringLiteral("--recipient"), m_recipient}).exitCode, 0);
        const QByteArray good = readAll(out);
        // One byte in the header MAC, the payload nonce, the middle and the last byte; then a truncation.
        const qsizetype mac = good.indexOf("\n--- ") + 6;
        const qsizetype payload = good.indexOf('\n', mac) + 1;
        for (qsizetype pos : {mac, payload, payload + 20, good.size() / 2, good.size() - 1}) {
            QByteArray bad = good;
            bad[pos] = static_cast<char>(bad[pos] ^ 0x20);
            const QString path = tmp(QStringLiteral("bad-%1.age").arg(pos));
            writeFile(path, bad);
            const QString target = tmp(QStringLiteral("bad-%1.session").arg(pos));
            const CliRun conv = runCli({QStringLiteral("convert"), path, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), target,
                                        QStringLiteral("--identity"), m_idFile});
            QVERIFY2(conv.exitCode == 3, qPrintable(QStringLiteral("byte %1: exit %2 %3").arg(pos).arg(conv.exitCode).arg(QString::fromUtf8(conv.err))));
            QVERIFY(conv.out.isEmpty());
            QVERIFY(!QFileInfo::exists(target));
            const CliRun in = runCli({QStringLiteral("inspect"), path, QStringLiteral("--identity"), m_idFile, QStringLiteral("--json")});
            QCOMPARE(in.exitCode, 3);
            QVERIFY(in.out.isEmpty());
        }
        const QString cut = tmp(QStringLiteral("cut.age"));
        writeFile(cut, good.left(good.size() - 10));
        const CliRun in = runCli({QStringLiteral("inspect"), cut, QStringLiteral("--identity"), m_idFile});
        QCOMPARE(in.exitCode, 3);
        QVERIFY(in.out.isEmpty());
    }

    void passphraseBundles()
    {
        const QString out = tmp(QStringLiteral("p.age"));
        const QString pass = tmp(QStringLiteral("pass.txt"));
        writeFile(pass, "tiger lily\n");
        const CliRun c = runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_telethon.path, QStringLiteral("-o"), out, QStringLiteral("--passphrase-file"), pass,
                                 QStringLiteral("--work-factor"), QStringLiteral("12"), QStringLiteral("--json")});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QVERIFY(c.json().object().value(QStringLiteral("passphrase")).toBool());
        QVERIFY(readAll(out).contains("\n-> scrypt "));
        QVERIFY(readAll(out).contains(" 12\n"));
        const CliRun a = runCli({QStringLiteral("inspect"), out, QStringLiteral("--passphrase-file"), pass, QStringLiteral("--json")});
        QVERIFY2(a.exitCode == 0, a.err.constData());
        QCOMPARE(ids(a.json().object().value(QStringLiteral("accounts")).toArray()), QStringList{m_telethon.authKeyId});
        const CliRun env = runCli({QStringLiteral("inspect"), out, QStringLiteral("--json")}, {}, 60000, {QStringLiteral("SESSIONDESK_PASSPHRASE=tiger lily")});
        QVERIFY2(env.exitCode == 0, env.err.constData());
        const CliRun wrong = runCli({QStringLiteral("inspect"), out, QStringLiteral("--json")}, {}, 60000, {QStringLiteral("SESSIONDESK_PASSPHRASE=tiger lilly")});
        QCOMPARE(wrong.exitCode, 4);
        QVERIFY(wrong.out.isEmpty());
        // The passphrase from the environment when creating, too.
        const QString out2 = tmp(QStringLiteral("p2.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_pyrogram.path, QStringLiteral("-o"), out2, QStringLiteral("--work-factor"), QStringLiteral("10")},
                        {}, 60000, {QStringLiteral("SESSIONDESK_PASSPHRASE=sesame")}).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("inspect"), out2}, {}, 60000, {QStringLiteral("SESSIONDESK_PASSPHRASE=sesame")}).exitCode, 0);
    }

    void foldersStringsAndSeveralRecipients()
    {
        QDir(m_dir.path()).mkdir(QStringLiteral("folder"));
        const QString folder = tmp(QStringLiteral("folder"));
        QVERIFY(QFile::copy(m_telethon.path, folder + QStringLiteral("/a.session")));
        QVERIFY(QFile::copy(m_pyrogram.path, folder + QStringLiteral("/b.session")));
        writeFile(folder + QStringLiteral("/README.txt"), "not a session\n");
        // One string session on stdin as well.
        QFile lib(dataPath(QStringLiteral("strings/libraries.jsonl")));
        QVERIFY(lib.open(QIODevice::ReadOnly));
        const QJsonObject first = QJsonDocument::fromJson(lib.readLine()).object();
        const age::Identity second = age::Identity::generate();
        const QString recipients = tmp(QStringLiteral("recipients.txt"));
        writeFile(recipients, "# the other laptop\n" + second.recipient().toLatin1() + "\n");
        const QString out = tmp(QStringLiteral("many.age"));
        const CliRun r = runCli({QStringLiteral("bundle"), QStringLiteral("create"), folder, QStringLiteral("-"), QStringLiteral("-o"), out,
                                 QStringLiteral("--recipient"), m_recipient, QStringLiteral("--recipients-file"), recipients, QStringLiteral("--json")},
                                first.value(QStringLiteral("string")).toString().toLatin1());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject doc = r.json().object();
        QCOMPARE(doc.value(QStringLiteral("recipients")).toInt(), 2);
        QCOMPARE(doc.value(QStringLiteral("skipped")).toArray().size(), 1);
        QCOMPARE(ids(doc.value(QStringLiteral("accounts")).toArray()),
                 sorted({m_telethon.authKeyId, m_pyrogram.authKeyId, first.value(QStringLiteral("authKeyId")).toString()}));
        const QString secondFile = tmp(QStringLiteral("second.key"));
        writeFile(secondFile, second.encoded().exposeUnsafe());
        for (const QString &idFile : {m_idFile, secondFile}) {
            const CliRun in = runCli({QStringLiteral("inspect"), out, QStringLiteral("--identity"), idFile, QStringLiteral("--json")});
            QVERIFY2(in.exitCode == 0, in.err.constData());
            QCOMPARE(in.json().object().value(QStringLiteral("accounts")).toArray().size(), 3);
        }
    }

    void refusalsAndUsage()
    {
        const QString out = tmp(QStringLiteral("exists.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_telethon.path, QStringLiteral("-o"), out, QStringLiteral("--recipient"), m_recipient}).exitCode, 0);
        const QByteArray before = fileSha256(out);
        const CliRun again = runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_pyrogram.path, QStringLiteral("-o"), out, QStringLiteral("--recipient"), m_recipient});
        QCOMPARE(again.exitCode, 5);
        QCOMPARE(fileSha256(out), before);
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_pyrogram.path, QStringLiteral("-o"), out, QStringLiteral("--recipient"), m_recipient,
                         QStringLiteral("--force")}).exitCode, 0);
        QVERIFY(fileSha256(out) != before);
        QCOMPARE(fileMode(out), 0600);
        // Never over an input, even with --force (another spelling of the same path).
        const QString copy = copyTo(m_telethon.path, m_dir.path());
        const QByteArray inputHash = fileSha256(copy);
        const QString spelled = m_dir.path() + QStringLiteral("/./") + QFileInfo(copy).fileName();
        const CliRun self = runCli({QStringLiteral("bundle"), QStringLiteral("create"), copy, QStringLiteral("-o"), spelled, QStringLiteral("--recipient"), m_recipient,
                                    QStringLiteral("--force")});
        QCOMPARE(self.exitCode, 5);
        QCOMPARE(fileSha256(copy), inputHash);
        // Usage errors (exit 2).
        const QString pass = tmp(QStringLiteral("pass2.txt"));
        writeFile(pass, "x");
        const QString o2 = tmp(QStringLiteral("u.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_telethon.path, QStringLiteral("-o"), o2, QStringLiteral("--recipient"), QStringLiteral("age1notarecipient")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_telethon.path, QStringLiteral("-o"), o2, QStringLiteral("--recipient"), m_recipient,
                         QStringLiteral("--passphrase-file"), pass}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), m_telethon.path, QStringLiteral("--recipient"), m_recipient}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), QStringLiteral("-o"), o2, QStringLiteral("--recipient"), m_recipient}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), QStringLiteral("--vault"), QStringLiteral("-o"), o2, QStringLiteral("--recipient"), m_recipient}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("frobnicate")}).exitCode, 2);
        QVERIFY(!QFileInfo::exists(o2));
        // A source that does not exist: exit 3, nothing written.
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), tmp(QStringLiteral("missing.session")), QStringLiteral("-o"), o2,
                         QStringLiteral("--recipient"), m_recipient}).exitCode, 3);
        QVERIFY(!QFileInfo::exists(o2));
    }
};

QTEST_GUILESS_MAIN(TestBundleCli)
#include "tst_bundle_cli.moc"
