// The command-line contract of docs/cli.md: format ids, exit codes, JSON, one-line errors.
#include "format/registry.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace sdtest;

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatsListsAllIds()
    {
        const CliRun r = runCli({QStringLiteral("formats"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray a = r.json().array();
        QStringList ids;
        for (const auto &v : a) {
            const QJsonObject o = v.toObject();
            ids << o.value(QStringLiteral("id")).toString();
            QVERIFY(o.value(QStringLiteral("read")).isBool());
            QVERIFY(o.value(QStringLiteral("write")).isBool());
            QVERIFY(o.value(QStringLiteral("carries")).isArray());
        }
        // Every id the command-line contract fixes (docs/cli.md) is listed under its name; the list is
        // the registry's, in its order (a new format registers itself: no list here to extend).
        const QStringList contract = {
            QStringLiteral("telethon-sqlite"), QStringLiteral("telethon2-sqlite"), QStringLiteral("telethon-string"),
            QStringLiteral("pyrogram-sqlite"), QStringLiteral("pyrogram-string"), QStringLiteral("gramjs-string"),
            QStringLiteral("gramjs-store"), QStringLiteral("mtcute-string"), QStringLiteral("mtcute-sqlite"),
            QStringLiteral("mtkruto-string"), QStringLiteral("gotd-json"), QStringLiteral("gogram-string"),
            QStringLiteral("gogram-file"), QStringLiteral("gogram-cache"), QStringLiteral("mtgo-sqlite"),
            QStringLiteral("mtgo-postgres"), QStringLiteral("mtgo-gorm"), QStringLiteral("mtgo-redis"),
            QStringLiteral("ferogram-binary"), QStringLiteral("ferogram-string"), QStringLiteral("ferogram-sqlite"),
            QStringLiteral("gotd-bbolt"), QStringLiteral("tdata"), QStringLiteral("sessiondesk-json"),
            QStringLiteral("sessiondesk-bundle")};
        for (const QString &id : contract)
            QVERIFY2(ids.contains(id), qPrintable(id));
        QStringList registered;
        for (const auto &f : sd::Registry::instance().formats())
            registered << f->id();
        QCOMPARE(ids, registered);
        QCOMPARE(ids.first(), QStringLiteral("telethon-sqlite"));
    }
    void unknownCommandIsUsage()
    {
        const CliRun r = runCli({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(r.err.startsWith("sessiondesk-cli: "));
    }
    void noCommandIsUsage() { QCOMPARE(runCli({}).exitCode, 2); }
    void unknownFlagIsUsage()
    {
        const CliRun r = runCli({QStringLiteral("formats"), QStringLiteral("--bogus")});
        QCOMPARE(r.exitCode, 2);
    }
    void missingFileIsBadInput()
    {
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("/nonexistent/x.session")});
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QVERIFY(r.err.contains("/nonexistent/x.session"));
    }
    void garbageStringIsBadInput()
    {
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("-")}, "hello world, not a session\n");
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.startsWith("sessiondesk-cli: -: "));
    }
    void emptyFileIsBadInput()
    {
        QTemporaryDir d;
        const QString p = d.filePath(QStringLiteral("empty.session"));
        QFile f(p);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const CliRun r = runCli({QStringLiteral("inspect"), p, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.out.isEmpty());
    }
    void convertNeedsTarget()
    {
        QCOMPARE(runCli({QStringLiteral("convert"), QStringLiteral("x")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("convert"), QStringLiteral("x"), QStringLiteral("--to"), QStringLiteral("nope")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
