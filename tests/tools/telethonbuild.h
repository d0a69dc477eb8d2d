#pragma once
// Builds Telethon v1 session files of any database version 1..7 from the migration table in
// docs/formats.md 1.4 (for reader tests of the older layouts).
#include "domain/session.h"
#include "tools/sqlitebuild.h"

namespace sdtest {

inline QString buildTelethon(const QString &path, int version)
{
    SqlFile f(path);
    if (!f.ok())
        return QStringLiteral("cannot create %1").arg(path);
    QStringList s{QStringLiteral("create table version (version integer primary key)"),
                  version >= 5 ? QStringLiteral("create table sessions (dc_id integer primary key, server_address text, port integer, "
                                                "auth_key blob, takeout_id integer)")
                               : QStringLiteral("create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob)"),
                  version >= 7 ? QStringLiteral("create table entities (id integer primary key, hash integer not null, username text, "
                                                "phone integer, name text, date integer)")
                               : QStringLiteral("create table entities (id integer primary key, hash integer not null, username text, "
                                                "phone integer, name text)")};
    if (version == 2)
        s << QStringLiteral("create table sent_files (md5_digest blob, file_size integer, file_id integer, part_count integer, "
                            "primary key(md5_digest, file_size))");
    if (version >= 3)
        s << QStringLiteral("create table sent_files (md5_digest blob, file_size integer, type integer, id integer, hash integer, "
                            "primary key(md5_digest, file_size, type))");
    if (version >= 4)
        s << QStringLiteral("create table update_state (id integer primary key, pts integer, qts integer, date integer, seq integer)");
    if (QString e = f.script(s); !e.isEmpty())
        return e;
    if (QString e = f.exec(QStringLiteral("insert into version values (?)"), {version}); !e.isEmpty())
        return e;
    const QVariantList sess = version >= 5
        ? QVariantList{4, QStringLiteral("149.154.167.91"), 443, sdtest::testKey(version), 99}
        : QVariantList{4, QStringLiteral("149.154.167.91"), 443, sdtest::testKey(version)};
    if (QString e = f.exec(version >= 5 ? QStringLiteral("insert into sessions values (?,?,?,?,?)") : QStringLiteral("insert into sessions values (?,?,?,?)"), sess);
        !e.isEmpty())
        return e;
    const QString ins = version >= 7 ? QStringLiteral("insert into entities values (?,?,?,?,?,?)") : QStringLiteral("insert into entities values (?,?,?,?,?)");
    const QList<QVariantList> rows{
        {Q_INT64_C(5000000001), Q_INT64_C(-9000000000000000001), QStringLiteral("alice"), QStringLiteral("79001234567"), QStringLiteral("Alice A")},
        {-42, 0, QVariant(), QVariant(), QStringLiteral("Group")},
        {Q_INT64_C(-1000000000077), Q_INT64_C(123456789012345), QStringLiteral("chan_x"), QVariant(), QStringLiteral("Chan 50%")},
    };
    for (QVariantList r : rows) {
        if (version >= 7)
            r << 1700000100;
        if (QString e = f.exec(ins, r); !e.isEmpty())
            return e;
    }
    if (version >= 4) {
        if (QString e = f.exec(QStringLiteral("insert into update_state values (0, 100, 5, 1700000000, 9)")); !e.isEmpty())
            return e;
        // Channel rows: bare id, REAL date (datetime.timestamp() with microseconds).
        if (QString e = f.exec(QStringLiteral("insert into update_state values (77, 55, 0, 1700000001.25, 0)")); !e.isEmpty())
            return e;
    }
    return {};
}

// A session with every field Telethon v1 carries (users, a basic group, a channel, channel pts).
inline sd::Session richSession()
{
    using namespace sd;
    Session s;
    s.dcId = 2;
    s.userId = Q_INT64_C(7000000001);
    s.takeoutId = Q_INT64_C(-123);
    DcAuth &d = s.upsertDc(2);
    d.address = QStringLiteral("149.154.167.51");
    d.port = 443;
    d.authKey = SecretBytes::fromByteArray(sdtest::testKey(77));
    UpdateState u;
    u.pts = 11;
    u.qts = 12;
    u.date = 1700000000;
    u.seq = 13;
    u.channelPts.insert(1234567890, 55);
    u.channelPts.insert(Q_INT64_C(2200000000), 66);
    s.updateState = u;
    auto peer = [&s](qint64 id, PeerType t, std::optional<qint64> hash, QStringList names, std::optional<QString> phone,
                     std::optional<QString> name, std::optional<qint64> updated) {
        Peer p;
        p.id = id;
        p.type = t;
        p.accessHash = hash;
        p.usernames = names;
        p.phone = phone;
        p.name = name;
        p.updated = updated;
        s.peers.push_back(p);
    };
    peer(1001, PeerType::User, Q_INT64_C(-8000000000000000000), {QStringLiteral("bob")}, QStringLiteral("15551234567"), QStringLiteral("Bob B"), 1700000200);
    peer(1002, PeerType::User, 5, {}, QStringLiteral("+44 20 1234"), std::nullopt, std::nullopt);
    peer(Q_INT64_C(6000000000), PeerType::User, Q_INT64_C(9000000000000000001), {QStringLiteral("zoe_x")}, std::nullopt, QStringLiteral("Zoë"), 1700000300);
    peer(55, PeerType::Chat, 0, {}, std::nullopt, QStringLiteral("Basic group"), 1700000400);
    peer(Q_INT64_C(1234567890), PeerType::Channel, Q_INT64_C(-42), {QStringLiteral("news_ch")}, std::nullopt, QStringLiteral("News"), 1700000500);
    return s;
}

} // namespace sdtest
