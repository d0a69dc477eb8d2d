#include "servertestutil.h"

#include "testutil.h"

#include <QDebug>
#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sdtest {

ToolRun runTool(const QString &program, const QStringList &args, const QByteArray &input, const QStringList &env)
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString &kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    p.setProcessEnvironment(e);
    p.start(program, args);
    ToolRun r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exit = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

int deadLocalPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

QByteArray serverTestKey(int seed)
{
    QByteArray k(256, '\0');
    for (int i = 0; i < 256; ++i)
        k[i] = static_cast<char>((i * 31 + seed * 17 + 5) & 0xff);
    return k;
}

QString ServerTest::startServers()
{
    if (qgetenv("SD_SERVERS_AVAILABLE") != "1")
        return QStringLiteral("no throwaway PostgreSQL/Redis (run through tests/with-servers.sh; needs postgresql-15 and redis-server)");
    m_pgPort = qEnvironmentVariable("SD_PG_PORT");
    m_pgUser = qEnvironmentVariable("SD_PG_USER");
    m_pgPassword = qEnvironmentVariable("SD_PG_PASSWORD");
    m_redisPort = qEnvironmentVariable("SD_REDIS_PORT");
    m_redisPassword = qEnvironmentVariable("SD_REDIS_PASSWORD");
    m_psql = QStandardPaths::findExecutable(QStringLiteral("psql"), {qEnvironmentVariable("SD_PG_BIN")});
    if (m_psql.isEmpty())
        m_psql = QStandardPaths::findExecutable(QStringLiteral("psql"));
    if (m_psql.isEmpty())
        return QStringLiteral("psql is not installed");
    return {};
}

QString ServerTest::pgUrl(const QString &db) const { return QStringLiteral("postgres://%1@127.0.0.1:%2/%3").arg(m_pgUser, m_pgPort, db); }

QString ServerTest::redisUrl(int db) const { return QStringLiteral("redis://127.0.0.1:%1/%2").arg(m_redisPort).arg(db); }

QByteArray ServerTest::psql(const QString &db, const QString &sql) const
{
    const ToolRun p = runTool(m_psql, {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), m_pgPort, QStringLiteral("-U"), m_pgUser,
                                       QStringLiteral("-d"), db, QStringLiteral("-At"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                                       QStringLiteral("-f"), QStringLiteral("-")},
                              sql.toUtf8(), {QStringLiteral("PGPASSWORD=") + m_pgPassword});
    if (p.exit != 0)
        qWarning() << "psql failed:" << p.err;
    return p.exit == 0 ? p.out.trimmed() : QByteArray("ERROR");
}

QByteArray ServerTest::redis(const QStringList &args, const QByteArray &input) const
{
    const ToolRun p = runTool(QStringLiteral("redis-cli"), QStringList{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), m_redisPort} + args,
                              input, {QStringLiteral("REDISCLI_AUTH=") + m_redisPassword});
    if (p.exit != 0)
        qWarning() << "redis-cli failed:" << p.err;
    return p.out.trimmed();
}

bool ServerTest::redisSet(const QString &key, const QByteArray &value, int db) const
{
    return redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("-x"), QStringLiteral("SET"), key}, value) == "OK";
}

int ServerTest::redisCount(const QString &pattern, int db) const
{
    const QByteArray out = redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("--scan"), QStringLiteral("--pattern"), pattern});
    return out.isEmpty() ? 0 : static_cast<int>(out.split('\n').size());
}

bool ServerTest::createDb(const QString &name, const QString &ddlFile) const
{
    if (psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1;").arg(name)) != "CREATE DATABASE")
        return false;
    return ddlFile.isEmpty() || psql(name, QString::fromUtf8(readAll(dataPath(QStringLiteral("mtgo/server/") + ddlFile)))) != "ERROR";
}

QStringList ServerTest::serverEnv() const
{
    return {QStringLiteral("PGPASSWORD=") + m_pgPassword, QStringLiteral("REDISCLI_AUTH=") + m_redisPassword,
            QStringLiteral("PGPASSFILE=/nonexistent"), QStringLiteral("DBUS_SESSION_BUS_ADDRESS")};
}

CliRun ServerTest::cli(const QStringList &args) const { return runCli(args, {}, 60000, serverEnv()); }

bool ServerTest::enterScratchDir()
{
    if (!m_dir.isValid())
        return false;
    m_oldCwd = QDir::currentPath();
    return QDir::setCurrent(m_dir.path());
}

void ServerTest::leaveScratchDir()
{
    if (!m_oldCwd.isEmpty())
        QDir::setCurrent(m_oldCwd);
}

} // namespace sdtest
