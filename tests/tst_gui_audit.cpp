// The Audit view drives core/audit off the GUI thread and lists its findings.
#include "auditdialog.h"
#include "testutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

using namespace sdtest;

class TestGuiAudit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void findingsAreListed()
    {
        QTemporaryDir dir;
        const QString session = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir.path());
        QFile::setPermissions(session, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
        // The same key as a string in a .env file.
        const CliRun str = runCli({QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("telethon-string")});
        QCOMPARE(str.exitCode, 0);
        QFile env(dir.filePath(QStringLiteral(".env")));
        QVERIFY(env.open(QIODevice::WriteOnly));
        env.write("SESSION=" + str.out.trimmed() + "\n");
        env.close();
        const QString keyId = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object().value(QStringLiteral("authKeyId")).toString();

        sd::AuditDialog dialog({dir.path()});
        QVERIFY(dialog.runAuditNow());
        QCOMPARE(dialog.report().sessions, qint64(2));
        auto *table = dialog.findChild<QTableWidget *>();
        QVERIFY(table);
        QStringList rules;
        int sessionRow = -1;
        for (int r = 0; r < table->rowCount(); ++r) {
            rules << table->item(r, 1)->text();
            if (table->item(r, 1)->text() == QLatin1String("world-readable") && table->item(r, 2)->text() == session)
                sessionRow = r;
            if (table->item(r, 1)->text() == QLatin1String("duplicate-auth-key"))
                QCOMPARE(table->item(r, 3)->text(), keyId);
        }
        QCOMPARE(rules.count(QStringLiteral("duplicate-auth-key")), 2);
        QVERIFY(rules.contains(QStringLiteral("world-readable")));
        QVERIFY(rules.contains(QStringLiteral("string-in-text-file")));

        // Double-clicking a finding asks the window to open that place.
        QSignalSpy open(&dialog, &sd::AuditDialog::openRequested);
        QVERIFY2(sessionRow >= 0, "the 0644 session file is reported world-readable");
        Q_EMIT table->cellDoubleClicked(sessionRow, 0);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().first().toString(), session);
    }
};

QTEST_MAIN(TestGuiAudit)
#include "tst_gui_audit.moc"
