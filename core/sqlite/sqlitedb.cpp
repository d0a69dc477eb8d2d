#include "sqlitedb.h"

#include "io/atomicfile.h"
#include "io/inputfile.h"
#include "sqlite/snapshot.h"
#include "domain/secretbytes.h"
#include "io/replacetarget.h"
#include "io/safefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlRecord>

#include <cmath>
#include <mutex>
#include <sqlite3.h>
#include <unistd.h>

namespace sd {

namespace {
// Qt's connection registry is a global hash. An audit run adds and removes thousands of
// connections from worker threads, and one such run (1 of about 80) left Qt 6.4's exit-time
// cleanup spinning forever over that hash. So every add and remove also goes through this lock,
// and names are reused from a pool: the hash never holds more keys than there are open
// connections, and it never sees thousands of distinct keys come and go.
std::mutex g_registryMutex;
QStringList g_freeNames;  // guarded by g_registryMutex
quint64 g_nameCounter = 0; // guarded by g_registryMutex

QString takeConnectionName() // with g_registryMutex held
{
    if (!g_freeNames.isEmpty())
        return g_freeNames.takeLast();
    return QStringLiteral("sd-%1").arg(g_nameCounter++);
}

bool isLockMessage(const QString &text)
{
    const QString t = text.toLower();
    return t.contains(QLatin1String("locked")) || t.contains(QLatin1String("busy"));
}
} // namespace

void configureSqlite()
{
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

bool looksLikeSqlite(const QByteArray &head)
{
    return head.startsWith(QByteArrayLiteral("SQLite format 3\0"));
}

SqliteDb::~SqliteDb()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        const std::lock_guard<std::mutex> lock(g_registryMutex);
        QSqlDatabase::removeDatabase(m_connection);
        g_freeNames.append(m_connection);
    }
    if (!m_image.isEmpty())
        wipe(m_image); // after the close: SQLite no longer reads it
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::openImpl(const QString &path, const QString &opened,
                                                     bool readOnly, int busyTimeoutMs)
{
    configureSqlite();
    std::unique_ptr<SqliteDb> self(new SqliteDb);
    self->m_path = path;
    self->m_opened = opened;
    {
        const std::lock_guard<std::mutex> lock(g_registryMutex);
        self->m_connection = takeConnectionName();
        self->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), self->m_connection);
    }
    if (!self->m_db.isValid())
        return Error::badInput(QStringLiteral("the Qt SQLite driver (QSQLITE) is not available"));
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs);
    if (readOnly) {
        options += QStringLiteral(";QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI");
        QString uriPath = QFileInfo(opened).absoluteFilePath();
        uriPath.replace(QLatin1Char('%'), QLatin1String("%25"));
        uriPath.replace(QLatin1Char('?'), QLatin1String("%3f"));
        uriPath.replace(QLatin1Char('#'), QLatin1String("%23"));
        self->m_db.setDatabaseName(QStringLiteral("file:") + uriPath + QStringLiteral("?mode=ro"));
    } else {
        self->m_db.setDatabaseName(opened);
    }
    self->m_db.setConnectOptions(options);
    if (!self->m_db.open())
        return Error::badInput(QStringLiteral("cannot open as SQLite: %1").arg(self->m_db.lastError().text()));
    // Touch the schema so that "not a database" and lock errors surface here.
    QSqlQuery q(self->m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")))
        return self->queryError(q, QStringLiteral("reading the schema"));
    return self;
}

namespace {
// A side file (-wal, -journal) next to path: absent (empty result, ok), or read whole through
// InputFile (a FIFO or device named like a side file is refused, never opened).
Result<std::optional<QByteArray>> readSideFile(const QString &path)
{
    const QString kind = specialFileKind(path, false);
    if (!kind.isEmpty())
        return Error::badInput(QStringLiteral("%1: not a regular file (%2)").arg(path, kind));
    if (!QFileInfo::exists(path))
        return std::optional<QByteArray>();
    auto data = readFileLimited(path, inputcap::kSqliteSnapshot);
    if (!data)
        return Error::badInput(QStringLiteral("%1: %2").arg(path, data.error().message));
    return std::optional<QByteArray>(std::move(*data));
}
} // namespace

Result<std::unique_ptr<SqliteDb>> SqliteDb::openImage(const QString &path, QByteArray image, int busyTimeoutMs)
{
    configureSqlite();
    std::unique_ptr<SqliteDb> self(new SqliteDb);
    self->m_path = path;
    self->m_opened = QStringLiteral(":memory:");
    {
        const std::lock_guard<std::mutex> lock(g_registryMutex);
        self->m_connection = takeConnectionName();
        self->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), self->m_connection);
    }
    if (!self->m_db.isValid())
        return Error::badInput(QStringLiteral("the Qt SQLite driver (QSQLITE) is not available"));
    self->m_db.setDatabaseName(QStringLiteral(":memory:"));
    self->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
    if (!self->m_db.open())
        return Error::badInput(QStringLiteral("cannot open an in-memory snapshot: %1").arg(self->m_db.lastError().text()));
    const QVariant handle = self->m_db.driver()->handle();
    sqlite3 *h = handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0 ? *static_cast<sqlite3 *const *>(handle.constData()) : nullptr;
    if (!h)
        return Error::badInput(QStringLiteral("the Qt SQLite driver gives no handle for a snapshot"));
    // SQLite borrows the buffer (no FREEONCLOSE): it lives in m_image until the connection closes.
    self->m_image = std::move(image);
    self->m_image.detach();
    const int rc = sqlite3_deserialize(h, "main", reinterpret_cast<unsigned char *>(self->m_image.data()), self->m_image.size(),
                                       self->m_image.size(), SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK)
        return Error::badInput(QStringLiteral("cannot load the snapshot into SQLite (%1)").arg(QString::fromUtf8(sqlite3_errstr(rc))));
    QSqlQuery q(self->m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")))
        return self->queryError(q, QStringLiteral("reading the schema"));
    return self;
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::openReadOnly(const QString &path, int busyTimeoutMs)
{
    auto f = InputFile::open(path, inputcap::kSqliteFile);
    if (!f)
        return f.error();
    auto headRead = f->readAt(0, 100);
    if (!headRead)
        return headRead.error();
    const QByteArray head = *headRead;
    if (!looksLikeSqlite(head))
        return Error::badInput(QStringLiteral("not an SQLite database"));
    const bool walHeader = head.size() >= 20 && (head[18] == 2 || head[19] == 2);
    const QString walPath = path + QStringLiteral("-wal"), journalPath = path + QStringLiteral("-journal");
    // A FIFO named like a side file would block SQLite itself: refused before SQLite sees it.
    for (const QString &side : {walPath, journalPath})
        if (const QString kind = specialFileKind(side, false); !kind.isEmpty())
            return Error::badInput(QStringLiteral("%1: not a regular file (%2)").arg(side, kind));
    const bool walFile = QFileInfo::exists(walPath);
    // A non-empty rollback journal may be "hot" (a writer crashed mid-transaction): a read-only
    // connection cannot roll it back, so that case is read as a snapshot too.
    const QFileInfo journal(journalPath);
    const bool hotJournal = journal.exists() && journal.size() > 0;
    if (!walHeader && !walFile && !hotJournal) {
        auto direct = openImpl(path, path, true, busyTimeoutMs);
        if (direct || !direct.error().message.contains(QLatin1String("readonly")))
            return direct;
    }

    // WAL or hot journal: the committed state is built in memory from the database and its side
    // files and handed to SQLite (sqlite3_deserialize); nothing is written anywhere.
    if (f->size() > inputcap::kSqliteSnapshot)
        return Error::badInput(QStringLiteral("database too large for a snapshot (%1 bytes, limit %2); "
                                              "checkpoint its WAL with its client first")
                                   .arg(f->size())
                                   .arg(inputcap::kSqliteSnapshot));
    auto image = f->readAll();
    if (!image)
        return image.error();
    if (walFile) {
        auto wal = readSideFile(walPath);
        if (!wal)
            return wal.error();
        if (*wal && sqlitesnap::applyWal(*image, **wal) < 0)
            return Error::badInput(QStringLiteral("%1: corrupt WAL header").arg(walPath));
        if (*wal)
            wipe(**wal);
    } else if (hotJournal) {
        auto jr = readSideFile(journalPath);
        if (!jr)
            return jr.error();
        if (*jr && sqlitesnap::rollbackJournal(*image, **jr) < 0)
            return Error::badInput(QStringLiteral("%1: corrupt rollback journal").arg(journalPath));
        if (*jr)
            wipe(**jr);
    }
    sqlitesnap::markRollbackMode(*image);
    return openImage(path, std::move(*image), busyTimeoutMs);
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::openReadWrite(const QString &path, int busyTimeoutMs)
{
    if (!QFileInfo::exists(path))
        return Error::badInput(QStringLiteral("no such file"));
    return openImpl(path, path, false, busyTimeoutMs);
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::create(const QString &path)
{
    // The empty file is created 0600 with O_EXCL|O_NOFOLLOW before SQLite opens it: SQLite would
    // create it with the umask's mode, and its journal takes the database file's mode.
    auto fd = createPrivateFile(path);
    if (!fd)
        return fd.error();
    ::close(*fd);
    auto db = openImpl(path, path, false, 1000);
    if (!db) {
        QFile::remove(path);
        return Error::output(db.error().message);
    }
    return db;
}

Error SqliteDb::queryError(const QSqlQuery &q, const QString &what) const
{
    const QString text = q.lastError().text();
    if (isLockMessage(text))
        return Error::badInput(QStringLiteral("database is locked by another process (a running client?) "
                                              "while %1; close it or try again").arg(what));
    return Error::badInput(QStringLiteral("SQLite error while %1: %2").arg(what, text));
}

Result<QSqlQuery> SqliteDb::exec(const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return queryError(q, QStringLiteral("preparing \"%1\"").arg(sql.left(60)));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return queryError(q, QStringLiteral("running \"%1\"").arg(sql.left(60)));
    return q;
}

Status SqliteDb::execAll(const QStringList &statements)
{
    for (const QString &s : statements) {
        QSqlQuery q(m_db);
        if (!q.exec(s))
            return queryError(q, QStringLiteral("running \"%1\"").arg(s.left(60)));
    }
    return {};
}

Status SqliteDb::begin()
{
    if (!m_db.transaction())
        return Error::badInput(QStringLiteral("cannot start a transaction: %1").arg(m_db.lastError().text()));
    return {};
}

Status SqliteDb::commit()
{
    if (!m_db.commit())
        return Error::output(QStringLiteral("commit failed: %1").arg(m_db.lastError().text()));
    return {};
}

void SqliteDb::rollback() { m_db.rollback(); }

Result<QStringList> SqliteDb::tables()
{
    auto q = exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"));
    if (!q)
        return q.error();
    QStringList out;
    while (q->next())
        out << q->value(0).toString();
    return out;
}

bool SqliteDb::hasTable(const QString &table)
{
    auto t = tables();
    return t && t->contains(table);
}

Result<QStringList> SqliteDb::columns(const QString &table)
{
    QString escaped = table;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    auto q = exec(QStringLiteral("PRAGMA table_info(\"%1\")").arg(escaped));
    if (!q)
        return q.error();
    QStringList out;
    while (q->next())
        out << q->value(1).toString();
    return out;
}

SqliteWriteTarget::~SqliteWriteTarget()
{
    if (!m_committed) {
        m_db.reset();
        for (const QString &suffix : {QString(), QStringLiteral("-journal"), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(m_temp + suffix);
    }
}

Result<std::unique_ptr<SqliteWriteTarget>> SqliteWriteTarget::create(const QString &target, bool force)
{
    if (auto st = checkTarget(target, force, TargetKind::File); !st)
        return st.error();
    std::unique_ptr<SqliteWriteTarget> self(new SqliteWriteTarget);
    self->m_target = target;
    self->m_force = force;
    for (int attempt = 0;; ++attempt) {
        auto temp = reserveTempPath(target);
        if (!temp)
            return temp.error();
        auto db = SqliteDb::create(*temp);
        if (!db) {
            if (attempt < 8 && QFileInfo(*temp).exists())
                continue; // lost a race for the name
            return db.error();
        }
        self->m_temp = *temp;
        self->m_db = std::move(*db);
        return self;
    }
}

Status SqliteWriteTarget::commit()
{
    if (!m_db)
        return Error::output(QStringLiteral("nothing to commit"));
    {
        QSqlQuery q(m_db->db());
        q.exec(QStringLiteral("PRAGMA journal_mode=DELETE"));
    }
    m_db.reset();
    // replaceTarget checks the holders again, and with --force moves stale -wal/-journal/-shm
    // aside so that SQLite never replays them onto the new file.
    auto st = replaceTarget(m_temp, m_target, m_force);
    if (!st)
        return st;
    m_committed = true;
    return {};
}

namespace {
// REAL values (Telethon's dates) truncate toward zero; NaN, infinities and values outside the
// 64-bit range are not integers at all (casting them would be undefined behaviour).
std::optional<qint64> doubleToInt(double d)
{
    if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        return std::nullopt;
    return static_cast<qint64>(d);
}
} // namespace

std::optional<qint64> sqlInt(const QVariant &v)
{
    if (v.isNull() || !v.isValid())
        return std::nullopt;
    bool ok = false;
    switch (v.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return v.toLongLong();
    case QMetaType::Double:
        return doubleToInt(v.toDouble());
    case QMetaType::QString: {
        const qint64 n = v.toString().trimmed().toLongLong(&ok);
        if (ok)
            return n;
        const double d = v.toString().trimmed().toDouble(&ok);
        return ok ? doubleToInt(d) : std::nullopt;
    }
    case QMetaType::QByteArray: {
        const qint64 n = v.toByteArray().trimmed().toLongLong(&ok);
        return ok ? std::optional<qint64>(n) : std::nullopt;
    }
    default: {
        const qint64 n = v.toLongLong(&ok);
        return ok ? std::optional<qint64>(n) : std::nullopt;
    }
    }
}

std::optional<QString> sqlText(const QVariant &v)
{
    if (v.isNull() || !v.isValid())
        return std::nullopt;
    if (v.typeId() == QMetaType::QByteArray)
        return QString::fromUtf8(v.toByteArray());
    return v.toString();
}

QByteArray sqlBlob(const QVariant &v)
{
    if (v.isNull() || !v.isValid())
        return {};
    if (v.typeId() == QMetaType::QString)
        return v.toString().toUtf8();
    return v.toByteArray();
}

QVariant sqlOpt(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

QVariant sqlOpt(const std::optional<QString> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::QString));
}

} // namespace sd
