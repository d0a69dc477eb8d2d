#include "peerspanel.h"

#include "editcommand.h"
#include "peereditdialog.h"
#include "peermodel.h"
#include "uifacade.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

namespace sd {

PeersPanel::PeersPanel(QWidget *parent) : QWidget(parent), m_model(new PeerModel(this))
{
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("peerSearch"));
    m_search->setPlaceholderText(tr("Search id, username, phone or name"));
    m_search->setClearButtonEnabled(true);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("peerKind"));
    m_kind->addItem(tr("All types"));
    m_kind->addItem(tr("Users"), int(PeerKind::User));
    m_kind->addItem(tr("Basic groups"), int(PeerKind::Chat));
    m_kind->addItem(tr("Channels"), int(PeerKind::Channel));
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("peerCount"));
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("peerTable"));
    m_view->setModel(m_model);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(PeerModel::MarkedId, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(PeerModel::MarkedId, 170);
    m_view->setColumnWidth(PeerModel::AccessHash, 180);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);

    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto makeAction = [this](const QString &name, const QString &text, const QString &icon) {
        auto *a = new QAction(QIcon::fromTheme(icon), text, this);
        a->setObjectName(name);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(a);
        return a;
    };
    m_deleteAction = makeAction(QStringLiteral("deletePeers"), tr("&Delete peers"), QStringLiteral("edit-delete"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_addAction = makeAction(QStringLiteral("addPeer"), tr("&Add peer…"), QStringLiteral("list-add"));
    m_addAction->setShortcut(QKeySequence(Qt::Key_Insert));
    m_editAction = makeAction(QStringLiteral("editPeer"), tr("&Edit peer…"), QStringLiteral("document-edit"));
    m_clearAction = makeAction(QStringLiteral("clearPeers"), tr("&Clear the whole cache…"), QStringLiteral("edit-clear-all"));
    connect(m_deleteAction, &QAction::triggered, this, [this] { deleteSelected(); });
    connect(m_addAction, &QAction::triggered, this, &PeersPanel::addDialog);
    connect(m_editAction, &QAction::triggered, this, &PeersPanel::editDialog);
    connect(m_clearAction, &QAction::triggered, this, [this] { clearCache(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PeersPanel::updateActions);
    m_search->setAccessibleName(tr("Search peers"));
    m_search->setAccessibleDescription(tr("Filter the peer cache by id, username, phone or name"));
    m_kind->setAccessibleName(tr("Peer type filter"));
    m_kind->setAccessibleDescription(tr("Show one kind of peer only"));
    m_count->setAccessibleName(tr("Peer count"));
    m_view->setAccessibleName(tr("Peer cache"));
    m_view->setAccessibleDescription(tr("Cached peers; edit a cell with a double-click, Delete removes the selected peers"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_kind);
    bar->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(m_model->searchDebounceMs());
    // SQL scans while the in-memory index is built: wait for a pause in typing; with the index a
    // search takes milliseconds, so results follow each keystroke (issue 19).
    connect(m_model, &PeerModel::indexBuilt, this, [this] { m_debounce->setInterval(m_model->searchDebounceMs()); });
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, [this] { m_model->setSearch(m_search->text().trimmed()); });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant v = m_kind->currentData();
        m_model->setKindFilter(v.isValid() ? std::optional<PeerKind>(PeerKind(v.toInt())) : std::nullopt);
    });
    connect(m_model, &PeerModel::totalChanged, this, &PeersPanel::updateCount);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &PeersPanel::updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &PeersPanel::updateCount);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &PeersPanel::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PeersPanel::updateCount);
    connect(m_model, &PeerModel::editRejected, this, &PeersPanel::message);
    connect(m_model, &PeerModel::loadError, this, [this](const QString &e) { Q_EMIT message(tr("Peers: %1").arg(e)); });
    updateCount();
}

void PeersPanel::setDocument(Document *doc, int account, QUndoStack *stack)
{
    m_doc = doc;
    m_account = account;
    m_stack = stack;
    m_model->setDocument(doc, account, stack);
    m_debounce->setInterval(m_model->searchDebounceMs());
    updateActions();
    updateCount();
}

void PeersPanel::updateActions()
{
    const bool editable = m_doc && !m_doc->isDetached() && m_doc->format() && m_doc->format()->descriptor().writable;
    const bool any = m_view->selectionModel() && m_view->selectionModel()->hasSelection();
    m_deleteAction->setEnabled(editable && any);
    m_editAction->setEnabled(editable && m_view->selectionModel() && m_view->selectionModel()->selectedRows().size() == 1);
    m_addAction->setEnabled(editable);
    m_clearAction->setEnabled(editable && !m_doc->peersCleared(m_account));
}

bool PeersPanel::deleteSelected()
{
    if (!m_doc)
        return false;
    QList<qint64> ids;
    QList<Peer> added;
    const int cacheRows = m_model->rowCount() - m_model->addedCount();
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows()) {
        const auto p = m_model->peerAt(i.row());
        if (!p)
            continue;
        if (i.row() >= cacheRows)
            added << *p;
        else if (!m_doc->isPeerDeleted(m_account, p->markedId()))
            ids << p->markedId();
    }
    if (ids.isEmpty() && added.isEmpty()) {
        Q_EMIT message(tr("Select loaded peers to delete."));
        return false;
    }
    QPointer<Document> doc = m_doc;
    const int account = m_account;
    const Status s = pushEdit(
        m_stack, tr("Delete %n peer(s)", nullptr, static_cast<int>(ids.size() + added.size())),
        [doc, account, ids, added]() -> Status {
            if (!doc)
                return Error::usage(QStringLiteral("document closed"));
            if (!ids.isEmpty())
                if (auto st = doc->deletePeers(account, ids); !st)
                    return st;
            for (const Peer &p : added)
                if (auto st = doc->removeAddedPeer(account, p.markedId()); !st)
                    return st;
            return {};
        },
        [doc, account, ids, added]() -> Status {
            if (!doc)
                return Error::usage(QStringLiteral("document closed"));
            for (const Peer &p : added)
                if (auto st = doc->addPeer(account, p); !st)
                    return st;
            return ids.isEmpty() ? Status{} : doc->undeletePeers(account, ids);
        });
    if (!s) {
        Q_EMIT message(s.error().message);
        return false;
    }
    Q_EMIT message(tr("%n peer(s) deleted; Save writes it, Undo brings them back.", nullptr, static_cast<int>(ids.size() + added.size())));
    return true;
}

bool PeersPanel::addPeer(const Peer &peer)
{
    if (!m_doc)
        return false;
    QPointer<Document> doc = m_doc;
    const int account = m_account;
    const Status s = pushEdit(
        m_stack, tr("Add peer %1").arg(peer.markedId()),
        [doc, account, peer]() -> Status { return doc ? doc->addPeer(account, peer) : Error::usage(QStringLiteral("document closed")); },
        [doc, account, id = peer.markedId()]() -> Status {
            return doc ? doc->removeAddedPeer(account, id) : Error::usage(QStringLiteral("document closed"));
        });
    if (!s)
        Q_EMIT message(s.error().message);
    return s.ok();
}

bool PeersPanel::editPeer(const Peer &before, const Peer &edited)
{
    if (!m_doc || before.markedId() != edited.markedId())
        return false;
    QPointer<Document> doc = m_doc;
    const int account = m_account;
    const qint64 id = before.markedId();
    bool isAdded = false;
    for (const Peer &p : m_doc->addedPeers(account))
        isAdded = isAdded || p.markedId() == id;
    const Peer *prior = m_doc->peerEdit(account, id);
    const std::optional<Peer> overlay = prior ? std::optional<Peer>(*prior) : std::nullopt;
    auto set = [doc, account, id, isAdded](const std::optional<Peer> &value) -> Status {
        if (!doc)
            return Error::usage(QStringLiteral("document closed"));
        if (isAdded) {
            if (auto st = doc->removeAddedPeer(account, id); !st)
                return st;
            return doc->addPeer(account, *value);
        }
        if (value)
            return doc->setPeer(account, id, *value);
        doc->clearPeerEdit(account, id);
        return {};
    };
    const Status s = pushEdit(
        m_stack, tr("Edit peer %1").arg(id), [set, edited] { return set(edited); },
        [set, overlay, before, isAdded] { return set(isAdded ? std::optional<Peer>(before) : overlay); });
    if (!s)
        Q_EMIT message(s.error().message);
    return s.ok();
}

bool PeersPanel::clearCache()
{
    if (!m_doc || m_doc->peersCleared(m_account))
        return false;
    const auto answer = UiFacade::instance().question(
        this, tr("Clear the peer cache"),
        tr("Every cached peer (%1) of this account will be removed from %2 when you save. The login itself stays.\n\nClear the cache?")
            .arg(m_doc->peerTotal(m_account))
            .arg(m_doc->displayName()),
        QMessageBox::Yes | QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return false;
    QPointer<Document> doc = m_doc;
    const int account = m_account;
    const Status s = pushEdit(
        m_stack, tr("Clear the peer cache"),
        [doc, account]() -> Status { return doc ? doc->setPeersCleared(account, true) : Error::usage(QStringLiteral("document closed")); },
        [doc, account]() -> Status { return doc ? doc->setPeersCleared(account, false) : Error::usage(QStringLiteral("document closed")); });
    if (!s)
        Q_EMIT message(s.error().message);
    updateActions();
    return s.ok();
}

void PeersPanel::addDialog()
{
    PeerEditDialog dialog(std::nullopt, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (auto p = dialog.peer())
        addPeer(*p);
}

void PeersPanel::editDialog()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return;
    const auto before = m_model->peerAt(rows.front().row());
    if (!before)
        return;
    PeerEditDialog dialog(*before, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (auto p = dialog.peer())
        editPeer(*before, *p);
}

void PeersPanel::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void PeersPanel::updateCount()
{
    const qint64 n = m_model->total();
    QString text = n < 0 ? tr("counting…") : tr("%1 peers").arg(n);
    if (m_doc) {
        if (m_doc->peersCleared(m_account))
            text += tr(", all cleared on Save");
        else if (const int d = m_doc->deletedPeerCount(m_account))
            text += tr(", %1 deleted").arg(d);
        if (const int a = m_model->addedCount())
            text += tr(", %1 added").arg(a);
    }
    m_count->setText(text);
    updateActions();
}

} // namespace sd
