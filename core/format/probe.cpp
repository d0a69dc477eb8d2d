#include "probe.h"

#include "format/format.h"
#include "io/inputfile.h"
#include "server/serverprobe.h"
#include "sqlite/sqlitedb.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cstring>

namespace sd {

namespace {
constexpr qint64 kHeadBytes = 64 * 1024;
constexpr qint64 kMaxStringFile = inputcap::kStringFile; // a file that holds only a session string is small

bool isPrintableAscii(const QByteArray &b)
{
    for (char c : b) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e)
            return false;
    }
    return !b.isEmpty();
}
} // namespace

QByteArray normalizeSessionString(const QByteArray &raw)
{
    // Most strings arrive clean: one branch-free pass finds any byte <= ' ' (white space lives
    // there), and only then is a copy trimmed and stripped of inner white space (wrapped lines).
    bool low = false;
    const char *p = raw.constData();
    const qsizetype n = raw.size();
    qsizetype i = 0;
    for (; i + 8 <= n && !low; i += 8) {
        quint64 w;
        std::memcpy(&w, p + i, 8);
        // Non-zero exactly when some byte is below 0x21 (the classic "has byte less than" test).
        low = ((w - 0x2121212121212121ULL) & ~w & 0x8080808080808080ULL) != 0;
    }
    for (; i < n && !low; ++i)
        low = static_cast<unsigned char>(p[i]) <= ' ';
    QByteArray s = raw;
    if (low) {
        auto isSpace = [](char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; };
        s = raw.trimmed();
        s.erase(std::remove_if(s.begin(), s.end(), isSpace), s.end());
    }
    while (!s.isEmpty() && (s.endsWith(',') || s.endsWith(';')))
        s.chop(1);
    for (int i = 0; i < 3 && s.size() >= 2; ++i) {
        const char a = std::as_const(s).front(), b = std::as_const(s).back(); // const: no detach
        if ((a == '"' || a == '\'' || a == '`') && a == b)
            s = s.mid(1, s.size() - 2);
        else
            break;
    }
    return s;
}

Probe Probe::fromString(const QByteArray &text)
{
    Probe p;
    p.path = QStringLiteral("-");
    p.isString = true;
    p.text = normalizeSessionString(text);
    p.size = text.size();
    return p;
}

Result<Probe> Probe::fromSource(const Source &source)
{
    if (source.isString())
        return fromString(source.text);

    Probe p;
    p.path = source.path;
    if (server::looksLikeServerUrl(source.path)) { // docs/cli.md "Server stores": never a file name
        if (auto st = server::probeServer(p); !st)
            return st.error();
        return p;
    }
    const QFileInfo fi(source.path);
    if (!fi.exists())
        return Error::badInput(QStringLiteral("no such file or folder"));
    if (fi.isDir()) {
        p.isDirectory = true;
        const QDir d(source.path);
        p.entries = d.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
        return p;
    }
    auto f = InputFile::open(source.path, inputcap::kAny);
    if (!f)
        return f.error();
    p.size = f->size();
    auto head = f->readAt(0, kHeadBytes);
    if (!head)
        return head.error();
    p.head = std::move(*head);
    if (looksLikeSqlite(p.head)) {
        p.isSqlite = true;
        auto db = SqliteDb::openReadOnly(source.path);
        if (!db)
            return db.error();
        auto tables = (*db)->tables();
        if (!tables)
            return tables.error();
        for (const QString &t : *tables) {
            auto cols = (*db)->columns(t);
            if (!cols)
                return cols.error();
            p.schema.insert(t, *cols);
        }
        return p;
    }
    if (p.size <= kMaxStringFile) {
        const QByteArray n = normalizeSessionString(p.head);
        if (isPrintableAscii(n)) {
            p.isString = true;
            p.text = n;
        }
    }
    return p;
}

} // namespace sd
