#include "mainwindow.h"

#include "accountview.h"
#include "auditdialog.h"
#include "connectdialog.h"
#include "documentstatus.h"
#include "editcommand.h"
#include "exportdialog.h"
#include "importdialog.h"
#include "jobdialog.h"
#include "peerspanel.h"
#include "prunedialog.h"
#include "storelistmodel.h"
#include "uifacade.h"
#include "vaultdialog.h"
#include "keychainsecretstore.h"
#include "edit/workspace.h"
#include "tasks/scan.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThread>
#include <QToolBar>
#include <QTreeView>
#include <QUndoGroup>
#include <QUndoStack>
#include <QVBoxLayout>

namespace sd {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), m_workspace(new Workspace(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    m_storeModel = new StoreListModel(m_workspace, this);
    m_undoGroup = new QUndoGroup(this);

    m_sidebar = new QTreeView(this);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setModel(m_storeModel);
    m_sidebar->setHeaderHidden(true);
    m_sidebar->setUniformRowHeights(true);
    m_vaultButton = new QPushButton(QIcon::fromTheme(QStringLiteral("dialog-password")), tr("Vault…"), this);
    m_vaultButton->setObjectName(QStringLiteral("vaultButton"));
    m_vaultButton->setToolTip(tr("Accounts stored in the SessionDesk vault (keys in the system keychain)"));
    connect(m_vaultButton, &QPushButton::clicked, this, &MainWindow::openVault);
    m_serverButton = new QPushButton(QIcon::fromTheme(QStringLiteral("network-server")), tr("Connect to server…"), this);
    m_serverButton->setObjectName(QStringLiteral("serverButton"));
    m_serverButton->setToolTip(tr("Open a PostgreSQL or Redis session store (mtgo-labs/storage): one entry per session"));
    connect(m_serverButton, &QPushButton::clicked, this, &MainWindow::connectServer);
    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_sidebar, 1);
    sideLayout->addWidget(m_serverButton);
    sideLayout->addWidget(m_vaultButton);

    m_stack = new QStackedWidget(this);
    m_empty = new QLabel(tr("Open a session file or folder (Ctrl+O), or import a string session (Ctrl+I).\n"
                            "You can also drop files here."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_accountView = new AccountView(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_accountView);

    auto *split = new QSplitter(this);
    split->addWidget(side);
    split->addWidget(m_stack);
    split->setStretchFactor(1, 1);
    split->setSizes({240, 760});
    setCentralWidget(split);

    createActions();
    setupEditHooks();
    connect(m_sidebar->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onSelectionChanged);
    connect(m_workspace, &Workspace::documentChanged, this, [this] { updateTitle(); });
    connect(m_accountView, &AccountView::message, this, &MainWindow::showStatus);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1100, 700);
    updateTitle();
    updateActions();
    restoreUiState();
}

MainWindow::~MainWindow()
{
    EditCommand::setFailureHandler({});
    // Views go first: their models hold pointers to documents.
    m_accountView->setDocument(nullptr, 0, nullptr);
}

QAction *MainWindow::action(const QString &name) const { return m_actions.value(name); }

void MainWindow::createActions()
{
    auto add = [this](const QString &name, const QString &text, QKeySequence key, auto slot, const QString &icon = {}) {
        auto *a = new QAction(QIcon::fromTheme(icon), text, this);
        a->setObjectName(name);
        if (!key.isEmpty())
            a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        m_actions.insert(name, a);
        return a;
    };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(add(QStringLiteral("open"), tr("&Open…"), QKeySequence::Open, &MainWindow::openFiles, QStringLiteral("document-open")));
    file->addAction(add(QStringLiteral("openFolder"), tr("Open &folder…"), QKeySequence(tr("Ctrl+Shift+O")), &MainWindow::openFolder, QStringLiteral("folder-open")));
    file->addAction(add(QStringLiteral("connectServer"), tr("Connect to &server…"), QKeySequence(tr("Ctrl+Shift+K")), &MainWindow::connectServer, QStringLiteral("network-server")));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    file->addAction(add(QStringLiteral("import"), tr("&Import…"), QKeySequence(tr("Ctrl+I")), &MainWindow::importDialog, QStringLiteral("document-import")));
    file->addSeparator();
    file->addAction(add(QStringLiteral("save"), tr("&Save"), QKeySequence::Save, [this] { saveCurrent(); }, QStringLiteral("document-save")));
    file->addAction(add(QStringLiteral("export"), tr("&Export…"), QKeySequence(tr("Ctrl+E")), &MainWindow::exportDialog, QStringLiteral("document-export")));
    file->addAction(add(QStringLiteral("prune"), tr("&Prune peer cache…"), QKeySequence(tr("Ctrl+Shift+P")), &MainWindow::pruneDialog, QStringLiteral("edit-clear")));
    file->addAction(add(QStringLiteral("close"), tr("&Close"), QKeySequence::Close, [this] { closeCurrent(); }, QStringLiteral("document-close")));
    file->addSeparator();
    file->addAction(add(QStringLiteral("vault"), tr("&Vault…"), QKeySequence(tr("Ctrl+Shift+V")), &MainWindow::openVault));
    file->addAction(add(QStringLiteral("audit"), tr("&Audit folders…"), QKeySequence(tr("Ctrl+Shift+A")), &MainWindow::auditDialog, QStringLiteral("security-high")));
    file->addAction(add(QStringLiteral("quit"), tr("&Quit"), QKeySequence::Quit, &QWidget::close, QStringLiteral("application-exit")));

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setObjectName(QStringLiteral("undo"));
    QAction *redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setObjectName(QStringLiteral("redo"));
    m_actions.insert(QStringLiteral("undo"), undo);
    m_actions.insert(QStringLiteral("redo"), redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(add(QStringLiteral("find"), tr("&Find peers"), QKeySequence::Find, &MainWindow::find, QStringLiteral("edit-find")));
    edit->addAction(add(QStringLiteral("revealKey"), tr("Reveal auth &key…"), QKeySequence(), [this] { m_accountView->revealSelectedKey(false); }));
    edit->addAction(add(QStringLiteral("copyKey"), tr("Cop&y auth key…"), QKeySequence(), [this] { m_accountView->revealSelectedKey(true); }));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(add(QStringLiteral("about"), tr("&About SessionDesk"), QKeySequence(), [this] {
        UiFacade::instance().information(this, tr("About SessionDesk"),
            tr("SessionDesk %1\nAudit, browse, migrate and prune Telegram MTProto sessions.").arg(QStringLiteral(SESSIONDESK_VERSION)));
    }));

    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolbar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (const char *n : {"open", "connectServer", "import", "save", "export", "prune", "audit"})
        tb->addAction(m_actions.value(QString::fromLatin1(n)));
    rebuildRecentMenu();
}

Document *MainWindow::currentDocument() const { return m_accountView->document(); }

QUndoStack *MainWindow::undoStack(Document *doc) const { return m_stacks.value(doc); }

void MainWindow::showStatus(const QString &text) { statusBar()->showMessage(text, 8000); }

int MainWindow::openPaths(const QStringList &paths)
{
    QStringList fresh;
    for (const QString &p : paths) {
        const int existing = m_workspace->findPath(p);
        if (existing >= 0)
            selectDocument(existing);
        else if (!p.isEmpty())
            fresh << p;
    }
    if (fresh.isEmpty())
        return 0;
    struct Out {
        std::vector<std::unique_ptr<Document>> docs;
        QStringList errors;
        QStringList needPasscode;
    };
    auto out = std::make_shared<Out>();
    QThread *gui = thread();
    auto openOne = [out, gui](const QString &path, const ReadOptions &options) {
        auto d = Document::open(Source::fromPath(path), options);
        if (d) {
            (*d)->moveToThread(gui);
            out->docs.push_back(std::move(*d));
        } else if (d.error().kind == ErrorKind::Secret) {
            out->needPasscode << path;
        } else {
            out->errors << QStringLiteral("%1: %2").arg(path, d.error().message);
        }
    };
    const JobOutcome o = runJob(this, tr("Opening…"), [fresh, openOne, out](TaskContext &ctx) -> QVariant {
        for (const QString &p : fresh) {
            if (ctx.isCancelled())
                break;
            if (!QFileInfo(p).isDir()) {
                openOne(p, {});
                continue;
            }
            const QList<ScanHit> hits = scanForSessions(p, &ctx);
            if (hits.isEmpty())
                out->errors << QObject::tr("%1: no session stores found").arg(p);
            for (const ScanHit &h : hits) {
                if (ctx.isCancelled())
                    break;
                if (h.readable)
                    openOne(h.path, {});
                else
                    out->errors << QObject::tr("%1: %2 is not readable yet").arg(h.path, h.formatId);
            }
        }
        return 0;
    });
    // Telegram Desktop folders with a local passcode: ask, then open here (fast, small files).
    const QStringList needPasscode = out->needPasscode;
    for (const QString &p : needPasscode) {
        bool ok = false;
        QByteArray pc = UiFacade::instance().password(this, tr("Passcode"), tr("Local passcode for %1:").arg(p), &ok);
        if (!ok) {
            out->errors << tr("%1: skipped (no passcode)").arg(p);
            continue;
        }
        ReadOptions options;
        options.passcode = SecretBytes::fromByteArray(pc);
        wipe(pc);
        auto d = Document::open(Source::fromPath(p), options);
        if (d)
            out->docs.push_back(std::move(*d));
        else
            out->errors << QStringLiteral("%1: %2").arg(p, d.error().message);
    }
    const int opened = static_cast<int>(out->docs.size());
    for (const auto &d : out->docs)
        addRecent(d->source().path);
    addDocuments(std::move(out->docs));
    if (o.cancelled)
        showStatus(tr("Cancelled; %1 store(s) opened.").arg(opened));
    if (!out->errors.isEmpty())
        UiFacade::instance().warning(this, tr("Open"), out->errors.join(QLatin1Char('\n')));
    QStringList folders;
    for (const QString &p : fresh) {
        UiFacade::rememberFolder(p);
        if (QFileInfo(p).isDir())
            folders << p;
    }
    if (!folders.isEmpty() && !o.cancelled)
        showOverview(folders); // a folder shows its summary first
    return opened;
}

void MainWindow::addDocuments(std::vector<std::unique_ptr<Document>> docs)
{
    int first = -1;
    for (auto &d : docs) {
        Document *doc = d.get();
        auto *stack = new QUndoStack(this);
        m_undoGroup->addStack(stack);
        m_stacks.insert(doc, stack);
        connect(stack, &QUndoStack::cleanChanged, doc, [doc](bool clean) { doc->setModified(!clean); });
        hookDocument(doc, stack);
        const int i = m_workspace->add(std::move(d));
        if (first < 0)
            first = i;
    }
    if (first >= 0)
        selectDocument(first);
    updateActions();
}

void MainWindow::selectDocument(int index, int account)
{
    const QModelIndex idx = m_storeModel->rowCount(m_storeModel->documentIndex(index)) > account
        ? m_storeModel->accountIndex(index, account) : m_storeModel->documentIndex(index);
    if (!idx.isValid())
        return;
    m_sidebar->expand(m_storeModel->documentIndex(index));
    m_sidebar->setCurrentIndex(idx);
}

void MainWindow::onSelectionChanged()
{
    const auto [docIndex, account] = m_storeModel->location(m_sidebar->currentIndex());
    Document *doc = m_workspace->at(docIndex);
    if (doc != currentDocument() || account != m_accountView->account())
        m_accountView->setDocument(doc, account, m_stacks.value(doc));
    m_undoGroup->setActiveStack(m_stacks.value(doc));
    m_stack->setCurrentWidget(doc ? static_cast<QWidget *>(m_accountView) : m_empty);
    m_docStatus->setDocument(doc);
    updateTitle();
    updateActions();
}

void MainWindow::updateTitle()
{
    Document *doc = currentDocument();
    setWindowTitle(doc ? QStringLiteral("%1[*] — SessionDesk").arg(doc->displayName()) : QStringLiteral("SessionDesk"));
    setWindowModified(doc && doc->isModified());
    updateActions();
}

void MainWindow::updateActions()
{
    Document *doc = currentDocument();
    m_actions[QStringLiteral("save")]->setEnabled(doc && doc->isModified() && doc->canSave());
    m_actions[QStringLiteral("save")]->setToolTip(doc && !doc->canSave() ? tr("Save is off: %1").arg(doc->cannotSaveReason()) : tr("Save"));
    m_actions[QStringLiteral("export")]->setEnabled(doc != nullptr);
    m_actions[QStringLiteral("prune")]->setEnabled(doc && !doc->isString() && doc->format() && doc->format()->canPrune());
    m_actions[QStringLiteral("close")]->setEnabled(doc != nullptr);
    m_actions[QStringLiteral("find")]->setEnabled(doc != nullptr);
}

bool MainWindow::saveCurrent()
{
    Document *doc = currentDocument();
    if (!doc)
        return false;
    if (!doc->canSave()) {
        UiFacade::instance().warning(this, tr("Save"), doc->cannotSaveReason());
        return false;
    }
    QPointer<Document> d = doc;
    auto status = std::make_shared<Status>();
    // Reading the full peer cache and writing it back can take a while on big files: off the GUI
    // thread (writeToSource() only reads the document).
    runJob(this, tr("Saving…"), [d, status](TaskContext &) -> QVariant {
        *status = d->writeToSource();
        return true;
    });
    if (*status && d)
        *status = d->finishSave();
    onSelectionChanged();
    if (!*status) {
        UiFacade::instance().warning(this, tr("Save"), status->error().message);
        return false;
    }
    if (QUndoStack *s = m_stacks.value(doc))
        s->setClean();
    showStatus(tr("Saved %1").arg(doc->source().path));
    updateTitle();
    return true;
}

bool MainWindow::confirmDiscard(const QList<Document *> &docs)
{
    QStringList names;
    for (Document *d : docs)
        if (d->isModified())
            names << d->displayName();
    if (names.isEmpty())
        return true;
    const auto answer = UiFacade::instance().question(this, tr("Unsaved changes"),
        tr("These stores have unsaved changes:\n%1\n\nDiscard them?").arg(names.join(QLatin1Char('\n'))),
        QMessageBox::Discard | QMessageBox::Cancel);
    return answer == QMessageBox::Discard;
}

bool MainWindow::closeCurrent()
{
    Document *doc = currentDocument();
    if (!doc || !confirmDiscard({doc}))
        return false;
    m_accountView->setDocument(nullptr, 0, nullptr);
    if (QUndoStack *s = m_stacks.take(doc)) {
        m_undoGroup->removeStack(s);
        s->deleteLater();
    }
    m_workspace->remove(m_workspace->indexOf(doc));
    onSelectionChanged();
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QList<Document *> docs;
    for (int i = 0; i < m_workspace->count(); ++i)
        docs << m_workspace->at(i);
    if (!confirmDiscard(docs)) {
        event->ignore();
        return;
    }
    QSettings().setValue(QStringLiteral("window/geometry"), saveGeometry());
    saveUiState();
    event->accept();
}

void MainWindow::openFiles()
{
    const QStringList files = UiFacade::instance().openFileNames(this, tr("Open session files"),
        tr("Session files (*.session *.sqlite *.db *.dat *.json *.age);;All files (*)"));
    openPaths(files);
}

void MainWindow::openFolder()
{
    const QString dir = UiFacade::instance().existingDirectory(this, tr("Open a folder (scanned recursively)"));
    if (!dir.isEmpty())
        openPaths({dir});
}

void MainWindow::setServerSecretStore(SecretStore *store)
{
    m_serverSecrets = store;
    m_serverSecretsChosen = true;
}

SecretStore *MainWindow::serverSecretStore()
{
    if (!m_serverSecretsChosen) {
        m_serverSecretsChosen = true;
        // As the CLI (app/cli/serveroptions.cpp): only where a keychain can answer, so a missing one never delays.
#if defined(Q_OS_LINUX)
        const bool reachable = !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS");
#else
        const bool reachable = true;
#endif
        if (reachable) {
            m_ownServerSecrets = std::make_unique<KeychainSecretStore>(QStringLiteral("sessiondesk"), 5000);
            m_serverSecrets = m_ownServerSecrets.get();
        }
    }
    return m_serverSecrets;
}

void MainWindow::connectServer()
{
    ConnectDialog dialog(serverSecretStore(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    auto docs = dialog.takeDocuments();
    const int n = static_cast<int>(docs.size());
    // Each session is a document of its own; a session already open stays as it is.
    std::vector<std::unique_ptr<Document>> fresh;
    for (auto &d : docs) {
        bool open = false;
        for (int i = 0; i < m_workspace->count(); ++i) {
            const Document *o = m_workspace->at(i);
            open = open || (o->source().path == d->source().path && o->readOptions().session == d->readOptions().session);
        }
        if (!open)
            fresh.push_back(std::move(d));
    }
    addDocuments(std::move(fresh));
    showStatus(tr("%1: %n session(s)", nullptr, n).arg(dialog.connectedUrl()));
    showServerOverview(dialog.connectedUrl()); // a store shows its summary first, as a folder does
}

void MainWindow::importDialog()
{
    ImportDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    addDocuments(dialog.takeDocuments());
}

void MainWindow::exportDialog()
{
    Document *doc = currentDocument();
    if (!doc)
        return;
    ExportDialog dialog(doc, m_accountView->account(), this);
    dialog.exec();
}

void MainWindow::auditDialog()
{
    QStringList start;
    if (Document *doc = currentDocument(); doc && !doc->isString() && !doc->isServer())
        start << QFileInfo(doc->source().path).absolutePath();
    AuditDialog dialog(start, this);
    connect(&dialog, &AuditDialog::openRequested, this, [this, &dialog](const QString &path) {
        if (openPaths({path}) > 0)
            dialog.accept();
    });
    dialog.exec();
}

void MainWindow::pruneDialog()
{
    Document *doc = currentDocument();
    if (!doc || doc->isString())
        return;
    if (doc->isModified()) {
        UiFacade::instance().warning(this, tr("Prune"), tr("Save or undo your edits before pruning."));
        return;
    }
    PruneDialog dialog(doc->format(), doc->source().path, this, doc->readOptions().session);
    dialog.exec();
    if (dialog.pruned()) {
        if (auto s = doc->reload(); !s)
            UiFacade::instance().warning(this, tr("Prune"), s.error().message);
    }
}

void MainWindow::openVault()
{
    VaultDialog dialog(this);
    dialog.setWorkspace(m_workspace); // "Add open documents"
    if (dialog.exec() != QDialog::Accepted)
        return;
    addDocuments(dialog.takeDocuments());
}

void MainWindow::find()
{
    if (!currentDocument())
        return;
    m_accountView->setCurrentIndex(AccountView::PeersTab);
    m_accountView->peers()->focusSearch();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &u : event->mimeData()->urls())
        if (u.isLocalFile())
            paths << u.toLocalFile();
    event->acceptProposedAction();
    openPaths(paths);
}

void MainWindow::addRecent(const QString &path)
{
    QSettings s;
    QStringList recent = s.value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 10)
        recent.removeLast();
    s.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString &p : recent)
        m_recentMenu->addAction(p, this, [this, p] { openPaths({p}); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

} // namespace sd
