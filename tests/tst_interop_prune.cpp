// A pruned Telethon file still loads in the real Telethon (python3-telethon): same auth key id, same
// DC, and get_input_entity() works for a peer that was kept (with its access hash).
#include "testutil.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sdtest;

namespace {
// Debian's python3-telethon lives in the system interpreter; a pyenv/venv python3 first in PATH
// may not see it.
QString pythonWithTelethon()
{
    for (const QString &py : {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
        QProcess p;
        p.start(py, {QStringLiteral("-c"), QStringLiteral("import telethon")});
        if (p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return py;
    }
    return QString();
}

void exec(const QString &path, const QStringList &statements)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("interop"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (const QString &s : statements)
            QVERIFY2(q.exec(s), qPrintable(s));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("interop"));
}
} // namespace

class TestInteropPrune : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void prunedFileLoadsInTelethon()
    {
        const QString python = pythonWithTelethon();
        if (python.isEmpty())
            QSKIP("python3 with telethon (python3-telethon) is not installed");
        const QJsonObject expect = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object();
        const QJsonObject keptPeer = expect.value(QStringLiteral("sample")).toArray().at(1).toObject();
        const qint64 keptId = keptPeer.value(QStringLiteral("id")).toInteger();
        const qint64 keptHash = keptPeer.value(QStringLiteral("hash")).toInteger();
        const qint64 goneId = expect.value(QStringLiteral("sample")).toArray().at(0).toObject().value(QStringLiteral("id")).toInteger();

        QTemporaryDir d;
        const QString p = d.filePath(QStringLiteral("acct.session"));
        QVERIFY(QFile::copy(dataPath(QStringLiteral("telethon/basic.session")), p));
        QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        // Everything old except the peer we keep; a self row (Telethon's id=0 hack) that is old too.
        exec(p, {QStringLiteral("UPDATE entities SET date = %1").arg(now - 100 * 86400),
                 QStringLiteral("UPDATE entities SET date = %1 WHERE id = %2").arg(now).arg(keptId),
                 QStringLiteral("INSERT OR REPLACE INTO entities (id, hash, username, phone, name, date) VALUES (0, 424242, NULL, NULL, NULL, %1)").arg(now - 100 * 86400)});

        const CliRun r = runCli({QStringLiteral("prune"), p, QStringLiteral("--older-than"), QStringLiteral("30"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        const qint64 total = expect.value(QStringLiteral("users")).toInteger() + expect.value(QStringLiteral("chats")).toInteger() +
                             expect.value(QStringLiteral("channels")).toInteger();
        QCOMPARE(o.value(QStringLiteral("removed")).toObject().value(QStringLiteral("total")).toInteger(), total - 1);
        QCOMPARE(o.value(QStringLiteral("kept")).toInteger(), qint64(1));

        const QString script = QStringLiteral(
            "import sys, hashlib, json\n"
            "from telethon.sessions import SQLiteSession\n"
            "from telethon import utils\n"
            "s = SQLiteSession(sys.argv[1])\n"
            "out = {'dc': s.dc_id, 'key_id': hashlib.sha1(s.auth_key.key).digest()[12:20].hex()}\n"
            "p = s.get_input_entity(int(sys.argv[2]))\n"
            "out['kept_id'] = utils.get_peer_id(p)\n"
            "out['kept_hash'] = p.access_hash\n"
            "try:\n"
            "    s.get_input_entity(int(sys.argv[3]))\n"
            "    out['gone_found'] = True\n"
            "except ValueError:\n"
            "    out['gone_found'] = False\n"
            "s.close()\n"
            "print(json.dumps(out))\n");
        QProcess py;
        py.start(python, {QStringLiteral("-c"), script, p, QString::number(keptId), QString::number(goneId)});
        QVERIFY(py.waitForFinished(60000));
        const QByteArray outText = py.readAllStandardOutput();
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const QJsonObject t = QJsonDocument::fromJson(outText).object();
        QCOMPARE(t.value(QStringLiteral("dc")).toInt(), expect.value(QStringLiteral("dc")).toInt());
        QCOMPARE(t.value(QStringLiteral("key_id")).toString(), expect.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(t.value(QStringLiteral("kept_id")).toInteger(), keptId);
        QCOMPARE(t.value(QStringLiteral("kept_hash")).toInteger(), keptHash);
        QCOMPARE(t.value(QStringLiteral("gone_found")).toBool(), false);
        // the self row survived the prune
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
            db.setDatabaseName(p);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT hash FROM entities WHERE id = 0")) && q.next());
            QCOMPARE(q.value(0).toLongLong(), qint64(424242));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
    }
};

QTEST_GUILESS_MAIN(TestInteropPrune)
#include "tst_interop_prune.moc"
