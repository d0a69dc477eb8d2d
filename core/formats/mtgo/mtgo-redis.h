#pragma once
// mtgo-labs/storage's Redis adapter (docs/formats.md 7.2): keys <prefix>:<session>:<part> with Go
// encoding/json values, several sessions under one prefix. Reading streams: one SCAN of a
// session's keys gives its peer ids, then the peers come in pipelined MGET batches, in ascending id
// order, and are counted, filtered or judged as they come, never all held at once (except where the
// caller asks for every peer: a full read, the peer table, a prune's backup).
#include "format/format.h"
#include "formats/mtgo/mtgo-records.h"
#include "server/redisconnection.h"

#include <functional>
#include <memory>
#include <vector>

namespace sd::mtgo {

class RedisStore {
public:
    RedisStore(std::shared_ptr<server::RedisConnection> c, server::ServerUrl url) : m_c(std::move(c)), m_url(std::move(url)) {}
    static Result<std::unique_ptr<RedisStore>> open(const QString &url);

    QByteArray base(const QString &session) const { return m_url.prefix.toUtf8() + ':' + session.toUtf8() + ':'; }
    QByteArray key(const QString &session, const QByteArray &part) const { return base(session) + part; }
    QByteArray peerKey(const QString &session, qint64 id) const { return base(session) + "peer:" + QByteArray::number(id); }
    QString label() const { return m_url.display(); }

    Result<QStringList> sessionNames();
    Result<QString> pickSession(const QString &requested);

    // What one SCAN of a session's keys finds (keys of sessions whose name extends it with ':' are
    // not its own). mtgo reads a peer as peer:<id> in decimal: other spellings are no peer.
    struct SessionKeys {
        std::vector<qint64> peerIds; // ascending, each once (SCAN may repeat a key)
        QList<QByteArray> channelPts;
        QList<QByteArray> conversations;
        QList<QByteArray> all;       // every key of a known part (only when asked for)
    };
    Result<SessionKeys> sessionKeys(const QString &session, bool keepAll = false);
    // The peers of ids in ascending id order, a batch at a time; sink returns false to stop.
    // A key gone between SCAN and MGET is skipped. keyId is the id in the key (peer:<keyId>).
    struct KeyedPeer {
        qint64 keyId = 0;
        PeerRec rec;
    };
    using PeerSink = std::function<Result<bool>(std::vector<KeyedPeer> &batch)>;
    Status forEachPeer(const QString &session, const std::vector<qint64> &ids, const PeerSink &sink);

    Result<Store> read(const ReadOptions &options);
    Result<std::optional<Session>> readSession(const QString &name, const ReadOptions &options);
    Status write(const Store &store, const QString &name, const WriteOptions &options);
    Result<PruneReport> prune(const QString &name, const PrunePolicy &policy, const PruneOptions &options);

private:
    std::shared_ptr<server::RedisConnection> m_c;
    server::ServerUrl m_url;
    std::optional<QStringList> m_names; // sessionNames(), once per store object (a write clears it)
};

} // namespace sd::mtgo
