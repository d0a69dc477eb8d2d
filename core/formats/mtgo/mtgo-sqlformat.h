#pragma once
// The Format shared by mtgo-postgres and mtgo-gorm (docs/formats.md 7.2): every operation goes to
// the SqlStore of the source (postgres:// URL, or a SQLite file for GORM).
#include "formats/mtgo/mtgo-sqlstore.h"
#include "server/serverurl.h"

#include <QDir>
#include <QRegularExpression>

namespace sd::mtgo {

class SqlStoreFormat : public Format {
public:
    SqlStoreFormat(SqlLayout layout, const QString &id, const QString &displayName, const QString &fileName)
        : m_layout(layout)
    {
        using C = Capability;
        m_descriptor.id = id;
        m_descriptor.displayName = displayName;
        m_descriptor.sourceKind = SourceKind::File;
        m_descriptor.capabilities = C::DcId | C::Address | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId | C::ApiHash
            | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones | C::Conversations;
        if (layout == SqlLayout::Gorm) {
            m_descriptor.capabilities |= C::MultiAccount;
            m_descriptor.namedSessions = true;
        }
        m_descriptor.fileName = fileName;
        m_descriptor.pruneByFormat = true;
    }
    const FormatDescriptor &descriptor() const override { return m_descriptor; }
    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        auto store = openSqlStore(source, m_layout, id());
        if (!store)
            return store.error();
        auto s = (*store)->read(options);
        if (s) {
            s->formatId = id();
            if (m_layout == SqlLayout::Classic && !s->accounts.empty()
                && !s->accounts.front().extra.contains(QStringLiteral("mtgo_session_id")))
                s->variant = QStringLiteral("pre-session-id");
        }
        return s;
    }
    Result<std::vector<Peer>> queryPeers(const Source &source, const PeerQuery &query, const ReadOptions &options) const override
    {
        auto store = openSqlStore(source, m_layout, id());
        if (!store)
            return store.error();
        auto name = (*store)->pickSession(options.session);
        if (!name)
            return name.error();
        const SqlPeerView view = (*store)->peerView(*name);
        return sd::queryPeers(**store, view, query);
    }
    Result<std::unique_ptr<PeerTable>> openPeerTable(const Source &source, const ReadOptions &options, int account) const override
    {
        auto store = openSqlStore(source, m_layout, id());
        if (!store)
            return store.error();
        QString requested = options.session;
        if (requested.isEmpty() && m_layout == SqlLayout::Gorm) {
            auto names = (*store)->sessionNames();
            if (!names)
                return names.error();
            if (account < 0 || account >= names->size())
                return Error::usage(QStringLiteral("no account %1 in %2").arg(account).arg(source.display()));
            requested = names->at(account);
        }
        auto name = (*store)->pickSession(requested);
        if (!name)
            return name.error();
        return SqlStore::peerTable(std::move(*store), *name);
    }
    Result<PruneReport> prune(const QString &path, const PrunePolicy &policy, const PruneOptions &options) const override
    {
        auto store = openSqlStore(Source::fromPath(path), m_layout, id());
        if (!store)
            return store.error();
        auto name = (*store)->pickSession(options.session);
        if (!name)
            return name.error();
        if (!server::looksLikeServerUrl(path)) {
            // A GORM SQLite file: pruned in place like every SQLite store (lock refusal, a backup
            // of the file, one transaction), the other sessions' rows outside every statement.
            const SqlPruneRows rows = (*store)->pruneRows(*name);
            store->reset();
            return pruneSqliteRows(path, rows, policy, options);
        }
        QString base = QStringLiteral("%1-%2").arg(id(), name->isEmpty() ? QStringLiteral("session") : *name);
        base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
        return (*store)->prune(*name, policy, options, QDir::current().filePath(base + QStringLiteral(".sessiondesk.json")));
    }
    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        if (server::looksLikeServerUrl(path)) {
            auto opened = openSqlStore(Source::fromPath(path), m_layout, id());
            if (!opened)
                return opened.error().kind == ErrorKind::BadInput ? Status(Error::output(opened.error().message)) : Status(opened.error());
            return (*opened)->write(store, options.session, options);
        }
        if (m_layout != SqlLayout::Gorm)
            return Error::usage(QStringLiteral("%1 lives in PostgreSQL: give -o postgres://USER@HOST:PORT/DB").arg(id()));
        // A new GORM SQLite file, built next to its place and renamed in (SqliteWriteTarget).
        auto target = SqliteWriteTarget::create(path, options.force);
        if (!target)
            return target.error();
        {
            SqlStore s((*target)->db().db(), false, SqlLayout::Gorm, {}, path);
            if (auto st = s.write(store, options.session, options); !st)
                return st;
        }
        return (*target)->commit();
    }

protected:
    SqlLayout m_layout;
    FormatDescriptor m_descriptor;
};

} // namespace sd::mtgo
