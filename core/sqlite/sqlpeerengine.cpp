#include "sqlpeerengine.h"

#include "sqlite/sqlitedb.h"

#include <QSqlError>
#include <QSqlRecord>

namespace sd {

namespace {

PeerKind kindOf(qint64 k) { return k == 1 ? PeerKind::Chat : k == 2 ? PeerKind::Channel : PeerKind::User; }
int kindIndex(PeerKind k) { return k == PeerKind::User ? 0 : k == PeerKind::Chat ? 1 : 2; }

// The format's row, with the kind the mapping gives it: a reader that guesses another kind for an
// odd row (a type the library does not define) is overruled, so every module sees one kind.
Peer toPeer(const SqlPeerView &view, const QSqlQuery &q, int kindColumn)
{
    Peer p = view.rowToPeer(q);
    const PeerKind k = kindOf(sqlInt(q.value(kindColumn)).value_or(0));
    if (p.kind() != k) {
        p.type = k == PeerKind::User ? PeerType::User : k == PeerKind::Chat ? PeerType::Chat : PeerType::Channel;
    }
    return p;
}

QString selectList(const SqlPeerView &view)
{
    return QStringLiteral("%1, %2 AS sd_kind").arg(view.columns, view.kindExpr);
}

Result<std::vector<Peer>> collect(const SqlPeerView &view, QSqlQuery &q, SqlConnection &db)
{
    Q_UNUSED(db);
    std::vector<Peer> out;
    int kindColumn = -1;
    while (q.next()) {
        if (kindColumn < 0)
            kindColumn = q.record().count() - 1;
        out.push_back(toPeer(view, q, kindColumn));
    }
    if (q.lastError().isValid())
        return Error::badInput(QStringLiteral("reading peers: %1").arg(q.lastError().text()));
    return out;
}

} // namespace

SqlPeerView peerViewFor(const SqlPeerMapping &m, const QString &alias)
{
    SqlPeerView v;
    v.from = alias.isEmpty() ? m.table : QStringLiteral("%1 %2").arg(m.table, alias);
    v.keyExpr = alias.isEmpty() ? m.idColumn : QStringLiteral("%1.%2").arg(alias, m.idColumn);
    v.markedIdExpr = m.markedIdExpr;
    v.kindExpr = m.kindExpr;
    v.keyIsMarkedId = m.markedIds;
    v.baseWhere = m.peerRows();
    for (PeerKind k : {PeerKind::User, PeerKind::Chat, PeerKind::Channel})
        v.kindWhere[kindIndex(k)] = m.kindCondition(k);
    return v;
}

QString likePattern(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

QString peerWhere(const SqlPeerView &view, const PeerQuery &filter, QVariantList &binds)
{
    return peerWhere(view, filter, binds, SqlDialect::postgreSql());
}

QString peerWhere(const SqlPeerView &view, const PeerQuery &filter, QVariantList &binds, const SqlDialect &dialect)
{
    // SQLite's LIKE already ignores ASCII case, and its lower() folds ASCII only (no ICU), so on
    // SQLite "lower(x) LIKE p" and "CAST(x AS TEXT) LIKE p" match the same rows (the CAST keeps
    // lower()'s conversion of numbers and blobs to text) without a lowered copy of every value
    // of every row: the profile of peers --search over 1M rows showed lower()'s copies.
    // PostgreSQL's LIKE is case-sensitive: lower() stays.
    const QString textMatch = dialect.kind == SqlDialect::Sqlite ? QStringLiteral("CAST(%1 AS TEXT) LIKE ? ESCAPE '\\'")
                                                                 : QStringLiteral("lower(%1) LIKE ? ESCAPE '\\'");
    QStringList parts;
    parts << QStringLiteral("(%1)").arg(view.baseWhere.isEmpty() ? QStringLiteral("1 = 1") : view.baseWhere);
    if (filter.kind)
        parts << QStringLiteral("(%1)").arg(view.kindWhere[kindIndex(*filter.kind)]);
    const QString needle = filter.search.trimmed();
    if (!needle.isEmpty()) {
        // Lower-cased on both sides: case-insensitive on SQLite and PostgreSQL alike. The digits of
        // a bare id are always inside its marked id, so the marked id alone answers id searches.
        const QString pattern = likePattern(needle.toLower());
        QStringList ors;
        ors << QStringLiteral("CAST(%1 AS TEXT) LIKE ? ESCAPE '\\'").arg(view.markedIdExpr);
        binds << pattern;
        for (const QString &e : view.searchText) {
            ors << textMatch.arg(e);
            binds << pattern;
        }
        for (const QString &e : view.existsSearch) {
            ors << e;
            binds << pattern;
        }
        parts << QStringLiteral("(%1)").arg(ors.join(QStringLiteral(" OR ")));
    }
    return parts.join(QStringLiteral(" AND "));
}

QString peerOrder(const SqlPeerView &view, PeerSortColumn sort, bool descending)
{
    const QString dir = descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    if (sort == PeerSortColumn::Default || sort == PeerSortColumn::Id)
        return view.markedIdExpr + dir;
    const QString expr = view.sortExprs.value(sort);
    if (expr.isEmpty())
        return view.markedIdExpr + QStringLiteral(" ASC"); // a constant column: all ties
    return QStringLiteral("%1%2, %3 ASC").arg(expr, dir, view.markedIdExpr);
}

Result<qint64> countPeers(SqlConnection &db, const SqlPeerView &view, const PeerQuery &filter)
{
    QVariantList binds;
    const QString where = peerWhere(view, filter, binds, db.dialect());
    auto q = db.exec(QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(view.from, where), binds);
    if (!q)
        return q.error();
    return q->next() ? sqlInt(q->value(0)).value_or(0) : 0;
}

Result<std::vector<Peer>> fetchPeers(SqlConnection &db, const SqlPeerView &view, const PeerQuery &filter, PeerSortColumn sort,
                                     bool descending, qint64 offset, qint64 limit)
{
    QVariantList binds;
    const QString where = peerWhere(view, filter, binds, db.dialect());
    QString sql = QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %4")
                      .arg(selectList(view), view.from, where, peerOrder(view, sort, descending));
    sql += db.dialect().pageClause(offset, limit, binds);
    auto q = db.exec(sql, binds);
    if (!q)
        return q.error();
    return collect(view, *q, db);
}

Result<std::vector<Peer>> queryPeers(SqlConnection &db, const SqlPeerView &view, const PeerQuery &query)
{
    return fetchPeers(db, view, query, PeerSortColumn::Default, false, query.offset, query.limit);
}

Result<PeerCounts> countPeersByKind(SqlConnection &db, const SqlPeerView &view)
{
    const QString where = view.baseWhere.isEmpty() ? QStringLiteral("1 = 1") : view.baseWhere;
    if (db.dialect().kind == SqlDialect::Sqlite) {
        // One pass without a sorter: GROUP BY over an expression made SQLite sort every row first
        // (the profile of inspect over 1M peers). Every kind expression is a CASE yielding 0, 1 or
        // 2, and a kind other than 1 or 2 counts as a user, as kindOf() does below.
        auto q = db.exec(QStringLiteral("SELECT count(*), coalesce(sum((%1) = 1), 0), coalesce(sum((%1) = 2), 0) FROM %2 WHERE %3")
                             .arg(view.kindExpr, view.from, where));
        if (!q)
            return q.error();
        PeerCounts c;
        if (q->next()) {
            const qint64 all = sqlInt(q->value(0)).value_or(0), chats = sqlInt(q->value(1)).value_or(0),
                         channels = sqlInt(q->value(2)).value_or(0);
            c.add(PeerKind::User, all - chats - channels);
            c.add(PeerKind::Chat, chats);
            c.add(PeerKind::Channel, channels);
        }
        return c;
    }
    auto q = db.exec(QStringLiteral("SELECT %1 AS sd_kind, count(*) FROM %2 WHERE %3 GROUP BY 1")
                         .arg(view.kindExpr, view.from, view.baseWhere.isEmpty() ? QStringLiteral("1 = 1") : view.baseWhere));
    if (!q)
        return q.error();
    PeerCounts c;
    while (q->next())
        c.add(kindOf(sqlInt(q->value(0)).value_or(0)), sqlInt(q->value(1)).value_or(0));
    return c;
}

bool SqlPeerTable::direct(const PeerPageQuery &q) const
{
    return m_view.keyIsMarkedId && !q.filter.kind && q.filter.search.trimmed().isEmpty()
        && (q.sort == PeerSortColumn::Default || q.sort == PeerSortColumn::Id);
}

Status SqlPeerTable::materialize(const PeerPageQuery &q)
{
    if (m_valid && m_current.filter.kind == q.filter.kind && m_current.filter.search == q.filter.search && m_current.sort == q.sort
        && m_current.descending == q.descending)
        return {};
    m_valid = false;
    const SqlDialect &d = m_db->dialect();
    if (auto st = m_db->execAll({QStringLiteral("DROP TABLE IF EXISTS %1").arg(d.viewTable()), d.createViewTable()}); !st)
        return st;
    QVariantList binds;
    const QString where = peerWhere(m_view, q.filter, binds, d);
    auto made = m_db->exec(QStringLiteral("INSERT INTO %1 (sd_pos, sd_key) SELECT row_number() OVER (ORDER BY %2), %3 FROM %4 WHERE %5")
                               .arg(d.viewTable(), peerOrder(m_view, q.sort, q.descending), m_view.keyExpr, m_view.from, where),
                           binds);
    if (!made)
        return made.error();
    auto n = m_db->exec(QStringLiteral("SELECT count(*) FROM %1").arg(d.viewTable()));
    if (!n)
        return n.error();
    m_count = n->next() ? sqlInt(n->value(0)).value_or(0) : 0;
    m_current = q;
    m_valid = true;
    return {};
}

Result<qint64> SqlPeerTable::count(const PeerPageQuery &query)
{
    if (direct(query))
        return countPeers(*m_db, m_view, query.filter);
    if (auto st = materialize(query); !st)
        return st.error();
    return m_count;
}

Result<std::vector<Peer>> SqlPeerTable::fetch(const PeerPageQuery &query, qint64 offset, qint64 limit)
{
    if (direct(query))
        return fetchPeers(*m_db, m_view, query.filter, query.sort, query.descending, offset, limit);
    if (auto st = materialize(query); !st)
        return st.error();
    const qint64 first = std::max<qint64>(0, offset);
    const qint64 last = limit < 0 ? m_count : std::min(m_count, first + limit);
    if (first >= last)
        return std::vector<Peer>();
    auto q = m_db->exec(QStringLiteral("SELECT %1 FROM %2 sd_v JOIN %3 ON %4 = sd_v.sd_key "
                                       "WHERE sd_v.sd_pos > ? AND sd_v.sd_pos <= ? ORDER BY sd_v.sd_pos")
                            .arg(selectList(m_view), m_db->dialect().viewTable(), m_view.from, m_view.keyExpr),
                        {first, last});
    if (!q)
        return q.error();
    return collect(m_view, *q, *m_db);
}

} // namespace sd
