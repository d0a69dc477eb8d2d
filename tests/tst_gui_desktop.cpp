// Fitting the desktop: mnemonics that work (no literal "&"), accessible names and descriptions on
// every control, fields a format does not store shown as such (palette colours, not hard-coded
// ones), window and column state kept in QSettings, and secrets on the clipboard through one helper
// (confirmation, password-manager hint, cleared after 30 s).
#include "testutil.h"

#include "accountmodels.h"
#include "accountview.h"
#include "auditdialog.h"
#include "connectdialog.h"
#include "exportdialog.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "overviewpanel.h"
#include "peereditdialog.h"
#include "peerspanel.h"
#include "prunedialog.h"
#include "receivedialog.h"
#include "secretclipboard.h"
#include "senddialog.h"
#include "uifacade.h"
#include "vaultdialog.h"

#include "edit/document.h"
#include "secrets/memorysecretstore.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace sdtest;

namespace {

QStringList unnamedControls(QWidget *root)
{
    QStringList out;
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(root) || w->objectName().startsWith(QLatin1String("qt_")))
            continue;
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w) ||
                             qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QAbstractItemView *>(w);
        if (!control)
            continue;
        // Line edits inside spin/combo boxes are named through their owner.
        if (qobject_cast<QLineEdit *>(w) && (qobject_cast<QAbstractSpinBox *>(w->parentWidget()) || qobject_cast<QComboBox *>(w->parentWidget())))
            continue;
        if (w->accessibleName().isEmpty() || w->accessibleDescription().isEmpty())
            out << QStringLiteral("%1 (%2)").arg(QString::fromLatin1(w->metaObject()->className()), w->objectName());
    }
    return out;
}

} // namespace

class TestGuiDesktop : public QObject {
    Q_OBJECT
    sd::ScriptedUi m_ui;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        sd::UiFacade::install(&m_ui);
    }
    void cleanupTestCase() { sd::UiFacade::install(nullptr); }

    void mnemonicsHaveBuddies()
    {
        sd::ImportDialog import;
        auto *session = [&] {
            for (QLabel *l : import.findChildren<QLabel *>())
                if (l->text() == QLatin1String("&String session:"))
                    return l;
            return static_cast<QLabel *>(nullptr);
        }();
        QVERIFY(session);
        QVERIFY2(session->buddy(), "a label without a buddy shows its & literally");

        auto doc = sd::Document::open(sd::Source::fromPath(dataPath(QStringLiteral("telethon/basic.session"))));
        QVERIFY(doc.ok());
        sd::ExportDialog exp(doc->get(), 0);
        bool found = false;
        for (QLabel *l : exp.findChildren<QLabel *>())
            if (l->text() == QLatin1String("&Destination folder:")) {
                QVERIFY(l->buddy());
                found = true;
            }
        QVERIFY(found);
        // Every label with a mnemonic has a buddy, in both dialogs.
        for (QWidget *root : {static_cast<QWidget *>(&import), static_cast<QWidget *>(&exp)})
            for (QLabel *l : root->findChildren<QLabel *>())
                if (l->text().contains(QLatin1Char('&')) && !l->text().contains(QLatin1String("&&")) && l->textFormat() != Qt::RichText)
                    QVERIFY2(l->buddy(), qPrintable(l->text()));
    }

    void everyControlHasANameAndDescription()
    {
        sd::MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openPaths({dataPath(QStringLiteral("telethon/basic.session"))}) == 1);
        for (int tab = 0; tab < w.accountView()->count(); ++tab) {
            w.accountView()->setCurrentIndex(tab);
            QCoreApplication::processEvents();
            const QStringList missing = unnamedControls(&w);
            QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
        }
        sd::AuditDialog audit({}, &w);
        audit.show();
        QVERIFY(QTest::qWaitForWindowExposed(&audit));
        const QStringList missing = unnamedControls(&audit);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void everyDialogControlHasANameAndDescription()
    {
        sd::MainWindow w; // installs the namer, as the app does
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTemporaryDir tmp;
        sd::MemorySecretStore secrets;
        const QString vaultPath = tmp.filePath(QStringLiteral("vault.sqlite"));
        const QString session = dataPath(QStringLiteral("telethon/basic.session"));
        auto doc = sd::Document::open(sd::Source::fromPath(session));
        QVERIFY(doc.ok());
        std::vector<std::unique_ptr<QWidget>> dialogs;
        dialogs.push_back(std::make_unique<sd::VaultDialog>(&w, vaultPath, &secrets));
        dialogs.push_back(std::make_unique<sd::SendDialog>(vaultPath, secrets, QList<QPair<QString, QString>>{{QStringLiteral("0123456789abcdef"),
                                                                                                              QStringLiteral("alice")}},
                                                           QStringList{QStringLiteral("0123456789abcdef")}, &w));
        dialogs.push_back(std::make_unique<sd::ReceiveDialog>(vaultPath, secrets, &w));
        dialogs.push_back(std::make_unique<sd::ImportDialog>(&w));
        dialogs.push_back(std::make_unique<sd::ExportDialog>(doc->get(), 0, &w));
        dialogs.push_back(std::make_unique<sd::PruneDialog>((*doc)->format(), session, &w));
        dialogs.push_back(std::make_unique<sd::ConnectDialog>(&secrets, &w));
        dialogs.push_back(std::make_unique<sd::PeerEditDialog>(std::nullopt, &w));
        QStringList missing;
        for (const auto &d : dialogs) {
            d->show();
            QVERIFY(QTest::qWaitForWindowExposed(d.get()));
            for (const QString &m : unnamedControls(d.get()))
                missing << QStringLiteral("%1: %2").arg(QString::fromLatin1(d->metaObject()->className()), m);
            d->hide();
        }
        // The overview panel a folder opens with (its numbers are buttons).
        QVERIFY(w.openPaths({dataPath(QStringLiteral("telethon"))}) >= 1);
        QVERIFY(w.overviewPanel()->isVisible());
        QVERIFY(!w.overviewPanel()->findChildren<QPushButton *>().isEmpty());
        for (const QString &m : unnamedControls(w.overviewPanel()))
            missing << QStringLiteral("OverviewPanel: %1").arg(m);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void notStoredIsNotEmpty()
    {
        sd::MainWindow w;
        QVERIFY(w.openPaths({dataPath(QStringLiteral("telethon/basic.session"))}) == 1);
        sd::SessionInfoModel *m = w.accountView()->sessionModel();
        // Telethon v1 keeps no bot flag: "not stored", not an empty value.
        const QModelIndex userId = m->index(sd::SessionInfoModel::IsBot, sd::SessionInfoModel::Value);
        QVERIFY(userId.data(sd::AccountModel::NotStoredRole).toBool());
        QVERIFY2(userId.data().toString().startsWith(QStringLiteral("not stored by ")), qPrintable(userId.data().toString()));
        QVERIFY(!(m->flags(userId) & Qt::ItemIsEditable));
        // DC id is stored: a plain, editable value that looks editable (the palette's Base).
        const QModelIndex dc = m->index(sd::SessionInfoModel::DcId, sd::SessionInfoModel::Value);
        QVERIFY(!dc.data(sd::AccountModel::NotStoredRole).toBool());
        QVERIFY(m->flags(dc) & Qt::ItemIsEditable);
        QCOMPARE(dc.data(Qt::BackgroundRole).value<QBrush>(), QGuiApplication::palette().brush(QPalette::Base));
        // The colours follow the palette (a dark one here), never fixed values.
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(30, 30, 30));
        dark.setColor(QPalette::Window, QColor(45, 45, 45));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
        const QPalette old = QGuiApplication::palette();
        QApplication::setPalette(dark);
        QCOMPARE(userId.data(Qt::ForegroundRole).value<QBrush>().color(), QColor(150, 150, 150));
        QCOMPARE(dc.data(Qt::BackgroundRole).value<QBrush>().color(), QColor(30, 30, 30));
        QApplication::setPalette(old);
    }

    void stateIsRemembered()
    {
        int width = 0;
        {
            sd::MainWindow w;
            w.show();
            QVERIFY(w.openPaths({dataPath(QStringLiteral("telethon/basic.session"))}) == 1);
            QHeaderView *h = w.accountView()->peers()->view()->horizontalHeader();
            width = h->sectionSize(1) + 57;
            h->resizeSection(1, width);
            w.close();
        }
        QCOMPARE(QSettings().value(QStringLiteral("ui/lastFolder")).toString(), QFileInfo(dataPath(QStringLiteral("telethon"))).absoluteFilePath());
        QCOMPARE(sd::UiFacade::lastFolder(), QFileInfo(dataPath(QStringLiteral("telethon"))).absoluteFilePath());
        sd::MainWindow again;
        QCOMPARE(again.accountView()->peers()->view()->horizontalHeader()->sectionSize(1), width);
        QVERIFY(QSettings().contains(QStringLiteral("window/geometry")));
    }

    void secretsOnTheClipboard()
    {
        auto doc = sd::Document::open(sd::Source::fromPath(dataPath(QStringLiteral("telethon/basic.session"))));
        QVERIFY(doc.ok());
        sd::ExportDialog exp(doc->get(), 0);
        auto *string = exp.findChild<QLineEdit *>(QStringLiteral("exportString"));
        auto *copy = exp.findChild<QPushButton *>(QStringLiteral("copyString"));
        QVERIFY(string && copy);
        string->setText(QStringLiteral("1BVtsOKABu0secret"));
        QApplication::clipboard()->setText(QStringLiteral("before"));
        // Declined: the clipboard keeps what it had.
        m_ui.messages.clear();
        m_ui.nextAnswer.enqueue(QMessageBox::Cancel);
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("before"));
        QVERIFY2(m_ui.messages.value(0).contains(QStringLiteral("string session")), qPrintable(m_ui.messages.value(0)));
        // Confirmed: copied with the password-manager hint, and gone 30 s later.
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("1BVtsOKABu0secret"));
        const QMimeData *mime = QApplication::clipboard()->mimeData();
        QVERIFY(mime);
        QCOMPARE(mime->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArray("secret"));
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::clipboard()->text().isEmpty(), sd::SecretClipboard::kClearAfterMs + 5000);
        // Something the user copied since is never cleared by us.
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        copy->click();
        QApplication::clipboard()->setText(QStringLiteral("mine"));
        sd::SecretClipboard::clearNow();
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("mine"));
    }
};

QTEST_MAIN(TestGuiDesktop)
#include "tst_gui_desktop.moc"
