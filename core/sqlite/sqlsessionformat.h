#pragma once
// The base of every SQL-backed session format. It supplies the skeletons (open read-only, read,
// query peers, the paged peer table, write one account) and the shared preconditions, each with
// one message and one exit code everywhere:
//   * a string given to a store format: exit 3 (bad input);
//   * a source holding no account to write: nothingToWrite(), exit 3;
//   * an account index the store does not have: exit 2.
// A format says how to read its store (readStore), which peer view its schema has (peerView) and
// how to write one account (writeAccount). SQLite formats derive from SqliteSessionFormat, which
// opens files through SqliteDb::openReadOnly; a PostgreSQL-backed format derives from
// SqlSessionFormat and opens its server connection in openConnection().
#include "format/format.h"
#include "sqlite/sqlpeerengine.h"

namespace sd {

class SqliteDb;

class SqlSessionFormat : public Format {
public:
    Result<Store> read(const Source &source, const ReadOptions &options) const override;
    Status write(const Store &store, const QString &path, const WriteOptions &options) const override;
    Result<std::vector<Peer>> queryPeers(const Source &source, const PeerQuery &query, const ReadOptions &options) const override;
    Result<std::unique_ptr<PeerTable>> openPeerTable(const Source &source, const ReadOptions &options, int account = 0) const override;
    // For readers: the peers (or, with !loadPeers, their counts) of the view into session.
    static Status loadPeersInto(SqlConnection &db, const SqlPeerView &view, const ReadOptions &options, Session &session);

protected:
    // Opens the source for reading; the error is the one the user sees.
    virtual Result<std::unique_ptr<SqlConnection>> openConnection(const Source &source, const ReadOptions &options) const = 0;
    virtual Result<Store> readStore(SqlConnection &db, const ReadOptions &options) const = 0;
    // The peer view of this store's live schema, or nullopt when it has no peer table yet.
    virtual Result<std::optional<SqlPeerView>> peerView(SqlConnection &db, const ReadOptions &options) const = 0;
    virtual Status writeAccount(const Session &session, const QString &path, const WriteOptions &options) const = 0;

    // "<format> is a file format; give the path of the session file" (exit 3).
    Error notAString() const;
};

// SQLite files: openConnection() opens the file read-only (a private snapshot for WAL files).
class SqliteSessionFormat : public SqlSessionFormat {
public:
    // Writes the account, then carries from WriteOptions::carryFrom (the file being replaced, when it
    // is of this format) the tables this format does not own (sqlite/carrytables.h).
    Status write(const Store &store, const QString &path, const WriteOptions &options) const override;

protected:
    Result<std::unique_ptr<SqlConnection>> openConnection(const Source &source, const ReadOptions &options) const override;
    Result<Store> readStore(SqlConnection &db, const ReadOptions &options) const final;
    Result<std::optional<SqlPeerView>> peerView(SqlConnection &db, const ReadOptions &options) const final;
    virtual Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options) const = 0;
    virtual Result<std::optional<SqlPeerView>> peerViewSqlite(SqliteDb &db, const ReadOptions &options) const = 0;
};

} // namespace sd
