// The Audit dialog acts on its findings: each action is driven as a user would (select the row,
// press the button, answer the confirmation) and the disk is checked afterwards. The vault is a
// real vault file whose keys go to an in-memory keychain (no system keyring needed). Open goes
// through the main window: the session opens there.
#include "auditdialog.h"
#include "mainwindow.h"
#include "testutil.h"
#include "uifacade.h"

#include "domain/secretbytes.h"
#include "edit/document.h"
#include "edit/workspace.h"
#include "format/registry.h"
#include "secrets/memorysecretstore.h"
#include "vault/vault.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>
#include <sys/stat.h>

using namespace sdtest;

namespace {

sd::Session account(const sd::SecretBytes &key) { return sampleAccount(key, 777000321); }

void writeSession(const QString &path, const sd::SecretBytes &key, int mode, qint64 date = 0)
{
    sd::Store st;
    st.formatId = QStringLiteral("telethon-sqlite");
    st.accounts.push_back(account(key));
    if (date > 0) {
        sd::UpdateState u;
        u.pts = 1;
        u.qts = 0;
        u.seq = 1;
        u.date = date;
        st.accounts.back().updateState = u;
    }
    QVERIFY(sd::Registry::instance().find(QStringLiteral("telethon-sqlite"))->write(st, path, sd::WriteOptions{}).ok());
    QVERIFY(::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode)) == 0);
}

void writeText(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
    f.close();
    QVERIFY(::chmod(QFile::encodeName(path).constData(), 0600) == 0);
}

} // namespace

class TestGuiAuditFix : public QObject {
    Q_OBJECT
    sd::ScriptedUi m_ui;
    QTemporaryDir m_tmp;
    QString m_tree;
    QString m_vaultPath;
    sd::MemorySecretStore m_secrets;
    sd::SecretBytes m_dupKey = sd::SecretBytes::random(256);
    sd::SecretBytes m_envKey = sd::SecretBytes::random(256);

    bool vaultHolds(const sd::SecretBytes &key)
    {
        auto v = sd::Vault::open(m_vaultPath, m_secrets, false);
        if (!v)
            return false;
        auto id = (*v)->findByAuthKeyId(sd::authKeyId(key));
        if (!id || id->isEmpty())
            return false;
        auto s = (*v)->loadSession(*id);
        if (!s)
            return false;
        for (const sd::DcAuth &d : s->dcs)
            if (d.authKey == key)
                return true;
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        sd::UiFacade::install(&m_ui);
        m_tree = m_tmp.path() + QStringLiteral("/tree");
        m_vaultPath = m_tmp.path() + QStringLiteral("/vault.sqlite");
        QVERIFY(QDir().mkpath(m_tree));
        writeSession(m_tree + QStringLiteral("/open.session"), sd::SecretBytes::random(256), 0644);
        writeSession(m_tree + QStringLiteral("/a.session"), m_dupKey, 0600);
        writeSession(m_tree + QStringLiteral("/b.session"), m_dupKey, 0600);
        writeSession(m_tree + QStringLiteral("/old.session"), sd::SecretBytes::random(256), 0600, 1600000000);
        auto str = sd::Registry::instance().find(QStringLiteral("telethon-string"))->encodeString(account(m_envKey), sd::WriteOptions{});
        QVERIFY(str.ok());
        writeText(m_tree + QStringLiteral("/.env"), "API_ID=1\nSESSION=" + *str + "\nLOG=debug\n");
    }
    void cleanupTestCase() { sd::UiFacade::install(nullptr); }

    void sortedHighFirstWithDates()
    {
        sd::AuditDialog dialog({m_tree}, nullptr, m_vaultPath, &m_secrets);
        QVERIFY(dialog.runAuditNow());
        QTableWidget *t = dialog.table();
        QVERIFY(t->rowCount() >= 5);
        QCOMPARE(t->item(0, sd::AuditDialog::SeverityCol)->text(), QStringLiteral("high"));
        QCOMPARE(t->item(t->rowCount() - 1, sd::AuditDialog::SeverityCol)->text(), QStringLiteral("low"));
        int last = 3;
        for (int r = 0; r < t->rowCount(); ++r) {
            const QString sev = t->item(r, sd::AuditDialog::SeverityCol)->text();
            const int rank = sev == QLatin1String("high") ? 2 : sev == QLatin1String("medium") ? 1 : 0;
            QVERIFY(rank <= last);
            last = rank;
        }
        // Sorting the other way still sorts by rank, not by name ("high" < "low" < "medium").
        t->sortByColumn(sd::AuditDialog::SeverityCol, Qt::AscendingOrder);
        QCOMPARE(t->item(0, sd::AuditDialog::SeverityCol)->text(), QStringLiteral("low"));
        QCOMPARE(t->item(t->rowCount() - 1, sd::AuditDialog::SeverityCol)->text(), QStringLiteral("high"));

        // Dates are dates: the Last activity column and the details of the stale finding.
        const QString old = m_tree + QStringLiteral("/old.session");
        QVERIFY(dialog.selectFinding(QStringLiteral("stale"), old));
        const int row = t->currentRow();
        QCOMPARE(t->item(row, sd::AuditDialog::ActivityCol)->text(),
                 QLocale().toString(QDateTime::fromSecsSinceEpoch(1600000000), QLocale::ShortFormat));
        const QString details = t->item(row, sd::AuditDialog::MessageCol)->text();
        QVERIFY2(!details.contains(QStringLiteral("1600000000")) && details.contains(QStringLiteral("2020-09-13")), qPrintable(details));
    }

    void restrictPermissionsAsksThenActs()
    {
        const QString file = m_tree + QStringLiteral("/open.session");
        sd::AuditDialog dialog({m_tree}, nullptr, m_vaultPath, &m_secrets);
        QVERIFY(dialog.runAuditNow());
        QVERIFY(dialog.selectFinding(QStringLiteral("world-readable"), file));
        auto *button = dialog.findChild<QPushButton *>(QStringLiteral("restrictPermissions"));
        QVERIFY(button->isEnabled());
        // Declined: nothing changes.
        m_ui.messages.clear();
        m_ui.nextAnswer.enqueue(QMessageBox::Cancel);
        button->click();
        QCOMPARE(fileMode(file), 0644);
        QVERIFY2(m_ui.messages.value(0).contains(QStringLiteral("0644 -> 0600")), qPrintable(m_ui.messages.value(0)));
        // Accepted.
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        button->click();
        QCOMPARE(fileMode(file), 0600);
        // The list was audited again: the finding is gone.
        QVERIFY(!dialog.selectFinding(QStringLiteral("world-readable"), file));
    }

    void stringMovesToVault()
    {
        const QString env = m_tree + QStringLiteral("/.env");
        sd::AuditDialog dialog({m_tree}, nullptr, m_vaultPath, &m_secrets);
        QVERIFY(dialog.runAuditNow());
        QVERIFY(dialog.selectFinding(QStringLiteral("string-in-text-file"), env));
        auto *button = dialog.findChild<QPushButton *>(QStringLiteral("moveToVault"));
        QVERIFY(button->isEnabled());
        m_ui.messages.clear();
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        button->click();
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
        QVERIFY2(m_ui.messages.value(0).contains(QStringLiteral("line 2")), qPrintable(m_ui.messages.value(0)));
        QCOMPARE(readAll(env), QByteArray("API_ID=1\nLOG=debug\n"));
        const QStringList backups = QDir(m_tree).entryList({QStringLiteral(".env.sessiondesk-backup-*")}, QDir::Files | QDir::Hidden);
        QCOMPARE(backups.size(), 1);
        QCOMPARE(fileMode(m_tree + QLatin1Char('/') + backups.front()), 0600);
        QVERIFY(vaultHolds(m_envKey));
        QVERIFY(!dialog.selectFinding(QStringLiteral("string-in-text-file"), env));
    }

    void worldReadableFileMovesToVault()
    {
        // A session file anyone may read: besides restricting it, it can go into the vault (and the
        // plaintext file away once the vault copy checks out).
        const QString dir = m_tmp.path() + QStringLiteral("/exposed");
        QVERIFY(QDir().mkpath(dir));
        const QString file = dir + QStringLiteral("/exposed.session");
        const sd::SecretBytes key = sd::SecretBytes::random(256);
        writeSession(file, key, 0644);
        sd::AuditDialog dialog({dir}, nullptr, m_vaultPath, &m_secrets);
        QVERIFY(dialog.runAuditNow());
        QVERIFY(dialog.selectFinding(QStringLiteral("world-readable"), file));
        auto *button = dialog.findChild<QPushButton *>(QStringLiteral("moveToVault"));
        QVERIFY(button->isEnabled());
        QVERIFY(!vaultHolds(key));
        // Declined: nothing changes.
        m_ui.messages.clear();
        m_ui.nextAnswer.enqueue(QMessageBox::Cancel);
        button->click();
        QVERIFY(QFile::exists(file));
        QVERIFY(!vaultHolds(key));
        // The confirmation names the file and the vault.
        QVERIFY2(m_ui.messages.value(0).contains(file) && m_ui.messages.value(0).contains(m_vaultPath), qPrintable(m_ui.messages.value(0)));
        m_ui.warnings.clear();
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        button->click();
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
        QVERIFY(!QFile::exists(file));
        QVERIFY(vaultHolds(key));
        // Audited again: nothing left in that folder.
        QVERIFY(!dialog.selectFinding(QStringLiteral("world-readable"), file));
        QCOMPARE(static_cast<int>(dialog.report().found.size()), 0);
    }

    void openSessionOpensItInTheMainWindow()
    {
        const QString old = m_tree + QStringLiteral("/old.session");
        sd::MainWindow w;
        bool clicked = false;
        bool stillOpen = true;
        QTimer::singleShot(0, &w, [&] {
            auto *d = w.findChild<sd::AuditDialog *>();
            if (!d)
                return;
            for (QLineEdit *e : d->findChildren<QLineEdit *>())
                if (e->accessibleName() == QLatin1String("Places to scan"))
                    e->setText(m_tree);
            if (!d->runAuditNow() || !d->selectFinding(QStringLiteral("stale"), old))
                return d->reject();
            auto *open = d->findChild<QPushButton *>(QStringLiteral("openSession"));
            clicked = open->isEnabled();
            open->click();
            stillOpen = d->isVisible(); // the main window opened it and closed the dialog
            if (stillOpen)
                d->reject();
        });
        w.action(QStringLiteral("audit"))->trigger();
        QVERIFY(clicked);
        QVERIFY(!stillOpen);
        QCOMPARE(w.workspace()->count(), 1);
        QVERIFY(w.currentDocument());
        QCOMPARE(QFileInfo(w.currentDocument()->source().path).absoluteFilePath(), QFileInfo(old).absoluteFilePath());
        QCOMPARE(w.currentDocument()->accountCount(), 1);
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
    }

    void duplicateShowsEveryPlaceAndKeepsOne()
    {
        const QString a = m_tree + QStringLiteral("/a.session"), b = m_tree + QStringLiteral("/b.session");
        sd::AuditDialog dialog({m_tree}, nullptr, m_vaultPath, &m_secrets);
        QVERIFY(dialog.runAuditNow());
        QVERIFY(dialog.selectFinding(QStringLiteral("duplicate-auth-key"), a));
        QTreeWidget *places = dialog.places();
        QVERIFY(places->isVisibleTo(&dialog));
        QCOMPARE(places->topLevelItemCount(), 2);
        QCOMPARE(places->topLevelItem(0)->text(0), a);
        QCOMPARE(places->topLevelItem(1)->text(0), b);
        // Choose b in the side-by-side list: a goes to the vault.
        places->setCurrentItem(places->topLevelItem(1));
        m_ui.messages.clear();
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        dialog.findChild<QPushButton *>(QStringLiteral("keepOnlyThis"))->click();
        QVERIFY2(m_ui.messages.value(0).contains(a) && m_ui.messages.value(0).contains(QStringLiteral("then delete")), qPrintable(m_ui.messages.value(0)));
        QVERIFY(!QFile::exists(a));
        QVERIFY(QFile::exists(b));
        QVERIFY(vaultHolds(m_dupKey));
        for (int r = 0; r < dialog.table()->rowCount(); ++r)
            QVERIFY(dialog.table()->item(r, sd::AuditDialog::RuleCol)->text() != QLatin1String("duplicate-auth-key"));
    }

    void showInFileManagerAndExport()
    {
        const QString held = m_tmp.path() + QStringLiteral("/exp");
        QVERIFY(QDir().mkpath(held));
        writeSession(held + QStringLiteral("/x,\"y\".session"), sd::SecretBytes::random(256), 0640);
        sd::AuditDialog dialog({held}, nullptr, m_vaultPath, &m_secrets);
        QVERIFY(dialog.runAuditNow());
        QVERIFY(dialog.selectFinding(QStringLiteral("world-readable"), held + QStringLiteral("/x,\"y\".session")));
        m_ui.openedUrls.clear();
        dialog.findChild<QPushButton *>(QStringLiteral("showInFolder"))->click();
        QCOMPARE(m_ui.openedUrls, QList<QUrl>{QUrl::fromLocalFile(held)});

        const QString json = m_tmp.path() + QStringLiteral("/findings.json");
        m_ui.nextSaveName.enqueue(json);
        dialog.findChild<QPushButton *>(QStringLiteral("exportJson"))->click();
        const QJsonObject doc = QJsonDocument::fromJson(readAll(json)).object();
        QCOMPARE(doc.value(QStringLiteral("findings")).toArray().size(), static_cast<qsizetype>(dialog.report().findings.size()));
        QCOMPARE(doc.value(QStringLiteral("findings")).toArray().at(0).toObject().value(QStringLiteral("rule")).toString(), QStringLiteral("world-readable"));
        QCOMPARE(fileMode(json), 0600);

        const QString csv = m_tmp.path() + QStringLiteral("/findings.csv");
        m_ui.nextSaveName.enqueue(csv);
        dialog.findChild<QPushButton *>(QStringLiteral("exportCsv"))->click();
        const QByteArray text = readAll(csv);
        QVERIFY(text.startsWith("severity,rule,path,auth_key_id,last_activity,message\r\n"));
        // The path with a comma and quotes is one quoted field.
        QVERIFY2(text.contains(QByteArray(",\"" + held.toUtf8() + "/x,\"\"y\"\".session\",")), text.constData());
    }
};

QTEST_MAIN(TestGuiAuditFix)
#include "tst_gui_auditfix.moc"
