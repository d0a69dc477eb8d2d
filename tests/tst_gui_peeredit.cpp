// Editing every part from the main window: peers deleted (Delete key, undo/redo), added by hand
// (the peer dialog's fields and their validation), the whole cache cleared, DC entries and update
// state edited; each checked after Save by reading the file back. Undo history resets on reload
// (after a save and after a prune through the Prune dialog); a failed undo is reported; a file held
// by a client is read-only (Save off, with the reason) while the lock lasts.
#include "testutil.h"

#include "accountmodels.h"
#include "accountview.h"
#include "documentstatus.h"
#include "mainwindow.h"
#include "peermodel.h"
#include "peereditdialog.h"
#include "peerspanel.h"
#include "prunedialog.h"
#include "uifacade.h"

#include "domain/secretbytes.h"
#include "edit/document.h"
#include "format/registry.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFont>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

using namespace sdtest;

namespace {

constexpr int kPeers = 20;

void writeStore(const QString &path, const QString &formatId, int peers = kPeers)
{
    sd::Store st;
    st.formatId = formatId;
    sd::Session s;
    s.dcId = 2;
    s.testMode = false;
    s.userId = 777000555;
    s.isBot = false;
    s.apiId = 12345;
    sd::DcAuth &d = s.upsertDc(2);
    d.address = QStringLiteral("149.154.167.51");
    d.port = 443;
    d.testMode = false;
    d.authKey = sd::SecretBytes::random(256);
    sd::UpdateState u;
    u.pts = 10;
    u.qts = 0;
    u.date = 1700000000;
    u.seq = 1;
    s.updateState = u;
    for (int i = 1; i <= peers; ++i) {
        sd::Peer p;
        p.id = 1000 + i;
        p.type = sd::PeerType::User;
        p.accessHash = 5000 + i;
        p.usernames = {QStringLiteral("user%1").arg(i)};
        p.updated = 1700000000 + i;
        s.peers.push_back(p);
    }
    st.accounts.push_back(s);
    const auto w = sd::Registry::instance().find(formatId)->write(st, path, sd::WriteOptions{});
    QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message));
}

sd::Session readBack(const QString &path)
{
    auto f = sd::Registry::instance().detect(sd::Source::fromPath(path));
    if (!f)
        return {};
    auto st = (*f)->read(sd::Source::fromPath(path), sd::ReadOptions{});
    if (!st || st->accounts.empty())
        return {};
    return st->accounts.front();
}

// By bare id (the edits here keep one peer per id).
const sd::Peer *findPeerById(const sd::Session &s, qint64 id)
{
    for (const sd::Peer &p : s.peers)
        if (p.id == id)
            return &p;
    return nullptr;
}

} // namespace

class TestGuiPeerEdit : public QObject {
    Q_OBJECT
    sd::ScriptedUi m_ui;
    QTemporaryDir m_tmp;

    sd::PeersPanel *openIn(sd::MainWindow &w, const QString &path)
    {
        if (w.openPaths({path}) != 1)
            return nullptr;
        sd::PeersPanel *panel = w.accountView()->peers();
        if (!QTest::qWaitFor([panel] { return panel->model()->total() == kPeers && panel->model()->isRowLoaded(0); }, 10000))
            return nullptr;
        return panel;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        sd::UiFacade::install(&m_ui);
    }
    void cleanupTestCase() { sd::UiFacade::install(nullptr); }

    void deleteAddEditAndSave()
    {
        const QString path = m_tmp.filePath(QStringLiteral("edit.session"));
        writeStore(path, QStringLiteral("telethon-sqlite"));
        sd::MainWindow w;
        w.show();
        sd::PeersPanel *panel = openIn(w, path);
        QVERIFY(panel);
        sd::Document *doc = w.currentDocument();
        QUndoStack *stack = w.undoStack(doc);
        QTableView *view = panel->view();

        // Delete two peers with the Delete key.
        view->selectRow(0);
        view->selectionModel()->select(panel->model()->index(1, sd::PeerModel::MarkedId), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        const qint64 first = panel->model()->index(0, sd::PeerModel::MarkedId).data(sd::PeerModel::MarkedIdRole).toLongLong();
        const qint64 second = panel->model()->index(1, sd::PeerModel::MarkedId).data(sd::PeerModel::MarkedIdRole).toLongLong();
        // The Delete key is the view's "Delete peers" action (also in its context menu).
        QAction *del = panel->deleteAction();
        QCOMPARE(del->shortcut(), QKeySequence(QKeySequence::Delete));
        QVERIFY(view->actions().contains(del));
        QVERIFY(del->isEnabled());
        del->trigger();
        QCOMPARE(doc->deletedPeerCount(0), 2);
        QVERIFY(panel->model()->index(0, sd::PeerModel::MarkedId).data(sd::PeerModel::DeletedRole).toBool());
        QVERIFY(panel->model()->index(0, sd::PeerModel::MarkedId).data(Qt::FontRole).value<QFont>().strikeOut());
        QVERIFY(doc->isModified());
        // Undo brings them back, redo deletes them again.
        w.action(QStringLiteral("undo"))->trigger();
        QCOMPARE(doc->deletedPeerCount(0), 0);
        QVERIFY(!panel->model()->index(0, sd::PeerModel::MarkedId).data(sd::PeerModel::DeletedRole).toBool());
        w.action(QStringLiteral("redo"))->trigger();
        QCOMPARE(doc->deletedPeerCount(0), 2);
        QVERIFY(doc->isPeerDeleted(0, first) && doc->isPeerDeleted(0, second));

        // Add one peer by hand (a channel), and edit an existing one.
        sd::Peer added;
        added.id = 1777000999;
        added.type = sd::PeerType::Channel;
        added.accessHash = -42;
        added.usernames = {QStringLiteral("addedchan")};
        QVERIFY(panel->addPeer(added));
        QCOMPARE(panel->model()->addedCount(), 1);
        QCOMPARE(panel->model()->rowCount(), kPeers + 1);
        QCOMPARE(panel->model()->index(kPeers, sd::PeerModel::MarkedId).data().toString(), QString::number(added.markedId()));
        QVERIFY(!panel->addPeer(added)); // the same marked id twice is refused
        const auto third = panel->model()->peerAt(2);
        QVERIFY(third);
        sd::Peer changed = *third;
        changed.accessHash = 123456789;
        changed.usernames = {QStringLiteral("renamed")};
        QVERIFY(panel->editPeer(*third, changed));

        // DC entry: address, port, test flag; update state: pts.
        sd::DcAuthModel *dcs = w.accountView()->dcModel();
        QVERIFY(dcs->setData(dcs->index(0, sd::DcAuthModel::Address), QStringLiteral("149.154.167.50")));
        QVERIFY(dcs->setData(dcs->index(0, sd::DcAuthModel::Port), QStringLiteral("8443")));
        QVERIFY(!dcs->setData(dcs->index(0, sd::DcAuthModel::Port), QStringLiteral("70000")));
        // Telethon v1 keeps no test flag: the cell says so and refuses the edit.
        QVERIFY(dcs->index(0, sd::DcAuthModel::TestDc).data(sd::AccountModel::NotStoredRole).toBool());
        QVERIFY(!dcs->setData(dcs->index(0, sd::DcAuthModel::TestDc), Qt::Checked, Qt::CheckStateRole));
        sd::UpdateStateModel *upd = w.accountView()->updateModel();
        QVERIFY(upd->setData(upd->index(sd::UpdateStateModel::Pts, sd::UpdateStateModel::Value), QStringLiteral("4242")));
        QVERIFY(stack->count() >= 6);

        QVERIFY(w.saveCurrent());
        // The history is reset once the document rereads its file.
        QCOMPARE(stack->count(), 0);
        QVERIFY(!doc->isModified());
        QCOMPARE(doc->deletedPeerCount(0), 0);

        const sd::Session s = readBack(path);
        QCOMPARE(static_cast<int>(s.peers.size()), kPeers - 2 + 1);
        QVERIFY(!findPeerById(s, first));
        for (const sd::Peer &p : s.peers)
            QVERIFY(p.markedId() != first && p.markedId() != second);
        const sd::Peer *a = findPeerById(s, added.id);
        QVERIFY(a);
        QCOMPARE(a->kind(), sd::PeerKind::Channel);
        QCOMPARE(a->accessHash, std::optional<qint64>(-42));
        QCOMPARE(a->usernames.value(0), QStringLiteral("addedchan"));
        const sd::Peer *e = findPeerById(s, third->id);
        QVERIFY(e);
        QCOMPARE(e->accessHash, std::optional<qint64>(123456789));
        QCOMPARE(e->usernames.value(0), QStringLiteral("renamed"));
        QCOMPARE(s.dcs.front().address, QStringLiteral("149.154.167.50"));
        QCOMPARE(s.dcs.front().port, 8443);
        QVERIFY(s.updateState);
        QCOMPARE(s.updateState->pts, std::optional<qint64>(4242));
    }

    void dcTestFlag()
    {
        // mtcute keeps a test flag: checked, undone, redone, saved and read back.
        const QString path = m_tmp.filePath(QStringLiteral("flag.sqlite"));
        writeStore(path, QStringLiteral("mtcute-sqlite"), 0);
        sd::MainWindow w;
        QCOMPARE(w.openPaths({path}), 1);
        sd::Document *doc = w.currentDocument();
        sd::DcAuthModel *dcs = w.accountView()->dcModel();
        const QModelIndex flag = dcs->index(0, sd::DcAuthModel::TestDc);
        QCOMPARE(flag.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QVERIFY(dcs->setData(flag, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(doc->account(0)->dcs.front().testMode, std::optional<bool>(true));
        w.action(QStringLiteral("undo"))->trigger();
        QCOMPARE(doc->account(0)->dcs.front().testMode, std::optional<bool>(false));
        w.action(QStringLiteral("redo"))->trigger();
        QVERIFY(dcs->setData(dcs->index(0, sd::DcAuthModel::Address), QStringLiteral("149.154.167.40")));
        QVERIFY(w.saveCurrent());
        const sd::Session s = readBack(path);
        QVERIFY(!s.dcs.empty());
        QCOMPARE(s.dcs.front().address, QStringLiteral("149.154.167.40"));
        QCOMPARE(s.dcs.front().testMode.value_or(s.testMode.value_or(false)), true);
    }

    void conversationsEditedDeletedAndSaved()
    {
        // mtgo keeps conversation states: a step edited, a row deleted with the Delete action,
        // undone and redone, saved, and checked with the sqlite3 shell (the blob stays as it was).
        if (QStandardPaths::findExecutable(QStringLiteral("sqlite3")).isEmpty())
            QSKIP("the sqlite3 shell is not installed (Debian package sqlite3)");
        const QString path = m_tmp.filePath(QStringLiteral("conv.db"));
        QVERIFY(QFile::copy(dataPath(QStringLiteral("mtgo/basic.db")), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        sd::MainWindow w;
        QCOMPARE(w.openPaths({path}), 1);
        sd::Document *doc = w.currentDocument();
        sd::AccountView *view = w.accountView();
        sd::ConversationModel *conv = view->conversationModel();
        QVERIFY(view->isTabVisible(sd::AccountView::ConversationsTab));
        QCOMPARE(conv->rowCount(), 2);
        QVERIFY(conv->editable());
        QVERIFY(!(conv->flags(conv->index(0, sd::ConversationModel::ChatId)) & Qt::ItemIsEditable));
        QVERIFY(conv->flags(conv->index(0, sd::ConversationModel::Step)) & Qt::ItemIsEditable);
        const int signup = conv->index(0, sd::ConversationModel::Name).data().toString() == QLatin1String("signup") ? 0 : 1;
        QVERIFY(conv->setData(conv->index(signup, sd::ConversationModel::Step), QStringLiteral("3")));
        QCOMPARE(doc->account(0)->conversations[size_t(signup)].step, QStringLiteral("3"));
        // An empty name is refused with a message, nothing changes.
        QSignalSpy rejected(conv, &sd::ConversationModel::editRejected);
        QVERIFY(!conv->setData(conv->index(signup, sd::ConversationModel::Name), QStringLiteral("  ")));
        QCOMPARE(rejected.size(), 1);
        // Delete the other row through the view's selection.
        view->setCurrentIndex(sd::AccountView::ConversationsTab);
        view->conversationView()->selectRow(1 - signup);
        QVERIFY(view->deleteSelectedConversations());
        QCOMPARE(conv->rowCount(), 1);
        w.action(QStringLiteral("undo"))->trigger();
        QCOMPARE(conv->rowCount(), 2);
        w.action(QStringLiteral("redo"))->trigger();
        QCOMPARE(conv->rowCount(), 1);
        QVERIFY(doc->isModified());
        QVERIFY(w.saveCurrent());
        QProcess p;
        p.start(QStringLiteral("sqlite3"), {path, QStringLiteral("SELECT name, step, hex(data) FROM conversations ORDER BY chat_id")});
        QVERIFY(p.waitForFinished(10000));
        const QByteArray rows = p.readAllStandardOutput();
        QVERIFY2(rows.startsWith("signup|3|") && rows.count('\n') == 1, rows.constData());
        QCOMPARE(QByteArray(rows.trimmed().split('|').last()).size(), 4); // the 2-byte blob, unchanged
    }

    void clearWholeCacheAndFailedUndo()
    {
        const QString path = m_tmp.filePath(QStringLiteral("clear.session"));
        writeStore(path, QStringLiteral("telethon-sqlite"));
        sd::MainWindow w;
        sd::PeersPanel *panel = openIn(w, path);
        QVERIFY(panel);
        sd::Document *doc = w.currentDocument();

        // Declined: nothing happens.
        m_ui.nextAnswer.enqueue(QMessageBox::Cancel);
        QVERIFY(!panel->clearCache());
        QVERIFY(!doc->peersCleared(0));
        m_ui.nextAnswer.enqueue(QMessageBox::Yes);
        QVERIFY(panel->clearCache());
        QVERIFY(doc->peersCleared(0));
        QVERIFY(panel->model()->index(5, sd::PeerModel::MarkedId).data(sd::PeerModel::DeletedRole).toBool());
        w.action(QStringLiteral("undo"))->trigger();
        QVERIFY(!doc->peersCleared(0));
        w.action(QStringLiteral("redo"))->trigger();
        QVERIFY(doc->peersCleared(0));

        // An undo that cannot be done (the added peer went away behind the stack's back) is reported.
        sd::Peer p;
        p.id = 99;
        p.type = sd::PeerType::User;
        QVERIFY(panel->addPeer(p));
        QVERIFY(doc->removeAddedPeer(0, p.markedId()).ok());
        m_ui.warnings.clear();
        w.action(QStringLiteral("undo"))->trigger();
        QCOMPARE(m_ui.warnings.size(), 1);
        QVERIFY2(m_ui.warnings.front().contains(QStringLiteral("Undo of")), qPrintable(m_ui.warnings.front()));

        QVERIFY(w.saveCurrent());
        const sd::Session s = readBack(path);
        QVERIFY(s.dcs.size() == 1 && !s.dcs.front().authKey.isAllZero()); // the login stays
        QCOMPARE(static_cast<int>(s.peers.size()), 0);
    }

    void peerDialogFieldsMakeThePeer()
    {
        // Adding: the dialog starts invalid (no id) and says why; OK stays off until it is valid.
        sd::PeerEditDialog add(std::nullopt);
        QPushButton *ok = add.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        auto *error = add.findChild<QLabel *>(QStringLiteral("peerError"));
        QVERIFY(ok && error);
        QVERIFY(!ok->isEnabled());
        QVERIFY2(error->text().contains(QLatin1String("id")), qPrintable(error->text()));
        QVERIFY(!add.idEdit()->isReadOnly() && add.typeBox()->isEnabled());
        QTest::keyClicks(add.idEdit(), QStringLiteral("1777000123"));
        add.typeBox()->setCurrentIndex(add.typeBox()->findData(static_cast<int>(sd::PeerType::Supergroup)));
        QTest::keyClicks(add.hashEdit(), QStringLiteral("-9223372036854775808"));
        QTest::keyClicks(add.usernameEdit(), QStringLiteral("@Some_Group1"));
        QVERIFY(ok->isEnabled());
        QCOMPARE(error->text(), QString());
        const auto p = add.peer();
        QVERIFY(p);
        QCOMPARE(p->id, qint64(1777000123));
        QCOMPARE(p->type, sd::PeerType::Supergroup);
        QCOMPARE(p->kind(), sd::PeerKind::Channel);
        QCOMPARE(p->markedId(), -1000000000000LL - 1777000123LL);
        QCOMPARE(p->accessHash, std::optional<qint64>(std::numeric_limits<qint64>::min()));
        QCOMPARE(p->usernames, QStringList{QStringLiteral("Some_Group1")}); // the @ is not part of it

        // Each bad field turns OK off and names the field; putting it right turns OK on again.
        struct Bad {
            QLineEdit *field;
            QString text;
            QString says;
        };
        const QString goodId = add.idEdit()->text(), goodHash = add.hashEdit()->text(), goodUser = add.usernameEdit()->text();
        const QList<Bad> bad = {{add.idEdit(), QStringLiteral("0"), QStringLiteral("id")},
                                {add.idEdit(), QStringLiteral("-5"), QStringLiteral("id")},
                                {add.idEdit(), QStringLiteral("12ab"), QStringLiteral("id")},
                                {add.idEdit(), QStringLiteral("99999999999999999999"), QStringLiteral("id")},
                                {add.hashEdit(), QStringLiteral("12x"), QStringLiteral("access hash")},
                                {add.hashEdit(), QStringLiteral("9223372036854775808"), QStringLiteral("access hash")},
                                {add.usernameEdit(), QStringLiteral("bad-name"), QStringLiteral("username")},
                                {add.usernameEdit(), QStringLiteral("na me"), QStringLiteral("username")}};
        for (const Bad &b : bad) {
            const QString good = b.field->text();
            b.field->setText(b.text);
            QString why;
            QVERIFY2(!add.peer(&why), qPrintable(b.text));
            QVERIFY2(!ok->isEnabled(), qPrintable(b.text));
            QCOMPARE(error->text(), why);
            QVERIFY2(why.contains(b.says, Qt::CaseInsensitive), qPrintable(b.text + QStringLiteral(": ") + why));
            b.field->setText(good);
            QVERIFY2(ok->isEnabled(), qPrintable(b.text));
        }
        QCOMPARE(add.idEdit()->text(), goodId);
        QCOMPARE(add.hashEdit()->text(), goodHash);
        QCOMPARE(add.usernameEdit()->text(), goodUser);
        // An empty hash is "unknown", not 0.
        add.hashEdit()->clear();
        QVERIFY(ok->isEnabled());
        QCOMPARE(add.peer()->accessHash, std::optional<qint64>());

        // Editing: id and kind are the peer's identity and stay; what the dialog does not show stays too.
        sd::Peer base;
        base.id = 42;
        base.type = sd::PeerType::Bot;
        base.accessHash = 7;
        base.usernames = {QStringLiteral("first"), QStringLiteral("second")};
        base.phone = QStringLiteral("79001234567");
        base.name = QStringLiteral("Ann");
        sd::PeerEditDialog edit(base);
        QVERIFY(edit.idEdit()->isReadOnly());
        QVERIFY(!edit.typeBox()->isEnabled());
        QCOMPARE(edit.idEdit()->text(), QStringLiteral("42"));
        QCOMPARE(edit.typeBox()->currentData().toInt(), static_cast<int>(sd::PeerType::Bot));
        QCOMPARE(edit.hashEdit()->text(), QStringLiteral("7"));
        QCOMPARE(edit.usernameEdit()->text(), QStringLiteral("first"));
        edit.hashEdit()->setText(QStringLiteral("-99"));
        edit.usernameEdit()->setText(QStringLiteral("renamed"));
        auto e = edit.peer();
        QVERIFY(e);
        QCOMPARE(e->id, qint64(42));
        QCOMPARE(e->type, sd::PeerType::Bot);
        QCOMPARE(e->accessHash, std::optional<qint64>(-99));
        QCOMPARE(e->usernames, (QStringList{QStringLiteral("renamed"), QStringLiteral("second")}));
        QCOMPARE(e->phone, base.phone);
        QCOMPARE(e->name, base.name);
        edit.usernameEdit()->clear(); // the main username goes, the others stay
        QCOMPARE(edit.peer()->usernames, QStringList{QStringLiteral("second")});

        // Through the main window: Add peer opens the dialog; what is typed there is the peer added.
        const QString path = m_tmp.filePath(QStringLiteral("dialog.session"));
        writeStore(path, QStringLiteral("telethon-sqlite"));
        sd::MainWindow w;
        sd::PeersPanel *panel = openIn(w, path);
        QVERIFY(panel);
        bool filled = false;
        QTimer::singleShot(0, &w, [&] {
            auto *d = w.findChild<sd::PeerEditDialog *>();
            if (!d)
                return;
            QTest::keyClicks(d->idEdit(), QStringLiteral("31337"));
            d->typeBox()->setCurrentIndex(d->typeBox()->findData(static_cast<int>(sd::PeerType::Chat)));
            QTest::keyClicks(d->hashEdit(), QStringLiteral("55"));
            QTest::keyClicks(d->usernameEdit(), QStringLiteral("typed_in"));
            filled = d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
            d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        });
        panel->addAction()->trigger();
        QVERIFY(filled);
        const std::vector<sd::Peer> added = w.currentDocument()->addedPeers(0);
        QCOMPARE(added.size(), size_t(1));
        QCOMPARE(added.front().markedId(), qint64(-31337));
        QCOMPARE(added.front().accessHash, std::optional<qint64>(55));
        QCOMPARE(added.front().usernames, QStringList{QStringLiteral("typed_in")});
        QVERIFY(w.saveCurrent());
        const sd::Session back = readBack(path);
        const sd::Peer *saved = findPeerById(back, 31337);
        QVERIFY(saved);
        QCOMPARE(saved->kind(), sd::PeerKind::Chat);
        QCOMPARE(saved->accessHash, std::optional<qint64>(55));
    }

    void pruneResetsTheUndoHistory()
    {
        const QString path = m_tmp.filePath(QStringLiteral("prune.session"));
        writeStore(path, QStringLiteral("telethon-sqlite"));
        sd::MainWindow w;
        sd::PeersPanel *panel = openIn(w, path);
        QVERIFY(panel);
        sd::Document *doc = w.currentDocument();
        QUndoStack *stack = w.undoStack(doc);
        // An edit, undone: the document is clean (Prune allows it) and the history holds one step.
        panel->view()->selectRow(0);
        panel->deleteAction()->trigger();
        w.action(QStringLiteral("undo"))->trigger();
        QVERIFY(!doc->isModified());
        QCOMPARE(stack->count(), 1);
        QVERIFY(w.action(QStringLiteral("redo"))->isEnabled());

        // Keep the 5 newest through the Prune dialog, its Prune button and the confirmation.
        bool ran = false;
        QTimer::singleShot(0, &w, [&] {
            auto *d = w.findChild<sd::PruneDialog *>();
            if (!d)
                return;
            ran = true;
            d->setKeepNewest(5);
            d->setBackup(false);
            m_ui.nextAnswer.enqueue(QMessageBox::Yes);
            for (QPushButton *b : d->findChildren<QPushButton *>())
                if (b->text() == QLatin1String("&Prune"))
                    b->click();
            d->accept();
        });
        w.action(QStringLiteral("prune"))->trigger();
        QVERIFY(ran);
        QCOMPARE(static_cast<int>(readBack(path).peers.size()), 5);
        // The document reread the file: the step before the prune is gone (it would undo into a
        // cache that no longer holds those peers).
        QCOMPARE(stack->count(), 0);
        QVERIFY(!w.action(QStringLiteral("redo"))->isEnabled());
        QVERIFY(!w.action(QStringLiteral("undo"))->isEnabled());
        QCOMPARE(doc->peerTotal(0), qint64(5));
    }

    void heldFileIsReadOnly()
    {
        const QString path = m_tmp.filePath(QStringLiteral("held.session"));
        writeStore(path, QStringLiteral("telethon-sqlite"));
        sd::MainWindow w;
        sd::PeersPanel *panel = openIn(w, path);
        QVERIFY(panel);
        sd::Document *doc = w.currentDocument();
        QVERIFY(w.accountView()->updateModel()->setData(w.accountView()->updateModel()->index(sd::UpdateStateModel::Pts, sd::UpdateStateModel::Value), QStringLiteral("77")));
        w.documentStatus()->refresh();
        QVERIFY(w.action(QStringLiteral("save"))->isEnabled());
        QCOMPARE(w.documentStatus()->modifiedText(), QStringLiteral("unsaved changes"));
        QVERIFY(w.documentStatus()->formatText().contains(QStringLiteral("version 7")));

        const QByteArray before = fileSha256(path);
        QProcess holder; // a client holding the file (fcntl write lock over the whole file)
        holder.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral(
            "import fcntl,sys\nf=open(sys.argv[1],'r+b')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('held',flush=True)\nsys.stdin.read()\n"), path});
        QVERIFY(holder.waitForStarted());
        QVERIFY(holder.waitForReadyRead(10000));
        const QString expected = QStringLiteral("held by process %1: read-only").arg(holder.processId());
        w.documentStatus()->refresh();
        QCOMPARE(w.documentStatus()->lockText(), expected);
        QVERIFY(!w.action(QStringLiteral("save"))->isEnabled());
        QVERIFY(w.action(QStringLiteral("save"))->toolTip().contains(expected));
        QCOMPARE(doc->cannotSaveReason(), expected);
        m_ui.warnings.clear();
        QVERIFY(!w.saveCurrent());
        QCOMPARE(m_ui.warnings.size(), 1);
        QCOMPARE(fileSha256(path), before);

        holder.closeWriteChannel();
        QVERIFY(holder.waitForFinished(10000));
        // The status bar asks again by itself (every 2 s) and Save comes back.
        QTRY_VERIFY_WITH_TIMEOUT(w.action(QStringLiteral("save"))->isEnabled(), 6000);
        QCOMPARE(w.documentStatus()->lockText(), QStringLiteral("not held by a client"));
        QVERIFY(w.saveCurrent());
        QCOMPARE(readBack(path).updateState->pts, std::optional<qint64>(77));
    }
};

QTEST_MAIN(TestGuiPeerEdit)
#include "tst_gui_peeredit.moc"
