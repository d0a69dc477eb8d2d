// Prune of one session of an mtgo SQL store (docs/formats.md 7.2): the peers are judged by the
// shared prune rules, removed in one transaction, after a sessiondesk-json backup of the session.
#include "formats/mtgo/mtgo-sqlstore.h"

#include "format/registry.h"
#include "prune/prune.h"

#include <QDateTime>
#include <QSqlError>

namespace sd::mtgo {

namespace {
constexpr int kDeleteBatch = 1000;

QString idList(const std::vector<qint64> &ids, size_t from, size_t to)
{
    QStringList parts;
    for (size_t i = from; i < to; ++i)
        parts << QString::number(ids[i]);
    return parts.join(QLatin1Char(','));
}
} // namespace

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
    const qint64 now = policy.now > 0 ? policy.now : QDateTime::currentSecsSinceEpoch();
    ReadOptions ro;
    ro.session = session;
    auto picked = readSession(session, ro);
    if (!picked)
        return picked.error();
    if (!*picked)
        return Error::badInput(QStringLiteral("%1 holds no session to prune").arg(m_label));
    Session &s = **picked;
    if (policy.olderThanDays) {
        const bool anyClock = std::any_of(s.peers.begin(), s.peers.end(), [](const Peer &p) { return p.updated.has_value(); });
        if (!anyClock && !s.peers.empty())
            return Error::usage(QStringLiteral("no peer in this store has a last_updated time (mtgo never sets it, docs/formats.md 7.1): "
                                               "--older-than would remove nothing; use --keep-newest N or --type"));
    }
    std::vector<Peer> work = s.peers;
    qint64 phones = 0;
    const auto gone = selectPeersToPrune(work, policy, now, true, &phones);
    PruneReport r;
    r.dryRun = options.dryRun;
    std::vector<qint64> removeIds, phoneIds;
    size_t g = 0;
    for (size_t i = 0; i < work.size(); ++i) {
        if (g < gone.size() && gone[g] == i) {
            r.removed.add(s.peers[i].kind());
            removeIds.push_back(recFromPeer(s.peers[i]).id);
            ++g;
        } else {
            ++r.kept;
            if (s.peers[i].phone && !work[i].phone)
                phoneIds.push_back(recFromPeer(s.peers[i]).id);
        }
    }
    r.phonesCleared = static_cast<qint64>(phoneIds.size());
    if (options.dryRun || (removeIds.empty() && phoneIds.empty()))
        return r;
    if (options.backup) {
        auto b = writeSessionBackup(s, keyed() ? QStringLiteral("mtgo-gorm") : QStringLiteral("mtgo-postgres"), backupBase);
        if (!b)
            return b.error();
        r.backup = *b;
    }
    if (!m_db.transaction())
        return Error::output(QStringLiteral("cannot start a transaction: %1").arg(m_db.lastError().text()));
    auto rollback = [&](const Error &e) -> Error {
        m_db.rollback();
        return Error::output(e.message);
    };
    for (size_t i = 0; i < removeIds.size(); i += kDeleteBatch) {
        QVariantList binds;
        const QString cond = keyed() ? sessionCond(binds, session) + QStringLiteral(" AND ") : QString();
        auto q = run(QStringLiteral("DELETE FROM %1 WHERE %2id IN (%3)").arg(t("peers"), cond, idList(removeIds, i, std::min(removeIds.size(), i + kDeleteBatch))),
                      binds, true);
        if (!q)
            return rollback(q.error());
    }
    for (size_t i = 0; i < phoneIds.size(); i += kDeleteBatch) {
        QVariantList binds;
        const QString cond = keyed() ? sessionCond(binds, session) + QStringLiteral(" AND ") : QString();
        auto q = run(QStringLiteral("UPDATE %1 SET phone_number = '' WHERE %2id IN (%3)").arg(t("peers"), cond, idList(phoneIds, i, std::min(phoneIds.size(), i + kDeleteBatch))),
                      binds, true);
        if (!q)
            return rollback(q.error());
    }
    if (!m_db.commit())
        return rollback(Error::output(QStringLiteral("commit failed: %1").arg(m_db.lastError().text())));
    return r;
}


} // namespace sd::mtgo
