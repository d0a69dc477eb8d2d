#pragma once
// The peer model's worker: owns the PeerTable (created and used in the worker thread, since
// QSqlDatabase is thread-bound), takes count/fetch requests from a queue (newest first) and skips
// requests whose generation is no longer current.
#include "format/peerindex.h"
#include "format/peertable.h"

#include <QMutex>
#include <QObject>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>

namespace sd {

using PeerRows = std::shared_ptr<const std::vector<Peer>>;

struct PeerRequest {
    quint64 generation = 0;
    PeerPageQuery query;
    bool count = false;        // count request (else fetch chunk)
    qint64 chunk = 0;
    qint64 chunkSize = 256;
    int priority = 1;          // higher first; ties: newest first
    // Fetch the chunk from the other end (reversed order, small OFFSET) and flip it: exact when
    // the order is total (unique marked ids); total = the row count of the query.
    bool fromEnd = false;
    qint64 total = 0;
    // Edited peers (searches with the index match them on their new values); may be null.
    std::shared_ptr<const PeerIndex::Overlay> overlay;
};

class PeerLoader : public QObject {
    Q_OBJECT
public:
    using Factory = std::function<Result<std::unique_ptr<PeerTable>>()>;
    PeerLoader(Factory factory, std::shared_ptr<std::atomic<quint64>> generation);
    ~PeerLoader() override;

    // Thread-safe: queue a request and wake the worker.
    void post(const PeerRequest &request);
    void stop() { m_stopping.store(true); }
    // Thread-safe: from now on, queries the index answers exactly are filtered and sorted in
    // memory; only the rows shown are read from the table (by marked id).
    void setIndex(std::shared_ptr<const PeerIndex> index);

Q_SIGNALS:
    void counted(quint64 generation, qint64 total, const QString &error);
    void fetched(quint64 generation, qint64 chunk, sd::PeerRows rows, const QString &error);

private:
    void drain();
    bool ensureTable(QString *error);
    // The index's rows for the request's query (cached for the last query), or null to use SQL.
    const std::vector<quint32> *indexView(const PeerRequest &req);

    Factory m_factory;
    std::unique_ptr<PeerTable> m_table;
    QString m_openError;
    bool m_opened = false;
    std::shared_ptr<std::atomic<quint64>> m_generation;
    std::atomic<bool> m_stopping{false};
    QMutex m_mutex;
    std::deque<PeerRequest> m_queue;
    bool m_drainPosted = false;
    std::shared_ptr<const PeerIndex> m_index;   // guarded by m_mutex
    std::shared_ptr<const PeerIndex> m_viewIndex;
    PeerPageQuery m_viewQuery;
    std::shared_ptr<const PeerIndex::Overlay> m_viewOverlay;
    std::vector<quint32> m_view;
    bool m_viewValid = false;
};

} // namespace sd

Q_DECLARE_METATYPE(sd::PeerRows)
