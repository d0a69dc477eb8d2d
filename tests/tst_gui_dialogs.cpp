// Import, export and prune dialogs driven through their widgets: a pasted string and a folder
// scanned recursively (preview before import), export to several targets with the dropped-fields
// preview and a re-read of every output, prune dry run (file untouched) and a real prune with backup.
#include "exportdialog.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "prunedialog.h"
#include "uifacade.h"
#include "vaultdialog.h"
#include "secrets/memorysecretstore.h"
#include "vault/vault.h"
#include "edit/workspace.h"
#include "format/registry.h"
#include "tasks/scan.h"
#include "testutil.h"

#include <QCheckBox>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace sd;

namespace {

QJsonObject firstStringCase()
{
    const QByteArray all = sdtest::readAll(sdtest::dataPath(QStringLiteral("strings/cases.jsonl")));
    return QJsonDocument::fromJson(all.split('\n').first()).object();
}

QJsonObject fixtureJson(const QString &rel)
{
    return QJsonDocument::fromJson(sdtest::readAll(sdtest::dataPath(rel))).object();
}


} // namespace

class TestGuiDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init() { m_ui = ScriptedUi(); }
    void importPastedString();
    void importFolderRecursively();
    void dropFilesAndText();
    void folderScanIsCancellable();
    void exportToSeveralFormats();
    void pruneDryRunThenPrune();
    void vaultAccountsOpenReadOnly();

private:
    ScriptedUi m_ui;
};

void TestGuiDialogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    UiFacade::install(&m_ui);
}

void TestGuiDialogs::importPastedString()
{
    const QJsonObject c = firstStringCase();
    const QString str = c.value(QStringLiteral("strings")).toObject().value(QStringLiteral("telethon-string")).toString();
    ImportDialog d;
    d.show();
    // The pasted string is masked until "Show" is ticked.
    QCOMPARE(d.stringField()->echoMode(), QLineEdit::Password);
    // Users paste with quotes and line breaks; typed into the real field.
    QTest::keyClicks(d.stringField(), QLatin1Char('"') + str + QLatin1Char('"'));
    QVERIFY(d.analyze());
    QCOMPARE(d.readyCount(), 1);
    QTreeWidgetItem *row = d.preview()->topLevelItem(0);
    QVERIFY(row);
    QCOMPARE(row->text(ImportDialog::FormatColumn), QStringLiteral("telethon-string"));
    QCOMPARE(row->text(ImportDialog::AccountsColumn), QStringLiteral("1"));
    QCOMPARE(row->text(ImportDialog::KeyIdColumn), c.value(QStringLiteral("authKeyId")).toString());
    auto docs = d.takeDocuments();
    QCOMPARE(docs.size(), size_t(1));
    QCOMPARE(docs[0]->account(0)->dcId, c.value(QStringLiteral("dc")).toInt());
    QVERIFY(!docs[0]->canSave()); // a string has no file: export it instead

    // A broken string is explained, not imported.
    ImportDialog bad;
    bad.setPastedString(str.left(str.size() - 7));
    QVERIFY(bad.analyze());
    QCOMPARE(bad.readyCount(), 0);
    QVERIFY(!bad.preview()->topLevelItem(0)->text(ImportDialog::StatusColumn).isEmpty());
}

void TestGuiDialogs::importFolderRecursively()
{
    QTemporaryDir dir;
    QDir(dir.path()).mkpath(QStringLiteral("a/b/c"));
    sdtest::copyTo(sdtest::dataPath(QStringLiteral("telethon/basic.session")), dir.filePath(QStringLiteral("a")));
    sdtest::copyTo(sdtest::dataPath(QStringLiteral("mtcute/basic.sqlite")), dir.filePath(QStringLiteral("a/b/c")));
    QFile junk(dir.filePath(QStringLiteral("a/b/notes.txt")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a session\n");
    junk.close();

    // The scanner alone: two stores, the text file ignored.
    const QList<ScanHit> hits = scanForSessions(dir.path());
    QCOMPARE(hits.size(), 2);

    ImportDialog d;
    d.addPaths({dir.path()});
    QVERIFY(d.analyze());
    QCOMPARE(d.readyCount(), 2);
    QStringList formats;
    for (int i = 0; i < d.preview()->topLevelItemCount(); ++i)
        formats << d.preview()->topLevelItem(i)->text(ImportDialog::FormatColumn);
    formats.sort();
    QCOMPARE(formats, QStringList({QStringLiteral("mtcute-sqlite"), QStringLiteral("telethon-sqlite")}));
    const QJsonObject tele = fixtureJson(QStringLiteral("telethon/basic.json"));
    const QString teleKey = tele.value(QStringLiteral("authKeyId")).toString();
    bool sawTelethonKey = false;
    for (int i = 0; i < d.preview()->topLevelItemCount(); ++i)
        sawTelethonKey |= d.preview()->topLevelItem(i)->text(ImportDialog::KeyIdColumn) == teleKey;
    QVERIFY(sawTelethonKey);

    // The main window takes them (what "Import" does after accept()).
    MainWindow w;
    Workspace *ws = w.workspace();
    auto docs = d.takeDocuments();
    for (auto &doc : docs)
        ws->add(std::move(doc));
    QCOMPARE(ws->count(), 2);
}

namespace {
struct DropTarget : ImportDialog {
    using ImportDialog::dragEnterEvent;
    using ImportDialog::dropEvent;
};
} // namespace

void TestGuiDialogs::dropFilesAndText()
{
    DropTarget d;
    d.show();
    QVERIFY(d.acceptDrops());
    auto *mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(QStringLiteral("/tmp/a.session")), QUrl::fromLocalFile(QStringLiteral("/tmp/b"))});
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    d.dragEnterEvent(&enter);
    QVERIFY(enter.isAccepted());
    d.dropEvent(&drop);
    auto *inputs = d.findChild<QListWidget *>(QStringLiteral("importInputs"));
    QVERIFY(inputs);
    QCOMPARE(inputs->count(), 2);
    QCOMPARE(inputs->item(1)->text(), QStringLiteral("/tmp/b"));
    auto *text = new QMimeData;
    text->setText(QStringLiteral("1AbCd"));
    QDropEvent dropText(QPointF(10, 10), Qt::CopyAction, text, Qt::LeftButton, Qt::NoModifier);
    d.dropEvent(&dropText);
    QCOMPARE(d.stringField()->text(), QStringLiteral("1AbCd"));
    delete mime;
    delete text;
}

void TestGuiDialogs::folderScanIsCancellable()
{
    // A folder with many files: the scan runs in a job and Cancel stops it part way.
    QTemporaryDir dir;
    for (int i = 0; i < 40; ++i) {
        const QString sub = dir.filePath(QStringLiteral("d%1").arg(i));
        QDir().mkpath(sub);
        for (int j = 0; j < 100; ++j) {
            QFile f(sub + QStringLiteral("/f%1.bin").arg(j));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(64, char('a' + j % 26)));
        }
    }
    struct Ctx : TaskContext {
        int calls = 0;
        bool isCancelled() const override { return calls > 5; }
        void progress(qint64, qint64, const QString &) override { ++calls; }
    } ctx;
    const QList<ScanHit> hits = scanForSessions(dir.path(), &ctx);
    QVERIFY(hits.isEmpty());
    QVERIFY2(ctx.calls <= 8, "the scan should stop soon after cancel");
}

void TestGuiDialogs::exportToSeveralFormats()
{
    const QStringList targets = {QStringLiteral("sessiondesk-json"), QStringLiteral("telethon-string"), QStringLiteral("mtcute-sqlite")};
    const QJsonObject exp = fixtureJson(QStringLiteral("telethon/basic.json"));
    QTemporaryDir dir;
    const QString file = sdtest::copyTo(sdtest::dataPath(QStringLiteral("telethon/basic.session")), dir.path());
    auto doc = Document::open(Source::fromPath(file));
    QVERIFY(doc.ok());
    ExportDialog d(doc->get(), 0);
    d.show();
    d.selectFormats(targets);
    QCOMPARE(d.selectedFormats().size(), targets.size());
    d.setDestination(dir.filePath(QStringLiteral("out")), QStringLiteral("acct"));
    d.setUserId(QStringLiteral("123456"));
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("out"))));
    const QString preview = d.previewText();
    for (const QString &id : targets)
        QVERIFY2(preview.contains(id + QStringLiteral(" →")), qPrintable(preview));
    if (targets.contains(QStringLiteral("telethon-string")))
        QVERIFY2(preview.contains(QStringLiteral("dropped")), qPrintable(preview)); // a string holds no peers
    // A bad user id blocks the export.
    d.setUserId(QStringLiteral("-4"));
    QVERIFY(!d.findChild<QPushButton *>(QStringLiteral("exportRun"))->isEnabled());
    d.setUserId(QStringLiteral("123456"));
    QVERIFY(d.findChild<QPushButton *>(QStringLiteral("exportRun"))->isEnabled());

    QCOMPARE(d.exportNow(), targets.size());
    QVERIFY2(d.errors().isEmpty(), qPrintable(d.errors().join(QLatin1Char('\n'))));
    const QString keyId = exp.value(QStringLiteral("authKeyId")).toString();
    for (const QString &path : d.writtenPaths()) {
        QCOMPARE(sdtest::fileMode(path), 0600);
        auto fmt = Registry::instance().detect(Source::fromPath(path));
        QVERIFY(fmt.ok());
        auto st = (*fmt)->read(Source::fromPath(path), ReadOptions{});
        QVERIFY2(st.ok(), qPrintable(path));
        QCOMPARE(st->accounts.at(0).primary()->authKeyId(), keyId);
    }
    for (auto it = d.strings().cbegin(); it != d.strings().cend(); ++it) {
        const Format *f = Registry::instance().find(it.key());
        auto st = f->read(Source::fromString(it.value().toLatin1()), ReadOptions{});
        QVERIFY(st.ok());
        QCOMPARE(st->accounts.at(0).primary()->authKeyId(), keyId);
    }
    // Exporting again without "Overwrite" refuses and keeps the files.
    if (!d.writtenPaths().isEmpty()) {
        const QString first = d.writtenPaths().first();
        const QByteArray sha = sdtest::fileSha256(first);
        d.exportNow();
        QVERIFY(!d.errors().isEmpty());
        QCOMPARE(sdtest::fileSha256(first), sha);
    }
}

void TestGuiDialogs::pruneDryRunThenPrune()
{
    const Format *f = Registry::instance().find(QStringLiteral("telethon-sqlite"));
    QVERIFY(f && f->canPrune());
    const QJsonObject exp = fixtureJson(QStringLiteral("telethon/basic.json"));
    const qint64 total = exp.value(QStringLiteral("users")).toInteger() + exp.value(QStringLiteral("chats")).toInteger()
        + exp.value(QStringLiteral("channels")).toInteger();
    QTemporaryDir dir;
    const QString file = sdtest::copyTo(sdtest::dataPath(QStringLiteral("telethon/basic.session")), dir.path());
    const QByteArray before = sdtest::fileSha256(file);
    PruneDialog d(f, file);
    QVERIFY(d.findChild<QCheckBox *>(QStringLiteral("pruneBackup"))->isChecked()); // backup on by default
    d.setKeepNewest(10);
    auto dry = d.preview();
    QVERIFY2(dry.ok(), dry.ok() ? "" : qPrintable(dry.error().message));
    QVERIFY(dry->dryRun);
    QCOMPARE(dry->removed.total() + dry->kept, total);
    QCOMPARE(dry->kept, qint64(10));
    QVERIFY(d.reportText().contains(QStringLiteral("Dry run")));
    QCOMPARE(sdtest::fileSha256(file), before); // a dry run changes nothing

    auto real = d.pruneNow();
    QVERIFY2(real.ok(), real.ok() ? "" : qPrintable(real.error().message));
    QVERIFY(d.pruned());
    QCOMPARE(real->removed.total(), dry->removed.total());
    QVERIFY(!real->backup.isEmpty());
    QCOMPARE(sdtest::fileSha256(real->backup), before);
    auto st = f->read(Source::fromPath(file), ReadOptions{});
    QVERIFY(st.ok());
    QCOMPARE(qint64(st->accounts[0].peers.size()), qint64(10));
}

void TestGuiDialogs::vaultAccountsOpenReadOnly()
{
    const Format *f = Registry::instance().find(QStringLiteral("telethon-sqlite"));
    QVERIFY(f);
    const QJsonObject exp = fixtureJson(QStringLiteral("telethon/basic.json"));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("vault.sqlite"));
    MemorySecretStore secrets;
    {
        auto vault = Vault::open(path, secrets, true);
        QVERIFY2(vault.ok(), vault.ok() ? "" : qPrintable(vault.error().message));
        auto store = f->read(Source::fromPath(sdtest::dataPath(QStringLiteral("telethon/basic.session"))), ReadOptions{});
        QVERIFY(store.ok());
        VaultImportOptions o;
        o.label = QStringLiteral("fixture");
        auto items = (*vault)->importStore(*store, o);
        QVERIFY(items.ok());
        QCOMPARE(items->size(), size_t(1));
    }
    VaultDialog d(nullptr, path, &secrets);
    QCOMPARE(d.list()->topLevelItemCount(), 1);
    QTreeWidgetItem *item = d.list()->topLevelItem(0);
    QCOMPARE(item->text(0), QStringLiteral("fixture"));
    QCOMPARE(item->text(4), exp.value(QStringLiteral("authKeyId")).toString());
    item->setSelected(true);
    d.openSelected();
    auto docs = d.takeDocuments();
    QCOMPARE(docs.size(), size_t(1));
    QCOMPARE(docs[0]->account(0)->primary()->authKeyId(), exp.value(QStringLiteral("authKeyId")).toString());
    QVERIFY(!docs[0]->canSave());
    QVERIFY(docs[0]->isDetached());
    QVERIFY(docs[0]->reload().ok()); // nothing to reread, no error
}

QTEST_MAIN(TestGuiDialogs)
#include "tst_gui_dialogs.moc"
