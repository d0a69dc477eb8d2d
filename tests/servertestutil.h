#pragma once
// The throwaway servers of tests/with-servers.sh (PostgreSQL 15 and Redis on 127.0.0.1), with psql and
// redis-cli as the referees of what SessionDesk reads and writes. Shared by every tst_server_* test.
#include "testutil.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace sdtest {

struct ToolRun {
    int exit = -1;   // -1: did not start or did not finish within a minute (then killed)
    QByteArray out;
    QByteArray err;
};
// Runs program with args (any test may use it), input on its standard input and env ("NAME=value") added to this
// process's environment.
ToolRun runTool(const QString &program, const QStringList &args, const QByteArray &input = {}, const QStringList &env = {});

// A TCP port on 127.0.0.1 where nothing listens (bound, read, closed).
int deadLocalPort();

// A 256-byte test key, different for every seed.
QByteArray serverTestKey(int seed);

// Base of the server tests: the servers' addresses and passwords from with-servers.sh, and the
// referees. Call startServers() first in initTestCase (a non-empty answer is the reason to skip).
class ServerTest : public QObject {
protected:
    QString m_pgPort, m_pgUser, m_pgPassword, m_psql, m_redisPort, m_redisPassword;

    QString startServers();
    QString pgUrl(const QString &db) const;
    QString redisUrl(int db = 0) const;
    // psql -At on database db with sql on standard input (ON_ERROR_STOP): its trimmed output,
    // "ERROR" when it failed.
    QByteArray psql(const QString &db, const QString &sql) const;
    // redis-cli with args (its trimmed output).
    QByteArray redis(const QStringList &args, const QByteArray &input = {}) const;
    // SET key from standard input (-x): a value may hold anything, a key too. False unless "OK".
    bool redisSet(const QString &key, const QByteArray &value, int db = 0) const;
    // Keys matching pattern (SCAN).
    int redisCount(const QString &pattern, int db = 0) const;
    // CREATE DATABASE name, then the adapter's DDL from tests/data/mtgo/server/ when ddlFile is given.
    bool createDb(const QString &name, const QString &ddlFile = {}) const;
    // The environment of a CLI run that may use both servers' passwords (libpq's PGPASSWORD,
    // REDISCLI_AUTH), with no ~/.pgpass and no keychain.
    QStringList serverEnv() const;
    // sessiondesk-cli with args in serverEnv() (a minute at most).
    CliRun cli(const QStringList &args) const;

    // A private folder that is the working directory between enterScratchDir() and
    // leaveScratchDir(): a server prune writes its backup into the working directory.
    QTemporaryDir m_dir;
    bool enterScratchDir();
    void leaveScratchDir();

private:
    QString m_oldCwd;
};

} // namespace sdtest
