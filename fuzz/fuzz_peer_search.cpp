// libFuzzer target for `peers --search` through the SQL peer tables (core/formats/mtcute/
// sqlpeertable: LIKE patterns with escapes), differential against the in-memory matcher
// (PeerQuery::matches): the input is the search text; a small Telethon database with awkward names
// (LIKE wildcards, backslashes, quotes, mixed case) answers it through SQL, and the set of ids must
// equal what the in-memory matcher selects from the same peers.
#include "fuzzcommon.h"

#include "format/peertable.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <set>

namespace sdfuzz::t_peer_search {

using namespace sd;

struct Fixture {
    QString path;
    std::vector<Peer> peers;
    std::unique_ptr<PeerTable> table;
};

inline Fixture &fixture()
{
    static Fixture *f = [] {
        auto *fx = new Fixture;
        fx->path = tempDir().filePath(QStringLiteral("search.session"));
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fuzz-search"));
            db.setDatabaseName(fx->path);
            if (!db.open())
                std::abort();
            QSqlQuery q(db);
            // Telethon's schema version 7 (docs/formats.md, Telethon SQLite).
            for (const char *sql : {"CREATE TABLE version (version integer primary key)", "INSERT INTO version VALUES (7)",
                                    "CREATE TABLE sessions (dc_id integer primary key, server_address text, port integer, "
                                    "auth_key blob, takeout_id integer)",
                                    "CREATE TABLE entities (id integer primary key, hash integer not null, username text, "
                                    "phone integer, name text, date integer)",
                                    "CREATE TABLE sent_files (md5_digest blob, file_size integer, type integer, id integer, "
                                    "hash integer, primary key(md5_digest, file_size, type))",
                                    "CREATE TABLE update_state (id integer primary key, pts integer, qts integer, date integer, seq integer)"})
                if (!q.exec(QString::fromLatin1(sql)))
                    std::abort();
            q.prepare(QStringLiteral("INSERT INTO sessions VALUES (2, '149.154.167.51', 443, ?, NULL)"));
            q.addBindValue(QByteArray(256, '\x11'));
            q.exec();
            const QList<QVariantList> rows = {
                {123456789, 1, QStringLiteral("Alice_Bob"), 79001234567LL, QStringLiteral("Alice 100% Real")},
                {-1001234567890LL, 2, QStringLiteral("news\\chan"), QVariant(), QStringLiteral("News_Channel")},
                {-4242, 3, QVariant(), QVariant(), QStringLiteral("it's a \"group\"")},
                {777000, 4, QStringLiteral("Telegram"), 42777, QStringLiteral("Telegram Notifications")},
                {5000000001LL, 5, QStringLiteral("ZZtop"), QVariant(), QStringLiteral("zz TOP _%")},
                {987, 6, QStringLiteral("under_score"), 5550100, QStringLiteral("Mixed CaSe Name")},
            };
            for (const QVariantList &r : rows) {
                q.prepare(QStringLiteral("INSERT INTO entities VALUES (?, ?, ?, ?, ?, 1700000000)"));
                for (const QVariant &v : r)
                    q.addBindValue(v);
                if (!q.exec())
                    std::abort();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("fuzz-search"));
        const Format &f = format("telethon-sqlite");
        auto store = f.read(Source::fromPath(fx->path), {});
        if (!store || store->accounts.empty())
            std::abort();
        fx->peers = store->accounts.front().peers;
        auto t = f.openPeerTable(Source::fromPath(fx->path), {}, 0);
        if (!t)
            std::abort();
        fx->table = std::move(*t);
        return fx;
    }();
    return *f;
}

inline int run(const uint8_t *data, size_t size)
{
    Fixture &fx = fixture();
    PeerPageQuery q;
    q.filter.search = QString::fromUtf8(bytesOf(data, size));
    if (size > 0 && data[0] < 3)
        q.filter.kind = static_cast<PeerKind>(data[0]);
    std::set<qint64> expected, got;
    for (const Peer &p : fx.peers)
        if (q.filter.matches(p))
            expected.insert(p.markedId());
    auto rows = fx.table->fetch(q, 0, -1);
    check(rows.ok());
    if (!rows)
        return 0;
    for (const Peer &p : *rows)
        got.insert(p.markedId());
    check(got == expected);
    auto n = fx.table->count(q);
    check(n.ok() && *n == qint64(expected.size()));
    return 0;
}

} // namespace sdfuzz::t_peer_search

SD_FUZZ_ENTRY(t_peer_search)
