// Every table and column a known version of each SQL format has comes from the format's descriptor
// (FormatDescriptor::knownSchema). Anything else in a detected file is reported as unknown-schema.
#include "audit.h"

#include "format/registry.h"

#include <QMap>

namespace sd {

QStringList unknownSchemaParts(const QString &formatId, const QMap<QString, QStringList> &schema)
{
    const Format *format = Registry::instance().find(formatId);
    if (!format || format->descriptor().knownSchema.empty())
        return {};
    const std::vector<KnownTable> &known = format->descriptor().knownSchema;
    QStringList out;
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        if (it.key().startsWith(QLatin1String("sqlite_")))
            continue;
        const KnownTable *t = nullptr;
        for (const KnownTable &kt : known)
            if (it.key() == kt.table)
                t = &kt;
        if (!t) {
            out << QStringLiteral("table %1").arg(it.key());
            continue;
        }
        const QString &cols = t->columns;
        if (cols == QLatin1String("*"))
            continue;
        const QStringList knownCols = cols.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QString &c : it.value())
            if (!knownCols.contains(c))
                out << QStringLiteral("column %1.%2").arg(it.key(), c);
    }
    return out;
}

bool schemaLooksLikeSession(const QMap<QString, QStringList> &schema)
{
    static const QStringList sessionTables = {QStringLiteral("sessions"), QStringLiteral("session"),
                                              QStringLiteral("entities"), QStringLiteral("auth_keys"),
                                              QStringLiteral("datacenter"), QStringLiteral("dcs"),
                                              QStringLiteral("telegram_sessions"), QStringLiteral("mtcute_migrations")};
    static const QStringList keyColumns = {QStringLiteral("auth_key"), QStringLiteral("authkey"),
                                           QStringLiteral("auth_key_data"), QStringLiteral("session_string")};
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        if (sessionTables.contains(it.key(), Qt::CaseInsensitive))
            return true;
        for (const QString &c : it.value())
            if (keyColumns.contains(c, Qt::CaseInsensitive))
                return true;
    }
    return false;
}

} // namespace sd
