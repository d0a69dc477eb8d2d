#include "testutil.h"

#include "format/peertable.h"
#include "format/registry.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QThread>
#include <csignal>
#include <set>
#include <sys/stat.h>

namespace sdtest {

QString dataPath(const QString &relative) { return QStringLiteral(SD_TEST_DATA "/") + relative; }
QString sourcePath(const QString &relative) { return QStringLiteral(SD_SOURCE_DIR "/") + relative; }
QString cliPath() { return QStringLiteral(SD_CLI_PATH); }

const sd::Format &format(QAnyStringView id)
{
    const QString name = id.toString();
    const sd::Format *f = sd::Registry::instance().find(name);
    if (!f)
        qFatal("no format '%s' in the registry", qPrintable(name));
    return *f;
}

CliRun runCli(const QStringList &args, const QByteArray &stdinData, int timeoutMs, const QStringList &extraEnv)
{
    CliRun r;
    QProcess p;
    if (!extraEnv.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &kv : extraEnv) {
            const int eq = kv.indexOf(QLatin1Char('='));
            if (eq < 0)
                env.remove(kv);
            else
                env.insert(kv.left(eq), kv.mid(eq + 1));
        }
        p.setProcessEnvironment(env);
    }
    p.start(cliPath(), args);
    if (!p.waitForStarted(10000))
        return r;
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.exitCode = -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError() + "\n(timed out)";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

CliRun runGoOffline(const QString &program, const QStringList &args, const QString &cacheDir)
{
    return runProgram(program, args,
                      {QStringLiteral("GO111MODULE=off"), QStringLiteral("GOPATH=/usr/share/gocode"), QStringLiteral("GOCACHE=") + cacheDir,
                       QStringLiteral("GOFLAGS="), QStringLiteral("GOPROXY=off")});
}

CliRun runProgram(const QString &program, const QStringList &args, const QStringList &env, const QString &workDir, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString &kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    p.setProcessEnvironment(e);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QStringList ownerFlagsFor(const QString &target, const QString &userId, const QString &apiId)
{
    const sd::Format *f = sd::Registry::instance().find(target);
    QStringList out;
    if (f && f->capabilities().testFlag(sd::Capability::UserId))
        out << QStringLiteral("--user-id") << userId;
    if (f && f->capabilities().testFlag(sd::Capability::ApiId))
        out << QStringLiteral("--api-id") << apiId;
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool runCliAndKill(const QStringList &args, int delayUs, bool showStderr)
{
    QProcess p;
    if (showStderr)
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    else
        p.setStandardErrorFile(QProcess::nullDevice());
    p.setStandardOutputFile(QProcess::nullDevice());
    p.start(cliPath(), args);
    if (!p.waitForStarted(5000))
        return false;
    QThread::usleep(static_cast<unsigned long>(delayUs));
    const bool killed = p.state() == QProcess::Running;
    if (killed)
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
    p.waitForFinished(30000);
    return killed;
}

QByteArray fileSha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

QByteArray treeSha256(const QString &path)
{
    QFileInfo fi(path);
    if (!fi.isDir())
        return fileSha256(path);
    QStringList files;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const QString &f : files) {
        h.addData(QDir(path).relativeFilePath(f).toUtf8());
        h.addData(fileSha256(f));
    }
    return h.result().toHex();
}

QByteArray hexToBytes(const QString &hex) { return QByteArray::fromHex(hex.toLatin1()); }

QString copyTo(const QString &src, const QString &dstDir)
{
    QFileInfo fi(src);
    const QString dst = dstDir + QLatin1Char('/') + fi.fileName();
    if (!fi.isDir()) {
        QFile::remove(dst);
        QFile::copy(src, dst);
        QFile(dst).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return dst;
    }
    QDir().mkpath(dst);
    QDirIterator it(src, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    while (it.hasNext())
        copyTo(it.next(), dst);
    return dst;
}

int fileMode(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return static_cast<int>(st.st_mode & 0777);
}

sd::Session sampleAccount(const sd::SecretBytes &key, qint64 userId)
{
    sd::Session s;
    s.dcId = 2;
    s.testMode = false;
    s.userId = userId;
    s.isBot = false;
    s.apiId = 12345;
    sd::DcAuth &d = s.upsertDc(2);
    d.address = QStringLiteral("149.154.167.51");
    d.port = 443;
    d.authKey = key;
    return s;
}

QString sqlSearchDiffersFromMemory(const sd::Format &format, const QString &path, const std::vector<sd::Peer> &all,
                                   const QStringList &searches, const sd::ReadOptions &options)
{
    for (const QString &search : searches) {
        for (int k = -1; k < 3; ++k) {
            sd::PeerQuery q;
            q.search = search;
            if (k >= 0)
                q.kind = sd::PeerKind(k);
            std::multiset<qint64> expected;
            for (const sd::Peer &p : all)
                if (q.matches(p))
                    expected.insert(p.markedId());
            auto got = format.queryPeers(sd::Source::fromPath(path), q, options);
            const QString what = QStringLiteral("search \"%1\", kind %2").arg(search).arg(k);
            if (!got)
                return what + QStringLiteral(": ") + got.error().message;
            std::multiset<qint64> found;
            for (const sd::Peer &p : *got)
                found.insert(p.markedId());
            if (found != expected) {
                QStringList only;
                for (qint64 id : found)
                    if (!expected.count(id))
                        only << QStringLiteral("+%1").arg(id);
                for (qint64 id : expected)
                    if (!found.count(id))
                        only << QStringLiteral("-%1").arg(id);
                return QStringLiteral("%1: SQL found %2 peers, the in-memory matcher %3 (SQL only +, memory only -: %4)")
                    .arg(what)
                    .arg(got->size())
                    .arg(expected.size())
                    .arg(only.join(QLatin1Char(' ')));
            }
        }
    }
    return {};
}

QString sortedPagesDifferFromMemory(const sd::Format &format, const QString &path, const std::vector<sd::Peer> &all,
                                    const sd::ReadOptions &options, int account)
{
    using sd::PeerSortColumn;
    auto table = format.openPeerTable(sd::Source::fromPath(path), options, account);
    if (!table)
        return QStringLiteral("openPeerTable: ") + table.error().message;
    sd::MemoryPeerTable memory(all);
    const auto marked = [](const std::vector<sd::Peer> &peers) {
        QList<qint64> out;
        for (const sd::Peer &p : peers)
            out << p.markedId();
        return out;
    };
    for (std::optional<sd::PeerKind> kind : {std::optional<sd::PeerKind>(), std::optional<sd::PeerKind>(sd::PeerKind::Channel)}) {
        for (PeerSortColumn col : {PeerSortColumn::Default, PeerSortColumn::Id, PeerSortColumn::Type, PeerSortColumn::Username,
                                   PeerSortColumn::Phone, PeerSortColumn::Name, PeerSortColumn::Updated, PeerSortColumn::AccessHash}) {
            for (bool desc : {false, true}) {
                sd::PeerPageQuery pq;
                pq.filter.kind = kind;
                pq.sort = col;
                pq.descending = desc;
                const QString what = QStringLiteral("sort column %1 %2%3")
                                         .arg(int(col))
                                         .arg(desc ? QStringLiteral("desc") : QStringLiteral("asc"), kind ? QStringLiteral(" (channels)") : QString());
                auto n = (*table)->count(pq);
                if (!n)
                    return what + QStringLiteral(": ") + n.error().message;
                if (*n != *memory.count(pq))
                    return QStringLiteral("%1: counted %2, in memory %3").arg(what).arg(*n).arg(*memory.count(pq));
                auto first = (*table)->fetch(pq, 0, 4);
                auto rest = (*table)->fetch(pq, 4, -1);
                if (!first || !rest)
                    return what + QStringLiteral(": ") + (first ? rest.error().message : first.error().message);
                const QList<qint64> got = marked(*first) + marked(*rest);
                const QList<qint64> want = marked(*memory.fetch(pq, 0, -1));
                if (got != want) {
                    QStringList g, w;
                    for (qint64 id : got)
                        g << QString::number(id);
                    for (qint64 id : want)
                        w << QString::number(id);
                    return QStringLiteral("%1: SQL pages %2, in memory %3").arg(what, g.join(QLatin1Char(' ')), w.join(QLatin1Char(' ')));
                }
            }
        }
    }
    return {};
}

const sd::Peer *findPeer(const sd::Session &s, qint64 marked)
{
    for (const sd::Peer &p : s.peers)
        if (p.markedId() == marked)
            return &p;
    return nullptr;
}

QList<QSet<QString>> documentedJsonKeys(const QString &docRelative, const QString &from, const QString &to)
{
    const QString text = QString::fromUtf8(readAll(sourcePath(docRelative)));
    static const QRegularExpression key(QStringLiteral("(?<![:|]\\s)(?<![:|])\"([a-z_]+)\""));
    QList<QSet<QString>> out;
    for (qsizetype at = text.indexOf(from); at >= 0; at = text.indexOf(from, at + 1)) {
        const qsizetype start = at + from.size();
        const qsizetype end = text.indexOf(to, start);
        QSet<QString> keys;
        for (auto it = key.globalMatch(text.mid(start, end < 0 ? -1 : end - start)); it.hasNext();)
            keys.insert(it.next().captured(1));
        out << keys;
    }
    return out;
}

QSet<QString> keySet(const QJsonObject &o)
{
    const QStringList keys = o.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

QString overviewDiffersFromAuditJson(const sd::FolderOverview &o, const QJsonObject &audit)
{
    const QJsonArray found = audit.value(QStringLiteral("found")).toArray();
    QMap<QString, int> byLibrary, bySeverity;
    QMap<int, int> byDc;
    int bots = 0, users = 0, unknown = 0;
    qint64 peers = 0;
    QSet<QString> places, dupPlaces, dupKeys;
    for (const QJsonValue &v : found) {
        const QJsonObject f = v.toObject();
        places.insert(f.value(QStringLiteral("path")).toString());
        byLibrary[f.value(QStringLiteral("format")).toString()] += 1;
        byDc[f.value(QStringLiteral("dc_id")).toInt()] += 1;
        const QJsonValue bot = f.value(QStringLiteral("is_bot"));
        (bot.isNull() ? unknown : bot.toBool() ? bots : users) += 1;
        peers += f.value(QStringLiteral("peers")).toInteger();
    }
    for (const QJsonValue &v : audit.value(QStringLiteral("findings")).toArray()) {
        const QJsonObject f = v.toObject();
        bySeverity[f.value(QStringLiteral("severity")).toString()] += 1;
        if (f.value(QStringLiteral("rule")).toString() == QLatin1String("duplicate-auth-key")) {
            dupPlaces.insert(f.value(QStringLiteral("path")).toString());
            dupKeys.insert(f.value(QStringLiteral("auth_key_id")).toString());
        }
    }
    auto differ = [](const char *what, const auto &gui, const auto &cli) {
        QString g, c;
        QDebug(&g).nospace() << gui;
        QDebug(&c).nospace() << cli;
        return QStringLiteral("%1: overview %2, audit --json %3").arg(QLatin1String(what), g, c);
    };
    if (o.accounts != found.size())
        return differ("accounts", o.accounts, found.size());
    if (o.places != places.size())
        return differ("places", o.places, places.size());
    if (o.byLibrary != byLibrary)
        return differ("by library", o.byLibrary, byLibrary);
    if (o.byDc != byDc)
        return differ("by DC", o.byDc, byDc);
    if (o.bots != bots || o.users != users || o.unknownKind != unknown)
        return differ("bots/users/unknown", QList<int>{o.bots, o.users, o.unknownKind}, QList<int>{bots, users, unknown});
    if (o.findingsBySeverity != bySeverity)
        return differ("findings by severity", o.findingsBySeverity, bySeverity);
    if (o.duplicatedKeys != dupKeys.size() || o.duplicatePlaces != dupPlaces.size())
        return differ("duplicated keys/places", QList<qsizetype>{o.duplicatedKeys, o.duplicatePlaces}, QList<qsizetype>{dupKeys.size(), dupPlaces.size()});
    if (o.totalPeers != peers)
        return differ("total peers", o.totalPeers, peers);
    return {};
}

} // namespace sdtest
