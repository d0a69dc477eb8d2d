// Acting on audit findings: see fix.h and docs/cli.md (`audit --fix`).
#include "fix.h"

#include "io/lockprobe.h"
#include "audit/scanitem.h"
#include "format/registry.h"
#include "io/atomicfile.h"
#include "vault/vault.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sd {

namespace {

constexpr qint64 kMaxTextBytes = 16 * 1024 * 1024;

const QString kWorldReadable = QStringLiteral("world-readable");
const QString kStringInText = QStringLiteral("string-in-text-file");
const QString kDuplicate = QStringLiteral("duplicate-auth-key");

QString octal(int mode) { return QString::number(mode, 8).rightJustified(4, QLatin1Char('0')); }

int lmodeOf(const QString &path, bool *isLink = nullptr, bool *isDir = nullptr)
{
    struct stat st {};
    const QByteArray n = QFile::encodeName(path);
    if (::lstat(n.constData(), &st) != 0)
        return -1;
    if (isLink)
        *isLink = S_ISLNK(st.st_mode);
    if (isDir)
        *isDir = S_ISDIR(st.st_mode);
    return static_cast<int>(st.st_mode & 07777);
}

Status refuseIfHeld(const QString &path)
{
    if (const auto lock = fileLockHolder(path))
        return Error::output(QStringLiteral("%1: read-only; nothing changed").arg(lock->describe(path)));
    return {};
}

const AuditedSession *sessionAt(const AuditReport &r, const QString &path, const std::optional<QString> &keyId)
{
    const AuditedSession *any = nullptr;
    for (const AuditedSession &s : r.found) {
        if (s.path != path)
            continue;
        if (!keyId || s.allKeyIds.contains(*keyId) || (s.authKeyId && *s.authKeyId == *keyId))
            return &s;
        if (!any)
            any = &s;
    }
    return keyId ? nullptr : any;
}

FixAction moveAction(const AuditedSession &s, const QString &rule, const std::optional<QString> &keyId, const AuditReport &r)
{
    FixAction a;
    a.kind = FixKind::MoveToVault;
    a.rule = rule;
    a.path = s.path;
    a.isDir = QFileInfo(s.path).isDir();
    a.inTextFile = s.inTextFile;
    a.formatId = s.formatId;
    a.authKeyId = keyId ? keyId : s.authKeyId;
    if (s.inTextFile) {
        for (const AuditedSession &o : r.found)
            if (o.path == s.path && o.inTextFile && o.authKeyId == a.authKeyId && !a.lines.contains(o.line))
                a.lines << o.line;
        std::sort(a.lines.begin(), a.lines.end());
    }
    return a;
}

// The place a duplicate group keeps by default: the first session file (not a string in a text
// file, not a folder), else the first place.
QString defaultKeep(const std::vector<AuditedSession> &places)
{
    for (const AuditedSession &s : places)
        if (!s.inTextFile && !QFileInfo(s.path).isDir())
            return s.path;
    return places.empty() ? QString() : places.front().path;
}

// The sessions a text file holds whose key is keyId (or, with no key id, those on the given lines),
// each with its line.
struct TextHit {
    Store store;
    int line = 0;
};

Result<std::vector<TextHit>> stringsInText(const QString &path, const FixAction &a)
{
    auto text = readFileLimited(path, kMaxTextBytes);
    if (!text)
        return text.error();
    std::vector<TextHit> hits;
    const Registry &reg = Registry::instance();
    ReadOptions ro;
    for (const auto &[token, line] : extractStringTokens(*text)) {
        const Probe probe = Probe::fromString(token);
        for (const Detection &d : reg.candidates(probe)) {
            if (d.format->sourceKind() != SourceKind::String)
                continue;
            auto store = d.format->read(Source::fromString(token, path), ro);
            if (!store)
                continue;
            bool match = false;
            for (const Session &s : store->accounts) {
                const DcAuth *p = s.primary();
                const QString id = p && !p->authKey.isAllZero() ? p->authKeyId() : QString();
                if (a.authKeyId ? id == *a.authKeyId : (id.isEmpty() && a.lines.contains(line)))
                    match = true;
                for (const DcAuth &dc : s.dcs)
                    if (a.authKeyId && !dc.isTemp && !dc.authKey.isAllZero() && dc.authKeyId() == *a.authKeyId)
                        match = true;
            }
            if (match)
                hits.push_back({std::move(*store), line});
            break;
        }
    }
    wipe(*text);
    if (hits.empty())
        return Error::badInput(QStringLiteral("%1: the string is no longer there (the file changed since the audit); nothing changed").arg(path));
    return hits;
}

// Imports store into the vault and proves the vault's copy holds every permanent key byte for
// byte. Returns the vault ids.
Result<QStringList> importVerified(Vault &vault, const Store &store, const QString &source)
{
    VaultImportOptions vo;
    vo.source = source;
    auto items = vault.importStore(store, vo);
    if (!items)
        return items.error();
    QStringList ids;
    for (const VaultImportItem &it : *items) {
        const QString id = it.id.isEmpty() ? it.duplicateOf : it.id;
        if (id.isEmpty())
            return Error::output(QStringLiteral("%1: account %2 was not imported (%3); nothing removed")
                                     .arg(source)
                                     .arg(it.index)
                                     .arg(it.skipped.isEmpty() ? QStringLiteral("no reason given") : it.skipped));
        if (it.index < 0 || static_cast<size_t>(it.index) >= store.accounts.size())
            return Error::output(QStringLiteral("%1: the vault answered for an unknown account; nothing removed").arg(source));
        auto copy = vault.loadSession(id);
        if (!copy)
            return Error{copy.error().kind, QStringLiteral("%1: the vault copy cannot be read back (%2); nothing removed").arg(source, copy.error().message)};
        for (const DcAuth &orig : store.accounts[static_cast<size_t>(it.index)].dcs) {
            if (orig.isTemp || orig.authKey.isAllZero())
                continue;
            bool same = false;
            for (const DcAuth &v : copy->dcs)
                if (!v.authKey.isAllZero() && v.authKey == orig.authKey)
                    same = true;
            if (!same)
                return Error::output(QStringLiteral("%1: the vault copy of account %2 lacks the DC %3 key; nothing removed")
                                         .arg(source)
                                         .arg(it.index)
                                         .arg(orig.dcId));
        }
        ids << id;
    }
    return ids;
}

Status removeFileAndSides(const QString &path, QStringList &removed)
{
    for (const char *side : {"-wal", "-journal", "-shm"}) {
        const QString s = path + QLatin1String(side);
        bool link = false;
        if (lmodeOf(s, &link) < 0)
            continue;
        if (::unlink(QFile::encodeName(s).constData()) != 0)
            return Error::output(QStringLiteral("%1: cannot delete (%2)").arg(s, QString::fromLocal8Bit(std::strerror(errno))));
        removed << s;
    }
    if (::unlink(QFile::encodeName(path).constData()) != 0)
        return Error::output(QStringLiteral("%1: cannot delete (%2)").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    removed << path;
    return {};
}

bool holdsKey(const QString &place, const QString &keyId)
{
    const ItemResult r = analyzeItem(place, QFileInfo(place).isDir(), AuditOptions{}, QDateTime::currentSecsSinceEpoch());
    for (const AuditedSession &s : r.sessions)
        if (s.allKeyIds.contains(keyId))
            return true;
    return false;
}

// Rewrites a.path without the lines of hits (after its 0600 backup); the lines go to lineNames.
Status dropHitLines(const FixAction &a, const std::vector<TextHit> &hits, const FixContext &ctx, FixOutcome &o, QStringList &lineNames)
{
    QList<int> lines;
    for (const TextHit &h : hits)
        if (!lines.contains(h.line))
            lines << h.line;
    std::sort(lines.begin(), lines.end());
    for (int l : lines)
        lineNames << QString::number(l);
    const qint64 now = ctx.now > 0 ? ctx.now : QDateTime::currentSecsSinceEpoch();
    o.backup = textBackupPath(a.path, now);
    return rewriteWithoutLines(a.path, lines, o.backup);
}

Result<FixOutcome> applyRestrict(const FixAction &a)
{
    bool link = false, dir = false;
    const int mode = lmodeOf(a.path, &link, &dir);
    if (mode < 0)
        return Error::badInput(QStringLiteral("%1: no longer exists; nothing changed").arg(a.path));
    if (link)
        return Error::output(QStringLiteral("%1: is a symbolic link; permissions are not changed through links").arg(a.path));
    const int target = dir ? 0700 : 0600;
    FixOutcome o;
    o.action = a;
    int finalMode = mode & ~0077;
    if ((finalMode & 0700) == 0)
        finalMode = target; // never lock the owner out
    if (finalMode == mode) {
        o.summary = QStringLiteral("%1 is already mode %2").arg(a.path, octal(mode));
        return o;
    }
    if (::chmod(QFile::encodeName(a.path).constData(), static_cast<mode_t>(finalMode)) != 0)
        return Error::output(QStringLiteral("%1: chmod failed (%2)").arg(a.path, QString::fromLocal8Bit(std::strerror(errno))));
    o.summary = QStringLiteral("%1: mode %2 -> %3").arg(a.path, octal(mode), octal(finalMode));
    return o;
}

Result<FixOutcome> applyMove(const FixAction &a, FixContext &ctx)
{
    if (!ctx.vault)
        return Error::secret(QStringLiteral("%1: no vault to move the session into").arg(a.path));
    if (auto held = refuseIfHeld(a.path); !held)
        return held.error();
    FixOutcome o;
    o.action = a;
    if (a.inTextFile) {
        auto hits = stringsInText(a.path, a);
        if (!hits)
            return hits.error();
        for (const TextHit &h : *hits) {
            auto ids = importVerified(*ctx.vault, h.store, QStringLiteral("%1:%2").arg(a.path).arg(h.line));
            if (!ids)
                return ids.error();
            o.vaultIds << *ids;
        }
        QStringList ls;
        if (auto st = dropHitLines(a, *hits, ctx, o, ls); !st)
            return st.error();
        o.summary = QStringLiteral("%1: moved the string(s) on line %2 into the vault (%3); the file was rewritten without them, backup %4")
                        .arg(a.path, ls.join(QStringLiteral(", ")), o.vaultIds.join(QStringLiteral(", ")), o.backup);
        return o;
    }
    const Source src = Source::fromPath(a.path);
    auto format = Registry::instance().detect(src);
    if (!format)
        return format.error();
    auto store = (*format)->read(src, ReadOptions{});
    if (!store)
        return store.error();
    auto ids = importVerified(*ctx.vault, *store, a.path);
    if (!ids)
        return ids.error();
    o.vaultIds = *ids;
    if (a.isDir || QFileInfo(a.path).isDir()) {
        o.summary = QStringLiteral("%1: imported into the vault (%2) and verified; the folder is kept (it holds more than the session)")
                        .arg(a.path, o.vaultIds.join(QStringLiteral(", ")));
        return o;
    }
    if (auto st = removeFileAndSides(a.path, o.removed); !st)
        return st.error();
    o.summary = QStringLiteral("%1: moved into the vault (%2), verified, plaintext deleted").arg(a.path, o.vaultIds.join(QStringLiteral(", ")));
    return o;
}

Result<FixOutcome> applyRemoveDuplicate(const FixAction &a, const FixContext &ctx)
{
    if (!a.authKeyId || a.keptPlace.isEmpty())
        return Error::usage(QStringLiteral("%1: removing a duplicate needs the key and the place that keeps it").arg(a.path));
    if (QFileInfo(a.path).absoluteFilePath() == QFileInfo(a.keptPlace).absoluteFilePath())
        return Error::usage(QStringLiteral("%1: is the place that keeps the key").arg(a.path));
    if (!holdsKey(a.keptPlace, *a.authKeyId))
        return Error::output(QStringLiteral("%1 no longer holds auth_key_id %2; %3 is kept").arg(a.keptPlace, *a.authKeyId, a.path));
    if (auto held = refuseIfHeld(a.path); !held)
        return held.error();
    FixOutcome o;
    o.action = a;
    if (a.inTextFile) {
        auto hits = stringsInText(a.path, a);
        if (!hits)
            return hits.error();
        QStringList ls;
        if (auto st = dropHitLines(a, *hits, ctx, o, ls); !st)
            return st.error();
        o.summary = QStringLiteral("%1: removed the duplicate string (kept in %2), backup %3").arg(a.path, a.keptPlace, o.backup);
        return o;
    }
    if (QFileInfo(a.path).isDir())
        return Error::output(QStringLiteral("%1: a session folder is not deleted by SessionDesk; remove it yourself").arg(a.path));
    if (auto st = removeFileAndSides(a.path, o.removed); !st)
        return st.error();
    o.summary = QStringLiteral("%1: deleted (the key is kept in %2)").arg(a.path, a.keptPlace);
    return o;
}

} // namespace

QString fixKindName(FixKind kind)
{
    switch (kind) {
    case FixKind::RestrictMode: return QStringLiteral("restrict-permissions");
    case FixKind::MoveToVault: return QStringLiteral("move-to-vault");
    case FixKind::RemoveDuplicate: return QStringLiteral("remove-duplicate");
    }
    return QString();
}

QStringList fixableRules() { return {kWorldReadable, kStringInText, kDuplicate}; }

QString FixAction::describe(const QString &vaultPath) const
{
    const QString vault = vaultPath.isEmpty() ? QStringLiteral("the vault") : QStringLiteral("the vault %1").arg(vaultPath);
    QStringList ls;
    for (int l : lines)
        ls << QString::number(l);
    const QString key = authKeyId ? QStringLiteral(" (auth_key_id %1)").arg(*authKeyId) : QString();
    switch (kind) {
    case FixKind::RestrictMode:
        return QStringLiteral("chmod %1: mode %2 -> %3").arg(path, octal(modeBefore), octal(modeAfter));
    case FixKind::MoveToVault:
        if (inTextFile)
            return QStringLiteral("import the %1 string%2 on line %3 of %4 into %5, verify the copy, then rewrite %4 without "
                                  "that line (a 0600 backup %4.sessiondesk-backup-<time> is kept)")
                .arg(formatId, key, ls.join(QStringLiteral(", ")), path, vault);
        if (isDir)
            return QStringLiteral("import the %1 session folder %2%3 into %4 and verify the copy (the folder is kept)")
                .arg(formatId, path, key, vault);
        return QStringLiteral("import %1 (%2%3) into %4, verify the copy, then delete %1 and its -wal/-journal/-shm files")
            .arg(path, formatId, key, vault);
    case FixKind::RemoveDuplicate:
        if (inTextFile)
            return QStringLiteral("rewrite %1 without line %2 (the duplicate%3; %4 keeps it; a 0600 backup is kept)")
                .arg(path, ls.join(QStringLiteral(", ")), key, keptPlace);
        return QStringLiteral("delete %1 (a duplicate%2; %3 keeps it)").arg(path, key, keptPlace);
    }
    return QString();
}

std::vector<AuditedSession> placesHoldingKey(const AuditReport &report, const QString &authKeyId)
{
    std::vector<AuditedSession> out;
    QSet<QString> seen;
    for (const AuditedSession &s : report.found)
        if (s.allKeyIds.contains(authKeyId) && !seen.contains(s.path)) {
            seen.insert(s.path);
            out.push_back(s);
        }
    return out;
}

std::vector<FixAction> keepOnlyPlan(const AuditReport &report, const QString &authKeyId, const QString &keep, bool deleteOthers)
{
    std::vector<FixAction> out;
    for (const AuditedSession &s : placesHoldingKey(report, authKeyId)) {
        if (s.path == keep)
            continue;
        FixAction a = moveAction(s, kDuplicate, authKeyId, report);
        a.keptPlace = keep;
        if (deleteOthers)
            a.kind = FixKind::RemoveDuplicate;
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<FixAction> fixesForFinding(const Finding &f, const AuditReport &report)
{
    std::vector<FixAction> out;
    if (f.rule == kWorldReadable) {
        bool link = false, dir = false;
        const int mode = lmodeOf(f.path, &link, &dir);
        if (mode >= 0 && !link && (mode & 0077)) {
            FixAction a;
            a.kind = FixKind::RestrictMode;
            a.rule = f.rule;
            a.path = f.path;
            a.isDir = dir;
            a.modeBefore = mode;
            a.modeAfter = mode & ~0077;
            if ((a.modeAfter & 0700) == 0)
                a.modeAfter = dir ? 0700 : 0600;
            out.push_back(a);
        }
    }
    if (f.rule == kDuplicate && f.authKeyId) {
        // "keep this one": every other place goes into the vault.
        for (FixAction &a : keepOnlyPlan(report, *f.authKeyId, f.path, false))
            out.push_back(std::move(a));
        return out;
    }
    if (const AuditedSession *s = sessionAt(report, f.path, f.authKeyId))
        out.push_back(moveAction(*s, f.rule, s->inTextFile ? f.authKeyId : s->authKeyId, report));
    return out;
}

Result<std::vector<FixAction>> planFixes(const AuditReport &report, const FixPlanOptions &options)
{
    QStringList rules;
    for (const QString &r : options.rules)
        for (const QString &part : r.split(QLatin1Char(','), Qt::SkipEmptyParts))
            rules << part.trimmed();
    if (rules.contains(QStringLiteral("all")))
        rules = fixableRules();
    for (const QString &r : rules)
        if (!fixableRules().contains(r))
            return Error::usage(QStringLiteral("--fix: unknown or unfixable rule '%1' (fixable: %2, all)")
                                    .arg(r, fixableRules().join(QStringLiteral(", "))));
    std::vector<FixAction> plan;
    QSet<QString> planned; // kind + path + key: one action per place
    auto add = [&](FixAction a) {
        const QString id = fixKindName(a.kind) + QLatin1Char('|') + a.path + QLatin1Char('|') + a.authKeyId.value_or(QString());
        if (planned.contains(id))
            return;
        planned.insert(id);
        plan.push_back(std::move(a));
    };
    bool keepUsed = false;
    QSet<QString> keysDone;
    for (const Finding &f : report.findings) {
        if (!rules.contains(f.rule))
            continue;
        if (f.rule == kDuplicate) {
            if (!f.authKeyId || keysDone.contains(*f.authKeyId))
                continue;
            keysDone.insert(*f.authKeyId);
            const auto places = placesHoldingKey(report, *f.authKeyId);
            QString keep = defaultKeep(places);
            for (const AuditedSession &s : places)
                if (!options.keep.isEmpty() && QFileInfo(s.path).absoluteFilePath() == QFileInfo(options.keep).absoluteFilePath()) {
                    keep = s.path;
                    keepUsed = true;
                }
            for (FixAction &a : keepOnlyPlan(report, *f.authKeyId, keep, options.deleteDuplicates))
                add(std::move(a));
            continue;
        }
        // world-readable only restricts; string-in-text-file only moves the string.
        const FixKind wanted = f.rule == kWorldReadable ? FixKind::RestrictMode : FixKind::MoveToVault;
        for (FixAction &a : fixesForFinding(f, report))
            if (a.kind == wanted)
                add(std::move(a));
    }
    if (!options.keep.isEmpty() && !keepUsed)
        return Error::usage(QStringLiteral("--keep %1: that place holds no duplicated key").arg(options.keep));
    // Permissions first (cheap, never destructive), then moves.
    std::stable_sort(plan.begin(), plan.end(), [](const FixAction &a, const FixAction &b) {
        return static_cast<int>(a.kind) < static_cast<int>(b.kind);
    });
    return plan;
}

Result<FixOutcome> applyFix(const FixAction &action, FixContext &context)
{
    switch (action.kind) {
    case FixKind::RestrictMode: return applyRestrict(action);
    case FixKind::MoveToVault: return applyMove(action, context);
    case FixKind::RemoveDuplicate: return applyRemoveDuplicate(action, context);
    }
    return Error::usage(QStringLiteral("unknown fix"));
}

QString textBackupPath(const QString &path, qint64 now)
{
    return path + QStringLiteral(".sessiondesk-backup-") + QDateTime::fromSecsSinceEpoch(now, Qt::UTC).toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

Status rewriteWithoutLines(const QString &path, const QList<int> &lines, const QString &backupPath)
{
    auto original = readFileLimited(path, kMaxTextBytes);
    if (!original)
        return original.error();
    // Lines keep their own endings ("\n" or "\r\n"); the last line may have none.
    QByteArray kept;
    kept.reserve(original->size());
    int line = 1;
    qsizetype start = 0;
    const QByteArray &b = *original;
    bool removedAny = false;
    while (start < b.size()) {
        qsizetype end = b.indexOf('\n', start);
        end = end < 0 ? b.size() : end + 1;
        if (!lines.contains(line))
            kept.append(b.constData() + start, end - start);
        else
            removedAny = true;
        start = end;
        ++line;
    }
    if (!removedAny) {
        wipe(*original);
        return Error::badInput(QStringLiteral("%1: has no such line; nothing changed").arg(path));
    }
    // The backup first: created 0600, O_EXCL|O_NOFOLLOW, before its first byte.
    const QByteArray bn = QFile::encodeName(backupPath);
    const int fd = ::open(bn.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        wipe(*original);
        wipe(kept);
        return Error::output(QStringLiteral("%1: cannot create the backup (%2); nothing changed").arg(backupPath, QString::fromLocal8Bit(std::strerror(errno))));
    }
    qsizetype off = 0;
    bool ok = true;
    while (off < b.size()) {
        const ssize_t w = ::write(fd, b.constData() + off, static_cast<size_t>(b.size() - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ok = false;
            break;
        }
        off += w;
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    wipe(*original);
    if (!ok) {
        ::unlink(bn.constData());
        wipe(kept);
        return Error::output(QStringLiteral("%1: cannot write the backup; nothing changed").arg(backupPath));
    }
    Status st = writeFileAtomic(path, kept, true);
    wipe(kept);
    return st;
}

} // namespace sd
