// MainWindow hooks of issue 18, kept apart from the window's layout code: the status bar's facts
// about the open store (format, path, lock, unsaved changes), failed undo/redo reported to the
// user, the undo history reset whenever a document rereads its source (after save or prune), and
// the overview of a folder or a connected server store.
#include "mainwindow.h"

#include "accessiblenames.h"
#include "accountview.h"
#include "auditdialog.h"
#include "documentstatus.h"
#include "editcommand.h"
#include "jobdialog.h"
#include "overviewpanel.h"
#include "peerspanel.h"
#include "storelistmodel.h"
#include "uifacade.h"
#include "edit/document.h"
#include "edit/workspace.h"
#include "server/serverurl.h"

#include <QAction>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenuBar>
#include <QSet>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTreeView>
#include <QUndoStack>

namespace sd {

void MainWindow::setupEditHooks()
{
    m_docStatus = new DocumentStatus(this);
    statusBar()->addPermanentWidget(m_docStatus);
    connect(m_docStatus, &DocumentStatus::lockChanged, this, [this] { updateActions(); });
    EditCommand::setFailureHandler([this](const QString &message) {
        UiFacade::instance().warning(this, tr("Undo"), message);
    });

    installAccessibleNamer();
    m_overview = new OverviewPanel(this);
    m_stack->addWidget(m_overview);
    connect(m_overview, &OverviewPanel::filterRequested, this, [this](const QString &title, const QStringList &places) {
        filterSidebar(places);
        showStatus(tr("Sidebar: %1 (%n place(s))", nullptr, static_cast<int>(places.size())).arg(title));
    });
    connect(m_overview, &OverviewPanel::auditRequested, this, [this](const QStringList &roots) {
        AuditDialog dialog(roots, this);
        connect(&dialog, &AuditDialog::openRequested, this, [this, &dialog](const QString &path) {
            if (openPaths({path}) > 0)
                dialog.accept();
        });
        dialog.runAuditNow();
        dialog.exec();
    });
    auto *overview = new QAction(tr("Folder &overview"), this);
    overview->setObjectName(QStringLiteral("overview"));
    overview->setShortcut(QKeySequence(tr("Ctrl+Shift+W")));
    connect(overview, &QAction::triggered, this, [this] {
        filterSidebar({});
        if (!m_overview->report().found.empty() || !m_overview->report().findings.empty())
            m_stack->setCurrentWidget(m_overview);
    });
    m_actions.insert(QStringLiteral("overview"), overview);
    QMenu *view = new QMenu(tr("&View"), this);
    view->addAction(overview);
    const QList<QAction *> menus = menuBar()->actions();
    menuBar()->insertMenu(menus.isEmpty() ? nullptr : menus.last(), view);
}

void MainWindow::restoreUiState()
{
    QSettings s;
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    if (auto *split = qobject_cast<QSplitter *>(centralWidget()))
        split->restoreState(s.value(QStringLiteral("window/splitter")).toByteArray());
    const QList<QPair<QString, QTableView *>> tables = {{QStringLiteral("columns/peers"), m_accountView->peers()->view()},
                                                         {QStringLiteral("columns/session"), m_accountView->sessionView()},
                                                         {QStringLiteral("columns/dcs"), m_accountView->dcView()},
                                                         {QStringLiteral("columns/updateState"), m_accountView->updateView()}};
    for (const auto &[key, view] : tables)
        if (s.contains(key))
            view->horizontalHeader()->restoreState(s.value(key).toByteArray());
}

void MainWindow::saveUiState()
{
    QSettings s;
    s.setValue(QStringLiteral("window/state"), saveState());
    if (auto *split = qobject_cast<QSplitter *>(centralWidget()))
        s.setValue(QStringLiteral("window/splitter"), split->saveState());
    s.setValue(QStringLiteral("columns/peers"), m_accountView->peers()->view()->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("columns/session"), m_accountView->sessionView()->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("columns/dcs"), m_accountView->dcView()->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("columns/updateState"), m_accountView->updateView()->horizontalHeader()->saveState());
}

void MainWindow::showOverview(const QStringList &folders)
{
    auto report = std::make_shared<AuditReport>();
    runJob(this, tr("Summarising…"), [folders, report](TaskContext &ctx) -> QVariant {
        std::atomic_bool cancel {false};
        AuditOptions o;
        o.recursive = true;
        o.cancel = &cancel;
        o.progress = [&ctx, &cancel](qint64 done, qint64 total, const QString &path) {
            ctx.progress(done, total, path);
            if (ctx.isCancelled())
                cancel.store(true);
        };
        *report = runAudit(folders, o);
        return true;
    });
    m_overview->setReport(folders, *report);
    filterSidebar({});
    m_stack->setCurrentWidget(m_overview);
}

void MainWindow::showServerOverview(const QString &url, bool show)
{
    // What `audit URL --json` reads: every session of the store (docs/cli.md "Server stores"), one
    // place "URL#session=NAME" each. Connect already read them (counts, no peers).
    Store store;
    QString formatId;
    for (int i = 0; i < m_workspace->count(); ++i) {
        const Document *d = m_workspace->at(i);
        if (!d->isServer() || d->source().path != url)
            continue;
        formatId = d->format()->id();
        store.formatId = d->store().formatId;
        store.accounts.insert(store.accounts.end(), d->store().accounts.begin(), d->store().accounts.end());
    }
    if (store.accounts.empty())
        return;
    m_overview->setReport({url}, auditServerStore(url, store, formatId));
    if (!show)
        return;
    filterSidebar({});
    m_stack->setCurrentWidget(m_overview);
}

namespace {

// Where a document is in audit terms: a file's absolute path, a server session "URL#session=NAME"
// (core/audit/scanitem.cpp).
QString placeOf(const Document *doc)
{
    if (doc->isServer())
        return doc->readOptions().session.isEmpty() ? doc->source().path
                                                    : doc->source().path + QStringLiteral("#session=") + doc->readOptions().session;
    return QFileInfo(doc->source().path).absoluteFilePath();
}

} // namespace

void MainWindow::filterSidebar(const QStringList &places)
{
    QSet<QString> wanted;
    for (const QString &p : places)
        wanted.insert(server::looksLikeServerUrl(p) ? p : QFileInfo(p).absoluteFilePath());
    for (int i = 0; i < m_workspace->count(); ++i)
        m_sidebar->setRowHidden(i, QModelIndex(), !places.isEmpty() && !wanted.contains(placeOf(m_workspace->at(i))));
}

void MainWindow::hookDocument(Document *doc, QUndoStack *stack)
{
    // The document now shows the source as it is on disk: the old edits cannot be undone into it.
    connect(doc, &Document::reloaded, stack, &QUndoStack::clear);
    if (!doc->isServer())
        return;
    // The overview of its store follows exact peer counts (Connect may start from estimates) and
    // what a save or prune left.
    auto refresh = [this, doc] {
        if (m_overview->roots() == QStringList{doc->source().path})
            showServerOverview(doc->source().path, false);
    };
    connect(doc, &Document::peerCountsChanged, this, refresh);
    connect(doc, &Document::reloaded, this, refresh);
}

} // namespace sd
