#pragma once
// PostgreSQL through Qt's QPSQL driver (libpq). One open connection per URL and thread, reused by
// detection, reading and writing within one command. connect_timeout=3: an unreachable server is
// an error (exit 3) within seconds, never a hang; an authentication failure is exit 4.
#include "server/serverurl.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>
#include <QVariantList>

namespace sd::server {

// The open connection for url (cached per thread). Errors: Secret (authentication), BadInput
// (unreachable, no such database, driver missing).
Result<QSqlDatabase> openPostgres(const ServerUrl &url);
// Closes and forgets every cached connection of this thread.
void closePostgres();

// Runs sql with positional binds; errors name what failed (kind BadInput, or Output when output).
Result<QSqlQuery> pgExec(QSqlDatabase &db, const QString &sql, const QVariantList &binds = {}, bool output = false);
// Tables of the connection's search_path schema (current_schema()) and their columns in order.
Result<QMap<QString, QStringList>> pgSchema(QSqlDatabase &db);
// A quoted identifier ("name").
QString pgIdent(const QString &name);

} // namespace sd::server
