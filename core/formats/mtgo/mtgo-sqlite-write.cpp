// mtgo-sqlite writer: the tables mtgo-labs/storage's initSchema() creates (plus conversations), so
// mtgo opens the file without changes. Only the primary DC becomes a sessions row (mtgo loads the
// first row), unless further rows came from an mtgo file themselves.
#include "domain/dcaddress.h"
#include "formats/mtgo/mtgo-sqlite.h"
#include "sqlite/sqlhelpers.h"

#include <set>

namespace sd::mtgo {

namespace {

const QStringList kSchema = {
    QStringLiteral("CREATE TABLE IF NOT EXISTS sessions (\n\t\t\tsession_id     TEXT DEFAULT '',\n\t\t\tdc_id          INTEGER PRIMARY KEY,\n"
                   "\t\t\tapi_id         INTEGER DEFAULT 0,\n\t\t\tapi_hash       TEXT DEFAULT '',\n\t\t\ttest_mode      INTEGER DEFAULT 0,\n"
                   "\t\t\tauth_key       BLOB,\n\t\t\tstate          BLOB,\n\t\t\tuser_id        INTEGER DEFAULT 0,\n"
                   "\t\t\tis_bot         INTEGER DEFAULT 0,\n\t\t\tfirst_name     TEXT DEFAULT '',\n\t\t\tlast_name      TEXT DEFAULT '',\n"
                   "\t\t\tusername       TEXT DEFAULT '',\n\t\t\tdate           INTEGER DEFAULT 0,\n\t\t\tserver_address TEXT DEFAULT '',\n"
                   "\t\t\tport           INTEGER DEFAULT 0\n\t\t)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS peers (\n\t\t\tid           INTEGER PRIMARY KEY,\n\t\t\ttype         INTEGER NOT NULL,\n"
                   "\t\t\taccess_hash  INTEGER DEFAULT 0,\n\t\t\tusername     TEXT DEFAULT '',\n\t\t\tusernames    TEXT DEFAULT '',\n"
                   "\t\t\tfirst_name   TEXT DEFAULT '',\n\t\t\tlast_name    TEXT DEFAULT '',\n\t\t\tphone_number TEXT DEFAULT '',\n"
                   "\t\t\tis_bot       INTEGER DEFAULT 0,\n\t\t\tphoto_id     INTEGER DEFAULT 0,\n\t\t\tlanguage     TEXT DEFAULT '',\n"
                   "\t\t\tlast_updated INTEGER DEFAULT 0\n\t\t)"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS idx_peers_username ON peers(username)"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS idx_peers_phone ON peers(phone_number)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS update_state (\n\t\t\tsession_id TEXT PRIMARY KEY,\n\t\t\tpts INTEGER NOT NULL DEFAULT 0,\n"
                   "\t\t\tqts INTEGER NOT NULL DEFAULT 0,\n\t\t\tdate INTEGER NOT NULL DEFAULT 0,\n\t\t\tseq INTEGER NOT NULL DEFAULT 0,\n"
                   "\t\t\tupdated_at INTEGER NOT NULL DEFAULT 0\n\t\t)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS channel_update_state (\n\t\t\tsession_id TEXT NOT NULL,\n\t\t\tchannel_id INTEGER NOT NULL,\n"
                   "\t\t\tpts INTEGER NOT NULL DEFAULT 0,\n\t\t\tupdated_at INTEGER NOT NULL DEFAULT 0,\n\t\t\tPRIMARY KEY (session_id, channel_id)\n\t\t)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS update_dedup (\n\t\t\tsession_id TEXT NOT NULL,\n\t\t\tdedup_key TEXT NOT NULL,\n"
                   "\t\t\tcreated_at INTEGER NOT NULL DEFAULT 0,\n\t\t\tPRIMARY KEY (session_id, dedup_key)\n\t\t)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS durable_updates (\n\t\t\tsession_id TEXT NOT NULL,\n\t\t\tid TEXT NOT NULL,\n"
                   "\t\t\tpayload BLOB NOT NULL,\n\t\t\tattempts INTEGER NOT NULL DEFAULT 0,\n\t\t\tlast_error TEXT NOT NULL DEFAULT '',\n"
                   "\t\t\tcreated_at INTEGER NOT NULL DEFAULT 0,\n\t\t\tupdated_at INTEGER NOT NULL DEFAULT 0,\n\t\t\tPRIMARY KEY (session_id, id)\n\t\t)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS conversations (\n\t\tchat_id    INTEGER NOT NULL,\n\t\tuser_id    INTEGER NOT NULL,\n"
                   "\t\tname       TEXT    NOT NULL,\n\t\tstep       INTEGER DEFAULT 0,\n\t\tdata       BLOB,\n\t\tcreated_at INTEGER DEFAULT 0,\n"
                   "\t\tupdated_at INTEGER DEFAULT 0,\n\t\tPRIMARY KEY (chat_id, user_id)\n\t)"),
};

Status out(const Error &e) { return Error::output(e.message); }

QString text(const std::optional<QString> &v) { return v.value_or(QString()); }

// A bound text value that is '' rather than NULL for an empty string.
QVariant textValue(const QString &v) { return QVariant(v.isNull() ? QString(QLatin1String("")) : v); }

Status insertSession(SqliteDb &db, const QVariantMap &row, const DcAuth &d)
{
    QByteArray key = d.authKey.exposeUnsafe();
    const QVariant keyValue = d.authKey.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(key);
    const QString stateB64 = row.value(QStringLiteral("state")).toString();
    const QVariant state = row.value(QStringLiteral("state")).isNull()
        ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(QByteArray::fromBase64(stateB64.toLatin1()));
    auto q = db.exec(QStringLiteral("INSERT OR REPLACE INTO sessions (session_id, dc_id, api_id, api_hash, test_mode, auth_key, state, "
                                    "user_id, is_bot, first_name, last_name, username, date, server_address, port) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                     {textValue(row.value(QStringLiteral("session_id")).toString()), d.dcId, row.value(QStringLiteral("api_id")).toLongLong(),
                      textValue(row.value(QStringLiteral("api_hash")).toString()), d.testMode.value_or(false) ? 1 : 0, keyValue, state,
                      row.value(QStringLiteral("user_id")).toLongLong(), row.value(QStringLiteral("is_bot")).toLongLong(),
                      textValue(row.value(QStringLiteral("first_name")).toString()), textValue(row.value(QStringLiteral("last_name")).toString()),
                      textValue(row.value(QStringLiteral("username")).toString()), row.value(QStringLiteral("date")).toLongLong(),
                      textValue(d.address), d.port});
    wipe(key);
    if (!q)
        return out(q.error());
    return {};
}

Status writeSessions(SqliteDb &db, const Session &s)
{
    const DcAuth *primary = s.primary();
    const int dcId = s.dcId > 0 ? s.dcId : primary ? primary->dcId : 0;
    if (dcId <= 0)
        return Error::badInput(QStringLiteral("mtgo-sqlite needs a DC id"));
    DcAuth main;
    if (primary && primary->dcId == dcId)
        main = *primary;
    main.dcId = dcId;
    main.testMode = s.testMode.value_or(main.testMode.value_or(false));
    if (main.address.isEmpty() || main.port <= 0) {
        if (const auto a = defaultDcAddress(dcId, main.testMode.value_or(false), main.ipv6)) {
            main.address = a->address;
            main.port = a->port;
        }
    }
    QVariantMap row;
    row.insert(QStringLiteral("session_id"), s.extra.value(QStringLiteral("mtgo_session_id")).toString());
    row.insert(QStringLiteral("api_id"), s.apiId ? qint64(*s.apiId) : 0);
    row.insert(QStringLiteral("api_hash"), text(s.apiHash));
    row.insert(QStringLiteral("state"), s.extra.value(QStringLiteral("mtgo_state")));
    row.insert(QStringLiteral("user_id"), s.userId.value_or(0));
    row.insert(QStringLiteral("is_bot"), s.isBot.value_or(false) ? 1 : 0);
    row.insert(QStringLiteral("first_name"), text(s.firstName));
    row.insert(QStringLiteral("last_name"), text(s.lastName));
    row.insert(QStringLiteral("username"), text(s.username));
    row.insert(QStringLiteral("date"), s.extra.value(QStringLiteral("mtgo_date"), 0).toLongLong());
    if (auto st = insertSession(db, row, main); !st)
        return st;
    std::set<int> written = {dcId};
    for (const DcAuth &d : s.dcs) {
        const auto it = d.extra.constFind(QStringLiteral("mtgo_session"));
        if (it == d.extra.constEnd() || d.isTemp || !written.insert(d.dcId).second)
            continue;
        if (auto st = insertSession(db, it->toMap(), d); !st)
            return st;
    }
    return {};
}

Status writePeers(SqliteDb &db, const Session &s)
{
    sqlc::SqlBatch insert(db, QStringLiteral("INSERT OR REPLACE INTO peers (id, type, access_hash, username, usernames, first_name, last_name, "
                                       "phone_number, is_bot, photo_id, language, last_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    std::set<qint64> seen;
    for (const Peer &p : s.peers) {
        if (p.id <= 0 || !seen.insert(p.id).second)
            continue;
        const int type = p.kind() == PeerKind::Chat ? 1 : p.kind() == PeerKind::Channel ? 2 : 0;
        const qint64 id = p.extra.value(QStringLiteral("mtgo_marked_id")).toBool() ? p.markedId() : p.id;
        QString usernames;
        const auto rawIt = p.extra.constFind(QStringLiteral("mtgo_usernames"));
        if (rawIt != p.extra.constEnd()) {
            QStringList merged = p.usernames.mid(0, 1);
            for (const QString &u : splitUsernames(rawIt->toString()))
                if (!merged.contains(u))
                    merged << u;
            if (merged == p.usernames)
                usernames = rawIt->toString();
        }
        if (usernames.isEmpty() && p.usernames.size() > 1)
            usernames = p.usernames.join(QLatin1Char(','));
        QString first = p.extra.value(QStringLiteral("mtgo_first_name")).toString();
        QString last = p.extra.value(QStringLiteral("mtgo_last_name")).toString();
        if (QString(first + QLatin1Char(' ') + last).trimmed() != p.name.value_or(QString()).trimmed()) {
            first = p.name.value_or(QString());
            last.clear();
        }
        qint64 updated = p.updated.value_or(0);
        if (const auto ms = p.extra.constFind(QStringLiteral("updated_ms")); ms != p.extra.constEnd() && p.updated
            && ms->toLongLong() / 1000 == *p.updated && ms->toLongLong() > 100000000000LL)
            updated = ms->toLongLong();
        auto st = insert.run({id, p.extra.value(QStringLiteral("mtgo_type"), type).toLongLong(), p.accessHash.value_or(0),
                          textValue(p.usernames.value(0)), textValue(usernames), textValue(first), textValue(last),
                          textValue(p.phone.value_or(QString())), p.type == PeerType::Bot ? 1 : 0,
                          p.extra.value(QStringLiteral("mtgo_photo_id"), 0).toLongLong(),
                          textValue(p.extra.value(QStringLiteral("mtgo_language")).toString()), updated});
        if (!st)
            return st;
    }
    return {};
}

Status writeState(SqliteDb &db, const Session &s)
{
    if (!s.updateState)
        return {};
    const QString sid = s.extra.value(QStringLiteral("mtgo_session_id")).toString();
    const UpdateState &us = *s.updateState;
    if (us.pts || us.qts || us.date || us.seq) {
        auto q = db.exec(QStringLiteral("INSERT INTO update_state (session_id, pts, qts, date, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)"),
                         {textValue(sid), us.pts.value_or(0), us.qts.value_or(0), us.date.value_or(0), us.seq.value_or(0),
                          s.extra.value(QStringLiteral("mtgo_update_state_updated_at"), 0).toLongLong()});
        if (!q)
            return out(q.error());
    }
    const QVariantMap at = s.extra.value(QStringLiteral("mtgo_channel_updated_at")).toMap();
    for (auto it = us.channelPts.constBegin(); it != us.channelPts.constEnd(); ++it) {
        auto q = db.exec(QStringLiteral("INSERT OR REPLACE INTO channel_update_state (session_id, channel_id, pts, updated_at) VALUES (?, ?, ?, ?)"),
                         {textValue(sid), it.key(), it.value(), at.value(QString::number(it.key()), 0).toLongLong()});
        if (!q)
            return out(q.error());
    }
    return {};
}

Status writeConversations(SqliteDb &db, const Session &s)
{
    for (const Conversation &c : s.conversations) {
        bool numeric = false;
        const qint64 step = c.step.toLongLong(&numeric);
        const QVariant stepValue = numeric ? QVariant(step) : QVariant(c.step);
        const QVariant data = c.extra.value(QStringLiteral("data_null")).toBool() && c.data.isEmpty()
            ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(c.data.isNull() ? QByteArray("") : c.data);
        auto q = db.exec(QStringLiteral("INSERT OR REPLACE INTO conversations (chat_id, user_id, name, step, data, created_at, updated_at) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?)"),
                         {c.chatId, c.userId, textValue(c.name), stepValue, data, c.created.value_or(0), c.updated.value_or(0)});
        if (!q)
            return out(q.error());
    }
    return {};
}

} // namespace

Status writeSqlite(const Session &s, const QString &path, const WriteOptions &options)
{
    auto target = SqliteWriteTarget::create(path, options.force);
    if (!target)
        return target.error();
    SqliteDb &db = (*target)->db();
    if (auto st = db.execAll(kSchema); !st)
        return out(st.error());
    if (auto st = db.begin(); !st)
        return out(st.error());
    if (auto st = writeSessions(db, s); !st)
        return st;
    if (auto st = writeState(db, s); !st)
        return st;
    if (options.carryPeers)
        if (auto st = writePeers(db, s); !st)
            return st;
    if (auto st = writeConversations(db, s); !st)
        return st;
    if (auto st = db.commit(); !st)
        return st;
    return (*target)->commit();
}

} // namespace sd::mtgo
