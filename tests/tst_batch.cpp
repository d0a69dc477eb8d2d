// Batch convert: a folder in, one output per input (named after it, target extension), a report of
// successes and failures, bad inputs do not stop the batch; exit 0 when all succeed, 3 otherwise.
#include "testutil.h"

#include "domain/secretbytes.h"
#include "format/registry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sdtest;

namespace {

void write(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
    f.close();
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QJsonObject firstCase() { return QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("strings/cases.jsonl"))).split('\n').first()).object(); }

QString keyIdOf(const QString &path)
{
    const CliRun r = runCli({QStringLiteral("inspect"), path, QStringLiteral("--json")});
    return r.json().object().value(QStringLiteral("accounts")).toArray().at(0).toObject().value(QStringLiteral("auth_key_id")).toString();
}

} // namespace

class TestBatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void folderWithOneCorruptInput()
    {
        QTemporaryDir d;
        const QString in = d.filePath(QStringLiteral("in")), out = d.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(in));
        copyTo(dataPath(QStringLiteral("telethon/basic.session")), in);
        copyTo(dataPath(QStringLiteral("mtcute/basic.sqlite")), in);
        const QJsonObject c = firstCase();
        write(in + QStringLiteral("/pasted.txt"), c.value(QStringLiteral("strings")).toObject().value(QStringLiteral("telethon-string")).toString().toLatin1() + "\n");
        // corrupt: an SQLite header followed by garbage
        write(in + QStringLiteral("/broken.session"), QByteArray("SQLite format 3\0", 16) + QByteArray(3000, '\x5a'));
        const QString teleId = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object().value(QStringLiteral("authKeyId")).toString();
        const QString mtcuteId = sd::authKeyId(sd::SecretBytes::fromByteArray(hexToBytes(
            QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("mtcute/basic.json")))).object().value(QStringLiteral("authKeyHex")).toString())));
        const QString strId = c.value(QStringLiteral("authKeyId")).toString();

        const CliRun r = runCli({QStringLiteral("convert"), in, QStringLiteral("--to"), QStringLiteral("sessiondesk-json"), QStringLiteral("-o"), out, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 3);
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("converted")).toInt(), 3);
        QCOMPARE(o.value(QStringLiteral("failed")).toInt(), 1);
        QMap<QString, QJsonObject> byName;
        for (const auto &v : o.value(QStringLiteral("results")).toArray())
            byName.insert(QFileInfo(v.toObject().value(QStringLiteral("source")).toString()).fileName(), v.toObject());
        QCOMPARE(byName.keys(), (QStringList{QStringLiteral("basic.session"), QStringLiteral("basic.sqlite"), QStringLiteral("broken.session"), QStringLiteral("pasted.txt")}));
        const QJsonObject bad = byName.value(QStringLiteral("broken.session"));
        QCOMPARE(bad.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(bad.value(QStringLiteral("exit")).toInt(), 3);
        QVERIFY(!bad.value(QStringLiteral("error")).toString().isEmpty());
        QVERIFY(bad.value(QStringLiteral("output")).isNull());
        // outputs named after the inputs (basic.session and basic.sqlite both want basic.json)
        QCOMPARE(QDir(out).entryList(QDir::Files, QDir::Name), (QStringList{QStringLiteral("basic-2.json"), QStringLiteral("basic.json"), QStringLiteral("pasted.json")}));
        QCOMPARE(byName.value(QStringLiteral("basic.session")).value(QStringLiteral("output")).toString(), QDir(out).filePath(QStringLiteral("basic.json")));
        QCOMPARE(byName.value(QStringLiteral("basic.session")).value(QStringLiteral("format")).toString(), QStringLiteral("telethon-sqlite"));
        QCOMPARE(byName.value(QStringLiteral("pasted.txt")).value(QStringLiteral("format")).toString(), QStringLiteral("telethon-string"));
        for (const QString &f : QDir(out).entryList(QDir::Files))
            QCOMPARE(fileMode(QDir(out).filePath(f)), 0600);
        QCOMPARE(fileMode(out), 0700);
        QCOMPARE(keyIdOf(QDir(out).filePath(QStringLiteral("basic.json"))), teleId);
        QCOMPARE(keyIdOf(QDir(out).filePath(QStringLiteral("basic-2.json"))), mtcuteId);
        QCOMPARE(keyIdOf(QDir(out).filePath(QStringLiteral("pasted.json"))), strId);

        // Again without --force: every good input is refused (exists), still one report, exit 3.
        const QByteArray sha = fileSha256(QDir(out).filePath(QStringLiteral("basic.json")));
        const CliRun again = runCli({QStringLiteral("convert"), in, QStringLiteral("--to"), QStringLiteral("sessiondesk-json"), QStringLiteral("-o"), out, QStringLiteral("--json")});
        QCOMPARE(again.exitCode, 3);
        QCOMPARE(again.json().object().value(QStringLiteral("converted")).toInt(), 0);
        QCOMPARE(again.json().object().value(QStringLiteral("failed")).toInt(), 4);
        for (const auto &v : again.json().object().value(QStringLiteral("results")).toArray())
            if (!v.toObject().value(QStringLiteral("source")).toString().endsWith(QLatin1String("broken.session")))
                QCOMPARE(v.toObject().value(QStringLiteral("exit")).toInt(), 5);
        QCOMPARE(fileSha256(QDir(out).filePath(QStringLiteral("basic.json"))), sha);

        // Without the bad file, with --force, to a string format: all ok, exit 0, human report.
        QVERIFY(QFile::remove(in + QStringLiteral("/broken.session")));
        const QString out2 = d.filePath(QStringLiteral("strings"));
        const CliRun s = runCli({QStringLiteral("convert"), in, QStringLiteral("--to"), QStringLiteral("telethon-string"), QStringLiteral("-o"), out2});
        QVERIFY2(s.exitCode == 0, s.err.constData());
        QVERIFY(s.out.contains("3 converted, 0 failed"));
        QCOMPARE(QDir(out2).entryList(QDir::Files, QDir::Name), (QStringList{QStringLiteral("basic-2.txt"), QStringLiteral("basic.txt"), QStringLiteral("pasted.txt")}));
        QCOMPARE(readAll(QDir(out2).filePath(QStringLiteral("pasted.txt"))).trimmed(),
                 c.value(QStringLiteral("strings")).toObject().value(QStringLiteral("telethon-string")).toString().toLatin1());
        QCOMPARE(keyIdOf(QDir(out2).filePath(QStringLiteral("basic.txt"))), teleId);
        // The inputs were not touched.
        QCOMPARE(fileSha256(in + QStringLiteral("/basic.session")), fileSha256(dataPath(QStringLiteral("telethon/basic.session"))));
    }

    // Outputs take the name each library looks for (the descriptor's usual file name,
    // core/format/descriptor.cpp): gogram's cache is cache_<user id>.db, gotd's pool file
    // <user id>.bbolt; mtcute and mtgo files are named after the input.
    void outputNamesFollowTheTarget_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("gogram-cache") << QStringLiteral("gogram-cache")
                                      << QStringList{QStringLiteral("cache_5000000001.db"), QStringLiteral("cache_705954026.db")};
        QTest::newRow("gotd-bbolt") << QStringLiteral("gotd-bbolt")
                                    << QStringList{QStringLiteral("5000000001.bbolt"), QStringLiteral("705954026.bbolt")};
        QTest::newRow("mtcute-sqlite") << QStringLiteral("mtcute-sqlite")
                                       << QStringList{QStringLiteral("basic.session"), QStringLiteral("pyrofork-v4.session")};
        QTest::newRow("mtgo-sqlite") << QStringLiteral("mtgo-sqlite") << QStringList{QStringLiteral("basic.db"), QStringLiteral("pyrofork-v4.db")};
    }

    void outputNamesFollowTheTarget()
    {
        QFETCH(QString, target);
        QFETCH(QStringList, names);
        QTemporaryDir d;
        const QString in = d.filePath(QStringLiteral("in")), out = d.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(in));
        copyTo(dataPath(QStringLiteral("mtcute/basic.sqlite")), in);          // user 705954026
        copyTo(dataPath(QStringLiteral("pyrogram/pyrofork-v4.session")), in); // user 5000000001
        const CliRun r = runCli({QStringLiteral("convert"), in, QStringLiteral("--to"), target, QStringLiteral("-o"), out, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(QStringLiteral("converted")).toInt(), 2);
        QCOMPARE(QDir(out).entryList(QDir::Files, QDir::Name), names);
        QStringList reported;
        for (const auto &v : r.json().object().value(QStringLiteral("results")).toArray())
            reported << QFileInfo(v.toObject().value(QStringLiteral("output")).toString()).fileName();
        reported.sort();
        QCOMPARE(reported, names);
        for (const QString &name : names) {
            auto f = sd::Registry::instance().detect(sd::Source::fromPath(QDir(out).filePath(name)));
            QVERIFY2(f, qPrintable(name));
            QCOMPARE((*f)->id(), target);
        }
    }

    void usageAndSessionFolders()
    {
        QTemporaryDir d;
        // A folder needs -o.
        QCOMPARE(runCli({QStringLiteral("convert"), d.path(), QStringLiteral("--to"), QStringLiteral("telethon-string")}).exitCode, 2);
        // A tdata folder is one source, not a batch.
        const CliRun t = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("tdata/plain")), QStringLiteral("--to"), QStringLiteral("telethon-string")});
        QVERIFY2(t.exitCode == 0, t.err.constData());
        QVERIFY(t.out.trimmed().startsWith('1'));
        // An empty folder converts nothing and succeeds.
        const QString empty = d.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(empty));
        const CliRun e = runCli({QStringLiteral("convert"), empty, QStringLiteral("--to"), QStringLiteral("sessiondesk-json"), QStringLiteral("-o"), d.filePath(QStringLiteral("o")), QStringLiteral("--json")});
        QCOMPARE(e.exitCode, 0);
        QCOMPARE(e.json().object().value(QStringLiteral("converted")).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBatch)
#include "tst_batch.moc"
