// The Vault window as the place where accounts live (issue 16), offscreen with scripted dialogs
// (UiFacade) and an in-memory key store: add to vault with removal of the plaintext source (only
// after the copy is read back and the named files are confirmed), remove, rename, "Send to another
// machine" (recipient and passphrase) and "Receive from another machine" (preview, import).
#include "bundle/vaultbundle.h"
#include "edit/workspace.h"
#include "exportdialog.h"
#include "format/registry.h"
#include "mainwindow.h"
#include "receivedialog.h"
#include "secrets/memorysecretstore.h"
#include "senddialog.h"
#include "testutil.h"
#include "uifacade.h"
#include "vaultdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

const QString kTelethonKeyId = QStringLiteral("91112dd225adaa54");
const QString kPyrogramKeyId = QStringLiteral("2b94646ac5e2a3a2");

class Keys : public age::KeySource {
public:
    std::vector<age::Identity> ids;
    Result<std::vector<age::Identity>> identities() override { return ids; }
    Result<SecretBytes> passphrase() override { return Error::secret(QStringLiteral("none")); }
};

QStringList vaultKeyIds(const QString &path, SecretStore &store)
{
    QStringList out;
    auto v = Vault::open(path, store, false);
    if (!v)
        return out;
    auto accounts = (*v)->list();
    if (!accounts)
        return out;
    for (const VaultAccount &a : *accounts)
        out << a.authKeyId;
    out.sort();
    return out;
}

} // namespace

class TestGuiVault : public QObject {
    Q_OBJECT

    ScriptedUi m_ui;
    QTemporaryDir m_dir;
    QString tmp(const QString &n) const { return m_dir.filePath(n); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the main window's settings
        UiFacade::install(&m_ui);
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { UiFacade::install(nullptr); }

    void addToVaultRemovesTheSourceOnlyAfterVerification()
    {
        MemorySecretStore store;
        const QString vaultPath = tmp(QStringLiteral("add/vault.sqlite"));
        QDir().mkpath(tmp(QStringLiteral("add")));
        VaultDialog dialog(nullptr, vaultPath, &store);
        const QString kept = copyTo(dataPath(QStringLiteral("pyrogram/pyrogram-v2.session")), tmp(QStringLiteral("add")));
        // Without the option nothing is deleted and nothing is asked.
        m_ui.messages.clear();
        QCOMPARE(dialog.addSources({kept}, false), 1);
        QVERIFY(QFileInfo::exists(kept));
        QVERIFY(m_ui.messages.isEmpty());
        // With it: the confirmation names the file; "No" keeps it.
        QDir().mkpath(tmp(QStringLiteral("add/src")));
        const QString src = copyTo(dataPath(QStringLiteral("telethon/basic.session")), tmp(QStringLiteral("add/src")));
        m_ui.nextAnswer.enqueue(QMessageBox::No);
        QCOMPARE(dialog.addSources({src}, true), 1);
        QVERIFY(QFileInfo::exists(src));
        QVERIFY(m_ui.messages.last().contains(src));
        QCOMPARE(vaultKeyIds(vaultPath, store), QStringList({kPyrogramKeyId, kTelethonKeyId}));
        QCOMPARE(dialog.list()->topLevelItemCount(), 2);
        // A second add of the same key is a duplicate; its source is already in the vault, so it
        // may go once confirmed ("Yes").
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        QCOMPARE(dialog.addSources({src}, true), 0);
        QVERIFY(!QFileInfo::exists(src));
        // The vault copy is complete: export it again from the vault and compare keys.
        auto v = Vault::open(vaultPath, store, false);
        QVERIFY(v);
        auto id = (*v)->findByAuthKeyId(kTelethonKeyId);
        QVERIFY(id && !id->isEmpty());
        auto back = (*v)->loadSession(*id);
        QVERIFY(back);
        QCOMPARE(back->primary()->authKeyId(), kTelethonKeyId);
        // A damaged source is reported and never deleted.
        const QString bad = tmp(QStringLiteral("add/src/bad.session"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("SQLite format 3\0garbage", 23);
        f.close();
        m_ui.warnings.clear();
        QCOMPARE(dialog.addSources({bad}, true), -1);
        QVERIFY(QFileInfo::exists(bad));
        QCOMPARE(m_ui.warnings.size(), 1);
    }

    // "Add folder…" with a plain folder of session files (no store folder of its own): every session
    // below it is added (a subfolder too), the checkbox's removal applies to each verified file, and
    // a file that is no session is left alone. A folder with no session is reported, nothing added.
    void addFolderScansAPlainFolderOfSessions()
    {
        MemorySecretStore store;
        const QString root = tmp(QStringLiteral("folder"));
        const QString sessions = root + QStringLiteral("/sessions");
        QDir().mkpath(sessions + QStringLiteral("/more"));
        const QString tele = copyTo(dataPath(QStringLiteral("telethon/basic.session")), sessions);
        const QString pyro = copyTo(dataPath(QStringLiteral("pyrogram/pyrogram-v2.session")), sessions);
        const QString mtcute = copyTo(dataPath(QStringLiteral("mtcute/basic.sqlite")), sessions + QStringLiteral("/more"));
        const QString notes = sessions + QStringLiteral("/notes.txt");
        QFile n(notes);
        QVERIFY(n.open(QIODevice::WriteOnly));
        n.write("not a session\n");
        n.close();
        // auth_key_id = bytes 12..19 of SHA-1(auth key) (tests/data/README.md).
        const QByteArray mtcuteAuthKey = QByteArray::fromHex(QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("mtcute/basic.json"))))
                                                                 .object().value(QStringLiteral("authKeyHex")).toString().toLatin1());
        QCOMPARE(mtcuteAuthKey.size(), 256);
        const QString mtcuteKey = QString::fromLatin1(QCryptographicHash::hash(mtcuteAuthKey, QCryptographicHash::Sha1).mid(12, 8).toHex());

        VaultDialog dialog(nullptr, root + QStringLiteral("/vault.sqlite"), &store);
        // Through the button, as a user: the folder chosen in the folder dialog, removal ticked.
        dialog.setRemoveSourceChecked(true);
        m_ui.nextDirectory.enqueue(sessions);
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        m_ui.warnings.clear();
        m_ui.messages.clear();
        auto *button = dialog.findChild<QPushButton *>(QStringLiteral("vaultAddFolder"));
        QVERIFY(button);
        button->click();
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
        QStringList want{kTelethonKeyId, kPyrogramKeyId, mtcuteKey};
        want.sort();
        QCOMPARE(vaultKeyIds(root + QStringLiteral("/vault.sqlite"), store), want);
        QCOMPARE(dialog.list()->topLevelItemCount(), 3);
        // The confirmation named the three files; they are gone, the folder and the note are not.
        QCOMPARE(m_ui.messages.size(), 1);
        for (const QString &f : {tele, pyro, mtcute}) {
            QVERIFY2(m_ui.messages.last().contains(f), qPrintable(f));
            QVERIFY2(!QFileInfo::exists(f), qPrintable(f));
        }
        QVERIFY(QFileInfo::exists(notes));
        QVERIFY(QFileInfo(sessions + QStringLiteral("/more")).isDir());

        // Nothing left to add: reported, nothing changes, nothing asked.
        m_ui.messages.clear();
        QCOMPARE(dialog.addSources({sessions}, true), -1);
        QCOMPARE(m_ui.warnings.size(), 1);
        QVERIFY(m_ui.warnings.last().contains(QStringLiteral("no session found")));
        QCOMPARE(m_ui.messages.size(), 1); // the warning only
        QCOMPARE(dialog.list()->topLevelItemCount(), 3);
    }

    // "Add open documents": every document open in the window, as shown (an unsaved edit included,
    // every peer although only counts were loaded), a pasted string too. With removal, the plain
    // files go once the confirmation naming them is answered Yes, and their documents can no longer
    // be saved (that would write the plaintext again).
    void addOpenDocuments()
    {
        MemorySecretStore store;
        const QString dir = tmp(QStringLiteral("docs"));
        QDir().mkpath(dir);
        const QString vaultPath = dir + QStringLiteral("/vault.sqlite");
        const QString tele = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir);
        const QString pyro = copyTo(dataPath(QStringLiteral("pyrogram/pyrogram-v2.session")), dir);
        Workspace ws;
        for (const QString &p : {tele, pyro}) {
            auto d = Document::open(Source::fromPath(p));
            QVERIFY2(d, qPrintable(p));
            ws.add(std::move(*d));
        }
        const QJsonObject c = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("strings/cases.jsonl"))).split('\n').first()).object();
        const QByteArray str = c.value(QStringLiteral("strings")).toObject().value(QStringLiteral("telethon-string")).toString().toLatin1();
        const QString stringKey = c.value(QStringLiteral("authKeyId")).toString();
        auto fmt = Registry::instance().detect(Source::fromString(str));
        QVERIFY(fmt);
        auto st = (*fmt)->read(Source::fromString(str), ReadOptions{});
        QVERIFY(st);
        ws.add(Document::fromStore(Source::fromString(str), *fmt, std::move(*st)));
        Document *teleDoc = ws.at(0);
        QVERIFY(teleDoc->account(0)->peerCountsOnly.has_value()); // peers are read from the file on demand
        Session edited = *teleDoc->account(0);
        edited.username = QStringLiteral("edited_in_app");
        QVERIFY(teleDoc->setSession(0, edited)); // in memory only (the window's undo stack marks it modified)

        VaultDialog dialog(nullptr, vaultPath, &store);
        auto *button = dialog.findChild<QPushButton *>(QStringLiteral("vaultAddDocuments"));
        QVERIFY(button);
        QVERIFY(!button->isEnabled()); // no workspace
        dialog.setWorkspace(&ws);
        QVERIFY(button->isEnabled());
        dialog.setRemoveSourceChecked(true);
        m_ui.messages.clear();
        m_ui.warnings.clear();
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        button->click();
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
        QStringList want{kTelethonKeyId, kPyrogramKeyId, stringKey};
        want.sort();
        QCOMPARE(vaultKeyIds(vaultPath, store), want);
        // The confirmation named the two files (the string has none); they are gone, and Save is off.
        QCOMPARE(m_ui.messages.size(), 1);
        QVERIFY(m_ui.messages.last().contains(tele) && m_ui.messages.last().contains(pyro));
        QVERIFY(!QFileInfo::exists(tele) && !QFileInfo::exists(pyro));
        QVERIFY(!ws.at(0)->canSave() && !ws.at(1)->canSave());
        QVERIFY(ws.at(0)->cannotSaveReason().contains(QStringLiteral("vault")));
        // They still show everything (the peers were only counted before: now they are in memory).
        QVERIFY(!teleDoc->account(0)->peerCountsOnly.has_value());
        const qint64 telePeers = teleDoc->peerTotal(0);
        auto table = teleDoc->peerTableFactory(0)();
        QVERIFY2(table, qPrintable(table ? QString() : table.error().message));
        auto whole = teleDoc->fullStore();
        QVERIFY2(whole, qPrintable(whole ? QString() : whole.error().message));
        QCOMPARE(qint64(whole->accounts.at(0).peers.size()), telePeers);
        QCOMPARE(whole->accounts.at(0).username, QStringLiteral("edited_in_app"));
        // The vault copy is the document as shown: the unsaved edit and every peer.
        auto v = Vault::open(vaultPath, store, false);
        QVERIFY(v);
        auto id = (*v)->findByAuthKeyId(kTelethonKeyId);
        QVERIFY(id && !id->isEmpty());
        auto back = (*v)->loadSession(*id);
        QVERIFY(back);
        QCOMPARE(back->username, QStringLiteral("edited_in_app"));
        QCOMPARE(qint64(back->peers.size()), telePeers);
        QVERIFY(telePeers > 0);
        // Again: all duplicates, nothing added, no file left to offer for removal.
        m_ui.messages.clear();
        m_ui.warnings.clear();
        const int again = dialog.addOpenDocuments(true);
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
        QCOMPARE(again, 0);
        QVERIFY2(m_ui.messages.isEmpty(), qPrintable(m_ui.messages.join(QLatin1Char('\n'))));
        // Closing every document turns the button off.
        while (ws.count() > 0)
            ws.remove(0);
        QVERIFY(!button->isEnabled());
    }

    // The main window hands its workspace to the Vault window it opens.
    void mainWindowGivesTheVaultItsDocuments()
    {
        QDir().mkpath(tmp(QStringLiteral("mw")));
        qputenv("SESSIONDESK_VAULT", tmp(QStringLiteral("mw/vault.sqlite")).toLocal8Bit());
        MainWindow w;
        QCOMPARE(w.openPaths({copyTo(dataPath(QStringLiteral("telethon/basic.session")), tmp(QStringLiteral("mw")))}), 1);
        bool seen = false, enabled = false;
        QTimer poll;
        poll.setInterval(20);
        QObject::connect(&poll, &QTimer::timeout, [&] {
            for (QWidget *top : QApplication::topLevelWidgets()) {
                auto *d = qobject_cast<VaultDialog *>(top);
                if (!d || !d->isVisible())
                    continue;
                seen = true;
                enabled = d->findChild<QPushButton *>(QStringLiteral("vaultAddDocuments"))->isEnabled();
                poll.stop();
                d->reject();
            }
        });
        poll.start();
        w.openVault();
        poll.stop();
        qunsetenv("SESSIONDESK_VAULT");
        QVERIFY(seen);
        QVERIFY(enabled);
        QVERIFY(!QFileInfo::exists(tmp(QStringLiteral("mw/vault.sqlite")))); // looking creates nothing
    }

    // "Paste string…": the pasted string (with the blanks a paste brings) goes into the vault; a
    // cancelled paste does nothing; a damaged string is reported and adds nothing.
    void pasteAString()
    {
        MemorySecretStore store;
        QDir().mkpath(tmp(QStringLiteral("paste")));
        const QString vaultPath = tmp(QStringLiteral("paste/vault.sqlite"));
        VaultDialog dialog(nullptr, vaultPath, &store);
        const QJsonObject c = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("strings/cases.jsonl"))).split('\n').first()).object();
        const QByteArray str = c.value(QStringLiteral("strings")).toObject().value(QStringLiteral("pyrogram-string")).toString().toLatin1();
        QVERIFY(!str.isEmpty());
        auto *paste = dialog.findChild<QPushButton *>(QStringLiteral("vaultPaste"));
        QVERIFY(paste);
        m_ui.warnings.clear();
        m_ui.nextPassword.enqueue("  " + str + "\n");
        paste->click();
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
        QCOMPARE(vaultKeyIds(vaultPath, store), QStringList{c.value(QStringLiteral("authKeyId")).toString()});
        QCOMPARE(dialog.list()->topLevelItemCount(), 1);
        paste->click(); // no password queued: the paste dialog was cancelled
        QVERIFY(m_ui.warnings.isEmpty());
        QCOMPARE(dialog.list()->topLevelItemCount(), 1);
        QCOMPARE(dialog.addString(str.left(str.size() - 7)), -1);
        QCOMPARE(m_ui.warnings.size(), 1);
        QCOMPARE(dialog.list()->topLevelItemCount(), 1);
    }

    // "Send to another machine…" with a passphrase: a bundle that opens with that passphrase (and
    // not with another one); an empty passphrase is refused and writes nothing.
    void sendWithAPassphrase()
    {
        MemorySecretStore store;
        QDir().mkpath(tmp(QStringLiteral("sendpass")));
        const QString vaultPath = tmp(QStringLiteral("sendpass/vault.sqlite"));
        VaultDialog vault(nullptr, vaultPath, &store);
        QCOMPARE(vault.addSources({dataPath(QStringLiteral("telethon/basic.session"))}, false), 1);
        const QList<QPair<QString, QString>> accounts{{vault.list()->topLevelItem(0)->data(0, Qt::UserRole).toString(), QStringLiteral("tele")}};
        SendDialog send(vaultPath, store, accounts, {}, nullptr);
        const QString out = tmp(QStringLiteral("sendpass/out.age"));
        send.setOutput(out);
        send.setWorkFactor(10);
        send.setPassphrase(QString());
        QVERIFY(!send.sendNow());
        QVERIFY(!send.lastError().isEmpty());
        QVERIFY(!QFileInfo::exists(out));
        send.setPassphrase(QStringLiteral("correct horse battery"));
        QVERIFY2(send.sendNow(), qPrintable(send.lastError()));
        QCOMPARE(fileMode(out), 0600);
        auto header = age::parseHeader(readAll(out));
        QVERIFY(header && header->isPassphrase());
        QCOMPARE(header->stanzas.front().args.value(1), QByteArray("10"));
        auto right = std::make_shared<bundle::Keys>();
        right->setPassphrase(SecretBytes::fromByteArray("correct horse battery"));
        auto opened = bundle::openBundle(out, right);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        QCOMPARE(opened->accounts.size(), size_t(1));
        QCOMPARE(opened->accounts.front().primary()->authKeyId(), kTelethonKeyId);
        auto wrong = std::make_shared<bundle::Keys>();
        wrong->setPassphrase(SecretBytes::fromByteArray("correct horse battery!"));
        auto refused = bundle::openBundle(out, wrong);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ErrorKind::Secret);
        QCOMPARE(vaultKeyIds(vaultPath, store), QStringList{kTelethonKeyId}); // nothing removed here
    }

    // "Receive": the Copy button puts this machine's recipient on the clipboard.
    void copyRecipientToTheClipboard()
    {
        MemorySecretStore here;
        QDir().mkpath(tmp(QStringLiteral("clip")));
        ReceiveDialog dialog(tmp(QStringLiteral("clip/vault.sqlite")), here, nullptr);
        QClipboard *cb = QApplication::clipboard();
        QVERIFY(cb);
        cb->setText(QStringLiteral("something else"));
        auto *copy = dialog.findChild<QPushButton *>(QStringLiteral("copyRecipient"));
        QVERIFY(copy && copy->isEnabled());
        copy->click();
        QCOMPARE(cb->text(), dialog.recipient());
        QVERIFY(age::parseRecipient(cb->text()));
        auto machine = bundle::findMachineIdentity(here);
        QVERIFY(machine && *machine);
        QCOMPARE(cb->text(), (*machine)->recipient());
    }

    void renameAndRemove()
    {
        MemorySecretStore store;
        const QString vaultPath = tmp(QStringLiteral("rr/vault.sqlite"));
        QDir().mkpath(tmp(QStringLiteral("rr")));
        VaultDialog dialog(nullptr, vaultPath, &store);
        QCOMPARE(dialog.addSources({dataPath(QStringLiteral("telethon/basic.session"))}, false), 1);
        dialog.list()->topLevelItem(0)->setSelected(true);
        QVERIFY(dialog.renameSelected(QStringLiteral("work phone")));
        QCOMPARE(dialog.list()->topLevelItem(0)->text(0), QStringLiteral("work phone"));
        dialog.list()->topLevelItem(0)->setSelected(true);
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        QVERIFY(dialog.removeSelected());
        QCOMPARE(dialog.list()->topLevelItemCount(), 0);
        QVERIFY(vaultKeyIds(vaultPath, store).isEmpty());
    }

    void exportFromTheVaultThroughTheExportDialog()
    {
        MemorySecretStore store;
        const QString vaultPath = tmp(QStringLiteral("export/vault.sqlite"));
        QDir().mkpath(tmp(QStringLiteral("export/out")));
        VaultDialog dialog(nullptr, vaultPath, &store);
        QCOMPARE(dialog.addSources({dataPath(QStringLiteral("telethon/basic.session")), dataPath(QStringLiteral("pyrogram/pyrogram-v2.session"))}, false), 2);
        // Nothing selected (or two): a message, no dialog.
        m_ui.messages.clear();
        dialog.exportSelected();
        QCOMPARE(m_ui.messages.size(), 1);
        QTreeWidgetItem *telethon = nullptr;
        for (int i = 0; i < dialog.list()->topLevelItemCount(); ++i)
            if (dialog.list()->topLevelItem(i)->text(4) == kTelethonKeyId)
                telethon = dialog.list()->topLevelItem(i);
        QVERIFY(telethon);
        telethon->setSelected(true);
        // The export dialog is modal: drive it once it shows, as a user would.
        QStringList written, errors, formatsOffered;
        bool seen = false;
        // Polls until the dialog shows (the vault is read first, behind its own progress loop).
        QTimer poll;
        poll.setInterval(20);
        QObject::connect(&poll, &QTimer::timeout, [&] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                auto *e = qobject_cast<ExportDialog *>(w);
                if (!e || e->objectName() != QLatin1String("vaultExportDialog") || !e->isVisible())
                    continue;
                seen = true;
                e->selectFormats({QStringLiteral("pyrogram-sqlite"), QStringLiteral("gramjs-string")});
                formatsOffered = e->selectedFormats();
                e->setDestination(tmp(QStringLiteral("export/out")), QStringLiteral("from-vault"));
                e->setUserId(QStringLiteral("123456"));
                e->setApiId(QStringLiteral("12345"));
                e->exportNow();
                written = e->writtenPaths();
                errors = e->errors();
                for (const QString &str : e->strings())
                    written << QStringLiteral("string:") + str;
                poll.stop();
                e->reject();
                return;
            }
        });
        poll.start();
        dialog.exportSelected();
        poll.stop();
        QVERIFY(seen);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        QCOMPARE(formatsOffered.size(), 2);
        QCOMPARE(written.size(), 2);
        for (const QString &w : written) {
            const Source src = w.startsWith(QLatin1String("string:")) ? Source::fromString(w.mid(7).toLatin1()) : Source::fromPath(w);
            if (!w.startsWith(QLatin1String("string:")))
                QCOMPARE(fileMode(w), 0600);
            auto fmt = Registry::instance().detect(src);
            QVERIFY2(fmt.ok(), qPrintable(w.left(40)));
            auto st = (*fmt)->read(src, ReadOptions{});
            QVERIFY(st.ok());
            QCOMPARE(st->accounts.at(0).primary()->authKeyId(), kTelethonKeyId);
        }
        // Nothing was written next to the vault but the vault itself.
        QCOMPARE(QDir(tmp(QStringLiteral("export"))).entryList(QDir::Files | QDir::Hidden), QStringList({QStringLiteral("vault.sqlite")}));
    }

    void sendToARecipientAndRemoveHere()
    {
        MemorySecretStore store;
        const QString vaultPath = tmp(QStringLiteral("send/vault.sqlite"));
        QDir().mkpath(tmp(QStringLiteral("send")));
        VaultDialog vault(nullptr, vaultPath, &store);
        QCOMPARE(vault.addSources({dataPath(QStringLiteral("telethon/basic.session")), dataPath(QStringLiteral("pyrogram/pyrogram-v2.session"))}, false), 2);
        QList<QPair<QString, QString>> accounts;
        for (int i = 0; i < vault.list()->topLevelItemCount(); ++i)
            accounts.append({vault.list()->topLevelItem(i)->data(0, Qt::UserRole).toString(), vault.list()->topLevelItem(i)->text(0)});
        const age::Identity other = age::Identity::generate();
        SendDialog send(vaultPath, store, accounts, {}, nullptr);
        QCOMPARE(send.checkedIds().size(), 2);
        // A bad recipient is refused with a message, nothing written.
        send.setRecipients(QStringLiteral("age1nope"));
        const QString out = tmp(QStringLiteral("send/out.age"));
        send.setOutput(out);
        QVERIFY(!send.sendNow());
        QVERIFY(!send.lastError().isEmpty());
        QVERIFY(!QFileInfo::exists(out));
        send.setRecipients(other.recipient());
        // scripts/screenshot-vault.sh runs this test under Xvfb to make the pictures in docs/.
        const QString shots = qEnvironmentVariable("SD_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            send.setOutput(QStringLiteral("/home/me/accounts.age"));
            vault.list()->topLevelItem(0)->setSelected(true);
            Workspace open; // as in the app: documents are open, "Add open documents" is on
            open.add(Document::fromStore(Source::fromPath(QStringLiteral("basic.session")), nullptr, Store{}));
            vault.setWorkspace(&open);
            for (QWidget *w : {static_cast<QWidget *>(&vault), static_cast<QWidget *>(&send)}) {
                w->show();
                QVERIFY(QTest::qWaitForWindowExposed(w));
                QTest::qWait(200);
            }
            QVERIFY(vault.grab().save(shots + QStringLiteral("/vault-window.png"), "PNG"));
            QVERIFY(send.grab().save(shots + QStringLiteral("/send-dialog.png"), "PNG"));
            send.setOutput(out);
        }
        send.setRemoveAfterSave(true);
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        QVERIFY2(send.sendNow(), qPrintable(send.lastError()));
        QCOMPARE(fileMode(out), 0600);
        QCOMPARE(send.removedIds().size(), 2);
        QVERIFY(vaultKeyIds(vaultPath, store).isEmpty());
        auto keys = std::make_shared<Keys>();
        keys->ids = {other};
        auto opened = bundle::openBundle(out, keys);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        QStringList ids;
        for (const Session &s : opened->accounts)
            ids << s.primary()->authKeyId();
        ids.sort();
        QCOMPARE(ids, QStringList({kPyrogramKeyId, kTelethonKeyId}));
    }

    void receiveShowsTheRecipientPreviewsAndImports()
    {
        MemorySecretStore here;
        const QString vaultPath = tmp(QStringLiteral("recv/vault.sqlite"));
        QDir().mkpath(tmp(QStringLiteral("recv")));
        ReceiveDialog dialog(vaultPath, here, nullptr);
        const QString recipient = dialog.recipient();
        QVERIFY(recipient.startsWith(QStringLiteral("age1")));
        auto machine = bundle::findMachineIdentity(here);
        QVERIFY(machine && *machine);
        QCOMPARE((*machine)->recipient(), recipient);

        // The other machine: a vault with two accounts, sent to this recipient.
        MemorySecretStore there;
        const QString otherVault = tmp(QStringLiteral("recv/other.sqlite"));
        VaultDialog sender(nullptr, otherVault, &there);
        QCOMPARE(sender.addSources({dataPath(QStringLiteral("telethon/basic.session")), dataPath(QStringLiteral("pyrogram/pyrogram-v2.session"))}, false), 2);
        QList<QPair<QString, QString>> accounts;
        for (int i = 0; i < sender.list()->topLevelItemCount(); ++i)
            accounts.append({sender.list()->topLevelItem(i)->data(0, Qt::UserRole).toString(), sender.list()->topLevelItem(i)->text(0)});
        SendDialog send(otherVault, there, accounts, {}, nullptr);
        const QString bundlePath = tmp(QStringLiteral("recv/move.age"));
        send.setRecipients(recipient);
        send.setOutput(bundlePath);
        QVERIFY(send.sendNow());

        QVERIFY2(dialog.openBundle(bundlePath), qPrintable(dialog.lastError()));
        QCOMPARE(dialog.preview()->topLevelItemCount(), 2);
        QStringList shown;
        for (int i = 0; i < 2; ++i) {
            QTreeWidgetItem *item = dialog.preview()->topLevelItem(i);
            shown << item->text(1);
            for (int c = 0; c < item->columnCount(); ++c)
                QVERIFY(item->text(c).size() < 64); // ids and numbers, never a key
        }
        shown.sort();
        QCOMPARE(shown, QStringList({kPyrogramKeyId, kTelethonKeyId}));
        // Import only the Telethon account.
        for (int i = 0; i < 2; ++i) {
            QTreeWidgetItem *item = dialog.preview()->topLevelItem(i);
            item->setCheckState(0, item->text(1) == kTelethonKeyId ? Qt::Checked : Qt::Unchecked);
        }
        QCOMPARE(dialog.importChecked(), 1);
        QCOMPARE(vaultKeyIds(vaultPath, here), QStringList{kTelethonKeyId});

        // A passphrase bundle: the passphrase is asked through the facade.
        age::EncryptOptions enc;
        enc.passphrase = SecretBytes::fromByteArray("open sesame");
        enc.workFactor = 10;
        MemorySecretStore third;
        auto v = Vault::open(otherVault, there, false);
        auto listed = (*v)->list();
        QVERIFY(listed && !listed->empty());
        auto st = bundle::loadVaultAccounts(**v, {listed->front().id});
        QVERIFY(st);
        const QString passBundle = tmp(QStringLiteral("recv/pass.age"));
        QVERIFY(bundle::writeBundle(*st, enc, passBundle, false));
        m_ui.nextPassword.enqueue("wrong");
        QVERIFY(!dialog.openBundle(passBundle));
        QCOMPARE(dialog.preview()->topLevelItemCount(), 0);
        m_ui.nextPassword.enqueue("open sesame");
        QVERIFY2(dialog.openBundle(passBundle), qPrintable(dialog.lastError()));
        QCOMPARE(dialog.preview()->topLevelItemCount(), 1);
        // A bundle for another machine cannot be opened here.
        SendDialog elsewhere(otherVault, there, accounts, {}, nullptr);
        const QString foreign = tmp(QStringLiteral("recv/foreign.age"));
        elsewhere.setRecipients(age::Identity::generate().recipient());
        elsewhere.setOutput(foreign);
        QVERIFY(elsewhere.sendNow());
        QVERIFY(!dialog.openBundle(foreign));
        QVERIFY(!dialog.lastError().isEmpty());
    }
};

QTEST_MAIN(TestGuiVault)
#include "tst_gui_vault.moc"
