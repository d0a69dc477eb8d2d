#include "sqlpeertable.h"

namespace sd {

namespace {
QString likePattern(const QString &needle)
{
    QString e = needle;
    e.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    e.replace(QLatin1Char('%'), QLatin1String("\\%"));
    e.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + e + QLatin1Char('%');
}
} // namespace

QString sqlPeerWhere(const SqlPeerSchema &s, const PeerQuery &filter, QVariantList &binds)
{
    QStringList conds;
    if (filter.kind) {
        conds << QStringLiteral("(%1) = ?").arg(s.kindExpr);
        binds << int(*filter.kind);
    }
    const QString needle = filter.search.trimmed();
    if (!needle.isEmpty()) {
        QStringList ors;
        const QString pat = likePattern(needle);
        QStringList exprs = {QStringLiteral("CAST((%1) AS TEXT)").arg(s.idExpr),
                             QStringLiteral("CAST((%1) AS TEXT)").arg(s.markedIdExpr)};
        exprs << s.searchTextExprs;
        for (const QString &e : exprs) {
            ors << QStringLiteral("lower(%1) LIKE lower(?) ESCAPE '\\'").arg(e);
            binds << pat;
        }
        conds << QLatin1Char('(') + ors.join(QLatin1String(" OR ")) + QLatin1Char(')');
    }
    return conds.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conds.join(QLatin1String(" AND "));
}

Result<qint64> sqlPeerCount(SqliteDb &db, const SqlPeerSchema &s, const PeerQuery &filter)
{
    QVariantList binds;
    const QString where = sqlPeerWhere(s, filter, binds);
    auto q = db.exec(QStringLiteral("SELECT count(*) FROM %1%2").arg(s.from, where), binds);
    if (!q)
        return q.error();
    if (!q->next())
        return qint64(0);
    return sqlInt(q->value(0)).value_or(0);
}

Result<std::vector<Peer>> sqlPeerFetch(SqliteDb &db, const SqlPeerSchema &s, const PeerPageQuery &query,
                                       qint64 offset, qint64 limit)
{
    QVariantList binds;
    const QString where = sqlPeerWhere(s, query.filter, binds);
    QString order = s.sortExprs.value(query.sort);
    if (order.isEmpty())
        order = s.markedIdExpr;
    const QString dir = query.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    // A stable tie-break keeps pages disjoint.
    QString sql = QStringLiteral("SELECT %1 FROM %2%3 ORDER BY %4%5, %6%5 LIMIT ? OFFSET ?")
                      .arg(s.columns, s.from, where, order, dir, s.markedIdExpr);
    binds << (limit < 0 ? qint64(-1) : limit) << (offset < 0 ? qint64(0) : offset);
    auto q = db.exec(sql, binds);
    if (!q)
        return q.error();
    std::vector<Peer> out;
    while (q->next())
        out.push_back(s.rowToPeer(*q));
    return out;
}

Result<PeerCounts> sqlPeerCounts(SqliteDb &db, const SqlPeerSchema &s)
{
    auto q = db.exec(QStringLiteral("SELECT (%1) AS k, count(*) FROM %2 GROUP BY k").arg(s.kindExpr, s.from));
    if (!q)
        return q.error();
    PeerCounts c;
    while (q->next()) {
        const qint64 k = sqlInt(q->value(0)).value_or(0);
        const qint64 n = sqlInt(q->value(1)).value_or(0);
        c.add(k == 1 ? PeerKind::Chat : k == 2 ? PeerKind::Channel : PeerKind::User, n);
    }
    return c;
}

SqlBatch::SqlBatch(SqliteDb &db, const QString &sql) : m_db(db), m_query(db.db()), m_sql(sql)
{
    m_prepared = m_query.prepare(sql);
}

Status SqlBatch::run(const QVariantList &values)
{
    if (!m_prepared)
        return Error::output(m_db.queryError(m_query, QStringLiteral("preparing \"%1\"").arg(m_sql.left(60))).message);
    for (int i = 0; i < values.size(); ++i)
        m_query.bindValue(i, values[i]);
    if (!m_query.exec())
        return Error::output(m_db.queryError(m_query, QStringLiteral("running \"%1\"").arg(m_sql.left(60))).message);
    return {};
}

Result<qint64> SqlPeerTable::count(const PeerPageQuery &query)
{
    return sqlPeerCount(*m_db, m_schema, query.filter);
}

Result<std::vector<Peer>> SqlPeerTable::fetch(const PeerPageQuery &query, qint64 offset, qint64 limit)
{
    return sqlPeerFetch(*m_db, m_schema, query, offset, limit);
}

} // namespace sd
