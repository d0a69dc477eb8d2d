#include "peerloader.h"

#include <algorithm>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace sd {

PeerLoader::PeerLoader(Factory factory, std::shared_ptr<std::atomic<quint64>> generation)
    : m_factory(std::move(factory)), m_generation(std::move(generation))
{
}

PeerLoader::~PeerLoader() = default;

void PeerLoader::post(const PeerRequest &request)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        m_queue.push_back(request);
        if (!m_drainPosted) {
            m_drainPosted = true;
            wake = true;
        }
    }
    if (wake)
        QMetaObject::invokeMethod(this, [this] { drain(); }, Qt::QueuedConnection);
}

void PeerLoader::setIndex(std::shared_ptr<const PeerIndex> index)
{
    QMutexLocker lock(&m_mutex);
    m_index = std::move(index);
}

const std::vector<quint32> *PeerLoader::indexView(const PeerRequest &req)
{
    std::shared_ptr<const PeerIndex> index;
    {
        QMutexLocker lock(&m_mutex);
        index = m_index;
    }
    if (!index || !index->supports(req.query)) {
        m_viewValid = false;
        return nullptr;
    }
    const bool same = m_viewValid && m_viewIndex == index && m_viewQuery.filter.kind == req.query.filter.kind
        && m_viewQuery.filter.search == req.query.filter.search && m_viewQuery.sort == req.query.sort
        && m_viewQuery.descending == req.query.descending && m_viewOverlay == req.overlay;
    if (!same) {
        std::vector<quint32>().swap(m_view); // not alive next to the new one (4 bytes a row)
        m_viewValid = false;
        m_view = index->select(req.query, req.overlay.get());
#ifdef __GLIBC__
        // A new sort order's buffers (a few MB) go back to the system instead of staying in this
        // thread's heap (the resident-memory target of issue 19).
        malloc_trim(0);
#endif
        m_viewIndex = index;
        m_viewQuery = req.query;
        m_viewOverlay = req.overlay;
        m_viewValid = true;
    }
    return &m_view;
}

bool PeerLoader::ensureTable(QString *error)
{
    if (!m_opened) {
        m_opened = true;
        auto t = m_factory ? m_factory() : Result<std::unique_ptr<PeerTable>>(Error::badInput(QStringLiteral("no peer source")));
        if (t)
            m_table = std::move(*t);
        else
            m_openError = t.error().message;
    }
    if (!m_table)
        *error = m_openError;
    return m_table != nullptr;
}

void PeerLoader::drain()
{
    for (;;) {
        if (m_stopping.load())
            return;
        PeerRequest req;
        {
            QMutexLocker lock(&m_mutex);
            const quint64 current = m_generation->load();
            // Drop everything stale up front.
            std::erase_if(m_queue, [current](const PeerRequest &r) { return r.generation != current; });
            if (m_queue.empty()) {
                m_drainPosted = false;
                return;
            }
            // Highest priority first (a count the view waits for, then fetches); among equals the
            // newest (where the user is now).
            auto it = std::prev(m_queue.end());
            for (auto j = m_queue.begin(); j != m_queue.end(); ++j)
                if (j->priority > it->priority)
                    it = j;
            req = *it;
            m_queue.erase(it);
        }
        QString error;
        if (!ensureTable(&error)) {
            if (req.count)
                Q_EMIT counted(req.generation, 0, error);
            else
                Q_EMIT fetched(req.generation, req.chunk, {}, error);
            continue;
        }
        if (const std::vector<quint32> *view = indexView(req)) {
            if (req.count) {
                Q_EMIT counted(req.generation, static_cast<qint64>(view->size()), {});
                continue;
            }
            const size_t first = static_cast<size_t>(std::max<qint64>(0, req.chunk * req.chunkSize));
            const size_t last = std::min(view->size(), first + static_cast<size_t>(std::max<qint64>(0, req.chunkSize)));
            std::vector<qint64> ids;
            for (size_t i = first; i < last; ++i)
                ids.push_back(m_viewIndex->markedIdAt((*view)[i]));
            auto rows = m_table->fetchMarked(ids);
            if (rows && rows->size() != ids.size())
                rows = Error::badInput(QStringLiteral("the peer table changed on disk while it was shown; reload it"));
            if (rows)
                Q_EMIT fetched(req.generation, req.chunk, std::make_shared<const std::vector<Peer>>(std::move(*rows)), {});
            else
                Q_EMIT fetched(req.generation, req.chunk, {}, rows.error().message);
            continue;
        }
        if (req.count) {
            auto n = m_table->count(req.query);
            Q_EMIT counted(req.generation, n ? *n : 0, n ? QString() : n.error().message);
        } else {
            const qint64 offset = req.chunk * req.chunkSize;
            Result<std::vector<Peer>> rows = std::vector<Peer>();
            if (req.fromEnd && offset < req.total) {
                PeerPageQuery reversed = req.query;
                reversed.descending = !reversed.descending;
                const qint64 end = std::min(req.total, offset + req.chunkSize);
                rows = m_table->fetch(reversed, req.total - end, end - offset);
                if (rows)
                    std::reverse(rows->begin(), rows->end());
            } else {
                rows = m_table->fetch(req.query, offset, req.chunkSize);
            }
            if (rows)
                Q_EMIT fetched(req.generation, req.chunk, std::make_shared<const std::vector<Peer>>(std::move(*rows)), {});
            else
                Q_EMIT fetched(req.generation, req.chunk, {}, rows.error().message);
        }
    }
}

} // namespace sd
