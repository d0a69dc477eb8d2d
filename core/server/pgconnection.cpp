#include "server/pgconnection.h"

#include "server/credentials.h"

#include <QHash>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

namespace sd::server {

namespace {
constexpr int kConnectTimeoutSeconds = 3;

QString connectionName(const ServerUrl &url)
{
    return QStringLiteral("sd-pg:%1:%2").arg(reinterpret_cast<quintptr>(QThread::currentThread())).arg(url.display());
}

QHash<QString, int> &openNames()
{
    thread_local QHash<QString, int> names;
    return names;
}

bool isAuthFailure(const QSqlError &e)
{
    const QString t = e.databaseText() + QLatin1Char(' ') + e.driverText();
    return e.nativeErrorCode() == QLatin1String("28P01") || e.nativeErrorCode() == QLatin1String("28000")
        || t.contains(QLatin1String("password authentication failed")) || t.contains(QLatin1String("no password supplied"))
        || t.contains(QLatin1String("authentication failed")) || t.contains(QLatin1String("fe_sendauth"));
}

QString oneLine(QString s)
{
    s.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return s.simplified();
}

Result<QSqlDatabase> tryOpen(const ServerUrl &url, const std::optional<SecretBytes> &password)
{
    const QString name = connectionName(url);
    if (QSqlDatabase::contains(name))
        QSqlDatabase::removeDatabase(name);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    if (!db.isValid())
        return Error::badInput(QStringLiteral("the PostgreSQL driver of Qt (QPSQL, Debian package libqt6sql6-psql) is not installed"));
    db.setHostName(url.host);
    db.setPort(url.port);
    if (!url.user.isEmpty())
        db.setUserName(url.user);
    if (!url.database.isEmpty())
        db.setDatabaseName(url.database);
    if (password) {
        QByteArray pw = password->exposeUnsafe();
        db.setPassword(QString::fromUtf8(pw));
        wipe(pw);
    }
    QStringList options{QStringLiteral("connect_timeout=%1").arg(kConnectTimeoutSeconds)};
    for (auto it = url.pgOptions.constBegin(); it != url.pgOptions.constEnd(); ++it)
        options << it.key() + QLatin1Char('=') + it.value();
    db.setConnectOptions(options.join(QLatin1Char(';')));
    if (db.open()) {
        openNames().insert(name, 1);
        return db;
    }
    const QSqlError e = db.lastError();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
    if (isAuthFailure(e)) {
        return Error::secret(QStringLiteral("PostgreSQL refused the login of %1: %2 (password from PGPASSWORD, ~/.pgpass, PGPASSFILE, "
                                            "--password-file F or the keychain)")
                                 .arg(url.user.isEmpty() ? QStringLiteral("the default user") : url.user, oneLine(e.databaseText())));
    }
    return Error::badInput(QStringLiteral("cannot connect to PostgreSQL at %1:%2: %3").arg(url.host).arg(url.port).arg(oneLine(e.databaseText())));
}
} // namespace

Result<QSqlDatabase> openPostgres(const ServerUrl &url)
{
    const QString name = connectionName(url);
    if (openNames().contains(name) && QSqlDatabase::contains(name)) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            return db;
    }
    const auto configured = configuredPassword(url);
    auto db = tryOpen(url, configured);
    if (db) {
        if (configured)
            if (auto st = passwordWorked(url, *configured); !st)
                return st.error();
        return db;
    }
    if (db.error().kind != ErrorKind::Secret || configured)
        return db.error();
    // Refused without a password of ours: the keychain's remembered one, if any.
    auto kc = keychainPassword(url);
    if (!kc || !*kc)
        return db.error();
    return tryOpen(url, **kc);
}

void closePostgres()
{
    for (const QString &name : openNames().keys()) {
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    openNames().clear();
}

Result<QSqlQuery> pgExec(QSqlDatabase &db, const QString &sql, const QVariantList &binds, bool output)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    bool ok = false;
    if (binds.isEmpty()) {
        ok = q.exec(sql);
    } else {
        ok = q.prepare(sql);
        if (ok) {
            for (int i = 0; i < binds.size(); ++i)
                q.bindValue(i, binds[i]);
            ok = q.exec();
        }
    }
    if (!ok) {
        const QString m = QStringLiteral("PostgreSQL: %1").arg(oneLine(q.lastError().databaseText().isEmpty() ? q.lastError().text()
                                                                                                           : q.lastError().databaseText()));
        return output ? Error::output(m) : Error::badInput(m);
    }
    return q;
}

Result<QMap<QString, QStringList>> pgSchema(QSqlDatabase &db)
{
    // The catalog itself, not the information_schema.columns view: the same tables (tables, partitioned tables,
    // views, materialized and foreign tables) and live columns in order, in about a millisecond instead of
    // tens (this runs on every connection: detection, then the peer table's own connection).
    auto q = pgExec(db, QStringLiteral("SELECT c.relname, a.attname FROM pg_catalog.pg_class c "
                                       "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
                                       "WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema()) "
                                       "AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped "
                                       "ORDER BY c.relname, a.attnum"));
    if (!q)
        return q.error();
    QMap<QString, QStringList> out;
    while (q->next())
        out[q->value(0).toString()] << q->value(1).toString();
    return out;
}

QString pgIdent(const QString &name)
{
    QString n = name;
    n.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + n + QLatin1Char('"');
}

} // namespace sd::server
