#include "document.h"

#include "io/lockprobe.h"
#include "convert/convert.h"

#include "format/registry.h"
#include "server/pgconnection.h"
#include "server/serverurl.h"

#include <QFileInfo>
#include <QPointer>
#include <QThread>
#include <algorithm>

namespace sd {

Document::~Document() { stopCounting(); }

void Document::stopCounting()
{
    if (!m_countThread)
        return;
    m_countCancel->store(true);
    m_countThread->wait();
    delete m_countThread;
    m_countThread = nullptr;
}

bool Document::peerTotalEstimated(int account) const
{
    const Session *s = this->account(account);
    return s && s->peerCountsOnly && s->peerCountsOnly->estimated;
}

void Document::countEstimatedPeers()
{
    std::vector<std::pair<int, PeerTableFactory>> work;
    for (int i = 0; i < accountCount(); ++i)
        if (peerTotalEstimated(i))
            work.emplace_back(i, peerTableFactory(i));
    if (work.empty() || m_countThread)
        return;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_countCancel = cancel;
    QPointer<Document> self(this);
    m_countThread = QThread::create([work, cancel, self] {
        for (const auto &item : work) {
            const int account = item.first; // a plain variable: clang 14 cannot capture structured bindings
            const PeerTableFactory &factory = item.second;
            if (cancel->load())
                break;
            auto table = factory();
            if (!table)
                continue;
            auto counted = (*table)->countByKind(); // one scan on a SQL table
            table->reset();
            if (!counted || cancel->load())
                continue;
            const PeerCounts exact = *counted;
            QMetaObject::invokeMethod(
                self,
                [self, account, exact] {
                    if (!self)
                        return;
                    Session *s = account < self->accountCount() ? &self->m_store.accounts[static_cast<size_t>(account)] : nullptr;
                    if (!s || !s->peerCountsOnly || !s->peerCountsOnly->estimated)
                        return; // reloaded meanwhile: the reader counted exactly
                    s->peerCountsOnly = exact;
                    Q_EMIT self->peerCountsChanged(account);
                },
                Qt::QueuedConnection);
        }
        server::closePostgres(); // this thread's server connections
    });
    m_countThread->setObjectName(QStringLiteral("sd-peer-count"));
    m_countThread->start(QThread::LowPriority);
}

Result<std::unique_ptr<Document>> Document::open(const Source &source, const ReadOptions &options, const Format *format)
{
    if (!format) {
        auto detected = Registry::instance().detect(source);
        if (!detected)
            return detected.error();
        format = *detected;
    }
    ReadOptions o = options;
    // File stores with a peer cache: count peers only; the lazy peer table reads them on demand.
    o.loadPeers = source.isString();
    auto store = format->read(source, o);
    if (!store)
        return store.error();
    return fromStore(source, format, std::move(*store), options);
}

std::unique_ptr<Document> Document::fromStore(const Source &source, const Format *format, Store store,
                                              const ReadOptions &options)
{
    std::unique_ptr<Document> d(new Document);
    d->m_source = source;
    d->m_format = format;
    d->m_store = std::move(store);
    d->m_options = options;
    return d;
}

QString Document::displayName() const
{
    if (isString())
        return m_source.path.isEmpty() || m_source.path == QLatin1String("-")
            ? QStringLiteral("%1 string").arg(m_format ? m_format->id() : QStringLiteral("session"))
            : m_source.path;
    if (isServer()) // one document per session of a server store (edit/serverconnect.h)
        return m_options.session.isEmpty() ? m_source.path : QStringLiteral("%1 — %2").arg(m_options.session, m_source.path);
    return QFileInfo(m_source.path).fileName();
}

bool Document::isServer() const { return !isString() && server::looksLikeServerUrl(m_source.path); }

const Session *Document::account(int index) const
{
    if (index < 0 || index >= accountCount())
        return nullptr;
    return &m_store.accounts[static_cast<size_t>(index)];
}

bool Document::canSave() const { return cannotSaveReason().isEmpty(); }

QString Document::cannotSaveReason() const
{
    if (!m_format)
        return QStringLiteral("unknown format");
    if (!m_saveBlocked.isEmpty())
        return m_saveBlocked;
    if (isString())
        return QStringLiteral("a pasted string has no file to save to; use Export");
    if (const QString lock = lockState(); !lock.isEmpty())
        return lock;
    return {};
}

QString Document::lockState() const
{
    if (isString() || isServer() || m_source.path.isEmpty() || QFileInfo(m_source.path).isDir())
        return {};
    const auto lock = fileLockHolder(m_source.path);
    if (!lock)
        return {};
    return lock->pid > 0 ? QStringLiteral("held by process %1: read-only").arg(lock->pid)
                         : QStringLiteral("held by another process: read-only");
}

void Document::setModified(bool modified)
{
    if (m_modified == modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

Status Document::checkAccount(int account) const
{
    if (account < 0 || account >= accountCount())
        return Error::usage(QStringLiteral("no account %1").arg(account));
    return {};
}

Status Document::setSession(int account, const Session &session)
{
    if (auto s = checkAccount(account); !s)
        return s;
    Session &dst = m_store.accounts[static_cast<size_t>(account)];
    Session copy = session;
    copy.peers = std::move(dst.peers);
    copy.peerCountsOnly = dst.peerCountsOnly;
    copy.conversations = std::move(dst.conversations);
    copy.conversationCountOnly = dst.conversationCountOnly;
    copy.dcs = std::move(dst.dcs);
    copy.updateState = std::move(dst.updateState);
    dst = std::move(copy);
    Q_EMIT sessionChanged(account);
    return {};
}

Status Document::setDc(int account, int row, const DcAuth &dc)
{
    if (auto s = checkAccount(account); !s)
        return s;
    auto &dcs = m_store.accounts[static_cast<size_t>(account)].dcs;
    if (row < 0 || row >= static_cast<int>(dcs.size()))
        return Error::usage(QStringLiteral("no DC entry %1").arg(row));
    if (!isValidDcId(dc.dcId))
        return Error::usage(QStringLiteral("DC id %1 is not 1-5 or a test DC").arg(dc.dcId));
    dcs[static_cast<size_t>(row)] = dc;
    Q_EMIT dcsChanged(account);
    return {};
}

Status Document::setUpdateState(int account, const std::optional<UpdateState> &state)
{
    if (auto s = checkAccount(account); !s)
        return s;
    m_store.accounts[static_cast<size_t>(account)].updateState = state;
    Q_EMIT updateStateChanged(account);
    return {};
}

Status Document::setConversations(int account, std::vector<Conversation> conversations)
{
    if (auto s = checkAccount(account); !s)
        return s;
    Session &dst = m_store.accounts[static_cast<size_t>(account)];
    if (dst.conversationCountOnly)
        return Error::usage(QStringLiteral("the conversations of this account are not loaded"));
    if (m_format && !m_format->capabilities().testFlag(Capability::Conversations) && !conversations.empty())
        return Error::usage(QStringLiteral("%1 does not store conversations").arg(m_format->displayName()));
    dst.conversations = std::move(conversations);
    Q_EMIT conversationsChanged(account);
    return {};
}

Status Document::setPeer(int account, qint64 markedId, const Peer &peer)
{
    if (auto s = checkAccount(account); !s)
        return s;
    if (peer.markedId() != markedId)
        return Error::usage(QStringLiteral("a peer's id cannot be changed by an edit"));
    m_peerEdits[account][markedId] = peer;
    Q_EMIT peerChanged(account, markedId);
    return {};
}

void Document::clearPeerEdit(int account, qint64 markedId)
{
    auto it = m_peerEdits.find(account);
    if (it == m_peerEdits.end() || it->second.erase(markedId) == 0)
        return;
    Q_EMIT peerChanged(account, markedId);
}

std::map<qint64, Peer> Document::peerEdits(int account) const
{
    auto it = m_peerEdits.find(account);
    return it == m_peerEdits.end() ? std::map<qint64, Peer>() : it->second;
}

const Peer *Document::peerEdit(int account, qint64 markedId) const
{
    auto it = m_peerEdits.find(account);
    if (it == m_peerEdits.end())
        return nullptr;
    auto p = it->second.find(markedId);
    return p == it->second.end() ? nullptr : &p->second;
}

int Document::peerEditCount() const
{
    int n = 0;
    for (const auto &[acc, edits] : m_peerEdits)
        n += static_cast<int>(edits.size());
    return n;
}

Status Document::deletePeers(int account, const QList<qint64> &markedIds)
{
    if (auto s = checkAccount(account); !s)
        return s;
    if (markedIds.isEmpty())
        return Error::usage(QStringLiteral("no peer selected"));
    for (qint64 id : markedIds)
        m_peerDeletes[account].insert(id);
    Q_EMIT peersChanged(account);
    return {};
}

Status Document::undeletePeers(int account, const QList<qint64> &markedIds)
{
    if (auto s = checkAccount(account); !s)
        return s;
    auto it = m_peerDeletes.find(account);
    for (qint64 id : markedIds)
        if (it == m_peerDeletes.end() || !it->second.contains(id))
            return Error::usage(QStringLiteral("peer %1 is not deleted").arg(id));
    for (qint64 id : markedIds)
        it->second.remove(id);
    Q_EMIT peersChanged(account);
    return {};
}

bool Document::isPeerDeleted(int account, qint64 markedId) const
{
    if (m_peersCleared.contains(account))
        return true;
    auto it = m_peerDeletes.find(account);
    return it != m_peerDeletes.end() && it->second.contains(markedId);
}

int Document::deletedPeerCount(int account) const
{
    auto it = m_peerDeletes.find(account);
    return it == m_peerDeletes.end() ? 0 : static_cast<int>(it->second.size());
}

Status Document::addPeer(int account, const Peer &peer)
{
    if (auto s = checkAccount(account); !s)
        return s;
    if (peer.id <= 0)
        return Error::usage(QStringLiteral("a peer id is a positive number (the marked id follows from the kind)"));
    auto &adds = m_peerAdds[account];
    if (adds.count(peer.markedId()))
        return Error::usage(QStringLiteral("peer %1 was already added").arg(peer.markedId()));
    adds[peer.markedId()] = peer;
    Q_EMIT peersChanged(account);
    return {};
}

Status Document::removeAddedPeer(int account, qint64 markedId)
{
    auto it = m_peerAdds.find(account);
    if (it == m_peerAdds.end() || it->second.erase(markedId) == 0)
        return Error::usage(QStringLiteral("peer %1 was not added by hand").arg(markedId));
    Q_EMIT peersChanged(account);
    return {};
}

std::vector<Peer> Document::addedPeers(int account) const
{
    std::vector<Peer> out;
    auto it = m_peerAdds.find(account);
    if (it != m_peerAdds.end())
        for (const auto &[id, p] : it->second)
            out.push_back(p);
    return out;
}

Status Document::setPeersCleared(int account, bool cleared)
{
    if (auto s = checkAccount(account); !s)
        return s;
    if (cleared == m_peersCleared.contains(account))
        return Error::usage(cleared ? QStringLiteral("the peer cache is already cleared") : QStringLiteral("the peer cache is not cleared"));
    if (cleared)
        m_peersCleared.insert(account);
    else
        m_peersCleared.remove(account);
    Q_EMIT peersChanged(account);
    return {};
}

bool Document::peersCleared(int account) const { return m_peersCleared.contains(account); }

void Document::clearOverlays()
{
    m_peerEdits.clear();
    m_peerDeletes.clear();
    m_peerAdds.clear();
    m_peersCleared.clear();
}

Document::PeerTableFactory Document::peerTableFactory(int account) const
{
    const Session *s = this->account(account);
    if (!s)
        return [account]() -> Result<std::unique_ptr<PeerTable>> { return Error::usage(QStringLiteral("no account %1").arg(account)); };
    if (isString() || !s->peerCountsOnly) {
        auto peers = std::make_shared<std::vector<Peer>>(s->peers);
        return [peers]() -> Result<std::unique_ptr<PeerTable>> {
            std::unique_ptr<PeerTable> t = std::make_unique<MemoryPeerTable>(*peers);
            return t;
        };
    }
    const Format *format = m_format;
    const Source source = m_source;
    const ReadOptions options = m_options;
    return [format, source, options, account]() -> Result<std::unique_ptr<PeerTable>> {
        if (!format)
            return Error::badInput(QStringLiteral("unknown format"));
        return format->openPeerTable(source, options, account);
    };
}

qint64 Document::peerTotal(int account) const
{
    const Session *s = this->account(account);
    if (!s)
        return 0;
    return s->peerCountsOnly ? s->peerCountsOnly->total() : static_cast<qint64>(s->peers.size());
}

Status Document::detachFromSource(Store full, const QString &reason)
{
    if (full.accounts.size() != m_store.accounts.size())
        return Error::badInput(QStringLiteral("%1 changed on disk (account count); reload it first").arg(m_source.display()));
    QList<int> arrived;
    for (size_t i = 0; i < m_store.accounts.size(); ++i) {
        Session &s = m_store.accounts[i];
        if (s.peerCountsOnly) {
            s.peers = std::move(full.accounts[i].peers);
            s.peerCountsOnly.reset();
            arrived << static_cast<int>(i);
        }
        if (s.conversationCountOnly) {
            s.conversations = std::move(full.accounts[i].conversations);
            s.conversationCountOnly.reset();
        }
    }
    m_saveBlocked = reason;
    for (int account : arrived)
        Q_EMIT peersChanged(account);
    return {};
}

Result<Store> Document::fullStore() const
{
    Store out = m_store;
    const bool needPeers = std::any_of(out.accounts.begin(), out.accounts.end(),
                                       [](const Session &s) { return s.peerCountsOnly.has_value(); });
    if (needPeers) {
        ReadOptions o = m_options;
        o.loadPeers = true;
        o.loadConversations = true;
        auto full = m_format->read(m_source, o);
        if (!full)
            return full.error();
        if (full->accounts.size() != out.accounts.size())
            return Error::badInput(QStringLiteral("%1 changed on disk (account count); reload it first").arg(m_source.display()));
        for (size_t i = 0; i < out.accounts.size(); ++i) {
            if (!out.accounts[i].peerCountsOnly)
                continue;
            out.accounts[i].peers = std::move(full->accounts[i].peers);
            out.accounts[i].peerCountsOnly.reset();
            // Conversations loaded with the document (and maybe edited) are kept as they are.
            if (out.accounts[i].conversationCountOnly) {
                out.accounts[i].conversations = std::move(full->accounts[i].conversations);
                out.accounts[i].conversationCountOnly.reset();
            }
        }
    }
    for (const auto &[acc, edits] : m_peerEdits) {
        if (acc < 0 || acc >= static_cast<int>(out.accounts.size()))
            continue;
        auto &peers = out.accounts[static_cast<size_t>(acc)].peers;
        for (Peer &p : peers) {
            auto e = edits.find(p.markedId());
            if (e != edits.end())
                p = e->second;
        }
    }
    for (size_t i = 0; i < out.accounts.size(); ++i) {
        const int acc = static_cast<int>(i);
        auto &peers = out.accounts[i].peers;
        if (m_peersCleared.contains(acc)) {
            peers.clear();
        } else if (auto d = m_peerDeletes.find(acc); d != m_peerDeletes.end() && !d->second.isEmpty()) {
            peers.erase(std::remove_if(peers.begin(), peers.end(), [&](const Peer &p) { return d->second.contains(p.markedId()); }),
                        peers.end());
        }
        auto a = m_peerAdds.find(acc);
        if (a == m_peerAdds.end())
            continue;
        for (const auto &[id, added] : a->second) {
            auto same = std::find_if(peers.begin(), peers.end(), [id = id](const Peer &p) { return p.markedId() == id; });
            if (same != peers.end())
                *same = added;
            else
                peers.push_back(added);
        }
    }
    return out;
}

Status Document::writeToSource() const
{
    if (!canSave())
        return Error::usage(cannotSaveReason());
    auto merged = fullStore();
    if (!merged)
        return merged.error();
    if (auto st = checkWritableKeys(*merged); !st)
        return st;
    WriteOptions w;
    w.force = true;
    w.carryPeers = true;
    w.variant = merged->variant;
    w.passcode = m_options.passcode;
    w.tdataKeyName = m_options.tdataKeyName;
    w.session = m_options.session; // server stores: the session this document shows, no other
    return m_format->write(*merged, m_source.path, w);
}

Status Document::finishSave()
{
    // The file now holds the edits: drop the overlay and reread counts.
    clearOverlays();
    if (auto s = reload(); !s)
        return s;
    setModified(false);
    return {};
}

Status Document::save()
{
    if (auto s = writeToSource(); !s)
        return s;
    return finishSave();
}

Status Document::reload()
{
    if (isDetached()) {
        clearOverlays();
        Q_EMIT reloaded();
        return {};
    }
    ReadOptions o = m_options;
    o.loadPeers = false;
    auto store = m_format->read(m_source, o);
    if (!store)
        return store.error();
    m_store = std::move(*store);
    clearOverlays();
    Q_EMIT reloaded();
    return {};
}

std::optional<qint64> parseInt64(const QString &text)
{
    bool ok = false;
    const qint64 v = text.trimmed().toLongLong(&ok, 10);
    if (!ok)
        return std::nullopt;
    return v;
}

bool isValidDcId(int dc) { return (dc >= 1 && dc <= 5) || (dc >= 10001 && dc <= 10005); }

bool isValidUserId(qint64 id) { return id > 0; }

} // namespace sd
