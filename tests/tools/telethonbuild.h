#pragma once
// Builds Telethon v1 session files of any database version 1..7 from the migration table in
// formats.md 1.4 (for reader tests of the older layouts).
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

} // namespace sdtest
