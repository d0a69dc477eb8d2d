// Prune of one session of an mtgo SQL store (docs/formats.md 7.2) by the shared SQL prune engine
// (prune/prunesql.cpp): counted, judged and deleted on the server in one transaction, after a
// sessiondesk-json backup of the session. A GORM store's other sessions are outside every
// statement's scope.
#include "formats/mtgo/mtgo-sqlstore.h"

#include "format/registry.h"
#include "formats/mtgo/mtgo-sqlite.h"

namespace sd::mtgo {

SqlPruneRows SqlStore::pruneRows(const QString &session) const
{
    SqlPruneRows rows;
    rows.mapping = *descriptor().sqlPeers;
    rows.mapping.table = t("peers");
    rows.scope = keyed() ? sessionCond(rows.scopeBinds, session) : QString();
    rows.formatId = keyed() ? QStringLiteral("mtgo-gorm") : QStringLiteral("mtgo-postgres");
    rows.displayName = QStringLiteral("mtgo-labs storage");
    return rows;
}

Result<QString> writeSessionBackup(const Session &session, const QString &formatId, const QString &base)
{
    const Format *json = Registry::instance().find(QStringLiteral("sessiondesk-json"));
    if (!json)
        return Error::output(QStringLiteral("the sessiondesk-json writer is missing"));
    Store backup;
    backup.formatId = formatId;
    backup.accounts.push_back(session);
    const QString path = backupPathFor(base);
    WriteOptions wo;
    if (auto st = json->write(backup, path, wo); !st)
        return Error::output(QStringLiteral("backup %1: %2").arg(path, st.error().message));
    return path;
}

Result<PruneReport> SqlStore::prune(const QString &session, const PrunePolicy &policy, const PruneOptions &options, const QString &backupBase)
{
    auto names = sessionNames();
    if (!names)
        return names.error();
    if (!names->contains(session))
        return Error::badInput(QStringLiteral("%1 holds no session to prune").arg(m_label));
    auto plan = planSqlPrune(*this, pruneRows(session), policy);
    if (!plan)
        return plan.error();
    PruneReport r;
    r.dryRun = options.dryRun;
    if (options.dryRun) {
        if (auto st = countSqlPrune(*this, *plan, r); !st)
            return st.error();
        return r;
    }
    // Backed up and pruned in one transaction: the backup holds what the prune judged. The count
    // first only decides whether a backup is owed (none when nothing would change).
    if (auto st = begin(); !st)
        return st.error();
    auto fail = [&](const Error &e) -> Error {
        m_changing = false;
        rollback();
        return e;
    };
    if (options.backup) {
        if (auto st = countSqlPrune(*this, *plan, r); !st)
            return fail(st.error());
        if (r.removed.total() == 0 && r.phonesCleared == 0) {
            rollback();
            return r;
        }
        ReadOptions full;
        full.session = session;
        auto s = readSession(session, full);
        if (!s)
            return fail(s.error());
        if (!*s)
            return fail(Error::badInput(QStringLiteral("%1 holds no session to prune").arg(m_label)));
        auto b = writeSessionBackup(**s, plan->rows.formatId, backupBase);
        if (!b)
            return fail(b.error());
        r.backup = *b;
    }
    m_changing = true;
    if (auto st = applySqlPrune(*this, *plan, r); !st)
        return fail(st.error());
    if (auto st = commit(); !st)
        return fail(st.error());
    m_changing = false;
    return r;
}

} // namespace sd::mtgo
