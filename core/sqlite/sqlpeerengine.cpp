#include "sqlpeerengine.h"

#include "format/peerindex.h"
#include "sqlite/sqlitedb.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlRecord>
#include <bit>
#include <sqlite3.h>

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

// The rows of q: the format's columns, then sd_kind, then `trailing` columns of the engine's own.
Result<std::vector<Peer>> collect(const SqlPeerView &view, QSqlQuery &q, int trailing = 0)
{
    std::vector<Peer> out;
    int kindColumn = -1;
    while (q.next()) {
        if (kindColumn < 0)
            kindColumn = q.record().count() - 1 - trailing;
        out.push_back(toPeer(view, q, kindColumn));
    }
    if (q.lastError().isValid())
        return Error::badInput(QStringLiteral("reading peers: %1").arg(q.lastError().text()));
    return out;
}

// The rows that are peers, with the view's own binds (a store's session) appended to binds.
QString baseCondition(const SqlPeerView &view, QVariantList &binds)
{
    binds << view.baseBinds;
    return view.baseWhere.isEmpty() ? QStringLiteral("1 = 1") : view.baseWhere;
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
    parts << QStringLiteral("(%1)").arg(baseCondition(view, binds));
    if (filter.kind)
        parts << QStringLiteral("(%1)").arg(view.kindWhere[kindIndex(*filter.kind)]);
    const QString needle = filter.needle();
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
    offset = std::max<qint64>(0, offset);
    if (!view.markedRuns.isEmpty() && limit >= 0 && (sort == PeerSortColumn::Default || sort == PeerSortColumn::Id)) {
        // Marked-id order without sorting the whole table: the first offset + limit rows of each run
        // (an index walk with a LIMIT), merged by marked id outside.
        QVariantList binds;
        QStringList parts;
        for (int i = 0; i < view.markedRuns.size(); ++i) {
            const SqlMarkedRun &run = view.markedRuns[i];
            const bool down = descending != run.reversed;
            parts << QStringLiteral("SELECT * FROM (SELECT %1, %2 AS sd_marked FROM %3 WHERE %4 AND (%5) ORDER BY %6 %7 LIMIT %8) sd_run%9")
                         .arg(selectList(view), view.markedIdExpr, view.from, peerWhere(view, filter, binds, db.dialect()), run.where,
                              run.orderExpr, down ? QStringLiteral("DESC") : QStringLiteral("ASC"))
                         .arg(offset + limit)
                         .arg(i);
        }
        const QString sql = QStringLiteral("SELECT * FROM (%1) sd_parts ORDER BY sd_marked %2 LIMIT %3 OFFSET %4")
                                .arg(parts.join(QStringLiteral(" UNION ALL ")), descending ? QStringLiteral("DESC") : QStringLiteral("ASC"))
                                .arg(limit)
                                .arg(offset);
        auto q = db.exec(sql, binds);
        if (!q)
            return q.error();
        return collect(view, *q, 1);
    }
    QVariantList binds;
    const QString where = peerWhere(view, filter, binds, db.dialect());
    QString sql = QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %4")
                      .arg(selectList(view), view.from, where, peerOrder(view, sort, descending));
    sql += db.dialect().pageClause(offset, limit, binds);
    auto q = db.exec(sql, binds);
    if (!q)
        return q.error();
    return collect(view, *q);
}

Result<std::vector<Peer>> queryPeers(SqlConnection &db, const SqlPeerView &view, const PeerQuery &query)
{
    return fetchPeers(db, view, query, PeerSortColumn::Default, false, query.offset, query.limit);
}

Result<PeerCounts> countPeersByKind(SqlConnection &db, const SqlPeerView &view)
{
    // One pass without a sorter: GROUP BY over an expression made SQLite sort every row first
    // (the profile of inspect over 1M peers), and on PostgreSQL count(*) FILTER takes half the
    // time of a GROUP BY or sum(CASE ...) over a million rows (86 against 175 ms). Every kind
    // expression is a CASE yielding 0, 1 or 2; any other kind counts as a user, as kindOf() does.
    QVariantList binds;
    const QString where = baseCondition(view, binds);
    const QString sql = db.dialect().kind == SqlDialect::Sqlite
        ? QStringLiteral("SELECT count(*), coalesce(sum((%1) = 1), 0), coalesce(sum((%1) = 2), 0) FROM %2 WHERE %3")
        : QStringLiteral("SELECT count(*), count(*) FILTER (WHERE (%1) = 1), count(*) FILTER (WHERE (%1) = 2) FROM %2 WHERE %3");
    auto q = db.exec(sql.arg(view.kindExpr, view.from, where), binds);
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

bool SqlPeerTable::direct(const PeerPageQuery &q) const
{
    if (m_db->dialect().kind == SqlDialect::PostgreSql)
        return true; // paged on the server (see the header)
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
    return collect(m_view, *q);
}

namespace {

sqlite3 *sqliteHandle(SqlConnection &c)
{
    SqliteDb *db = c.sqlite();
    if (!db)
        return nullptr;
    const QVariant h = db->db().driver()->handle();
    if (!h.isValid() || qstrcmp(h.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(h.constData());
}

struct Statement {
    sqlite3_stmt *stmt = nullptr;
    ~Statement() { sqlite3_finalize(stmt); }
};

} // namespace

Result<std::shared_ptr<const PeerIndex>> SqlPeerTable::buildIndex(const std::atomic<bool> *cancel)
{
    // Exact only where SQL matches the searchText expressions alone (no EXISTS over a side table)
    // with SQLite's ASCII-only lower()/LIKE, and where the marked id is the key (unique, indexed).
    sqlite3 *h = sqliteHandle(*m_db);
    if (!h || m_db->dialect().kind != SqlDialect::Sqlite || !m_view.existsSearch.isEmpty() || !m_view.keyIsMarkedId
        || !m_view.baseBinds.isEmpty())
        return std::shared_ptr<const PeerIndex>();
    const int fields = static_cast<int>(m_view.searchText.size());
    // Sort expressions: the kind and the marked id are kept anyway; any other is selected and
    // kept as integers, or recognised row by row as one of the search texts (as is or folded).
    QList<PeerSortColumn> sortCols;
    QStringList select{QStringLiteral("(%1)").arg(m_view.markedIdExpr), QStringLiteral("(%1)").arg(m_view.kindExpr)};
    for (const QString &e : m_view.searchText)
        select << QStringLiteral("CAST((%1) AS TEXT)").arg(e);
    // Two shapes are known without reading them: lower(coalesce(F, '')) is search text F folded
    // and coalesce(CAST(F AS TEXT), '') is F as is (NULL and '' both give an empty field, and
    // lower() of a number or blob reads it as CAST(... AS TEXT) does).
    QMap<PeerSortColumn, PeerIndex::SortSource> known;
    for (auto it = m_view.sortExprs.cbegin(); it != m_view.sortExprs.cend(); ++it) {
        if (it.value() == m_view.kindExpr || it.value() == m_view.markedIdExpr)
            continue;
        bool recognised = false;
        for (int f = 0; f < fields && !recognised; ++f) {
            const QString &e = m_view.searchText[f];
            for (bool folded : {true, false}) {
                const QString shape = folded ? QStringLiteral("lower(coalesce(%1, ''))").arg(e)
                                             : QStringLiteral("coalesce(CAST(%1 AS TEXT), '')").arg(e);
                if (it.value() == shape) {
                    PeerIndex::SortSource src;
                    src.kind = PeerIndex::SortSource::Text;
                    src.field = f;
                    src.folded = folded;
                    known.insert(it.key(), src);
                    recognised = true;
                    break;
                }
            }
        }
        if (recognised)
            continue;
        sortCols << it.key();
        select << QStringLiteral("(%1)").arg(it.value());
    }
    const QString sql = QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %4 ASC")
                            .arg(select.join(QStringLiteral(", ")), m_view.from,
                                 m_view.baseWhere.isEmpty() ? QStringLiteral("1 = 1") : m_view.baseWhere, m_view.markedIdExpr);
    Statement st;
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v2(h, utf8.constData(), static_cast<int>(utf8.size()), &st.stmt, nullptr) != SQLITE_OK)
        return Error::badInput(QStringLiteral("peer index: %1").arg(QString::fromUtf8(sqlite3_errmsg(h))));

    const int nSort = static_cast<int>(sortCols.size());
    // Per sort column: 0 unknown, 1 integers, 2 text (candidates bitmask: field*2 + folded), 3 none.
    std::vector<int> state(static_cast<size_t>(nSort), 0);
    std::vector<quint32> candidates(static_cast<size_t>(nSort), 0);
    const quint32 allCandidates = fields >= 16 ? 0xFFFFFFFFu : ((1u << (fields * 2)) - 1);
    auto index = std::make_shared<PeerIndex>(fields, nSort);
    {
        Statement cnt;
        const QByteArray c = QStringLiteral("SELECT count(*) FROM %1 WHERE %2")
                                 .arg(m_view.from, m_view.baseWhere.isEmpty() ? QStringLiteral("1 = 1") : m_view.baseWhere)
                                 .toUtf8();
        if (sqlite3_prepare_v2(h, c.constData(), static_cast<int>(c.size()), &cnt.stmt, nullptr) == SQLITE_OK
            && sqlite3_step(cnt.stmt) == SQLITE_ROW) {
            const qint64 rows = sqlite3_column_int64(cnt.stmt, 0);
            index->reserve(static_cast<size_t>(std::max<qint64>(rows, 0)), static_cast<size_t>(std::max<qint64>(rows, 0)) * 256);
        }
    }
    std::vector<QByteArray> text(static_cast<size_t>(fields));
    std::vector<std::optional<qint64>> ints(static_cast<size_t>(nSort));
    qint64 n = 0;
    int rc;
    while ((rc = sqlite3_step(st.stmt)) == SQLITE_ROW) {
        if (cancel && (++n & 4095) == 0 && cancel->load())
            return std::shared_ptr<const PeerIndex>();
        if (sqlite3_column_type(st.stmt, 0) != SQLITE_INTEGER || sqlite3_column_type(st.stmt, 1) != SQLITE_INTEGER)
            return std::shared_ptr<const PeerIndex>(); // an odd key: SQL keeps serving
        const qint64 marked = sqlite3_column_int64(st.stmt, 0);
        const qint64 k = sqlite3_column_int64(st.stmt, 1);
        const PeerKind kind = k == 1 ? PeerKind::Chat : k == 2 ? PeerKind::Channel : PeerKind::User;
        for (int f = 0; f < fields; ++f) {
            const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(st.stmt, 2 + f));
            const int len = sqlite3_column_bytes(st.stmt, 2 + f);
            text[static_cast<size_t>(f)] = t ? QByteArray::fromRawData(t, len) : QByteArray();
        }
        for (int c = 0; c < nSort; ++c) {
            const int col = 2 + fields + c;
            int &s = state[static_cast<size_t>(c)];
            ints[static_cast<size_t>(c)].reset();
            if (s == 3)
                continue;
            const int type = sqlite3_column_type(st.stmt, col);
            if (type == SQLITE_INTEGER && (s == 0 || s == 1)) {
                s = 1;
                ints[static_cast<size_t>(c)] = sqlite3_column_int64(st.stmt, col);
                continue;
            }
            if (type == SQLITE_TEXT && (s == 0 || s == 2)) {
                if (s == 0)
                    candidates[static_cast<size_t>(c)] = allCandidates;
                s = 2;
                const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(st.stmt, col));
                const int len = sqlite3_column_bytes(st.stmt, col);
                quint32 &cand = candidates[static_cast<size_t>(c)];
                for (int f = 0; f < fields && cand; ++f) {
                    const QByteArray &v = text[static_cast<size_t>(f)];
                    const bool sameLen = v.size() == len;
                    if ((cand >> (f * 2)) & 1u) { // as is
                        if (!sameLen || (len && std::memcmp(v.constData(), t, static_cast<size_t>(len)) != 0))
                            cand &= ~(1u << (f * 2));
                    }
                    if ((cand >> (f * 2 + 1)) & 1u) { // folded
                        bool same = sameLen;
                        for (int i = 0; same && i < len; ++i) {
                            const unsigned char x = static_cast<unsigned char>(v[i]);
                            same = static_cast<unsigned char>(static_cast<unsigned>(x - 'A') < 26u ? x | 0x20 : x) == static_cast<unsigned char>(t[i]);
                        }
                        if (!same)
                            cand &= ~(1u << (f * 2 + 1));
                    }
                }
                if (!cand)
                    s = 3;
                continue;
            }
            s = 3; // NULL, REAL, BLOB or a mix: SQL sorts this column
        }
        if (!index->append(marked, kind, text.data(), ints.data()))
            return std::shared_ptr<const PeerIndex>();
    }
    if (rc != SQLITE_DONE)
        return Error::badInput(QStringLiteral("peer index: %1").arg(QString::fromUtf8(sqlite3_errmsg(h))));
    // Columns that are all integers, or the same search text on every row.
    for (int c = 0; c < nSort; ++c) {
        const int s = state[static_cast<size_t>(c)];
        PeerIndex::SortSource src;
        if (s == 1 || (s == 0)) { // s == 0: no rows
            src.kind = PeerIndex::SortSource::Int;
            src.intColumn = c;
        } else if (s == 2) {
            const quint32 cand = candidates[static_cast<size_t>(c)];
            const int bit = std::countr_zero(cand);
            src.kind = PeerIndex::SortSource::Text;
            src.field = bit / 2;
            src.folded = bit % 2 == 1;
        }
        index->setSortSource(sortCols[c], src);
    }
    for (auto it = known.cbegin(); it != known.cend(); ++it)
        index->setSortSource(it.key(), it.value());
    for (auto it = m_view.sortExprs.cbegin(); it != m_view.sortExprs.cend(); ++it) {
        PeerIndex::SortSource src;
        if (it.value() == m_view.kindExpr)
            src.kind = PeerIndex::SortSource::PeerKindColumn;
        else if (it.value() == m_view.markedIdExpr)
            src.kind = PeerIndex::SortSource::MarkedId;
        else
            continue;
        index->setSortSource(it.key(), src);
    }
    // A column the format does not keep sorts as a constant: every row ties, marked-id order.
    for (PeerSortColumn c : {PeerSortColumn::Type, PeerSortColumn::Username, PeerSortColumn::Phone, PeerSortColumn::Name,
                             PeerSortColumn::Updated, PeerSortColumn::AccessHash})
        if (!m_view.sortExprs.contains(c)) {
            PeerIndex::SortSource src;
            src.kind = PeerIndex::SortSource::Constant;
            index->setSortSource(c, src);
        }
    index->finish();
    return std::shared_ptr<const PeerIndex>(std::move(index));
}

Result<std::vector<Peer>> SqlPeerTable::fetchMarked(const std::vector<qint64> &markedIds)
{
    if (!m_view.keyIsMarkedId)
        return Error::usage(QStringLiteral("this peer table has no lookup by marked id"));
    std::vector<Peer> out;
    if (markedIds.empty())
        return out;
    // The ids come from the index (integers): written into the statement, no bind limit.
    QString list;
    list.reserve(static_cast<qsizetype>(markedIds.size() * 21));
    for (size_t i = 0; i < markedIds.size(); ++i) {
        if (i)
            list += QLatin1Char(',');
        list += QString::number(markedIds[i]);
    }
    QVariantList binds;
    const QString base = baseCondition(m_view, binds);
    auto q = m_db->exec(QStringLiteral("SELECT %1, %2 AS sd_marked FROM %3 WHERE (%4) AND %5 IN (%6)")
                            .arg(selectList(m_view), m_view.markedIdExpr, m_view.from, base, m_view.keyExpr, list),
                        binds);
    if (!q)
        return q.error();
    QHash<qint64, Peer> byId;
    byId.reserve(static_cast<qsizetype>(markedIds.size()));
    int kindColumn = -1;
    while (q->next()) {
        if (kindColumn < 0)
            kindColumn = q->record().count() - 2;
        byId.insert(sqlInt(q->value(kindColumn + 1)).value_or(0), toPeer(m_view, *q, kindColumn));
    }
    if (q->lastError().isValid())
        return Error::badInput(QStringLiteral("reading peers: %1").arg(q->lastError().text()));
    out.reserve(markedIds.size());
    for (qint64 id : markedIds) {
        auto it = byId.find(id);
        if (it != byId.end())
            out.push_back(std::move(*it));
    }
    return out;
}

} // namespace sd
