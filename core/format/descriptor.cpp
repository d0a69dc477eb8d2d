#include "descriptor.h"

#include <QRegularExpression>

namespace sd {

QStringList capabilityNames(Capabilities caps)
{
    static const std::pair<Capability, const char *> names[] = {
        {Capability::DcId, "dc_id"},          {Capability::Address, "address"},
        {Capability::TestFlag, "test_mode"},  {Capability::AuthKey, "auth_key"},
        {Capability::MultiDc, "multi_dc"},    {Capability::UserId, "user_id"},
        {Capability::IsBot, "is_bot"},        {Capability::ApiId, "api_id"},
        {Capability::UpdateState, "update_state"}, {Capability::Peers, "peers"},
        {Capability::Conversations, "conversations"}, {Capability::MultiAccount, "multi_account"},
        {Capability::MediaDc, "media_dc"},    {Capability::ApiHash, "api_hash"},
        {Capability::ChannelPts, "channel_pts"}, {Capability::PeerTimestamps, "peer_timestamps"},
        {Capability::Phones, "phones"},
    };
    QStringList out;
    for (const auto &[cap, name] : names)
        if (caps.testFlag(cap))
            out << QString::fromLatin1(name);
    return out;
}

QString SqlPeerMapping::peerRows() const
{
    return selfRow.isEmpty() ? QStringLiteral("1 = 1") : QStringLiteral("NOT (%1)").arg(selfRow);
}

QString SqlPeerMapping::kindCondition(PeerKind kind) const
{
    if (markedIds) {
        switch (kind) {
        case PeerKind::User:
            return QStringLiteral("%1 > 0").arg(idColumn);
        case PeerKind::Chat:
            return QStringLiteral("(%1 < 0 AND %1 > -1000000000000)").arg(idColumn);
        case PeerKind::Channel:
            return QStringLiteral("%1 <= -1000000000000").arg(idColumn);
        }
    }
    const int k = kind == PeerKind::User ? 0 : kind == PeerKind::Chat ? 1 : 2;
    return QStringLiteral("(%1) = %2").arg(kindExpr).arg(k);
}

SqlPeerMapping SqlPeerMapping::markedIdTable(const QString &table)
{
    SqlPeerMapping m;
    m.table = table;
    m.markedIds = true;
    m.markedIdExpr = m.idColumn;
    m.kindExpr = markedKindExpr(m.idColumn);
    return m;
}

SqlPeerMapping SqlPeerMapping::forColumns(const QStringList &columns) const
{
    SqlPeerMapping m = *this;
    for (const auto &[column, standIn] : columnDefaults) {
        if (columns.contains(column))
            continue;
        const QRegularExpression word(QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(column)));
        for (QString *e : {&m.markedIdExpr, &m.kindExpr, &m.timestampExpr, &m.hashMissing, &m.selfRow, &m.unjudgedRows})
            e->replace(word, standIn);
    }
    return m;
}

QString FormatDescriptor::usualFileName(const QString &base, std::optional<qint64> userId) const
{
    QString pattern = fileName;
    if (pattern.contains(QLatin1String("{uid}")) && (!userId || *userId <= 0))
        pattern = fileNameNoUser;
    if (pattern.isEmpty())
        pattern = QStringLiteral("{base}");
    pattern.replace(QLatin1String("{base}"), base);
    if (userId)
        pattern.replace(QLatin1String("{uid}"), QString::number(*userId));
    return pattern;
}

QString markedKindExpr(const QString &idExpr)
{
    return QStringLiteral("(CASE WHEN %1 > 0 THEN 0 WHEN %1 > -1000000000000 THEN 1 ELSE 2 END)").arg(idExpr);
}

QString bareFromMarkedExpr(const QString &idExpr)
{
    return QStringLiteral("(CASE WHEN %1 > 0 THEN %1 WHEN %1 > -1000000000000 THEN -%1 ELSE -1000000000000 - %1 END)").arg(idExpr);
}

QString markedFromBareExpr(const QString &bareExpr, const QString &kindExpr)
{
    return QStringLiteral("(CASE %2 WHEN 1 THEN -(%1) WHEN 2 THEN -1000000000000 - (%1) ELSE %1 END)").arg(bareExpr, kindExpr);
}

} // namespace sd
