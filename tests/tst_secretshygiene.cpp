// Secrets hygiene: nothing the program writes (stdout/stderr of non-string commands, temp files,
// settings, backups of its own making) contains an auth key in raw, hex or base64 form; every
// file it writes is 0600 and every folder 0700 whatever the umask.
#include "testutil.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <sys/stat.h>

using namespace sdtest;

namespace {

QList<QByteArray> encodings(const QByteArray &key)
{
    QList<QByteArray> out;
    out << key << key.toHex() << key.toHex().toUpper() << key.toBase64()
        << key.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    // Any 32-byte window of the key, hex or base64 (catches partial dumps).
    const QByteArray part = key.mid(100, 32);
    out << part << part.toHex() << part.toBase64().left(40);
    return out;
}

QString leak(const QByteArray &haystack, const QList<QByteArray> &needles)
{
    static const char *names[] = {"raw", "hex", "HEX", "base64", "base64url", "raw part", "hex part", "base64 part"};
    for (int i = 0; i < needles.size(); ++i)
        if (haystack.contains(needles[i]))
            return QString::fromLatin1(names[i]);
    return {};
}

} // namespace

class TestSecretsHygiene : public QObject {
    Q_OBJECT
private:
    QByteArray m_key;
    QString m_fixture;

private Q_SLOTS:
    void initTestCase()
    {
        const QJsonObject meta = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object();
        m_key = hexToBytes(meta.value(QStringLiteral("authKeyHex")).toString());
        QCOMPARE(m_key.size(), 256);
        m_fixture = dataPath(QStringLiteral("telethon/basic.session"));
    }

    void commandOutputHasNoKey()
    {
        QTemporaryDir dir;
        const QString tmp = dir.filePath(QStringLiteral("tmp"));
        const QString config = dir.filePath(QStringLiteral("config"));
        const QString work = dir.filePath(QStringLiteral("work"));
        QDir().mkpath(tmp);
        QDir().mkpath(config);
        QDir().mkpath(work);
        const QString session = copyTo(m_fixture, work);
        const QStringList env = {QStringLiteral("TMPDIR=") + tmp, QStringLiteral("XDG_CONFIG_HOME=") + config,
                                 QStringLiteral("HOME=") + dir.path()};
        const QList<QByteArray> needles = encodings(m_key);
        const QList<QStringList> commands = {
            {QStringLiteral("inspect"), session},
            {QStringLiteral("inspect"), session, QStringLiteral("--json")},
            {QStringLiteral("inspect"), session, QStringLiteral("--json"), QStringLiteral("--load-peers")},
            {QStringLiteral("peers"), session, QStringLiteral("--json")},
            {QStringLiteral("peers"), session, QStringLiteral("--csv")},
            {QStringLiteral("audit"), work, QStringLiteral("--recursive"), QStringLiteral("--json")},
            {QStringLiteral("audit"), work, QStringLiteral("--recursive")},
            {QStringLiteral("prune"), session, QStringLiteral("--older-than"), QStringLiteral("1"), QStringLiteral("--dry-run"), QStringLiteral("--json")},
            {QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("-o"), work + QStringLiteral("/p.session"), QStringLiteral("--user-id"), QStringLiteral("1")},
            {QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("sessiondesk-json"), QStringLiteral("-o"), work + QStringLiteral("/e.json")},
            {QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("mtcute-sqlite"), QStringLiteral("-o"), work + QStringLiteral("/m.sqlite")},
            // A failing conversion must not leak either.
            {QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("sessiondesk-json"), QStringLiteral("-o"), work + QStringLiteral("/e.json")},
        };
        for (const QStringList &args : commands) {
            const CliRun r = runCli(args, {}, 60000, env);
            const QString where = args.join(QLatin1Char(' '));
            QVERIFY2(r.exitCode >= 0, qPrintable(where));
            const QString inOut = leak(r.out, needles);
            QVERIFY2(inOut.isEmpty(), qPrintable(QStringLiteral("%1: %2 key on stdout").arg(where, inOut)));
            const QString inErr = leak(r.err, needles);
            QVERIFY2(inErr.isEmpty(), qPrintable(QStringLiteral("%1: %2 key on stderr").arg(where, inErr)));
        }
        // Nothing left in TMPDIR or the settings folder that holds the key.
        for (const QString &root : {tmp, config}) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString f = it.next();
                const QString l = leak(readAll(f), needles);
                QVERIFY2(l.isEmpty(), qPrintable(QStringLiteral("%1 holds the key (%2)").arg(f, l)));
            }
        }
    }

    void writtenFilesArePrivateWhateverTheUmask()
    {
        QTemporaryDir dir;
        const mode_t old = ::umask(0);
        const auto restore = qScopeGuard([old] { ::umask(old); }); // also when a check fails
        const QStringList targets = {QStringLiteral("telethon-sqlite"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("mtcute-sqlite"),
                                     QStringLiteral("sessiondesk-json"), QStringLiteral("gotd-json"), QStringLiteral("tdata"),
                                     QStringLiteral("gramjs-store"), QStringLiteral("ferogram-binary"), QStringLiteral("gogram-file")};
        for (const QString &t : targets) {
            const QString out = dir.filePath(QStringLiteral("out-") + t);
            const CliRun r = runCli(QStringList{QStringLiteral("convert"), m_fixture, QStringLiteral("--to"), t, QStringLiteral("-o"), out}
                                    + ownerFlagsFor(t, QStringLiteral("123456"), QStringLiteral("1")));
            QVERIFY2(r.exitCode == 0, qPrintable(t + QStringLiteral(": ") + QString::fromUtf8(r.err)));
            QFileInfo fi(out);
            if (fi.isDir()) {
                QCOMPARE(fileMode(out), 0700);
                QDirIterator it(out, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
                while (it.hasNext()) {
                    const QString p = it.next();
                    QCOMPARE(fileMode(p), QFileInfo(p).isDir() ? 0700 : 0600);
                }
            } else {
                QVERIFY2(fileMode(out) == 0600, qPrintable(t));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSecretsHygiene)
#include "tst_secretshygiene.moc"
