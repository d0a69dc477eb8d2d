#pragma once
// Redis through hiredis: connect with a timeout (unreachable = exit 3 within seconds), AUTH (refused =
// exit 4), SELECT, then commands with a command timeout. Listing is SCAN + MGET in batches, as the
// mtgo redis adapter itself does (docs/formats.md 7.2).
#include "server/serverurl.h"

#include <QByteArray>
#include <QList>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

struct redisContext;

namespace sd::server {

struct RedisReply {
    enum class Type { Nil, String, Integer, Array, Status, Error } type = Type::Nil;
    QByteArray str;                 // String, Status, Error
    qint64 integer = 0;
    std::vector<RedisReply> elements;
};

class RedisConnection {
public:
    ~RedisConnection();
    RedisConnection(const RedisConnection &) = delete;
    RedisConnection &operator=(const RedisConnection &) = delete;

    // The open connection for url (cached per thread, one per URL).
    static Result<std::shared_ptr<RedisConnection>> open(const ServerUrl &url);
    static void closeAll();

    // One command; an error reply is returned as an Error (kind BadInput, or Output when output).
    Result<RedisReply> command(const QList<QByteArray> &argv, bool output = false);
    // Every key matching pattern (SCAN MATCH pattern COUNT batch), calling sink for each batch.
    Status scan(const QByteArray &pattern, const std::function<Status(const QList<QByteArray> &)> &sink, int batch = 1000);
    // MGET of keys (in batches); nullopt for a missing key.
    Result<std::vector<std::optional<QByteArray>>> mget(const QList<QByteArray> &keys);
    // The same, batch by batch: sink gets the index of the batch's first key and its values; an
    // error from sink stops the reading (and is returned).
    using MgetSink = std::function<Status(qsizetype first, std::vector<std::optional<QByteArray>> &values)>;
    Status mgetEach(const QList<QByteArray> &keys, const MgetSink &sink);
    // Queues every command with MULTI/EXEC; all or nothing from the server's point of view.
    Status transaction(const QList<QList<QByteArray>> &commands);
    const ServerUrl &url() const { return m_url; }

private:
    explicit RedisConnection(const ServerUrl &url) : m_url(url) {}
    Status connect();
    ServerUrl m_url;
    redisContext *m_ctx = nullptr;
};

} // namespace sd::server
