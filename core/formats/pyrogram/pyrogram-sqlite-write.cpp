// Writing pyrogram-sqlite files in the exact schema of the target library (docs/formats.md 2.1-2.4):
// "pyrogram" (upstream, version 3), "kurigram" (version 7) or "pyrofork" (version 4).
#include "formats/pyrogram/pyrogramsqlite.h"

#include "domain/dcaddress.h"

#include <QDateTime>

namespace sd::pyro {

namespace {

const QString kSessionsV3 = QStringLiteral(
    "CREATE TABLE sessions\n(\n    dc_id     INTEGER PRIMARY KEY,\n    api_id    INTEGER,\n    test_mode INTEGER,\n"
    "    auth_key  BLOB,\n    date      INTEGER NOT NULL,\n    user_id   INTEGER,\n    is_bot    INTEGER\n)");
const QString kSessionsKurigram = QStringLiteral(
    "CREATE TABLE sessions\n(\n    dc_id          INTEGER PRIMARY KEY,\n    server_address TEXT,\n    port           INTEGER,\n"
    "    api_id         INTEGER,\n    test_mode      INTEGER,\n    auth_key       BLOB,\n    date           INTEGER NOT NULL,\n"
    "    user_id        INTEGER,\n    is_bot         INTEGER\n)");
const QString kPeersWithUsername = QStringLiteral(
    "CREATE TABLE peers\n(\n    id             INTEGER PRIMARY KEY,\n    access_hash    INTEGER,\n    type           INTEGER NOT NULL,\n"
    "    username       TEXT,\n    phone_number   TEXT,\n"
    "    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER))\n)");
const QString kPeersKurigram = QStringLiteral(
    "CREATE TABLE peers\n(\n    id             INTEGER PRIMARY KEY,\n    access_hash    INTEGER,\n    type           INTEGER NOT NULL,\n"
    "    phone_number   TEXT,\n    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER))\n)");
const QString kUpdateState = QStringLiteral(
    "CREATE TABLE update_state\n(\n    id   INTEGER PRIMARY KEY,\n    pts  INTEGER,\n    qts  INTEGER,\n    date INTEGER,\n    seq  INTEGER\n)");
const QString kVersionTable = QStringLiteral("CREATE TABLE version\n(\n    number INTEGER PRIMARY KEY\n)");
const QString kPeersTrigger = QStringLiteral(
    "CREATE TRIGGER trg_peers_last_update_on\n    AFTER UPDATE\n    ON peers\nBEGIN\n    UPDATE peers\n"
    "    SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER)\n    WHERE id = NEW.id;\nEND");

QStringList schemaFor(const QString &variant)
{
    if (variant == QLatin1String("kurigram")) {
        return {kSessionsKurigram, kPeersKurigram,
                QStringLiteral("CREATE TABLE usernames\n(\n    id       INTEGER,\n    username TEXT,\n"
                               "    FOREIGN KEY (id) REFERENCES peers(id)\n)"),
                kUpdateState, kVersionTable,
                QStringLiteral("CREATE INDEX idx_peers_id ON peers (id)"),
                QStringLiteral("CREATE INDEX idx_peers_phone_number ON peers (phone_number)"),
                QStringLiteral("CREATE INDEX idx_usernames_id ON usernames (id)"),
                QStringLiteral("CREATE INDEX idx_usernames_username ON usernames (username)"), kPeersTrigger};
    }
    QStringList out{kSessionsV3, kPeersWithUsername};
    if (variant == QLatin1String("pyrofork"))
        out << kUpdateState;
    out << kVersionTable << QStringLiteral("CREATE INDEX idx_peers_id ON peers (id)")
        << QStringLiteral("CREATE INDEX idx_peers_username ON peers (username)")
        << QStringLiteral("CREATE INDEX idx_peers_phone_number ON peers (phone_number)") << kPeersTrigger;
    if (variant == QLatin1String("pyrofork")) {
        out << QStringLiteral("CREATE TABLE IF NOT EXISTS usernames\n(\n    id             TEXT PRIMARY KEY,\n"
                              "    peer_id        INTEGER NOT NULL,\n"
                              "    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER))\n)")
            << QStringLiteral("CREATE TRIGGER IF NOT EXISTS trg_usernames_last_update_on\n    AFTER UPDATE\n    ON usernames\n"
                              "BEGIN\n    UPDATE usernames\n    SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER)\n"
                              "    WHERE id = NEW.id;\nEND")
            << QStringLiteral("CREATE TABLE dc_options\n(\n    id       INTEGER PRIMARY KEY AUTOINCREMENT,\n    dc_id    INTEGER,\n"
                              "    address  TEXT,\n    port     INTEGER,\n    is_ipv6  BOOLEAN,\n    is_test  BOOLEAN,\n"
                              "    is_media BOOLEAN,\n    is_default_ip BOOLEAN,\n    UNIQUE(dc_id, is_ipv6, is_test, is_media)\n)");
    }
    return out;
}

int versionFor(const QString &variant)
{
    if (variant == QLatin1String("kurigram"))
        return 7;
    if (variant == QLatin1String("pyrofork"))
        return 4;
    return 3;
}

QVariant optInt(const std::optional<qint64> &v) { return v ? QVariant(*v) : sqlc::nullInt(); }

} // namespace

Status writeStore(const Session &s, const QString &path, const WriteOptions &options)
{
    const QString variant = options.variant.isEmpty() ? QStringLiteral("pyrogram") : options.variant.toLower();
    if (variant != QLatin1String("pyrogram") && variant != QLatin1String("kurigram") && variant != QLatin1String("pyrofork"))
        return Error::usage(QStringLiteral("unknown pyrogram-sqlite variant '%1' (pyrogram, kurigram or pyrofork)").arg(options.variant));
    // Never guess the owner (e.g. from the peer cache): ask for what the source lacks.
    QStringList missing;
    if (!s.userId)
        missing << QStringLiteral("the account's user id (--user-id N)");
    if (!s.apiId)
        missing << QStringLiteral("the api_id (--api-id N)");
    if (!missing.isEmpty())
        return Error::usage(QStringLiteral("%1 needs %2, which the source does not carry")
                                .arg(variant, missing.join(QStringLiteral(" and "))));
    const DcAuth *primary = s.primary();
    const int dcId = s.dcId ? s.dcId : (primary ? primary->dcId : 0);
    if (dcId <= 0)
        return Error::usage(QStringLiteral("the session has no DC id; Pyrogram needs one"));
    bool test = false;
    if (s.testMode)
        test = *s.testMode;
    else if (primary)
        if (auto known = lookupDcAddress(primary->address))
            test = known->test;

    auto target = SqliteWriteTarget::create(path, options.force);
    if (!target)
        return target.error();
    SqliteDb &db = (*target)->db();
    if (auto st = sqlc::execScript(db, schemaFor(variant)); !st)
        return st;
    if (auto b = db.begin(); !b)
        return Error::output(b.error().message);
    Status st = sqlc::execWrite(db, QStringLiteral("INSERT INTO version VALUES (?)"), {versionFor(variant)});
    if (!st)
        return st;

    const qint64 date = s.extra.contains(kDateExtra) ? s.extra.value(kDateExtra).toLongLong() : QDateTime::currentSecsSinceEpoch();
    QByteArray key = primary ? primary->authKey.exposeUnsafe() : QByteArray();
    const QVariant keyValue = key.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(key);
    if (variant == QLatin1String("kurigram")) {
        QString address = primary ? primary->address : QString();
        int port = primary ? primary->port : 0;
        if (address.isEmpty() || port <= 0) {
            if (auto def = defaultDcAddress(dcId, test)) {
                address = def->address;
                port = def->port;
            }
        }
        st = sqlc::execWrite(db, QStringLiteral("INSERT INTO sessions (dc_id, server_address, port, api_id, test_mode, auth_key, "
                                                "date, user_id, is_bot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                             {dcId, address.isEmpty() ? sqlc::nullText() : QVariant(address), port > 0 ? QVariant(port) : sqlc::nullInt(),
                              *s.apiId, test ? 1 : 0, keyValue, date, *s.userId, s.isBot.value_or(false) ? 1 : 0});
    } else {
        st = sqlc::execWrite(db, QStringLiteral("INSERT INTO sessions (dc_id, api_id, test_mode, auth_key, date, user_id, is_bot) "
                                                "VALUES (?, ?, ?, ?, ?, ?, ?)"),
                             {dcId, *s.apiId, test ? 1 : 0, keyValue, date, *s.userId, s.isBot.value_or(false) ? 1 : 0});
    }
    wipe(key);
    if (!st)
        return st;

    if (options.carryPeers && !s.peers.empty()) {
        const bool kurigram = variant == QLatin1String("kurigram");
        const bool pyrofork = variant == QLatin1String("pyrofork");
        QSqlQuery peerIns(db.db()), nameIns(db.db());
        const QString peerSqlText = kurigram
            ? QStringLiteral("REPLACE INTO peers (id, access_hash, type, phone_number, last_update_on) VALUES (?, ?, ?, ?, "
                             "coalesce(?, CAST(STRFTIME('%s', 'now') AS INTEGER)))")
            : QStringLiteral("REPLACE INTO peers (id, access_hash, type, username, phone_number, last_update_on) VALUES (?, ?, ?, ?, ?, "
                             "coalesce(?, CAST(STRFTIME('%s', 'now') AS INTEGER)))");
        if (!peerIns.prepare(peerSqlText))
            return Error::output(db.queryError(peerIns, QStringLiteral("preparing the peers insert")).message);
        if (kurigram && !nameIns.prepare(QStringLiteral("INSERT INTO usernames (id, username) VALUES (?, ?)")))
            return Error::output(db.queryError(nameIns, QStringLiteral("preparing the usernames insert")).message);
        if (pyrofork && !nameIns.prepare(QStringLiteral("REPLACE INTO usernames (peer_id, id, last_update_on) VALUES (?, ?, "
                                                        "coalesce(?, CAST(STRFTIME('%s', 'now') AS INTEGER)))")))
            return Error::output(db.queryError(nameIns, QStringLiteral("preparing the usernames insert")).message);
        for (const Peer &p : s.peers) {
            if (!sqlc::cacheablePeer(p))
                continue;
            const qint64 marked = p.markedId();
            QVariantList b{marked, p.kind() == PeerKind::Chat ? p.accessHash.value_or(0) : *p.accessHash, typeText(p, variant)};
            if (!kurigram)
                b << (p.username() ? QVariant(p.username()->toLower()) : sqlc::nullText());
            b << (p.phone ? QVariant(*p.phone) : sqlc::nullText()) << optInt(p.updated);
            for (int i = 0; i < b.size(); ++i)
                peerIns.bindValue(i, b.at(i));
            if (!peerIns.exec())
                return Error::output(db.queryError(peerIns, QStringLiteral("writing peers")).message);
            // Kurigram keeps every username in its table; Pyrofork only for peers with several.
            if (kurigram || (pyrofork && p.usernames.size() > 1)) {
                for (const QString &u : p.usernames) {
                    nameIns.bindValue(0, marked);
                    nameIns.bindValue(1, u.toLower());
                    if (pyrofork)
                        nameIns.bindValue(2, optInt(p.updated));
                    if (!nameIns.exec())
                        return Error::output(db.queryError(nameIns, QStringLiteral("writing usernames")).message);
                }
            }
        }
    }

    if (s.updateState && variant != QLatin1String("pyrogram")) {
        const UpdateState &u = *s.updateState;
        if (u.pts || u.qts || u.date || u.seq) {
            if (st = sqlc::execWrite(db, QStringLiteral("REPLACE INTO update_state (id, pts, qts, date, seq) VALUES (0, ?, ?, ?, ?)"),
                                     {optInt(u.pts), optInt(u.qts), optInt(u.date), optInt(u.seq)}); !st)
                return st;
        }
        for (auto it = u.channelPts.cbegin(); it != u.channelPts.cend(); ++it) {
            if (it.key() <= 0)
                continue;
            // Kurigram and Pyrofork key channel rows by the marked id (pitfall 10).
            if (st = sqlc::execWrite(db, QStringLiteral("REPLACE INTO update_state (id, pts, qts, date, seq) VALUES (?, ?, NULL, ?, NULL)"),
                                     {markedId(it.key(), PeerKind::Channel), it.value(), optInt(u.date)}); !st)
                return st;
        }
    }
    if (auto c = db.commit(); !c)
        return c;
    return (*target)->commit();
}

} // namespace sd::pyro
