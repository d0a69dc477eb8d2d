#include "audit.h"

#include "report/csv.h"

#include <QDateTime>
#include <QJsonArray>

namespace sd {

QJsonObject auditReportJson(const AuditReport &r)
{
    QJsonObject doc;
    doc[QStringLiteral("scanned")] = r.scanned;
    doc[QStringLiteral("sessions")] = r.sessions;
    QJsonArray findings;
    for (const Finding &f : r.findings) {
        QJsonObject o;
        o[QStringLiteral("rule")] = f.rule;
        o[QStringLiteral("severity")] = severityName(f.severity);
        o[QStringLiteral("path")] = f.path;
        o[QStringLiteral("auth_key_id")] = f.authKeyId ? QJsonValue(*f.authKeyId) : QJsonValue(QJsonValue::Null);
        o[QStringLiteral("message")] = f.message;
        findings.append(o);
    }
    doc[QStringLiteral("findings")] = findings;
    QJsonArray found;
    for (const AuditedSession &s : r.found) {
        QJsonObject o;
        o[QStringLiteral("path")] = s.path;
        o[QStringLiteral("format")] = s.formatId;
        o[QStringLiteral("account")] = s.account;
        o[QStringLiteral("line")] = s.inTextFile ? QJsonValue(s.line) : QJsonValue(QJsonValue::Null);
        o[QStringLiteral("auth_key_id")] = s.authKeyId ? QJsonValue(*s.authKeyId) : QJsonValue(QJsonValue::Null);
        o[QStringLiteral("dc_id")] = s.dcId;
        o[QStringLiteral("user_id")] = s.userId ? QJsonValue(*s.userId) : QJsonValue(QJsonValue::Null);
        o[QStringLiteral("newest_timestamp")] = s.newestTimestamp ? QJsonValue(*s.newestTimestamp) : QJsonValue(QJsonValue::Null);
        o[QStringLiteral("is_bot")] = s.isBot ? QJsonValue(*s.isBot) : QJsonValue(QJsonValue::Null);
        o[QStringLiteral("peers")] = s.peers;
        found.append(o);
    }
    doc[QStringLiteral("found")] = found;
    doc[QStringLiteral("errors")] = QJsonArray::fromStringList(r.errors);
    doc[QStringLiteral("cancelled")] = r.cancelled;
    return doc;
}

std::optional<qint64> lastActivity(const AuditReport &report, const QString &path)
{
    std::optional<qint64> newest;
    for (const AuditedSession &s : report.found)
        if (s.path == path && s.newestTimestamp && (!newest || *s.newestTimestamp > *newest))
            newest = s.newestTimestamp;
    return newest;
}

QString auditReportCsv(const AuditReport &r)
{
    QString out = csvRow({QStringLiteral("severity"), QStringLiteral("rule"), QStringLiteral("path"), QStringLiteral("auth_key_id"),
                          QStringLiteral("last_activity"), QStringLiteral("message")});
    for (const Finding &f : r.findings) {
        const auto when = lastActivity(r, f.path);
        out += csvRow({severityName(f.severity), f.rule, f.path, f.authKeyId.value_or(QString()),
                       when ? QDateTime::fromSecsSinceEpoch(*when, Qt::UTC).toString(Qt::ISODate) : QString(), f.message});
    }
    return out;
}

} // namespace sd
