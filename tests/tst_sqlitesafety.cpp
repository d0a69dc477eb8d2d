// SQLite safety for the Telethon and Pyrogram formats: a file locked by another process (a running
// client) is either read as a consistent snapshot or refused quickly with a message naming the lock;
// nothing hangs; inspect/peers/convert never change the input (sha256); a WAL file with an
// un-checkpointed -wal side file is read completely and left untouched.
#include "format/registry.h"
#include "testutil.h"
#include "sqlite/sqlitedb.h"
#include "tools/sqlitebuild.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace sd;
using sdtest::SqlFile;

namespace {

QString python()
{
    for (const QString &p : {QStringLiteral("/usr/bin/python3"), QStandardPaths::findExecutable(QStringLiteral("python3"))})
        if (!p.isEmpty() && QFileInfo(p).isExecutable())
            return p;
    return {};
}

Session sampleSession(int peers)
{
    Session s;
    s.dcId = 2;
    s.userId = Q_INT64_C(5000000001);
    s.apiId = 111;
    s.testMode = false;
    DcAuth &d = s.upsertDc(2);
    d.address = QStringLiteral("149.154.167.51");
    d.port = 443;
    d.authKey = SecretBytes::fromByteArray(sdtest::testKey(1));
    UpdateState u;
    u.pts = 1;
    u.qts = 2;
    u.date = 1700000000;
    u.seq = 3;
    s.updateState = u;
    for (int i = 0; i < peers; ++i) {
        Peer p;
        p.id = 1000 + i;
        p.type = i % 3 == 0 ? PeerType::Channel : PeerType::User;
        p.accessHash = Q_INT64_C(1000000000000) * (i + 1);
        p.usernames << QStringLiteral("name_%1").arg(i);
        p.updated = 1700000000 + i;
        s.peers.push_back(p);
    }
    return s;
}

QString writeSample(const QString &format, const QString &path, int peers = 30)
{
    Store st;
    st.accounts.push_back(sampleSession(peers));
    auto r = Registry::instance().find(format)->write(st, path, WriteOptions{});
    return r.ok() ? QString() : r.error().message;
}

// Holds a write lock on path from another process until the returned process is killed.
std::unique_ptr<QProcess> holdLock(const QString &path, const QString &statement)
{
    auto p = std::make_unique<QProcess>();
    const QString script = QStringLiteral(
        "import sqlite3, sys, time\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "c.execute(sys.argv[2])\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n");
    p->start(python(), {QStringLiteral("-c"), script, path, statement});
    if (!p->waitForStarted(5000) || !p->waitForReadyRead(10000) || !p->readAllStandardOutput().contains("locked"))
        return nullptr;
    return p;
}

void release(std::unique_ptr<QProcess> &p)
{
    if (!p)
        return;
    p->kill();
    p->waitForFinished(5000);
    p.reset();
}

} // namespace

class TstSqliteSafety : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (python().isEmpty())
            QSKIP("python3 is needed to hold a lock from another process");
    }

    void lockedFileFailsFastOrReadsSnapshot_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("statement");
        QTest::addColumn<bool>("mustFail");
        // A writer mid-transaction leaves a journal: the committed state is read from a private copy.
        QTest::newRow("telethon writing") << QStringLiteral("telethon-sqlite") << QStringLiteral("update entities set name = 'x'") << false;
        QTest::newRow("pyrogram writing") << QStringLiteral("pyrogram-sqlite") << QStringLiteral("update peers set phone_number = '1'") << false;
        // An exclusive lock with nothing to roll back: refused quickly, naming the lock.
        QTest::newRow("telethon exclusive") << QStringLiteral("telethon-sqlite") << QStringLiteral("select 1") << true;
        QTest::newRow("pyrogram exclusive") << QStringLiteral("pyrogram-sqlite") << QStringLiteral("select 1") << true;
    }
    void lockedFileFailsFastOrReadsSnapshot()
    {
        QFETCH(QString, format);
        QFETCH(QString, statement);
        QFETCH(bool, mustFail);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("locked.session"));
        const QString err = writeSample(format, path);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        auto holder = holdLock(path, statement);
        QVERIFY2(holder, "the helper process did not take the lock");
        const QByteArray before = sdtest::fileSha256(path);
        const QList<QStringList> commands{
            {QStringLiteral("inspect"), path, QStringLiteral("--json")},
            {QStringLiteral("peers"), path, QStringLiteral("--search"), QStringLiteral("name_1"), QStringLiteral("--json")},
            {QStringLiteral("convert"), path, QStringLiteral("--to"), QStringLiteral("sessiondesk-json"), QStringLiteral("-o"),
             dir.filePath(QStringLiteral("out.json"))},
        };
        for (const QStringList &cmd : commands) {
            QElapsedTimer t;
            t.start();
            auto r = sdtest::runCli(cmd, {}, 20000);
            const qint64 ms = t.elapsed();
            QVERIFY2(ms < 5000, qPrintable(QStringLiteral("%1 took %2 ms").arg(cmd.first()).arg(ms)));
            QVERIFY2(r.exitCode == 0 || r.exitCode == 3, qPrintable(QStringLiteral("%1 exit %2: %3").arg(cmd.first()).arg(r.exitCode).arg(QString::fromUtf8(r.err))));
            qInfo("%s: exit %d after %lld ms %s", qPrintable(cmd.first()), r.exitCode, ms, r.err.trimmed().constData());
            if (mustFail)
                QCOMPARE(r.exitCode, 3);
            if (r.exitCode == 3)
                QVERIFY2(r.err.contains("locked"), r.err.constData());
            else if (cmd.first() == QLatin1String("inspect")) // a snapshot must be the committed state
                QCOMPARE(r.json().object().value(QStringLiteral("accounts")).toArray().first().toObject()
                             .value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(), 30);
        }
        QCOMPARE(sdtest::fileSha256(path), before);
        release(holder);
        // Once the client is gone the same commands succeed and still leave the file alone.
        QFile::remove(dir.filePath(QStringLiteral("out.json")));
        for (const QStringList &cmd : commands) {
            auto r = sdtest::runCli(cmd);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        // The killed writer's journal rolled back: the committed content is what it was.
        SqlFile f(path);
        QCOMPARE(f.scalar(format == QLatin1String("telethon-sqlite") ? QStringLiteral("select count(*) from entities where name = 'x'")
                                                                       : QStringLiteral("select count(*) from peers where phone_number = '1'")).toInt(), 0);
    }

    void readCommandsNeverChangeInput_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("telethon") << QStringLiteral("telethon-sqlite");
        QTest::newRow("telethon2") << QStringLiteral("telethon2-sqlite");
        QTest::newRow("pyrogram") << QStringLiteral("pyrogram-sqlite");
    }
    void readCommandsNeverChangeInput()
    {
        QFETCH(QString, format);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("in.session"));
        const QString err = writeSample(format, path);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const QFileInfo info(path);
        const QDateTime mtime = info.lastModified();
        const QByteArray before = sdtest::fileSha256(path);
        const QStringList targets{QStringLiteral("telethon-sqlite"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("telethon2-sqlite"),
                                  QStringLiteral("sessiondesk-json")};
        QList<QStringList> commands{{QStringLiteral("inspect"), path},
                                    {QStringLiteral("inspect"), path, QStringLiteral("--json"), QStringLiteral("--load-peers")},
                                    {QStringLiteral("peers"), path, QStringLiteral("--json")},
                                    {QStringLiteral("peers"), path, QStringLiteral("--type"), QStringLiteral("channel"), QStringLiteral("--csv")}};
        for (const QString &t : targets)
            commands << QStringList{QStringLiteral("convert"), path, QStringLiteral("--to"), t, QStringLiteral("-o"), dir.filePath(t + QStringLiteral(".out"))}
                            + sdtest::ownerFlagsFor(t, QStringLiteral("5000000001"), QStringLiteral("111"));
        for (const QStringList &cmd : commands) {
            auto r = sdtest::runCli(cmd);
            QVERIFY2(r.exitCode == 0, qPrintable(cmd.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromUtf8(r.err)));
            QCOMPARE(sdtest::fileSha256(path), before);
        }
        QCOMPARE(QFileInfo(path).lastModified(), mtime);
        // No side files were left next to the input.
        for (const char *suffix : {"-journal", "-wal", "-shm"})
            QVERIFY(!QFileInfo::exists(path + QLatin1String(suffix)));
        // A converted copy is private and reads back with the same key id.
        for (const QString &t : targets) {
            const QString out = dir.filePath(t + QStringLiteral(".out"));
            QCOMPARE(sdtest::fileMode(out), 0600);
        }
        // Converting onto the input itself is refused without --force (exit 5) and changes nothing.
        auto r = sdtest::runCli({QStringLiteral("convert"), path, QStringLiteral("--to"), format, QStringLiteral("-o"), path});
        QCOMPARE(r.exitCode, 5);
        QCOMPARE(sdtest::fileSha256(path), before);
    }

    void walFileReadCompletelyAndUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("wal.session"));
        const QString err = writeSample(QStringLiteral("telethon-sqlite"), path, 10);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        // A client in WAL mode adds 500 entities and dies before any checkpoint.
        const QString script = QStringLiteral(
            "import sqlite3, sys, os\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute('PRAGMA journal_mode=WAL')\n"
            "c.execute('PRAGMA wal_autocheckpoint=0')\n"
            "c.executemany('insert into entities values (?,?,?,?,?,?)', [(900000 + i, i, 'wal_%d' % i, None, None, 1700000000) for i in range(500)])\n"
            "c.execute(\"update update_state set pts = 4242 where id = 0\")\n"
            "c.commit()\n"
            "os._exit(0)\n");
        QProcess p;
        p.start(python(), {QStringLiteral("-c"), script, path});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
        const QByteArray mainBefore = sdtest::fileSha256(path);
        const QByteArray walBefore = sdtest::fileSha256(path + QStringLiteral("-wal"));

        auto r = sdtest::runCli({QStringLiteral("inspect"), path, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject acc = r.json().object().value(QStringLiteral("accounts")).toArray().first().toObject();
        QCOMPARE(acc.value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(), 510);
        QCOMPARE(acc.value(QStringLiteral("update_state")).toObject().value(QStringLiteral("pts")).toInt(), 4242);
        auto peers = sdtest::runCli({QStringLiteral("peers"), path, QStringLiteral("--search"), QStringLiteral("wal_49"), QStringLiteral("--json")});
        QCOMPARE(peers.exitCode, 0);
        QCOMPARE(peers.json().array().size(), 11); // wal_49, wal_490..wal_499
        auto conv = sdtest::runCli({QStringLiteral("convert"), path, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"),
                                    dir.filePath(QStringLiteral("copy.session"))});
        QCOMPARE(conv.exitCode, 0);
        SqlFile copy(dir.filePath(QStringLiteral("copy.session")));
        QCOMPARE(copy.scalar(QStringLiteral("select count(*) from entities where id <> 0")).toInt(), 510);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("copy.session-wal"))));

        QCOMPARE(sdtest::fileSha256(path), mainBefore);
        QCOMPARE(sdtest::fileSha256(path + QStringLiteral("-wal")), walBefore);
    }

    void manyThreadsOpenAndCloseCleanly()
    {
        // The audit's pattern: worker threads opening and closing read-only connections. Every
        // connection leaves Qt's registry when closed; names are reused, never piled up.
        const QString path = sdtest::dataPath(QStringLiteral("telethon/basic.session"));
        std::atomic<int> failures {0};
        std::vector<std::thread> pool;
        for (int t = 0; t < 4; ++t)
            pool.emplace_back([&] {
                for (int i = 0; i < 300; ++i) {
                    auto db = sd::SqliteDb::openReadOnly(path, 250);
                    if (!db || !(*db)->hasTable(QStringLiteral("sessions")))
                        ++failures;
                }
            });
        for (auto &t : pool)
            t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(QSqlDatabase::connectionNames(), QStringList());
        // Held connections have distinct names; their names come back once they close.
        std::vector<std::unique_ptr<sd::SqliteDb>> held;
        for (int i = 0; i < 3; ++i) {
            auto db = sd::SqliteDb::openReadOnly(path, 250);
            QVERIFY(db.ok());
            held.push_back(std::move(*db));
        }
        QCOMPARE(QSqlDatabase::connectionNames().size(), 3);
        held.clear();
        QCOMPARE(QSqlDatabase::connectionNames(), QStringList());
    }
};

QTEST_GUILESS_MAIN(TstSqliteSafety)
#include "tst_sqlitesafety.moc"
