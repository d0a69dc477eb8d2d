// The main window driven through its real widgets: open fixtures, switch tabs, search peers, edit
// a cell through the delegate editor, undo/redo, save (atomic, through the format writer) and
// re-read the file; the unsaved-changes prompt; the key reveal confirmation; cancelling a job.
#include "accountmodels.h"
#include "accountview.h"
#include "jobdialog.h"
#include "mainwindow.h"
#include "peermodel.h"
#include "peerspanel.h"
#include "storelistmodel.h"
#include "uifacade.h"
#include "edit/workspace.h"
#include "format/registry.h"
#include "testutil.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

using namespace sd;

namespace {

QJsonObject fixtureJson(const QString &rel)
{
    return QJsonDocument::fromJson(sdtest::readAll(sdtest::dataPath(rel))).object();
}

QString keyIdOf(const QString &hex)
{
    return authKeyId(SecretBytes::fromByteArray(QByteArray::fromHex(hex.toLatin1())));
}

bool waitRows(PeerModel *m)
{
    return QTest::qWaitFor([m] { return m->total() >= 0 && (m->total() == 0 || m->isRowLoaded(0)); }, 20000);
}

const Format *readable(const QString &id)
{
    const Format *f = Registry::instance().find(id);
    return f;
}

} // namespace

class TestGuiMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void openSearchEditUndoSave();
    void openMtcuteShowsSessionAndKeys();
    void closeAsksAboutUnsavedChanges();
    void revealKeyNeedsConfirmation();
    void tdataAsksForPasscode();
    void editUpdateStateAndSave();
    void cancelLongJob();

private:
    ScriptedUi m_ui;
};

void TestGuiMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    UiFacade::install(&m_ui);
}

void TestGuiMainWindow::init() { m_ui = ScriptedUi(); }
void TestGuiMainWindow::cleanup() { QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n')))); }

void TestGuiMainWindow::openSearchEditUndoSave()
{
    const Format *f = readable(QStringLiteral("telethon-sqlite"));
    QVERIFY(f);
    const QJsonObject exp = fixtureJson(QStringLiteral("telethon/basic.json"));
    QTemporaryDir dir;
    const QString file = sdtest::copyTo(sdtest::dataPath(QStringLiteral("telethon/basic.session")), dir.path());
    const QByteArray before = sdtest::fileSha256(file);

    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.openPaths({file}), 1);
    QCOMPARE(w.workspace()->count(), 1);
    QVERIFY(w.windowTitle().contains(QStringLiteral("basic.session")));
    QCOMPARE(sdtest::fileSha256(file), before); // opening never changes the input

    AccountView *av = w.accountView();
    QVERIFY(av->isVisible());
    // DC keys tab: auth_key_id, never the key.
    av->setCurrentIndex(AccountView::DcTab);
    QTableView *dcView = av->findChild<QTableView *>(QStringLiteral("dcTable"));
    QVERIFY(dcView && dcView->isVisible());
    QCOMPARE(dcView->model()->data(dcView->model()->index(0, DcAuthModel::AuthKeyId)).toString(), exp.value(QStringLiteral("authKeyId")).toString());

    // Peers tab: the count, then a search typed into the search box.
    w.action(QStringLiteral("find"))->trigger();
    QCOMPARE(av->currentIndex(), int(AccountView::PeersTab));
    PeerModel *pm = av->peers()->model();
    QVERIFY(waitRows(pm));
    const qint64 total = exp.value(QStringLiteral("users")).toInteger() + exp.value(QStringLiteral("chats")).toInteger()
        + exp.value(QStringLiteral("channels")).toInteger();
    QCOMPARE(pm->total(), total);
    const QJsonObject sample = exp.value(QStringLiteral("sample")).toArray().at(1).toObject();
    const QString username = sample.value(QStringLiteral("username")).toString();
    QLineEdit *search = av->peers()->searchBox();
    QTest::keyClicks(search, username);
    QVERIFY(QTest::qWaitFor([pm, username] { return pm->search() == username && pm->total() >= 1 && pm->isRowLoaded(0); }, 10000));
    QVERIFY(pm->total() < total);
    int row = -1;
    for (int r = 0; r < pm->rowCount(); ++r) {
        QVERIFY(pm->isRowLoaded(r));
        QVERIFY(pm->data(pm->index(r, PeerModel::Username)).toString().contains(username));
        if (pm->data(pm->index(r, PeerModel::Username)).toString() == username)
            row = r;
    }
    QVERIFY(row >= 0);
    const qint64 id = pm->data(pm->index(row, PeerModel::MarkedId), PeerModel::MarkedIdRole).toLongLong();
    QCOMPARE(id, sample.value(QStringLiteral("id")).toInteger());
    QCOMPARE(pm->data(pm->index(row, PeerModel::AccessHash)).toString(), QString::number(sample.value(QStringLiteral("hash")).toInteger()));

    // Edit the access hash through the view's editor.
    QTableView *view = av->peers()->view();
    const QModelIndex cell = pm->index(row, PeerModel::AccessHash);
    view->setCurrentIndex(cell);
    view->edit(cell);
    QLineEdit *editor = view->viewport()->findChild<QLineEdit *>();
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("-9223372036854775807"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(pm->data(cell).toString(), QStringLiteral("-9223372036854775807"));
    QVERIFY(w.isWindowModified());
    QVERIFY(w.storeModel()->data(w.storeModel()->documentIndex(0)).toString().endsWith(QLatin1String(" *")));
    QVERIFY(w.action(QStringLiteral("save"))->isEnabled());

    // Undo, redo.
    w.action(QStringLiteral("undo"))->trigger();
    QCOMPARE(pm->data(cell).toString(), QString::number(sample.value(QStringLiteral("hash")).toInteger()));
    QVERIFY(!w.isWindowModified());
    w.action(QStringLiteral("redo"))->trigger();
    QCOMPARE(pm->data(cell).toString(), QStringLiteral("-9223372036854775807"));
    QVERIFY(w.isWindowModified());

    // Save: written through the format's writer, atomically, 0600; re-read shows the edit.
    w.action(QStringLiteral("save"))->trigger();
    QVERIFY(!w.isWindowModified());
    QVERIFY(sdtest::fileSha256(file) != before);
    QCOMPARE(sdtest::fileMode(file), 0600);
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size() == 1); // no temp file left behind
    auto reread = f->read(Source::fromPath(file), ReadOptions{});
    QVERIFY(reread.ok());
    bool found = false;
    qint64 reTotal = 0;
    for (const Peer &p : reread->accounts[0].peers) {
        ++reTotal;
        if (p.markedId() == id) {
            found = true;
            QCOMPARE(p.accessHash.value_or(0), Q_INT64_C(-9223372036854775807));
        }
    }
    QVERIFY(found);
    QCOMPARE(reTotal, total);
    QCOMPARE(reread->accounts[0].primary()->authKeyId(), exp.value(QStringLiteral("authKeyId")).toString());
    // The view follows the saved file (reloaded, filter kept).
    QVERIFY(QTest::qWaitFor([pm, row] { return pm->total() > row && pm->isRowLoaded(row); }, 10000));
    QCOMPARE(pm->data(pm->index(row, PeerModel::MarkedId), PeerModel::MarkedIdRole).toLongLong(), id);
    QCOMPARE(pm->data(pm->index(row, PeerModel::AccessHash)).toString(), QStringLiteral("-9223372036854775807"));
}

void TestGuiMainWindow::openMtcuteShowsSessionAndKeys()
{
    const QJsonObject exp = fixtureJson(QStringLiteral("mtcute/basic.json"));
    QTemporaryDir dir;
    const QString file = sdtest::copyTo(sdtest::dataPath(QStringLiteral("mtcute/basic.sqlite")), dir.path());
    MainWindow w;
    w.show();
    QCOMPARE(w.openPaths({file}), 1);
    // Opening the same file again selects it instead of opening it twice.
    QCOMPARE(w.openPaths({file}), 0);
    QCOMPARE(w.workspace()->count(), 1);
    AccountView *av = w.accountView();
    av->setCurrentIndex(AccountView::SessionTab);
    QAbstractItemModel *info = av->sessionView()->model();
    QCOMPARE(info->data(info->index(SessionInfoModel::DcId, SessionInfoModel::Value)).toString(), QString::number(exp.value(QStringLiteral("dc")).toInt()));
    QCOMPARE(info->data(info->index(SessionInfoModel::UserId, SessionInfoModel::Value)).toString(), QString::number(exp.value(QStringLiteral("userId")).toInteger()));
    const QString keyId = keyIdOf(exp.value(QStringLiteral("authKeyHex")).toString());
    QCOMPARE(info->data(info->index(SessionInfoModel::AuthKeyId, SessionInfoModel::Value)).toString(), keyId);
    av->setCurrentIndex(AccountView::PeersTab);
    QVERIFY(waitRows(av->peers()->model()));
    QCOMPARE(av->peers()->model()->total(), qint64(exp.value(QStringLiteral("peers")).toArray().size()));
    av->setCurrentIndex(AccountView::UpdateTab);
    QVERIFY(av->updateView()->isVisible());
}

void TestGuiMainWindow::closeAsksAboutUnsavedChanges()
{
    QTemporaryDir dir;
    const QString file = sdtest::copyTo(sdtest::dataPath(QStringLiteral("telethon/basic.session")), dir.path());
    const QByteArray before = sdtest::fileSha256(file);
    MainWindow w;
    w.show();
    QCOMPARE(w.openPaths({file}), 1);
    AccountView *av = w.accountView();
    QAbstractItemModel *dcs = av->dcView()->model();
    QVERIFY(dcs->setData(dcs->index(0, DcAuthModel::Port), QStringLiteral("8443")));
    QVERIFY(w.isWindowModified());
    m_ui.nextAnswer.enqueue(QMessageBox::Cancel);
    QVERIFY(!w.close());
    QVERIFY(w.isVisible());
    QCOMPARE(m_ui.messages.size(), 1);
    QVERIFY(m_ui.messages.first().contains(QStringLiteral("basic.session")));
    m_ui.nextAnswer.enqueue(QMessageBox::Discard);
    QVERIFY(w.close());
    QCOMPARE(sdtest::fileSha256(file), before); // discarded, never written
}

void TestGuiMainWindow::revealKeyNeedsConfirmation()
{
    const QJsonObject exp = fixtureJson(QStringLiteral("telethon/basic.json"));
    QTemporaryDir dir;
    const QString file = sdtest::copyTo(sdtest::dataPath(QStringLiteral("telethon/basic.session")), dir.path());
    MainWindow w;
    w.show();
    QCOMPARE(w.openPaths({file}), 1);
    w.accountView()->setCurrentIndex(AccountView::DcTab);
    auto *reveal = w.accountView()->findChild<QPushButton *>(QStringLiteral("revealKey"));
    QVERIFY(reveal);
    m_ui.nextAnswer.enqueue(QMessageBox::Cancel);
    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(m_ui.messages.size(), 1); // only the question
    QVERIFY(!m_ui.messages.first().contains(exp.value(QStringLiteral("authKeyHex")).toString()));
    m_ui.nextAnswer.enqueue(QMessageBox::Yes);
    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(m_ui.messages.size(), 3);
    QVERIFY(m_ui.messages.last().contains(exp.value(QStringLiteral("authKeyHex")).toString()));
}

void TestGuiMainWindow::tdataAsksForPasscode()
{
    const QJsonObject exp = fixtureJson(QStringLiteral("tdata/passcode.json"));
    QByteArray passcode = sdtest::readAll(sdtest::dataPath(QStringLiteral("tdata/passcode.txt")));
    while (passcode.endsWith('\n'))
        passcode.chop(1);
    QTemporaryDir dir;
    const QString folder = sdtest::copyTo(sdtest::dataPath(QStringLiteral("tdata/passcode")), dir.path());
    const QByteArray before = sdtest::treeSha256(folder);
    MainWindow w;
    w.show();
    // No passcode given: skipped with a message, nothing opened.
    QCOMPARE(w.openPaths({folder}), 0);
    QCOMPARE(m_ui.warnings.size(), 1);
    m_ui.warnings.clear();
    // Wrong passcode: refused.
    m_ui.nextPassword.enqueue(QByteArrayLiteral("wrong"));
    QCOMPARE(w.openPaths({folder}), 0);
    QCOMPARE(m_ui.warnings.size(), 1);
    m_ui.warnings.clear();
    m_ui.nextPassword.enqueue(passcode);
    QCOMPARE(w.openPaths({folder}), 1);
    const Document *doc = w.currentDocument();
    QVERIFY(doc);
    QCOMPARE(doc->account(0)->primary()->authKeyId(), exp.value(QStringLiteral("authKeyId")).toString());
    QCOMPARE(sdtest::treeSha256(folder), before);
}

void TestGuiMainWindow::editUpdateStateAndSave()
{
    const Format *f = readable(QStringLiteral("telethon-sqlite"));
    QVERIFY(f);
    const QJsonObject exp = fixtureJson(QStringLiteral("telethon/state.json"));
    const QJsonObject state = exp.value(QStringLiteral("state")).toObject();
    QTemporaryDir dir;
    const QString file = sdtest::copyTo(sdtest::dataPath(QStringLiteral("telethon/state.session")), dir.path());
    MainWindow w;
    w.show();
    QCOMPARE(w.openPaths({file}), 1);
    AccountView *av = w.accountView();
    av->setCurrentIndex(AccountView::UpdateTab);
    QTableView *view = av->updateView();
    QVERIFY(view->isVisible());
    QAbstractItemModel *m = view->model();
    QCOMPARE(m->rowCount(), UpdateStateModel::FirstChannelRow + 1); // one channel
    QCOMPARE(m->data(m->index(UpdateStateModel::Pts, UpdateStateModel::Value), Qt::EditRole).toString(), QString::number(state.value(QStringLiteral("pts")).toInteger()));
    QCOMPARE(m->data(m->index(UpdateStateModel::Seq, UpdateStateModel::Value), Qt::EditRole).toString(), QString::number(state.value(QStringLiteral("seq")).toInteger()));
    QVERIFY(m->data(m->index(UpdateStateModel::FirstChannelRow, UpdateStateModel::Name)).toString().contains(QStringLiteral("1555666777")));
    QCOMPARE(m->data(m->index(UpdateStateModel::FirstChannelRow, UpdateStateModel::Value)).toString(), QStringLiteral("8080"));

    // Through the delegate editor: a bad value is refused (status bar), a good one applied.
    auto type = [view](const QModelIndex &cell, const QString &text) {
        view->setCurrentIndex(cell);
        view->edit(cell);
        auto *editor = qobject_cast<QLineEdit *>(view->indexWidget(cell));
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        QTest::qWait(10);
    };
    type(m->index(UpdateStateModel::FirstChannelRow, UpdateStateModel::Value), QStringLiteral("12x"));
    QCOMPARE(m->data(m->index(UpdateStateModel::FirstChannelRow, UpdateStateModel::Value)).toString(), QStringLiteral("8080"));
    QVERIFY(!w.isWindowModified());
    type(m->index(UpdateStateModel::FirstChannelRow, UpdateStateModel::Value), QStringLiteral("9090"));
    QTRY_COMPARE(m->data(m->index(UpdateStateModel::FirstChannelRow, UpdateStateModel::Value)).toString(), QStringLiteral("9090"));
    type(m->index(UpdateStateModel::Pts, UpdateStateModel::Value), QStringLiteral("6000"));
    QTRY_COMPARE(m->data(m->index(UpdateStateModel::Pts, UpdateStateModel::Value), Qt::EditRole).toString(), QStringLiteral("6000"));
    QVERIFY(w.isWindowModified());
    QVERIFY(w.saveCurrent());
    auto st = f->read(Source::fromPath(file), ReadOptions{});
    QVERIFY(st.ok());
    const Session &s = st->accounts.at(0);
    QVERIFY(s.updateState);
    QCOMPARE(s.updateState->pts, std::optional<qint64>(6000));
    QCOMPARE(s.updateState->qts, std::optional<qint64>(state.value(QStringLiteral("qts")).toInteger()));
    QCOMPARE(s.updateState->channelPts.value(1555666777), qint64(9090));
    QCOMPARE(qint64(s.peers.size()), exp.value(QStringLiteral("users")).toInteger() + exp.value(QStringLiteral("chats")).toInteger()
                                         + exp.value(QStringLiteral("channels")).toInteger());
    QCOMPARE(s.primary()->authKeyId(), exp.value(QStringLiteral("authKeyId")).toString());
    // After the save the model shows the file's values.
    QCOMPARE(m->data(m->index(UpdateStateModel::FirstChannelRow, UpdateStateModel::Value)).toString(), QStringLiteral("9090"));
}

void TestGuiMainWindow::cancelLongJob()
{
    MainWindow w;
    w.show();
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
    ticker.start(20);
    // Click Cancel on the progress dialog once it is up.
    QTimer::singleShot(400, &w, [&w] {
        auto *p = w.findChild<QProgressDialog *>(QStringLiteral("jobProgress"));
        QVERIFY(p);
        QVERIFY(p->isVisible());
        auto *cancel = p->findChild<QPushButton *>();
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
    });
    QElapsedTimer t;
    t.start();
    std::atomic<int> steps{0};
    const JobOutcome o = runJob(&w, QStringLiteral("Long job"), [&steps](TaskContext &ctx) -> QVariant {
        for (int i = 0; i < 3000 && !ctx.isCancelled(); ++i) { // at most 30 s
            QThread::msleep(10);
            ++steps;
            ctx.progress(i, 3000, QStringLiteral("step %1").arg(i));
        }
        return steps.load();
    }, 50);
    QVERIFY(o.cancelled);
    QVERIFY2(t.elapsed() < 5000, "cancel should stop the job quickly");
    QVERIFY(o.result.toInt() < 3000);
    QVERIFY2(ticks >= 10, "the GUI event loop kept running during the job");
}

QTEST_MAIN(TestGuiMainWindow)
#include "tst_gui_mainwindow.moc"
