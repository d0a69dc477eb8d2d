#include "server/serverurl.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace sd::server {

namespace {
// libpq keywords that may travel in the query string (docs/cli.md). Anything that carries a secret
// (password, sslpassword) is refused like a password in the authority part.
const QStringList kPgOptions = {
    QStringLiteral("sslmode"), QStringLiteral("sslrootcert"), QStringLiteral("sslcert"), QStringLiteral("sslkey"),
    QStringLiteral("sslcrl"), QStringLiteral("application_name"), QStringLiteral("target_session_attrs"),
    QStringLiteral("gssencmode"), QStringLiteral("options"),
};

Error passwordRefused(const QString &scheme)
{
    const QString where = scheme == QLatin1String("redis")
        ? QStringLiteral("REDISCLI_AUTH, --password-file F or the keychain (--remember-password)")
        : QStringLiteral("PGPASSWORD, ~/.pgpass, PGPASSFILE, --password-file F or the keychain (--remember-password)");
    return Error::usage(QStringLiteral("a password inside the URL is refused: it would stay in the shell history and be visible "
                                       "in the process list; give it through %1").arg(where));
}
} // namespace

bool looksLikeServerUrl(const QString &text)
{
    for (const char *s : {"postgres://", "postgresql://", "redis://", "rediss://"})
        if (text.startsWith(QLatin1String(s), Qt::CaseInsensitive))
            return true;
    return false;
}

QString redactUrl(const QString &text)
{
    if (!looksLikeServerUrl(text))
        return text;
    static const QRegularExpression pw(QStringLiteral("^([A-Za-z]+://[^:@/?#]*):[^@/?#]*@"));
    QString t = text;
    t.replace(pw, QStringLiteral("\\1:***@"));
    static const QRegularExpression qpw(QStringLiteral("([?&](?:password|sslpassword)=)[^&#]*"), QRegularExpression::CaseInsensitiveOption);
    t.replace(qpw, QStringLiteral("\\1***"));
    return t;
}

Result<ServerUrl> parseServerUrl(const QString &text)
{
    if (!looksLikeServerUrl(text))
        return Error::usage(QStringLiteral("not a server URL (postgres://USER@HOST:PORT/DB or redis://HOST:PORT[/DB])"));
    const QString schemeText = text.section(QStringLiteral("://"), 0, 0).toLower();
    ServerUrl u;
    if (schemeText == QLatin1String("rediss"))
        return Error::usage(QStringLiteral("rediss:// (Redis over TLS) is not supported by this build; use an SSH tunnel or stunnel to "
                                           "127.0.0.1 and redis://"));
    u.scheme = schemeText == QLatin1String("redis") ? Scheme::Redis : Scheme::Postgres;
    // The password check comes first and on the raw text: QUrl would accept and hide it.
    const QString afterScheme = text.section(QStringLiteral("://"), 1);
    const QString authority = afterScheme.section(QLatin1Char('/'), 0, 0).section(QLatin1Char('?'), 0, 0);
    if (authority.contains(QLatin1Char('@')) && authority.section(QLatin1Char('@'), 0, -2).contains(QLatin1Char(':')))
        return passwordRefused(u.schemeName());
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return Error::usage(QStringLiteral("malformed URL: %1").arg(url.errorString()));
    if (!url.password().isEmpty())
        return passwordRefused(u.schemeName());
    u.user = url.userName();
    u.host = url.host();
    if (u.host.isEmpty())
        return Error::usage(QStringLiteral("the URL names no host (use %1://HOST:PORT...)").arg(u.schemeName()));
    u.port = url.port(u.scheme == Scheme::Postgres ? 5432 : 6379);
    if (u.port <= 0 || u.port > 65535)
        return Error::usage(QStringLiteral("invalid port in the URL"));
    if (!url.fragment().isEmpty())
        return Error::usage(QStringLiteral("a server URL has no #fragment"));
    QString path = url.path();
    if (path.startsWith(QLatin1Char('/')))
        path = path.mid(1);
    const QUrlQuery query(url);
    if (u.scheme == Scheme::Postgres) {
        if (path.contains(QLatin1Char('/')))
            return Error::usage(QStringLiteral("a PostgreSQL URL names one database: postgres://USER@HOST:PORT/DB"));
        u.database = path;
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (key == QLatin1String("password") || key == QLatin1String("sslpassword"))
                return passwordRefused(u.schemeName());
            if (!kPgOptions.contains(key))
                return Error::usage(QStringLiteral("unknown PostgreSQL URL option '%1' (known: %2)").arg(key, kPgOptions.join(QStringLiteral(", "))));
            u.pgOptions.insert(key, value);
        }
    } else {
        if (!path.isEmpty()) {
            bool ok = false;
            u.redisDb = path.toInt(&ok);
            if (!ok || u.redisDb < 0 || u.redisDb > 100000)
                return Error::usage(QStringLiteral("the path of a Redis URL is a database number (redis://HOST:PORT/0)"));
        }
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (key == QLatin1String("password"))
                return passwordRefused(u.schemeName());
            if (key != QLatin1String("prefix"))
                return Error::usage(QStringLiteral("unknown Redis URL option '%1' (known: prefix)").arg(key));
            if (value.contains(QLatin1Char('*')) || value.contains(QLatin1Char('?')) || value.contains(QLatin1Char('[')))
                return Error::usage(QStringLiteral("a Redis key prefix cannot hold the pattern characters * ? ["));
            u.prefix = value;
        }
    }
    return u;
}

QString ServerUrl::display() const
{
    QString hostText = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    QString s = schemeName() + QStringLiteral("://");
    if (!user.isEmpty())
        s += QString::fromUtf8(QUrl::toPercentEncoding(user)) + QLatin1Char('@');
    s += hostText + QLatin1Char(':') + QString::number(port);
    if (scheme == Scheme::Postgres) {
        s += QLatin1Char('/') + database;
        QStringList q;
        for (auto it = pgOptions.constBegin(); it != pgOptions.constEnd(); ++it)
            q << it.key() + QLatin1Char('=') + QString::fromUtf8(QUrl::toPercentEncoding(it.value()));
        if (!q.isEmpty())
            s += QLatin1Char('?') + q.join(QLatin1Char('&'));
    } else {
        s += QLatin1Char('/') + QString::number(redisDb);
        if (prefix != QLatin1String("mtgo"))
            s += QStringLiteral("?prefix=") + QString::fromUtf8(QUrl::toPercentEncoding(prefix));
    }
    return s;
}

QString ServerUrl::serverKey() const
{
    QString hostText = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return schemeName() + QStringLiteral("://") + (user.isEmpty() ? QString() : user + QLatin1Char('@')) + hostText
        + QLatin1Char(':') + QString::number(port);
}

} // namespace sd::server
