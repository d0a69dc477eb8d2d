// Every table and column a known version of each SQLite format has (formats.md 1.1, 1.4, 1.5, 2.1-2.4,
// 4.1, 7, 8.4). Anything else in a detected file is reported as unknown-schema.
#include "audit.h"

#include <QMap>

namespace sd {

namespace {
struct KnownTable {
    const char *table;
    const char *columns; // space-separated; "*" = any columns (legacy tables not inspected further)
};
struct KnownSchema {
    const char *formatId;
    std::vector<KnownTable> tables;
};

const std::vector<KnownSchema> &knownSchemas()
{
    static const std::vector<KnownSchema> s = {
        {"telethon-sqlite",
         {{"version", "version"},
          {"sessions", "dc_id server_address port auth_key takeout_id"},
          {"entities", "id hash username phone name date"},
          {"sent_files", "md5_digest file_size type id hash"},
          {"update_state", "id pts qts date seq"}}},
        {"telethon2-sqlite",
         {{"version", "version"},
          {"datacenter", "id ipv4_addr ipv6_addr auth"},
          {"user", "id dc bot username"},
          {"state", "pts qts date seq"},
          {"channelstate", "id pts"}}},
        // Upstream Pyrogram v2/v3, Kurigram v4-v7 and Pyrofork v4 together.
        {"pyrogram-sqlite",
         {{"sessions", "dc_id server_address port api_id test_mode auth_key date user_id is_bot"},
          {"peers", "id access_hash type username phone_number last_update_on"},
          {"usernames", "id username peer_id last_update_on"},
          {"update_state", "id pts qts date seq"},
          {"version", "number"}}},
        {"mtcute-sqlite",
         {{"mtcute_migrations", "repo version"},
          {"auth_keys", "dc key"},
          {"temp_auth_keys", "dc idx key expires"},
          {"key_value", "key value"},
          {"peers", "id hash usernames updated phone complete isMin"},
          {"message_refs", "peer_id chat_id msg_id"},
          {"fsm_state", "key value expires_at"},
          {"rl_state", "key reset remaining"},
          // pre-0.9 layout (an unsupported version, not an unknown schema)
          {"kv", "*"},
          {"pts", "*"},
          {"entities", "*"},
          {"state", "*"}}},
        {"mtgo-sqlite",
         {{"sessions", "session_id dc_id api_id api_hash test_mode auth_key state user_id is_bot first_name last_name "
                       "username date server_address port"},
          {"peers", "id type access_hash username usernames first_name last_name phone_number is_bot photo_id language "
                    "last_updated"},
          {"update_state", "session_id pts qts date seq updated_at"},
          {"channel_update_state", "session_id channel_id pts updated_at"},
          {"update_dedup", "session_id dedup_key created_at"},
          {"durable_updates", "session_id id payload attempts last_error created_at updated_at"},
          {"conversations", "chat_id user_id name step data created_at updated_at"}}},
        {"ferogram-sqlite",
         {{"meta", "key value"},
          {"dcs", "dc_id flags addr auth_key first_salt time_offset"},
          {"update_state", "id pts qts date seq"},
          {"channel_pts", "channel_id pts"},
          {"peers", "id access_hash is_channel is_chat channel_kind is_community"},
          {"min_peers", "user_id peer_id msg_id"}}},
    };
    return s;
}
} // namespace

QStringList unknownSchemaParts(const QString &formatId, const QMap<QString, QStringList> &schema)
{
    const KnownSchema *known = nullptr;
    for (const KnownSchema &k : knownSchemas())
        if (formatId == QLatin1String(k.formatId))
            known = &k;
    if (!known)
        return {};
    QStringList out;
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        if (it.key().startsWith(QLatin1String("sqlite_")))
            continue;
        const KnownTable *t = nullptr;
        for (const KnownTable &kt : known->tables)
            if (it.key() == QLatin1String(kt.table))
                t = &kt;
        if (!t) {
            out << QStringLiteral("table %1").arg(it.key());
            continue;
        }
        const QString cols = QString::fromLatin1(t->columns);
        if (cols == QLatin1String("*"))
            continue;
        const QStringList knownCols = cols.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QString &c : it.value())
            if (!knownCols.contains(c))
                out << QStringLiteral("column %1.%2").arg(it.key(), c);
    }
    return out;
}

bool schemaLooksLikeSession(const QMap<QString, QStringList> &schema)
{
    static const QStringList sessionTables = {QStringLiteral("sessions"), QStringLiteral("session"),
                                              QStringLiteral("entities"), QStringLiteral("auth_keys"),
                                              QStringLiteral("datacenter"), QStringLiteral("dcs"),
                                              QStringLiteral("telegram_sessions"), QStringLiteral("mtcute_migrations")};
    static const QStringList keyColumns = {QStringLiteral("auth_key"), QStringLiteral("authkey"),
                                           QStringLiteral("auth_key_data"), QStringLiteral("session_string")};
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        if (sessionTables.contains(it.key(), Qt::CaseInsensitive))
            return true;
        for (const QString &c : it.value())
            if (keyColumns.contains(c, Qt::CaseInsensitive))
                return true;
    }
    return false;
}

} // namespace sd
