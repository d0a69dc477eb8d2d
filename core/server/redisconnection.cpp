#include "server/redisconnection.h"

#include "server/credentials.h"

#include <QHash>
#include <algorithm>
#include <hiredis/hiredis.h>
#include <sys/time.h>

namespace sd::server {

namespace {
constexpr int kConnectTimeoutSeconds = 3;
constexpr int kCommandTimeoutSeconds = 30;
constexpr int kMgetBatch = 500;
constexpr int kMgetWindow = 4;

RedisReply convert(const redisReply *r)
{
    RedisReply out;
    if (!r)
        return out;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.str = QByteArray(r->str, static_cast<qsizetype>(r->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.str = QByteArray(r->str, static_cast<qsizetype>(r->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.str = QByteArray(r->str, static_cast<qsizetype>(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.push_back(convert(r->element[i]));
        break;
    default:
        break;
    }
    return out;
}

bool isAuthError(const QByteArray &e)
{
    return e.startsWith("NOAUTH") || e.startsWith("WRONGPASS") || e.contains("invalid password") || e.contains("invalid username-password");
}

QHash<QString, std::shared_ptr<RedisConnection>> &cache()
{
    thread_local QHash<QString, std::shared_ptr<RedisConnection>> c;
    return c;
}
} // namespace

RedisConnection::~RedisConnection()
{
    if (m_ctx)
        redisFree(m_ctx);
}

void RedisConnection::closeAll() { cache().clear(); }

Result<std::shared_ptr<RedisConnection>> RedisConnection::open(const ServerUrl &url)
{
    const QString key = url.display();
    if (auto it = cache().constFind(key); it != cache().constEnd())
        return *it;
    std::shared_ptr<RedisConnection> c(new RedisConnection(url));
    if (auto st = c->connect(); !st)
        return st.error();
    cache().insert(key, c);
    return c;
}

Status RedisConnection::connect()
{
    timeval tv{kConnectTimeoutSeconds, 0};
    const QByteArray host = m_url.host.toUtf8();
    m_ctx = redisConnectWithTimeout(host.constData(), m_url.port, tv);
    if (!m_ctx)
        return Error::badInput(QStringLiteral("cannot connect to Redis at %1:%2: out of memory").arg(m_url.host).arg(m_url.port));
    if (m_ctx->err)
        return Error::badInput(QStringLiteral("cannot connect to Redis at %1:%2: %3").arg(m_url.host).arg(m_url.port).arg(QString::fromLocal8Bit(m_ctx->errstr)));
    timeval ctv{kCommandTimeoutSeconds, 0};
    redisSetTimeout(m_ctx, ctv);

    auto authenticate = [&](const SecretBytes &password) -> Status {
        QByteArray pw = password.exposeUnsafe();
        QList<QByteArray> argv{QByteArrayLiteral("AUTH")};
        if (!m_url.user.isEmpty())
            argv << m_url.user.toUtf8();
        argv << pw;
        auto r = command(argv);
        for (QByteArray &a : argv)
            wipe(a);
        wipe(pw);
        if (!r) {
            if (r.error().kind == ErrorKind::Secret)
                return r.error();
            // "AUTH called without any password configured": the server needs none; carry on.
            if (!r.error().message.contains(QLatin1String("without any password configured")))
                return r.error();
        }
        return {};
    };
    const auto configured = configuredPassword(m_url);
    if (configured) {
        if (auto st = authenticate(*configured); !st)
            return st;
    }
    auto ping = command({QByteArrayLiteral("PING")});
    if (!ping && ping.error().kind == ErrorKind::Secret && !configured) {
        auto kc = keychainPassword(m_url);
        if (kc && *kc) {
            if (auto st = authenticate(**kc); !st)
                return st;
            ping = command({QByteArrayLiteral("PING")});
        }
    }
    if (!ping)
        return ping.error();
    if (configured)
        if (auto st = passwordWorked(m_url, *configured); !st)
            return st;
    if (m_url.redisDb != 0) {
        auto sel = command({QByteArrayLiteral("SELECT"), QByteArray::number(m_url.redisDb)});
        if (!sel)
            return sel.error();
    }
    return {};
}

Result<RedisReply> RedisConnection::command(const QList<QByteArray> &argv, bool output)
{
    std::vector<const char *> args;
    std::vector<size_t> lens;
    for (const QByteArray &a : argv) {
        args.push_back(a.constData());
        lens.push_back(static_cast<size_t>(a.size()));
    }
    auto *raw = static_cast<redisReply *>(redisCommandArgv(m_ctx, static_cast<int>(args.size()), args.data(), lens.data()));
    if (!raw) {
        const QString m = QStringLiteral("Redis at %1:%2: %3").arg(m_url.host).arg(m_url.port).arg(QString::fromLocal8Bit(m_ctx->errstr));
        return output ? Error::output(m) : Error::badInput(m);
    }
    RedisReply r = convert(raw);
    freeReplyObject(raw);
    if (r.type == RedisReply::Type::Error) {
        if (isAuthError(r.str))
            return Error::secret(QStringLiteral("Redis refused the login: %1 (password from REDISCLI_AUTH, --password-file F or the keychain)")
                                     .arg(QString::fromUtf8(r.str)));
        const QString m = QStringLiteral("Redis: %1").arg(QString::fromUtf8(r.str));
        return output ? Error::output(m) : Error::badInput(m);
    }
    return r;
}

Status RedisConnection::scan(const QByteArray &pattern, const std::function<Status(const QList<QByteArray> &)> &sink, int batch)
{
    QByteArray cursor("0");
    do {
        auto r = command({QByteArrayLiteral("SCAN"), cursor, QByteArrayLiteral("MATCH"), pattern, QByteArrayLiteral("COUNT"), QByteArray::number(batch)});
        if (!r)
            return r.error();
        if (r->type != RedisReply::Type::Array || r->elements.size() != 2)
            return Error::badInput(QStringLiteral("Redis: unexpected SCAN reply"));
        cursor = r->elements[0].str;
        QList<QByteArray> keys;
        for (const RedisReply &k : r->elements[1].elements)
            keys << k.str;
        if (!keys.isEmpty())
            if (auto st = sink(keys); !st)
                return st;
    } while (cursor != "0");
    return {};
}

Status RedisConnection::mgetEach(const QList<QByteArray> &keys, const MgetSink &sink)
{
    // Pipelined: up to kMgetWindow MGETs are in flight, so the round trips overlap with the
    // caller's work. Every reply sent for is read, also after an error, so the connection stays in
    // step for the next command.
    const QString where = QStringLiteral("Redis at %1:%2").arg(m_url.host).arg(m_url.port);
    qsizetype sent = 0, received = 0;
    Status st; // the first error; replies still in flight are read and dropped
    while (received < keys.size()) {
        while (st && sent < keys.size() && sent - received < qsizetype(kMgetBatch) * kMgetWindow) {
            const qsizetype n = std::min<qsizetype>(kMgetBatch, keys.size() - sent);
            std::vector<const char *> args{"MGET"};
            std::vector<size_t> lens{4};
            for (qsizetype i = sent; i < sent + n; ++i) {
                args.push_back(keys[i].constData());
                lens.push_back(static_cast<size_t>(keys[i].size()));
            }
            if (redisAppendCommandArgv(m_ctx, static_cast<int>(args.size()), args.data(), lens.data()) != REDIS_OK)
                return Error::badInput(QStringLiteral("%1: %2").arg(where, QString::fromLocal8Bit(m_ctx->errstr)));
            sent += n;
        }
        if (received == sent)
            break; // st before anything more was sent
        const qsizetype n = std::min<qsizetype>(kMgetBatch, sent - received);
        void *raw = nullptr;
        if (redisGetReply(m_ctx, &raw) != REDIS_OK || !raw)
            return Error::badInput(QStringLiteral("%1: %2").arg(where, QString::fromLocal8Bit(m_ctx->errstr)));
        const auto *r = static_cast<redisReply *>(raw);
        if (st) {
            if (r->type == REDIS_REPLY_ERROR) {
                st = isAuthError(QByteArray(r->str, static_cast<qsizetype>(r->len)))
                    ? Status(Error::secret(QStringLiteral("Redis refused the login: %1").arg(QString::fromUtf8(r->str, static_cast<qsizetype>(r->len)))))
                    : Status(Error::badInput(QStringLiteral("Redis: %1").arg(QString::fromUtf8(r->str, static_cast<qsizetype>(r->len)))));
            } else if (r->type != REDIS_REPLY_ARRAY || r->elements != static_cast<size_t>(n)) {
                st = Error::badInput(QStringLiteral("Redis: unexpected MGET reply"));
            } else {
                std::vector<std::optional<QByteArray>> values;
                values.reserve(static_cast<size_t>(n));
                for (size_t i = 0; i < r->elements; ++i) {
                    const redisReply *e = r->element[i];
                    values.push_back(e->type == REDIS_REPLY_STRING ? std::optional<QByteArray>(QByteArray(e->str, static_cast<qsizetype>(e->len)))
                                                                   : std::nullopt);
                }
                st = sink(received, values);
            }
        }
        freeReplyObject(raw);
        received += n;
    }
    return st;
}

Result<std::vector<std::optional<QByteArray>>> RedisConnection::mget(const QList<QByteArray> &keys)
{
    std::vector<std::optional<QByteArray>> out;
    out.reserve(static_cast<size_t>(keys.size()));
    auto st = mgetEach(keys, [&](qsizetype, std::vector<std::optional<QByteArray>> &values) -> Status {
        for (auto &v : values)
            out.push_back(std::move(v));
        return {};
    });
    if (!st)
        return st.error();
    return out;
}

Status RedisConnection::transaction(const QList<QList<QByteArray>> &commands)
{
    // Pipelined: MULTI, every command, EXEC are sent before the first reply is read.
    auto append = [&](const QList<QByteArray> &argv) {
        std::vector<const char *> args;
        std::vector<size_t> lens;
        for (const QByteArray &a : argv) {
            args.push_back(a.constData());
            lens.push_back(static_cast<size_t>(a.size()));
        }
        return redisAppendCommandArgv(m_ctx, static_cast<int>(args.size()), args.data(), lens.data()) == REDIS_OK;
    };
    const QString where = QStringLiteral("Redis at %1:%2").arg(m_url.host).arg(m_url.port);
    bool ok = append({QByteArrayLiteral("MULTI")});
    for (const auto &c : commands)
        ok = ok && append(c);
    ok = ok && append({QByteArrayLiteral("EXEC")});
    if (!ok)
        return Error::output(QStringLiteral("%1: %2").arg(where, QString::fromLocal8Bit(m_ctx->errstr)));
    QByteArray firstError;
    RedisReply exec;
    for (qsizetype i = 0; i < commands.size() + 2; ++i) {
        void *raw = nullptr;
        if (redisGetReply(m_ctx, &raw) != REDIS_OK || !raw)
            return Error::output(QStringLiteral("%1: %2 (the transaction's outcome is unknown)").arg(where, QString::fromLocal8Bit(m_ctx->errstr)));
        RedisReply r = convert(static_cast<redisReply *>(raw));
        freeReplyObject(raw);
        if (r.type == RedisReply::Type::Error && firstError.isEmpty())
            firstError = r.str;
        if (i == commands.size() + 1)
            exec = std::move(r);
    }
    if (!firstError.isEmpty() && exec.type != RedisReply::Type::Array)
        return Error::output(QStringLiteral("Redis refused the transaction, nothing was changed: %1").arg(QString::fromUtf8(firstError)));
    if (exec.type != RedisReply::Type::Array)
        return Error::output(QStringLiteral("Redis: the transaction was aborted, nothing was changed"));
    for (const RedisReply &e : exec.elements)
        if (e.type == RedisReply::Type::Error)
            return Error::output(QStringLiteral("Redis: %1").arg(QString::fromUtf8(e.str)));
    return {};
}

} // namespace sd::server
