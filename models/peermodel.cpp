#include "peermodel.h"

#include "editcommand.h"

#include <QElapsedTimer>
#include <QFont>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <QUndoStack>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace sd {

namespace {

PeerSortColumn sortColumn(int column)
{
    switch (column) {
    case PeerModel::MarkedId: return PeerSortColumn::Id;
    case PeerModel::Type: return PeerSortColumn::Type;
    case PeerModel::AccessHash: return PeerSortColumn::AccessHash;
    case PeerModel::Username: return PeerSortColumn::Username;
    case PeerModel::Phone: return PeerSortColumn::Phone;
    case PeerModel::Name: return PeerSortColumn::Name;
    case PeerModel::Updated: return PeerSortColumn::Updated;
    default: return PeerSortColumn::Default;
    }
}

QString optText(const std::optional<QString> &s) { return s.value_or(QString()); }

} // namespace

PeerModel::PeerModel(QObject *parent)
    : QAbstractTableModel(parent), m_sharedGeneration(std::make_shared<std::atomic<quint64>>(0))
{
    qRegisterMetaType<sd::PeerRows>();
}

PeerModel::~PeerModel()
{
    stopIndex();
    stopWorker();
}

void PeerModel::stopIndex()
{
    ++m_sourceSerial;
    if (m_indexCancel)
        m_indexCancel->store(true);
    if (m_indexThread) {
        m_indexThread->wait();
        delete m_indexThread;
        m_indexThread = nullptr;
    }
    m_indexCancel.reset();
    m_index.reset();
    m_indexStarted = false;
}

void PeerModel::startIndex()
{
    if (m_indexStarted || !m_indexEnabled || !m_factory || !m_loader)
        return;
    if (m_doc) {
        // Peers the reader already holds in memory (strings, small stores) are searched there;
        // a second table would only copy them.
        const Session *s = m_doc->account(m_account);
        if (!s || !s->peerCountsOnly || m_doc->isString())
            return;
    }
    m_indexStarted = true;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_indexCancel = cancel;
    const quint64 serial = m_sourceSerial;
    PeerLoader::Factory factory = m_factory;
    // Its own read-only table (the factory opens the file the way the loader does): the loader
    // keeps answering from SQL meanwhile.
    m_indexThread = QThread::create([this, factory, cancel, serial] {
        QElapsedTimer timer;
        timer.start();
        auto table = factory();
        if (!table || cancel->load())
            return;
        auto index = (*table)->buildIndex(cancel.get());
        table->reset();
#ifdef __GLIBC__
        malloc_trim(0); // the pass's connection cache and sort buffers go back to the system
#endif
        if (!index || !*index || cancel->load())
            return;
        std::shared_ptr<const PeerIndex> built = *index;
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        QMetaObject::invokeMethod(
            this,
            [this, built, serial, ms] {
                if (serial != m_sourceSerial || !m_loader)
                    return;
                m_indexBuildMs = ms;
                m_index = built;
                m_loader->setIndex(built);
                Q_EMIT indexBuilt();
            },
            Qt::QueuedConnection);
    });
    m_indexThread->setObjectName(QStringLiteral("sd-peer-index"));
    m_indexThread->start(QThread::LowPriority);
}

qint64 PeerModel::indexMemoryBytes() const { return m_index ? static_cast<qint64>(m_index->memoryBytes()) : 0; }

void PeerModel::stopWorker()
{
    if (!m_thread)
        return;
    m_loader->stop();
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_loader = nullptr; // deleted in its thread on finished()
}

void PeerModel::startWorker(PeerLoader::Factory factory)
{
    stopWorker();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("sd-peers"));
    m_loader = new PeerLoader(std::move(factory), m_sharedGeneration);
    m_loader->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_loader, &QObject::deleteLater);
    connect(m_loader, &PeerLoader::counted, this, &PeerModel::onCounted, Qt::QueuedConnection);
    connect(m_loader, &PeerLoader::fetched, this, &PeerModel::onFetched, Qt::QueuedConnection);
    m_thread->start();
}

void PeerModel::setDocument(Document *doc, int account, QUndoStack *stack)
{
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_doc = doc;
    m_account = account;
    m_stack = stack;
    m_added = doc ? doc->addedPeers(account) : std::vector<Peer>{};
    if (!doc) {
        setSource({});
        return;
    }
    connect(doc, &Document::peerChanged, this, &PeerModel::onPeerChanged);
    connect(doc, &Document::peersChanged, this, &PeerModel::onPeersChanged);
    auto hint = [doc = QPointer<Document>(doc), account](const PeerQuery &f) -> std::optional<qint64> {
        const Session *s = doc ? doc->account(account) : nullptr;
        if (!s || !s->peerCountsOnly || !f.search.isEmpty())
            return std::nullopt;
        if (!f.kind)
            return s->peerCountsOnly->total();
        return *f.kind == PeerKind::User ? s->peerCountsOnly->users
            : *f.kind == PeerKind::Chat  ? s->peerCountsOnly->chats
                                         : s->peerCountsOnly->channels;
    };
    connect(doc, &Document::reloaded, this, [this, hint] {
        if (!m_doc)
            return;
        m_added = m_doc->addedPeers(m_account);
        setSource(m_doc->peerTableFactory(m_account), hint);
    });
    setSource(doc->peerTableFactory(account), hint);
}

void PeerModel::setSource(PeerLoader::Factory factory, TotalHint totalHint)
{
    m_hint = std::move(totalHint);
    stopIndex();
    m_factory = factory;
    if (factory)
        startWorker(std::move(factory));
    else
        stopWorker();
    restart();
}

void PeerModel::setSearch(const QString &text)
{
    if (text == m_query.filter.search)
        return;
    m_query.filter.search = text;
    restart();
}

void PeerModel::setKindFilter(std::optional<PeerKind> kind)
{
    if (kind == m_query.filter.kind)
        return;
    m_query.filter.kind = kind;
    restart();
}

void PeerModel::setChunkSize(qint64 rows)
{
    m_baseChunkSize = std::clamp<qint64>(rows, 16, 100000);
    restart();
}

void PeerModel::sort(int column, Qt::SortOrder order)
{
    const PeerSortColumn c = sortColumn(column);
    const bool desc = order == Qt::DescendingOrder;
    if (c == m_query.sort && desc == m_query.descending)
        return;
    m_query.sort = c;
    m_query.descending = desc;
    restart();
}

void PeerModel::restart()
{
    ++m_generation;
    m_sharedGeneration->store(m_generation);
    beginResetModel();
    m_chunks.clear();
    m_pending.clear();
    // An order without an index (name, username...) makes SQLite sort the whole table for every
    // page: fetch 8x bigger pages then (and keep the same number of cached rows).
    const bool indexed = m_query.sort == PeerSortColumn::Id || m_query.sort == PeerSortColumn::Default
        || (m_index && m_index->supports(m_query));
    m_chunkSize = indexed ? m_baseChunkSize : m_baseChunkSize * 8;
    m_total = 0;
    m_error.clear();
    m_counting = m_loader != nullptr;
    // A search with the index matches edited peers on their new values (SQL sees the file).
    m_overlay.reset();
    if (m_doc && !m_query.filter.search.trimmed().isEmpty())
        if (auto edits = m_doc->peerEdits(m_account); !edits.empty())
            m_overlay = std::make_shared<const PeerIndex::Overlay>(std::move(edits));
    const std::optional<qint64> hint = m_loader && m_hint ? m_hint(m_query.filter) : std::nullopt;
    m_hinted = hint.has_value();
    if (m_hinted) {
        m_total = std::clamp<qint64>(*hint, 0, std::numeric_limits<int>::max() - 1);
        m_counting = false;
    }
    endResetModel();
    if (!m_loader) {
        Q_EMIT totalChanged(0);
        return;
    }
    if (m_hinted)
        Q_EMIT totalChanged(m_total);
    ensureLoaded(0);
    PeerRequest count;
    count.generation = m_generation;
    count.query = m_query;
    count.count = true;
    count.overlay = m_overlay;
    if (!m_hinted) {
        count.priority = 2;
        m_loader->post(count);
        return;
    }
    // A hinted count only verifies the reader's numbers: run it when the first interaction is
    // over (a full scan of a million rows would delay the first jump by ~150 ms).
    count.priority = 0;
    QTimer::singleShot(1500, this, [this, count] {
        if (count.generation == m_generation && m_loader)
            m_loader->post(count);
    });
}

void PeerModel::ensureLoaded(int row) const
{
    if (!m_loader || row < 0 || (!m_counting && row >= m_total)) // rows past the total are added by hand; while counting, load
        return;
    const qint64 chunk = row / m_chunkSize;
    if (m_chunks.contains(chunk) || m_pending.contains(chunk))
        return;
    m_pending.insert(chunk);
    PeerRequest r;
    r.generation = m_generation;
    r.query = m_query;
    r.chunk = chunk;
    r.chunkSize = m_chunkSize;
    r.overlay = m_overlay;
    // Far from the start of an id-ordered view, read from the other end: SQLite walks every
    // skipped row of an OFFSET, so the last page of a million rows costs as much as the first.
    if (m_query.sort == PeerSortColumn::Id && !m_counting && chunk * m_chunkSize > m_total / 2) {
        r.fromEnd = true;
        r.total = m_total;
    }
    m_loader->post(r);
}

void PeerModel::onCounted(quint64 generation, qint64 total, const QString &error)
{
    if (generation != m_generation) {
        ++m_staleDropped;
        return;
    }
    m_counting = false;
    if (!error.isEmpty()) {
        m_error = error;
        Q_EMIT loadError(error);
        Q_EMIT totalChanged(m_total);
        return;
    }
    // Views cannot hold more than INT_MAX rows.
    total = std::min<qint64>(total, std::numeric_limits<int>::max() - 1);
    if (m_hinted) {
        m_hinted = false;
        if (total == m_total)
            return;
        // The hint was wrong: rows fetched from the end sit at wrong places. Start over with
        // the real count under a new generation (bumped before the reset, whose data() calls
        // already request chunks).
        ++m_generation;
        m_sharedGeneration->store(m_generation);
        beginResetModel();
        m_chunks.clear();
        m_pending.clear();
        m_total = total;
        endResetModel();
        Q_EMIT totalChanged(m_total);
        ensureLoaded(0);
        return;
    }
    if (total > 0) {
        beginInsertRows({}, 0, static_cast<int>(total - 1));
        m_total = total;
        endInsertRows();
    }
    Q_EMIT totalChanged(m_total);
}

void PeerModel::onFetched(quint64 generation, qint64 chunk, PeerRows rows, const QString &error)
{
    if (generation != m_generation) {
        ++m_staleDropped;
        return;
    }
    m_pending.remove(chunk);
    if (!error.isEmpty() || !rows) {
        m_error = error;
        Q_EMIT loadError(error);
        return;
    }
    m_chunks.insert(chunk, Chunk{std::move(rows), ++m_useCounter});
    startIndex(); // after the first rows: the pass does not compete with them
    evict();
    const qint64 first = chunk * m_chunkSize;
    const qint64 last = std::min(m_total, first + m_chunkSize) - 1;
    if (first <= last)
        Q_EMIT dataChanged(index(static_cast<int>(first), 0), index(static_cast<int>(last), ColumnCount - 1));
    Q_EMIT chunkLoaded(chunk);
}

void PeerModel::evict() const
{
    const qint64 limit = std::max<qint64>(2, m_maxChunks * m_baseChunkSize / m_chunkSize);
    while (m_chunks.size() > limit) {
        auto oldest = m_chunks.begin();
        for (auto it = m_chunks.begin(); it != m_chunks.end(); ++it)
            if (it->lastUse < oldest->lastUse)
                oldest = it;
        m_chunks.erase(oldest);
    }
}

const Peer *PeerModel::rawPeer(int row) const
{
    if (row >= m_total && row < m_total + addedCount())
        return &m_added[static_cast<size_t>(row - m_total)];
    if (row < 0 || row >= m_total)
        return nullptr;
    auto it = m_chunks.find(row / m_chunkSize);
    if (it == m_chunks.end())
        return nullptr;
    const auto &rows = *it->rows;
    const size_t i = static_cast<size_t>(row % m_chunkSize);
    if (i >= rows.size())
        return nullptr;
    it->lastUse = ++m_useCounter;
    return &rows[i];
}

bool PeerModel::isRowLoaded(int row) const { return rawPeer(row) != nullptr; }

std::optional<Peer> PeerModel::peerAt(int row) const
{
    const Peer *p = rawPeer(row);
    if (!p)
        return std::nullopt;
    if (m_doc)
        if (const Peer *e = m_doc->peerEdit(m_account, p->markedId()))
            return *e;
    return *p;
}

void PeerModel::onPeerChanged(int account, qint64 markedId)
{
    if (account != m_account)
        return;
    for (auto it = m_chunks.cbegin(); it != m_chunks.cend(); ++it) {
        const auto &rows = *it->rows;
        for (size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].markedId() != markedId)
                continue;
            const int row = static_cast<int>(it.key() * m_chunkSize + static_cast<qint64>(i));
            if (row < m_total)
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

void PeerModel::onPeersChanged(int account)
{
    if (account != m_account || !m_doc)
        return;
    std::vector<Peer> added = m_doc->addedPeers(account);
    const int before = addedCount(), after = static_cast<int>(added.size());
    const int first = static_cast<int>(m_total);
    if (after > before) {
        beginInsertRows({}, first + before, first + after - 1);
        m_added = std::move(added);
        endInsertRows();
    } else if (after < before) {
        beginRemoveRows({}, first + after, first + before - 1);
        m_added = std::move(added);
        endRemoveRows();
    } else {
        m_added = std::move(added);
    }
    // Deleted rows (or a cleared cache) change how every row looks.
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int PeerModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : static_cast<int>(m_total) + addedCount(); }

int PeerModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant PeerModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const Peer *raw = rawPeer(index.row());
    if (!raw) {
        ensureLoaded(index.row());
        if (role == Qt::DisplayRole && index.column() == MarkedId)
            return tr("loading…");
        if (role == LoadedRole)
            return false;
        return {};
    }
    const bool added = index.row() >= m_total;
    const Peer *edited = m_doc && !added ? m_doc->peerEdit(m_account, raw->markedId()) : nullptr;
    const Peer &p = edited ? *edited : *raw;
    const bool deleted = !added && m_doc && m_doc->isPeerDeleted(m_account, p.markedId());
    if (role == LoadedRole)
        return true;
    if (role == MarkedIdRole)
        return p.markedId();
    if (role == DeletedRole)
        return deleted;
    if (role == Qt::FontRole && (edited || added || deleted)) {
        QFont f;
        f.setItalic(edited || added);
        f.setStrikeOut(deleted);
        return f;
    }
    if (role == Qt::ToolTipRole && (edited || added || deleted))
        return deleted ? tr("Deleted (removed from the file on Save)") : added ? tr("Added by hand (not saved yet)") : tr("Edited (not saved yet)");
    const bool display = role == Qt::DisplayRole;
    const bool edit = role == Qt::EditRole;
    const bool sortKey = role == SortKeyRole;
    if (!display && !edit && !sortKey)
        return {};
    switch (index.column()) {
    case MarkedId: return sortKey ? QVariant(p.markedId()) : QVariant(QString::number(p.markedId()));
    case Type: return peerSubtypeName(p);
    case AccessHash:
        if (!p.accessHash)
            return {};
        return sortKey ? QVariant(*p.accessHash) : QVariant(QString::number(*p.accessHash));
    case Username: return edit ? p.usernames.join(QLatin1Char(' ')) : p.usernames.join(QStringLiteral(", "));
    case Phone: return optText(p.phone);
    case Name: return optText(p.name);
    case Updated:
        if (sortKey)
            return p.updated ? QVariant(*p.updated) : QVariant();
        return formatTimestamp(p.updated);
    case Min: return p.isMin ? tr("yes") : QString();
    }
    return {};
}

QVariant PeerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case MarkedId: return tr("ID");
    case Type: return tr("Type");
    case AccessHash: return tr("Access hash");
    case Username: return tr("Username");
    case Phone: return tr("Phone");
    case Name: return tr("Name");
    case Updated: return tr("Updated (UTC)");
    case Min: return tr("Min");
    }
    return {};
}

Qt::ItemFlags PeerModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (!index.isValid())
        return f;
    const int c = index.column();
    if (m_doc && index.row() < m_total && (c == AccessHash || c == Username || c == Phone || c == Name) && isRowLoaded(index.row()) &&
        !m_doc->isPeerDeleted(m_account, index.data(MarkedIdRole).toLongLong()))
        f |= Qt::ItemIsEditable;
    return f;
}

bool PeerModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !m_doc || !index.isValid())
        return false;
    const auto current = peerAt(index.row());
    if (!current)
        return false;
    Peer next = *current;
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case AccessHash:
        if (text.isEmpty()) {
            next.accessHash.reset();
        } else {
            auto v = parseInt64(text);
            if (!v) {
                Q_EMIT editRejected(tr("An access hash is a signed 64-bit integer."));
                return false;
            }
            next.accessHash = *v;
        }
        break;
    case Username:
        next.usernames = text.split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
        for (QString &u : next.usernames)
            if (u.startsWith(QLatin1Char('@')))
                u.remove(0, 1);
        break;
    case Phone: {
        QString digits = text;
        digits.remove(QLatin1Char('+')).remove(QLatin1Char(' '));
        if (!digits.isEmpty() && !QRegularExpression(QStringLiteral("^[0-9]{4,20}$")).match(digits).hasMatch()) {
            Q_EMIT editRejected(tr("A phone number is 4-20 digits."));
            return false;
        }
        next.phone = digits.isEmpty() ? std::nullopt : std::optional<QString>(digits);
        break;
    }
    case Name: next.name = text.isEmpty() ? std::nullopt : std::optional<QString>(text); break;
    default: return false;
    }
    const qint64 id = current->markedId();
    const int account = m_account;
    QPointer<Document> doc = m_doc;
    const Peer *prior = m_doc->peerEdit(account, id);
    std::optional<Peer> before = prior ? std::optional<Peer>(*prior) : std::nullopt;
    Status s = pushEdit(
        m_stack, tr("Edit %1 of peer %2").arg(headerData(index.column(), Qt::Horizontal).toString()).arg(id),
        [doc, account, id, next]() -> Status {
            if (!doc)
                return Error::usage(QStringLiteral("document closed"));
            return doc->setPeer(account, id, next);
        },
        [doc, account, id, before]() -> Status {
            if (!doc)
                return Error::usage(QStringLiteral("document closed"));
            if (before)
                return doc->setPeer(account, id, *before);
            doc->clearPeerEdit(account, id);
            return {};
        });
    if (!s) {
        Q_EMIT editRejected(s.error().message);
        return false;
    }
    return true;
}

} // namespace sd
