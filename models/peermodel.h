#pragma once
// The lazy peer model (sqlitebrowser's shape): the row count comes from PeerTable::count, rows come
// in chunks fetched by a worker thread into a bounded cache, and a generation token drops results
// of a query that has since been replaced (filter/sort change). Sorting and filtering are done by
// the PeerTable (SQL for SQLite formats). Edits are overlaid from the Document and go through the
// undo stack.
// Once the first rows are shown, a background pass (its own thread and read-only connection)
// reads the searchable columns into a PeerIndex (core/format/peerindex.h); from then on queries
// the index answers exactly are filtered and sorted in memory and only the shown rows are read
// from the table (issue 19). Until it is ready, SQL serves every query.
#include "edit/document.h"
#include "peerloader.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>

class QThread;
class QUndoStack;

namespace sd {

class PeerModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { MarkedId, Type, AccessHash, Username, Phone, Name, Updated, Min, ColumnCount };
    enum Roles { SortKeyRole = Qt::UserRole, MarkedIdRole, LoadedRole, DeletedRole };

    explicit PeerModel(QObject *parent = nullptr);
    ~PeerModel() override;

    // Shows the peers of one account of doc; edits go through stack (may be null).
    void setDocument(Document *doc, int account, QUndoStack *stack);
    // Any peer source (tests, benchmarks): factory runs in the worker thread. totalHint, when
    // given, answers "how many rows match this filter" at once (the reader's counts), so rows show
    // before the count query ends; the count still runs and corrects it.
    using TotalHint = std::function<std::optional<qint64>(const PeerQuery &filter)>;
    void setSource(PeerLoader::Factory factory, TotalHint totalHint = {});

    void setSearch(const QString &text);
    // The in-memory index is ready (searches and sorts no longer go to SQL).
    bool indexReady() const { return m_index != nullptr; }
    qint64 indexMemoryBytes() const;
    double indexBuildMs() const { return m_indexBuildMs; } // the background pass alone
    // How long a search box should wait after a keystroke before searching: a full SQL scan per
    // keystroke would queue up, an index search takes a few milliseconds.
    int searchDebounceMs() const { return m_index ? 10 : 200; }
    // Tests and benchmarks: false keeps every query in SQL (no background pass).
    void setIndexEnabled(bool enabled) { m_indexEnabled = enabled; }
    void setKindFilter(std::optional<PeerKind> kind);
    QString search() const { return m_query.filter.search; }
    void setChunkSize(qint64 rows);
    void setMaxCachedChunks(int chunks) { m_maxChunks = std::max(2, chunks); }
    qint64 chunkSize() const { return m_chunkSize; }

    // Rows after the cache's rows: the peers added by hand (not saved yet).
    int addedCount() const { return static_cast<int>(m_added.size()); }
    // -1 while counting.
    qint64 total() const { return m_counting ? -1 : m_total; }
    bool isRowLoaded(int row) const;
    std::optional<Peer> peerAt(int row) const;  // with the edit overlay
    QString lastError() const { return m_error; }
    quint64 generation() const { return m_generation; }
    qint64 staleResultsDropped() const { return m_staleDropped; }
    int cachedChunks() const { return static_cast<int>(m_chunks.size()); }
    // Asks for the chunk holding row (views call data(), which does this too).
    void ensureLoaded(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void totalChanged(qint64 total);
    void chunkLoaded(qint64 chunk);
    void loadError(const QString &message);
    void editRejected(const QString &message);
    void indexBuilt();

private:
    struct Chunk {
        PeerRows rows;
        quint64 lastUse = 0;
    };
    void restart();
    void startWorker(PeerLoader::Factory factory);
    void stopWorker();
    void onCounted(quint64 generation, qint64 total, const QString &error);
    void onFetched(quint64 generation, qint64 chunk, PeerRows rows, const QString &error);
    void onPeerChanged(int account, qint64 markedId);
    void onPeersChanged(int account);
    const Peer *rawPeer(int row) const;
    void evict() const;
    void startIndex();
    void stopIndex();

    QPointer<Document> m_doc;
    int m_account = 0;
    QPointer<QUndoStack> m_stack;
    QThread *m_thread = nullptr;
    PeerLoader *m_loader = nullptr;
    std::shared_ptr<std::atomic<quint64>> m_sharedGeneration;
    quint64 m_generation = 0;
    PeerPageQuery m_query;
    qint64 m_total = 0;
    bool m_counting = false;
    qint64 m_baseChunkSize = 256;   // as set; id order
    qint64 m_chunkSize = 256;       // in use for the current query
    int m_maxChunks = 64;
    mutable QHash<qint64, Chunk> m_chunks;
    mutable QSet<qint64> m_pending;
    mutable quint64 m_useCounter = 0;
    qint64 m_staleDropped = 0;
    QString m_error;
    TotalHint m_hint;
    std::vector<Peer> m_added;
    bool m_hinted = false;
    PeerLoader::Factory m_factory;
    bool m_indexEnabled = true;
    bool m_indexStarted = false;
    QThread *m_indexThread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_indexCancel;
    std::shared_ptr<const PeerIndex> m_index;
    quint64 m_sourceSerial = 0;
    double m_indexBuildMs = 0;
    std::shared_ptr<const PeerIndex::Overlay> m_overlay;
};

} // namespace sd
