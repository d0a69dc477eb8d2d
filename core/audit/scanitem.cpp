// One audit item (a file or a session folder): what it holds and its local findings.
#include "scanitem.h"

#include "io/lockprobe.h"
#include "audit/schemaprobe.h"
#include "domain/dcaddress.h"
#include "io/inputfile.h"
#include "format/registry.h"
#include "formats/telethon/telethonsqlite.h"
#include "server/serverurl.h"
#include "sqlite/sqlitedb.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <sys/stat.h>

namespace sd {

namespace {
constexpr qint64 kHeadBytes = 64 * 1024;
constexpr qint64 kSqliteHeadBytes = 4096;
constexpr qint64 kMaxWholeStringFile = 16 * 1024;
constexpr int kMaxTokensPerFile = 1000;
constexpr int kMinToken = 300;
constexpr int kMaxToken = 64 * 1024;

bool isB64(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '_' || c == '-';
}

int modeOf(const QString &path)
{
    struct stat st {};
    const QByteArray n = QFile::encodeName(path);
    if (::stat(n.constData(), &st) != 0)
        return -1;
    return static_cast<int>(st.st_mode & 07777);
}

void addFinding(ItemResult &r, const char *rule, Severity sev, const QString &path, std::optional<QString> keyId, QString message)
{
    r.findings.push_back(Finding{QString::fromLatin1(rule), sev, path, std::move(keyId), std::move(message)});
}

// Turns a read Store into audited sessions plus the per-session findings.
void collectStore(ItemResult &r, const Store &store, const QString &formatId, const QString &path, bool inText, int line,
                  const AuditOptions &opt, qint64 now)
{
    for (size_t i = 0; i < store.accounts.size(); ++i) {
        const Session &acc = store.accounts[i];
        AuditedSession s;
        s.path = path;
        s.formatId = store.formatId.isEmpty() ? formatId : store.formatId;
        s.account = static_cast<int>(i);
        s.inTextFile = inText;
        s.line = line;
        s.dcId = acc.dcId;
        s.userId = acc.userId;
        s.newestTimestamp = acc.newestTimestamp();
        s.isBot = acc.isBot;
        s.peers = acc.peerCounts().total();
        if (const DcAuth *p = acc.primary(); p && !p->authKey.isAllZero())
            s.authKeyId = p->authKeyId();
        for (const DcAuth &d : acc.dcs)
            if (!d.isTemp && !d.authKey.isAllZero() && !s.allKeyIds.contains(d.authKeyId()))
                s.allKeyIds << d.authKeyId();
        if (s.authKeyId && !s.allKeyIds.contains(*s.authKeyId))
            s.allKeyIds.prepend(*s.authKeyId);

        const QString where = inText ? QStringLiteral("%1 string on line %2").arg(s.formatId).arg(line)
                                     : QStringLiteral("%1 session").arg(s.formatId);
        if (inText)
            addFinding(r, "string-in-text-file", Severity::High, path, s.authKeyId,
                       QStringLiteral("a live %1 sits in a text file; anyone who reads the file owns the account").arg(where));
        for (const DcAuth &d : acc.dcs)
            if (!d.authKey.isEmpty() && d.authKey.size() != 256) // every MTProto auth key is 256 bytes (docs/formats.md)
                addFinding(r, "malformed-auth-key", Severity::High, path, d.authKey.isAllZero() ? std::nullopt : std::optional<QString>(d.authKeyId()),
                           QStringLiteral("%1: the auth key for DC %2 is %3 bytes, not 256; the session cannot log in "
                                          "and SessionDesk will not convert it")
                               .arg(where)
                               .arg(d.dcId)
                               .arg(d.authKey.size()));
        if (!s.authKeyId)
            addFinding(r, "empty-auth-key", Severity::Low, path, std::nullopt,
                       QStringLiteral("%1 has no auth key (logged out or never logged in)").arg(where));
        if (s.newestTimestamp && opt.staleDays >= 0 && *s.newestTimestamp < now - qint64(opt.staleDays) * 86400) {
            const qint64 days = (now - *s.newestTimestamp) / 86400;
            addFinding(r, "stale", Severity::Low, path, s.authKeyId,
                       QStringLiteral("%1: no activity for %2 days (last activity %3)")
                           .arg(where)
                           .arg(days)
                           .arg(QDateTime::fromSecsSinceEpoch(*s.newestTimestamp, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd"))));
        }
        for (const DcAuth &d : acc.dcs) {
            if (d.address.isEmpty())
                continue;
            const auto known = lookupDcAddress(d.address);
            const std::optional<bool> flag = d.testMode ? d.testMode : acc.testMode;
            if (!known || !flag || known->test == *flag)
                continue;
            addFinding(r, "test-dc-mismatch", Severity::Medium, path, s.authKeyId,
                       QStringLiteral("%1: DC %2 address %3 is a %4 DC address but the session is flagged %5")
                           .arg(where)
                           .arg(d.dcId)
                           .arg(d.address, known->test ? QStringLiteral("test") : QStringLiteral("production"),
                                *flag ? QStringLiteral("test") : QStringLiteral("production")));
            break;
        }
        r.sessions.push_back(std::move(s));
    }
}

ReadOptions auditReadOptions()
{
    ReadOptions ro;
    ro.loadPeers = false;
    ro.loadConversations = false;
    return ro;
}

// Session strings embedded in a text file.
void scanText(ItemResult &r, const QString &path, const QByteArray &text, const AuditOptions &opt, qint64 now)
{
    const Registry &reg = Registry::instance();
    QSet<QByteArray> seen;
    for (const auto &[token, line] : extractStringTokens(text)) {
        if (seen.contains(token))
            continue;
        seen.insert(token);
        const Probe probe = Probe::fromString(token);
        for (const Detection &d : reg.candidates(probe)) {
            if (d.format->sourceKind() != SourceKind::String)
                continue;
            auto store = d.format->read(Source::fromString(token, path), auditReadOptions());
            if (!store)
                continue;
            collectStore(r, *store, d.format->id(), path, true, line, opt, now);
            break;
        }
    }
}

bool hasNul(const QByteArray &b) { return b.contains('\0'); }

void checkWorldReadable(ItemResult &r, const QString &path, bool isDir)
{
    if (r.sessions.empty())
        return;
    const int mode = modeOf(path);
    if (mode < 0 || (mode & 0044) == 0)
        return;
    addFinding(r, "world-readable", Severity::High, path, r.sessions.front().authKeyId,
               QStringLiteral("%1 mode %2 lets %3 read it").arg(isDir ? QStringLiteral("session folder") : QStringLiteral("session file"),
                                                                 QString::number(mode, 8).rightJustified(4, QLatin1Char('0')),
                                                                 (mode & 0004) ? QStringLiteral("every user") : QStringLiteral("the group")));
}

void scanSqlite(ItemResult &r, const QString &path, int fd, const QByteArray &head, qint64 size, const AuditOptions &opt, qint64 now)
{
    const auto lock = sqliteLockHolder(fd, path); // asked on the InputFile's descriptor: no second open
    if (lock && lock->exclusive) {
        addFinding(r, "locked", Severity::Medium, path, std::nullopt,
                   QStringLiteral("%1; not read (a running client holds it)").arg(lock->describe(path)));
        return;
    }
    Probe probe;
    probe.path = path;
    probe.head = head;
    probe.size = size;
    probe.isSqlite = true;
    // WAL files and files with a (possibly hot) rollback journal go through SqliteDb's snapshot copy.
    const bool wal = (head.size() >= 20 && (head[18] == 2 || head[19] == 2)) || QFile::exists(path + QStringLiteral("-wal"));
    const bool journal = QFile::exists(path + QStringLiteral("-journal"));
    std::unique_ptr<QuickSqlite> quick; // the connection that read the schema, kept for a direct reader
    if (!wal && !journal) {
        auto opened = QuickSqlite::open(path, 250);
        if (!opened) {
            r.error = opened.error().message;
            return;
        }
        quick = std::move(*opened);
        probe.schema = quick->schema();
    } else {
        auto db = SqliteDb::openReadOnly(path, 250);
        if (!db) {
            r.error = db.error().message;
            return;
        }
        auto tables = (*db)->tables();
        if (!tables) {
            r.error = tables.error().message;
            return;
        }
        for (const QString &t : *tables) {
            auto cols = (*db)->columns(t);
            if (cols)
                probe.schema.insert(t, *cols);
        }
    }
    const auto cands = Registry::instance().candidates(probe);
    const Format *format = nullptr;
    for (const Detection &d : cands)
        if (d.format->sourceKind() == SourceKind::File) {
            format = d.format;
            break;
        }
    if (!format) {
        if (schemaLooksLikeSession(probe.schema)) {
            QStringList tables = probe.schema.keys();
            addFinding(r, "unknown-schema", Severity::Medium, path, std::nullopt,
                       QStringLiteral("SQLite database that looks like a session store but matches no known format (tables: %1)")
                           .arg(tables.join(QStringLiteral(", "))));
        }
        return;
    }
    r.formatId = format->id();
    // Telethon files, the common case, are read on the connection that read the schema (one open per
    // file, no Qt connection); anything out of the ordinary falls through to the format's reader.
    std::optional<Store> direct;
    if (quick && format->id() == QLatin1String("telethon-sqlite"))
        direct = readTelethonV1ForAudit(quick->handle(), probe.schema);
    quick.reset();
    if (direct) {
        collectStore(r, *direct, format->id(), path, false, 0, opt, now);
    } else {
        auto store = format->read(Source::fromPath(path), auditReadOptions());
        if (store)
            collectStore(r, *store, format->id(), path, false, 0, opt, now);
        else
            r.error = store.error().message;
    }
    const QStringList extra = unknownSchemaParts(format->id(), probe.schema);
    if (!extra.isEmpty())
        addFinding(r, "unknown-schema", Severity::Medium, path, r.sessions.empty() ? std::nullopt : r.sessions.front().authKeyId,
                   QStringLiteral("%1 file with parts no known version has: %2").arg(format->id(), extra.join(QStringLiteral(", "))));
    if (lock)
        addFinding(r, "locked", Severity::Medium, path, r.sessions.empty() ? std::nullopt : r.sessions.front().authKeyId,
                   lock->describe(path));
}

} // namespace

bool isTextFileName(const QString &fileName)
{
    const QString n = fileName.toLower();
    if (n == QLatin1String(".env") || n.startsWith(QLatin1String(".env.")) || n.endsWith(QLatin1String(".env")))
        return true;
    if (n.endsWith(QLatin1String("history")) || n == QLatin1String("fish_history"))
        return true;
    static const char *exts[] = {".json", ".yaml", ".yml", ".txt", ".toml", ".ini", ".cfg", ".conf", ".py", ".js", ".ts", ".sh", ".md", ".log"};
    for (const char *e : exts)
        if (n.endsWith(QLatin1String(e)))
            return true;
    return false;
}

std::vector<std::pair<QByteArray, int>> extractStringTokens(const QByteArray &text)
{
    std::vector<std::pair<QByteArray, int>> out;
    const qsizetype n = text.size();
    int line = 1;
    qsizetype i = 0;
    while (i < n && static_cast<int>(out.size()) < kMaxTokensPerFile) {
        if (!isB64(text[i])) {
            if (text[i] == '\n')
                ++line;
            ++i;
            continue;
        }
        const qsizetype start = i;
        while (i < n && isB64(text[i]))
            ++i;
        qsizetype end = i;
        for (int pad = 0; pad < 2 && end < n && text[end] == '='; ++pad)
            ++end;
        const qsizetype len = end - start;
        // A token glued to more base64 after '=' is not one session string.
        if (len >= kMinToken && len <= kMaxToken && !(end < n && (isB64(text[end]) || text[end] == '=')))
            out.emplace_back(text.mid(start, len), line);
        i = end;
    }
    return out;
}

ItemResult serverStoreResult(const QString &url, const Store &store, const QString &formatId, const AuditOptions &opt, qint64 now)
{
    ItemResult r;
    r.path = url;
    r.formatId = formatId;
    for (const Session &acc : store.accounts) {
        Store one;
        one.formatId = store.formatId.isEmpty() ? formatId : store.formatId;
        one.accounts.push_back(acc);
        const QString name = acc.extra.value(QStringLiteral("mtgo_session_name"), acc.extra.value(QStringLiteral("mtgo_session_id"))).toString();
        collectStore(r, one, formatId, name.isEmpty() ? url : url + QStringLiteral("#session=") + name, false, 0, opt, now);
    }
    return r;
}

// A server store URL (docs/cli.md "Server stores"): every session in it is a place of its own,
// "URL#session=NAME", so a key shared with a file, another store or another session is found.
ItemResult analyzeServerStore(const QString &url, const AuditOptions &opt, qint64 now)
{
    ItemResult r;
    r.path = url;
    auto f = Registry::instance().detect(Source::fromPath(url));
    if (!f) {
        r.error = f.error().message;
        return r;
    }
    ReadOptions ro;
    ro.loadPeers = false;
    ro.loadConversations = false;
    auto store = (*f)->read(Source::fromPath(url), ro);
    if (!store) {
        r.formatId = (*f)->id();
        r.error = store.error().message;
        return r;
    }
    return serverStoreResult(url, *store, (*f)->id(), opt, now);
}

ItemResult analyzeItem(const QString &path, bool isDir, const AuditOptions &opt, qint64 now)
{
    if (server::looksLikeServerUrl(path))
        return analyzeServerStore(path, opt, now);
    ItemResult r;
    r.path = path;
    if (isDir) {
        auto probe = Probe::fromSource(Source::fromPath(path));
        if (!probe) {
            r.error = probe.error().message;
            return r;
        }
        for (const Detection &d : Registry::instance().candidates(*probe)) {
            if (d.format->sourceKind() != SourceKind::Directory)
                continue;
            r.formatId = d.format->id();
            auto store = d.format->read(Source::fromPath(path), auditReadOptions());
            if (store)
                collectStore(r, *store, d.format->id(), path, false, 0, opt, now);
            else
                r.error = store.error().message;
            break;
        }
        checkWorldReadable(r, path, true);
        return r;
    }

    auto f = InputFile::open(path, inputcap::kAny); // regular files only: a FIFO never blocks the scan
    if (!f) {
        r.error = f.error().message;
        return r;
    }
    const qint64 size = f->size();
    // One page first: an SQLite file (the common case) needs no more (its formats detect by schema;
    // the profile showed the 64 KiB read and copy per file). Other files get the full head.
    auto headRead = f->readAt(0, kSqliteHeadBytes);
    if (!headRead) {
        r.error = headRead.error().message;
        return r;
    }
    QByteArray head = std::move(*headRead);
    if (looksLikeSqlite(head)) {
        scanSqlite(r, path, f->fd(), head, size, opt, now);
        checkWorldReadable(r, path, false);
        return r;
    }
    if (head.size() == kSqliteHeadBytes && size > kSqliteHeadBytes) {
        auto rest = f->readAt(kSqliteHeadBytes, kHeadBytes - kSqliteHeadBytes);
        if (!rest) {
            r.error = rest.error().message;
            return r;
        }
        head += *rest;
        wipe(*rest);
    }
    // A file format (gotd-json, gogram-file, ferogram-binary, sessiondesk-json...) by content.
    Probe probe;
    probe.path = path;
    probe.head = head;
    probe.size = size;
    if (size <= kMaxWholeStringFile) {
        const QByteArray norm = normalizeSessionString(head);
        if (!norm.isEmpty() && !hasNul(norm)) {
            probe.isString = true;
            probe.text = norm;
        }
    }
    for (const Detection &d : Registry::instance().candidates(probe)) {
        if (d.format->sourceKind() != SourceKind::File)
            continue;
        auto store = d.format->read(Source::fromPath(path), auditReadOptions());
        if (!store)
            continue;
        r.formatId = d.format->id();
        collectStore(r, *store, d.format->id(), path, false, 0, opt, now);
        checkWorldReadable(r, path, false);
        return r;
    }
    // Text: look for embedded session strings.
    const bool textual = isTextFileName(QFileInfo(path).fileName()) || !hasNul(head);
    if (textual && size <= opt.maxTextFileBytes) {
        QByteArray text = head;
        if (size > head.size()) {
            auto rest = f->readAt(head.size(), size - head.size());
            if (rest) {
                text += *rest;
                wipe(*rest);
            }
        }
        scanText(r, path, text, opt, now);
        wipe(text);
    }
    wipe(head);
    checkWorldReadable(r, path, false);
    return r;
}

} // namespace sd
