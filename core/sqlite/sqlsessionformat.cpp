#include "sqlsessionformat.h"

#include "io/replacetarget.h"
#include "sqlite/carrytables.h"

#include <QFileInfo>
#include "sqlite/sqlitedb.h"

namespace sd {

Error SqlSessionFormat::notAString() const
{
    return Error::badInput(QStringLiteral("%1 is a file format; give the path of the session file, not a string").arg(id()));
}

Result<Store> SqlSessionFormat::read(const Source &source, const ReadOptions &options) const
{
    auto db = openConnection(source, options);
    if (!db)
        return db.error();
    return readStore(**db, options);
}

Status SqlSessionFormat::write(const Store &store, const QString &path, const WriteOptions &options) const
{
    auto account = accountToWrite(store);
    if (!account)
        return account.error();
    return writeAccount(**account, path, options);
}

Result<std::vector<Peer>> SqlSessionFormat::queryPeers(const Source &source, const PeerQuery &query, const ReadOptions &options) const
{
    auto db = openConnection(source, options);
    if (!db)
        return db.error();
    auto view = peerView(**db, options);
    if (!view)
        return view.error();
    if (!*view)
        return std::vector<Peer>();
    return sd::queryPeers(**db, **view, query);
}

Result<std::unique_ptr<PeerTable>> SqlSessionFormat::openPeerTable(const Source &source, const ReadOptions &options, int account) const
{
    if (account != 0)
        return Error::usage(QStringLiteral("no account %1 in %2").arg(account).arg(source.display()));
    auto db = openConnection(source, options);
    if (!db)
        return db.error();
    auto view = peerView(**db, options);
    if (!view)
        return view.error();
    if (!*view) {
        std::unique_ptr<PeerTable> empty = std::make_unique<MemoryPeerTable>(std::vector<Peer>());
        return empty;
    }
    std::unique_ptr<PeerTable> t = std::make_unique<SqlPeerTable>(std::move(*db), std::move(**view));
    return t;
}

Status SqlSessionFormat::loadPeersInto(SqlConnection &db, const SqlPeerView &view, const ReadOptions &options, Session &session)
{
    if (options.loadPeers) {
        auto peers = sd::queryPeers(db, view, PeerQuery{});
        if (!peers)
            return peers.error();
        session.peers = std::move(*peers);
    } else {
        auto counts = countPeersByKind(db, view);
        if (!counts)
            return counts.error();
        session.peerCountsOnly = *counts;
    }
    return {};
}

Status SqliteSessionFormat::write(const Store &store, const QString &path, const WriteOptions &options) const
{
    // Writing over an existing file in place (the GUI's Save): build the new file in a private
    // folder next to it, carry from the old one, and only then put it in place, as convert does.
    if (options.carryFrom.isEmpty() && options.force && QFileInfo(path).isFile()) {
        StagedOutput staged;
        if (auto st = staged.begin(path); !st)
            return st;
        WriteOptions wo = options;
        wo.force = false;
        wo.carryFrom = path;
        if (auto st = write(store, staged.path(), wo); !st)
            return st;
        return staged.commit(true);
    }
    if (auto st = SqlSessionFormat::write(store, path, options); !st)
        return st;
    if (options.carryFrom.isEmpty() || options.carryFrom == path)
        return {};
    auto carried = carryUnknownSqliteTables(*this, options.carryFrom, path);
    if (!carried)
        return carried.error();
    return {};
}

Result<std::unique_ptr<SqlConnection>> SqliteSessionFormat::openConnection(const Source &source, const ReadOptions &) const
{
    if (source.isString())
        return notAString();
    auto db = SqliteDb::openReadOnly(source.path);
    if (!db)
        return db.error();
    std::unique_ptr<SqlConnection> c = std::make_unique<SqliteConnection>(std::move(*db));
    return c;
}

Result<Store> SqliteSessionFormat::readStore(SqlConnection &db, const ReadOptions &options) const
{
    return readSqlite(*db.sqlite(), options);
}

Result<std::optional<SqlPeerView>> SqliteSessionFormat::peerView(SqlConnection &db, const ReadOptions &options) const
{
    return peerViewSqlite(*db.sqlite(), options);
}

} // namespace sd
