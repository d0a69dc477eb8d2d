#pragma once
// An open store being browsed and edited: the non-GUI service behind the desktop app.
// It reads a source through its format, keeps the (peer-less when possible) Store in memory, takes
// edits as whole replacement values (so an undo stack can swap old and new), overlays peer edits on
// top of the lazy peer table, and saves atomically through the format's writer (temp + rename).
// QtCore only; no Widgets.
#include "format/format.h"
#include "format/peertable.h"

#include <QHash>
#include <QSet>
#include <atomic>
#include <functional>
#include <QObject>
#include <map>
#include <memory>

namespace sd {

class Document : public QObject {
    Q_OBJECT
public:
    ~Document() override;

    // Reads source (peers counted, not loaded, when the format supports that). format may be null
    // (then it is detected).
    static Result<std::unique_ptr<Document>> open(const Source &source, const ReadOptions &options = {},
                                                  const Format *format = nullptr);
    // Wraps an already-read store (import of a pasted string).
    static std::unique_ptr<Document> fromStore(const Source &source, const Format *format, Store store,
                                               const ReadOptions &options = {});

    const Source &source() const { return m_source; }
    const Format *format() const { return m_format; }
    const Store &store() const { return m_store; }
    QString displayName() const;
    int accountCount() const { return static_cast<int>(m_store.accounts.size()); }
    const Session *account(int index) const;
    bool isString() const { return m_source.isString(); }
    // A store on a PostgreSQL or Redis server (the source is a URL, docs/cli.md "Server stores").
    bool isServer() const;
    bool canSave() const;
    QString cannotSaveReason() const;
    // A running client holding the source file (POSIX/flock/SQLite locks, core/io/lockprobe):
    // "held by process N: read-only", else empty. Asked afresh on each call (a few syscalls).
    QString lockState() const;

    bool isModified() const { return m_modified; }
    void setModified(bool modified);

    // Edits. Each replaces one value and emits the matching signal. Peers: peers/peerCountsOnly/
    // conversations of the given session are ignored (they are not edited through setSession).
    Status setSession(int account, const Session &session);
    Status setDc(int account, int row, const DcAuth &dc);
    Status setUpdateState(int account, const std::optional<UpdateState> &state);
    // The account's conversation rows (formats with Capability::Conversations); refused while only
    // their count is loaded.
    Status setConversations(int account, std::vector<Conversation> conversations);
    // Overlay edit of one peer (by marked id); the peer table itself stays read-only until save.
    Status setPeer(int account, qint64 markedId, const Peer &peer);
    // Drops the overlay for one peer (back to what the file holds).
    void clearPeerEdit(int account, qint64 markedId);
    const Peer *peerEdit(int account, qint64 markedId) const;
    std::map<qint64, Peer> peerEdits(int account) const; // every edited peer, by marked id
    int peerEditCount() const;

    // Peer-cache edits beyond one peer's values, applied by fullStore() and written by Save:
    // deleting peers (by marked id), adding peers by hand, clearing the whole cache (every peer
    // goes, like gogram's cache Clear(); the session itself stays). Each has its exact inverse so an
    // undo stack can swap them. Signals: peersChanged(account).
    Status deletePeers(int account, const QList<qint64> &markedIds);
    Status undeletePeers(int account, const QList<qint64> &markedIds);
    bool isPeerDeleted(int account, qint64 markedId) const;
    int deletedPeerCount(int account) const;
    // A peer typed in by hand (id > 0, kind, access hash, username). One with the marked id of a
    // peer already in the cache replaces it on save. Refused when that marked id was already added.
    Status addPeer(int account, const Peer &peer);
    Status removeAddedPeer(int account, qint64 markedId);
    std::vector<Peer> addedPeers(int account) const;
    Status setPeersCleared(int account, bool cleared);
    bool peersCleared(int account) const;

    // A self-contained factory for the account's peer table (copies what it needs), to be called in
    // the worker thread that will use the table (PeerTable's thread rule).
    using PeerTableFactory = std::function<Result<std::unique_ptr<PeerTable>>()>;
    PeerTableFactory peerTableFactory(int account) const;
    // Total peers of an account as the source holds them (counts or loaded peers).
    qint64 peerTotal(int account) const;
    // The counts came from the server's statistics (ReadOptions::estimatePeerCounts) and the exact
    // ones are not in yet.
    bool peerTotalEstimated(int account) const;
    // Counts the peers of every account whose counts are estimates, in a background thread through
    // the account's own peer table; the exact counts then replace the estimates in the owner thread
    // and peerCountsChanged(account) is emitted. Nothing to do: returns at once.
    void countEstimatedPeers();

    // The whole store (peers and conversations read from the source) with every edit applied:
    // what Save writes and what Export converts.
    Result<Store> fullStore() const;
    // Makes Save refuse with reason (stores opened from the vault are exported, not saved).
    void setSaveBlockedReason(const QString &reason) { m_saveBlocked = reason; }
    // Stops depending on the source, whose file is about to go (moved into the vault): the peers and
    // conversations that were only counted are taken from full (the source read with loadPeers and
    // loadConversations, same accounts), so browsing and Export keep working; edits stay overlays (an
    // undo stack stays valid); Save is refused with reason. Emits peersChanged for the accounts whose
    // peers arrived. An Error (nothing changed) when full does not have the document's accounts.
    Status detachFromSource(Store full, const QString &reason);

    // Writes the edited store over the source file/folder atomically (format writer, force).
    // save() = writeToSource() + finishSave(). writeToSource() changes nothing in memory, so it may
    // run in a worker thread while the GUI keeps reading; finishSave() then runs in the owner thread.
    Status save();
    Status writeToSource() const;
    Status finishSave();
    // Strings and vault stores: no source file to save to or reread.
    bool isDetached() const { return isString() || !m_saveBlocked.isEmpty(); }
    // Rereads the source (after a prune, or to drop edits).
    Status reload();

    const ReadOptions &readOptions() const { return m_options; }

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void sessionChanged(int account);
    void dcsChanged(int account);
    void updateStateChanged(int account);
    void conversationsChanged(int account);
    void peerChanged(int account, qint64 markedId);
    void peersChanged(int account);
    void peerCountsChanged(int account); // exact counts replaced estimated ones
    void reloaded();

private:
    Document() = default;
    Status checkAccount(int account) const;

    Source m_source;
    const Format *m_format = nullptr;
    Store m_store;
    ReadOptions m_options;
    bool m_modified = false;
    QString m_saveBlocked;
    std::map<int, std::map<qint64, Peer>> m_peerEdits;
    std::map<int, QSet<qint64>> m_peerDeletes;
    std::map<int, std::map<qint64, Peer>> m_peerAdds;
    QSet<int> m_peersCleared;
    class QThread *m_countThread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_countCancel;
    void stopCounting();
    void clearOverlays();
};

// Cell validation shared by the models and the CLI-free edit paths.
std::optional<qint64> parseInt64(const QString &text);          // strict signed 64-bit decimal
bool isValidDcId(int dc);                                       // 1-5, or test DCs 10001-10005
bool isValidUserId(qint64 id);                                  // > 0

} // namespace sd
