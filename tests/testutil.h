#pragma once
// Helpers shared by the tests: fixture paths, running the CLI binary, file fingerprints.
#include "domain/session.h"
#include "audit/overview.h"
#include "format/format.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace sdtest {

QString dataPath(const QString &relative);       // tests/data/<relative>
QString sourcePath(const QString &relative);     // repository root
QString cliPath();
// The registered format with that id. An id the registry lacks stops the test with a message
// (qFatal) instead of dereferencing null.
const sd::Format &format(QAnyStringView id);

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
};
// Runs sessiondesk-cli with args; stdinData is written to its standard input. Times out (and
// fails the run with exit -1) after timeoutMs.
CliRun runCli(const QStringList &args, const QByteArray &stdinData = {}, int timeoutMs = 60000,
              const QStringList &extraEnv = {});

// Starts sessiondesk-cli with args and SIGKILLs it after delayUs microseconds (crash-safety
// tests). Returns whether it was still running when killed. Its stdout is discarded; its stderr is
// shown when showStderr, else discarded too.
bool runCliAndKill(const QStringList &args, int delayUs, bool showStderr = true);

// Runs a Go program or `go build` offline against Debian's GOPATH packages (/usr/share/gocode,
// GO111MODULE=off, GOPROXY=off) with its build cache in cacheDir; exit -1 after five minutes.
CliRun runGoOffline(const QString &program, const QStringList &args, const QString &cacheDir);
// Runs program with args in workDir (empty: the current one) and the environment plus env
// ("NAME=value" each); exit -1 when it crashes or does not finish within timeoutMs (then killed).
CliRun runProgram(const QString &program, const QStringList &args, const QStringList &env = {}, const QString &workDir = {},
                  int timeoutMs = 300000);

// --user-id / --api-id for `convert --to target`, only those the target stores: a flag that does
// not apply to the target is a usage error (exit 2).
QStringList ownerFlagsFor(const QString &target, const QString &userId, const QString &apiId);

QByteArray fileSha256(const QString &path);      // empty when unreadable
QByteArray treeSha256(const QString &path);      // a file, or every file below a folder (names + contents)
QByteArray readAll(const QString &path);
QByteArray hexToBytes(const QString &hex);
// Copies a file or folder (recursively) and returns the copy's path.
QString copyTo(const QString &src, const QString &dstDir);
int fileMode(const QString &path);               // st_mode & 0777
// A logged-in account on DC 2 (149.154.167.51:443, production) with key, the given user id, not a
// bot, API id 12345: what the audit and fix tests write in every format.
sd::Session sampleAccount(const sd::SecretBytes &key, qint64 userId);

// The JSON keys a document (docs/..., relative to the repository root) names between each
// occurrence of `from` and the next `to` after it: the "quoted" names written as keys, not the
// "values" after a ':' or '|'. One set per occurrence, in order.
QList<QSet<QString>> documentedJsonKeys(const QString &docRelative, const QString &from, const QString &to);
QSet<QString> keySet(const QJsonObject &o);

// The overview's numbers against an `audit --json` document (docs/cli.md) of the same places:
// accounts, places, by library, by DC, bots/users/unknown, findings by severity, duplicated keys
// and their places, total peers (the sum of "found"). Empty when they agree, else the first
// difference.
QString overviewDiffersFromAuditJson(const sd::FolderOverview &overview, const QJsonObject &audit);

// The peer of s with that marked id, or null.
const sd::Peer *findPeer(const sd::Session &s, qint64 marked);

// For each search text and each kind filter (none, user, chat, channel): the format's SQL search
// (queryPeers on path) returns exactly the peers of `all` that the in-memory matcher
// (PeerQuery::matches) accepts. Empty when they agree, else what differs.
QString sqlSearchDiffersFromMemory(const sd::Format &format, const QString &path, const std::vector<sd::Peer> &all,
                                   const QStringList &searches, const sd::ReadOptions &options = {});

// For every sort column, ascending and descending, unfiltered and channels only: the format's peer
// table (openPeerTable on path) counts and pages (in two pages) exactly as MemoryPeerTable over
// `all` does, the one tie-break included. Empty when they agree, else the first difference.
QString sortedPagesDifferFromMemory(const sd::Format &format, const QString &path, const std::vector<sd::Peer> &all,
                                    const sd::ReadOptions &options = {}, int account = 0);

} // namespace sdtest
