#include "sqlcommon.h"

#include "sqlite/schematext.h"

#include <QSqlError>

#include <algorithm>

namespace sd::sqlc {

Result<std::unique_ptr<SqliteDb>> openSource(const Source &source, const QString &formatName)
{
    if (source.isString())
        return Error::badInput(QStringLiteral("%1 is a file format; give the path of the session file").arg(formatName));
    return SqliteDb::openReadOnly(source.path);
}

Result<Schema> readSchema(SqliteDb &db)
{
    // One statement for the whole schema: the CREATE TABLE text is parsed here, and only a table
    // whose text is not understood costs a PRAGMA table_info.
    auto q = db.exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    if (!q)
        return q.error();
    Schema out;
    QStringList unparsed;
    int guard = 0;
    while (q->next()) {
        if (++guard > 10000)
            return Error::badInput(QStringLiteral("the database schema is implausibly large"));
        const QString table = q->value(0).toString();
        if (auto cols = columnsFromCreateSql(q->value(1).toString()))
            out.insert(table, *cols);
        else
            unparsed << table;
    }
    for (const QString &table : unparsed) {
        auto cols = db.exec(QStringLiteral("SELECT name FROM pragma_table_info(?) ORDER BY cid"), {table});
        if (!cols)
            return cols.error();
        QStringList names;
        while (cols->next()) {
            if (++guard > 100000)
                return Error::badInput(QStringLiteral("the database schema is implausibly large"));
            names << cols->value(0).toString();
        }
        out.insert(table, names);
    }
    return out;
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

QString kindCondition(const QString &idExpr, PeerKind kind)
{
    switch (kind) {
    case PeerKind::User:
        return QStringLiteral("%1 > 0").arg(idExpr);
    case PeerKind::Chat:
        return QStringLiteral("(%1 < 0 AND %1 > -1000000000000)").arg(idExpr);
    case PeerKind::Channel:
        return QStringLiteral("%1 < -1000000000000").arg(idExpr);
    }
    return QStringLiteral("0");
}

Result<PeerCounts> countMarkedIds(SqliteDb &db, const QString &table, const QString &idColumn, const QString &extraWhere)
{
    QString sql = QStringLiteral("SELECT sum(%1 > 0), sum(%1 < 0 AND %1 > -1000000000000), sum(%1 < -1000000000000) FROM %2")
                      .arg(idColumn, table);
    if (!extraWhere.isEmpty())
        sql += QStringLiteral(" WHERE ") + extraWhere;
    auto q = db.exec(sql);
    if (!q)
        return q.error();
    PeerCounts c;
    if (q->next()) {
        c.users = intAt(*q, 0).value_or(0);
        c.chats = intAt(*q, 1).value_or(0);
        c.channels = intAt(*q, 2).value_or(0);
    }
    return c;
}

std::optional<QString> phoneAt(const QSqlQuery &q, int i)
{
    const QVariant v = q.value(i);
    if (v.isNull() || !v.isValid())
        return std::nullopt;
    switch (v.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return QString::number(v.toLongLong());
    case QMetaType::Double: {
        // An all-digit phone too long for INTEGER may be kept as REAL; print it without exponent.
        return QString::number(v.toDouble(), 'f', 0);
    }
    default:
        return sqlText(v);
    }
}

Result<std::optional<qint64>> readVersion(SqliteDb &db, const QString &column)
{
    auto q = db.exec(QStringLiteral("SELECT \"%1\" FROM version LIMIT 1").arg(column));
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<qint64>();
    return intAt(*q, 0);
}

QString whereClause(const PeerSql &spec, const PeerQuery &filter, QVariantList &binds)
{
    QStringList parts;
    if (!spec.baseWhere.isEmpty())
        parts << QStringLiteral("(%1)").arg(spec.baseWhere);
    if (filter.kind)
        parts << kindCondition(spec.idExpr, *filter.kind);
    const QString needle = filter.search.trimmed();
    if (!needle.isEmpty()) {
        const QString pattern = likePattern(needle);
        QStringList ors;
        ors << QStringLiteral("%1 LIKE ? ESCAPE '\\'").arg(spec.idExpr);
        binds << pattern;
        for (const QString &e : spec.textSearch) {
            ors << QStringLiteral("%1 LIKE ? ESCAPE '\\'").arg(e);
            binds << pattern;
        }
        for (const QString &e : spec.existsSearch) {
            ors << e;
            binds << pattern;
        }
        parts << QStringLiteral("(%1)").arg(ors.join(QStringLiteral(" OR ")));
    }
    return parts.isEmpty() ? QStringLiteral("1") : parts.join(QStringLiteral(" AND "));
}

QString orderClause(const PeerSql &spec, PeerSortColumn sort, bool descending)
{
    if (sort == PeerSortColumn::Default && !descending)
        return {}; // rowid (= marked id) order, no sort step
    QString expr = spec.sortExpr.value(sort);
    if (expr.isEmpty() || sort == PeerSortColumn::Default || sort == PeerSortColumn::Id)
        expr = spec.idExpr;
    const QString dir = descending ? QStringLiteral(" DESC") : QString();
    if (expr == spec.idExpr)
        return QStringLiteral(" ORDER BY %1%2").arg(expr, dir);
    // Ties keep ascending id order whatever the direction, as MemoryPeerTable's stable sort does.
    return QStringLiteral(" ORDER BY %1%2, %3").arg(expr, dir, spec.idExpr);
}

static Result<std::vector<Peer>> runSelect(SqliteDb &db, const PeerSql &spec, const PeerQuery &filter,
                                           PeerSortColumn sort, bool descending, qint64 offset, qint64 limit)
{
    QVariantList binds;
    const QString where = whereClause(spec, filter, binds);
    QString sql = QStringLiteral("SELECT %1 FROM %2 WHERE %3%4 LIMIT ? OFFSET ?")
                      .arg(spec.columns, spec.from, where, orderClause(spec, sort, descending));
    binds << QVariant(limit < 0 ? qint64(-1) : limit) << QVariant(offset < 0 ? qint64(0) : offset);
    auto q = db.exec(sql, binds);
    if (!q)
        return q.error();
    std::vector<Peer> out;
    while (q->next())
        out.push_back(spec.rowToPeer(*q));
    if (q->lastError().isValid())
        return db.queryError(*q, QStringLiteral("reading peers"));
    return out;
}

Result<std::vector<Peer>> queryPeers(SqliteDb &db, const PeerSql &spec, const PeerQuery &query, PeerSortColumn sort,
                                     bool descending)
{
    return runSelect(db, spec, query, sort, descending, query.offset, query.limit);
}

Result<qint64> countPeers(SqliteDb &db, const PeerSql &spec, const PeerQuery &filter)
{
    QVariantList binds;
    const QString where = whereClause(spec, filter, binds);
    auto q = db.exec(QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(spec.from, where), binds);
    if (!q)
        return q.error();
    return q->next() ? intAt(*q, 0).value_or(0) : 0;
}

bool SqlPeerTable::direct(const PeerPageQuery &q)
{
    return !q.filter.kind && q.filter.search.trimmed().isEmpty()
        && (q.sort == PeerSortColumn::Default || q.sort == PeerSortColumn::Id);
}

Status SqlPeerTable::materialize(const PeerPageQuery &q)
{
    if (m_viewValid && m_view.filter.kind == q.filter.kind && m_view.filter.search == q.filter.search && m_view.sort == q.sort
        && m_view.descending == q.descending)
        return {};
    m_viewValid = false;
    if (auto st = m_db->execAll({QStringLiteral("DROP TABLE IF EXISTS temp.sd_peer_view")}); !st)
        return st;
    QVariantList binds;
    const QString where = whereClause(m_spec, q.filter, binds);
    QString order = orderClause(m_spec, q.sort, q.descending);
    if (order.isEmpty())
        order = QStringLiteral(" ORDER BY %1").arg(m_spec.idExpr);
    auto made = m_db->exec(QStringLiteral("CREATE TEMP TABLE sd_peer_view AS SELECT %1 AS mid FROM %2 WHERE %3%4")
                               .arg(m_spec.idExpr, m_spec.from, where, order),
                           binds);
    if (!made)
        return made.error();
    auto n = m_db->exec(QStringLiteral("SELECT count(*) FROM temp.sd_peer_view"));
    if (!n)
        return n.error();
    m_viewCount = n->next() ? intAt(*n, 0).value_or(0) : 0;
    m_view = q;
    m_viewValid = true;
    return {};
}

Result<qint64> SqlPeerTable::count(const PeerPageQuery &query)
{
    if (direct(query))
        return countPeers(*m_db, m_spec, query.filter);
    if (auto st = materialize(query); !st)
        return st.error();
    return m_viewCount;
}

Result<std::vector<Peer>> SqlPeerTable::fetch(const PeerPageQuery &query, qint64 offset, qint64 limit)
{
    if (direct(query))
        return runSelect(*m_db, m_spec, query.filter, query.sort, query.descending, offset, limit);
    if (auto st = materialize(query); !st)
        return st.error();
    // The temp table's rowids are 1..N in view order.
    const qint64 first = std::max<qint64>(0, offset);
    const qint64 last = limit < 0 ? m_viewCount : std::min(m_viewCount, first + limit);
    std::vector<Peer> out;
    if (first >= last)
        return out;
    auto q = m_db->exec(QStringLiteral("SELECT %1 FROM temp.sd_peer_view AS v JOIN %2 ON %3 = v.mid "
                                       "WHERE v.rowid > ? AND v.rowid <= ? ORDER BY v.rowid")
                            .arg(m_spec.columns, m_spec.from, m_spec.idExpr),
                        {first, last});
    if (!q)
        return q.error();
    out.reserve(static_cast<size_t>(last - first));
    while (q->next())
        out.push_back(m_spec.rowToPeer(*q));
    return out;
}

Status execWrite(SqliteDb &db, const QString &sql, const QVariantList &binds)
{
    auto q = db.exec(sql, binds);
    if (!q)
        return Error::output(q.error().message);
    return {};
}

Status execScript(SqliteDb &db, const QStringList &statements)
{
    auto st = db.execAll(statements);
    if (!st)
        return Error::output(st.error().message);
    return {};
}

QVariant blobValue(const QByteArray &bytes)
{
    // A null QByteArray binds SQL NULL; Telethon writes an empty (non-null) blob for "no key".
    if (bytes.isEmpty())
        return QVariant(QByteArray("", 0));
    return QVariant(bytes);
}

QVariant nullInt() { return QVariant(QMetaType(QMetaType::LongLong)); }
QVariant nullText() { return QVariant(QMetaType(QMetaType::QString)); }

std::pair<QString, int> splitHostPort(const QString &addrIn)
{
    const QString addr = addrIn.trimmed();
    if (addr.isEmpty())
        return {QString(), 0};
    auto toPort = [](const QString &s) {
        bool ok = false;
        const int p = s.toInt(&ok);
        return ok && p > 0 && p < 65536 ? p : 0;
    };
    if (addr.startsWith(QLatin1Char('['))) {
        const int close = addr.indexOf(QLatin1Char(']'));
        if (close < 0)
            return {addr, 0};
        const QString host = addr.mid(1, close - 1);
        const QString rest = addr.mid(close + 1);
        return {host, rest.startsWith(QLatin1Char(':')) ? toPort(rest.mid(1)) : 0};
    }
    const int colon = addr.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return {addr, 0};
    const int port = toPort(addr.mid(colon + 1));
    if (port == 0 && addr.count(QLatin1Char(':')) > 1)
        return {addr, 0}; // a bare IPv6 address without port
    return {addr.left(colon), port};
}

QString joinHostPort(const QString &host, int port, bool ipv6)
{
    if (ipv6 || host.contains(QLatin1Char(':')))
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

bool cacheablePeer(const Peer &p)
{
    if (p.isMin || p.id <= 0)
        return false;
    return p.kind() == PeerKind::Chat || p.accessHash.has_value();
}

} // namespace sd::sqlc
