// Diagnosis of a string that no string format accepted (docs/formats.md 11.1, pitfalls 1-3): which
// library's shape it resembles most (prefix, version byte, alphabet, length) and why it does not
// fit, in one line.
#include "format/registry.h"
#include "formats/strings/stringformat.h"
#include "util/base64.h"

#include <QStringList>

#include <algorithm>
#include <vector>

namespace sd {

namespace {

struct Shape {
    QString library;
    QList<int> lengths;      // expected character counts (empty = variable)
    int minLen = 0, maxLen = 0;
    QString lengthNote;      // how to describe the expected lengths
    int score = 0;           // how much it resembles this library
    QString decodeError;     // the library decoder's complaint, when it was tried
    QStringList resembles;   // what made it look like this library
    QString formatId;        // registry id, to ask the format itself
};

QString firstBadChar(const QByteArray &t)
{
    for (qsizetype i = 0; i < t.size(); ++i) {
        const char c = t[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
            || c == '/' || c == '-' || c == '_' || c == '=';
        if (!ok) {
            const auto u = static_cast<unsigned char>(c);
            const QString shown = (u >= 0x21 && u < 0x7f) ? QStringLiteral("'%1'").arg(QLatin1Char(c))
                                                          : QStringLiteral("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
            return QStringLiteral("%1 at position %2").arg(shown).arg(i + 1);
        }
    }
    return {};
}

// The first bytes of the payload (after an optional one-character prefix), decoded leniently.
QByteArray headBytes(const QByteArray &t)
{
    QByteArray h = t.left(48);
    h.truncate(h.size() - h.size() % 4);
    while (h.endsWith('='))
        h.chop(1);
    QByteArray clean;
    for (char c : h)
        if (isBase64Alphabet(QByteArray(1, c)) && c != '=')
            clean.append(c);
    clean.truncate(clean.size() - clean.size() % 4);
    auto d = base64DecodeLenient(clean);
    return d ? *d : QByteArray();
}

QString lengthReason(const Shape &s, qsizetype n)
{
    if (!s.lengths.isEmpty()) {
        int best = s.lengths.first();
        for (int l : s.lengths)
            if (std::abs(l - n) < std::abs(best - n))
                best = l;
        if (n == best)
            return {};
        const qsizetype diff = n - best;
        return QStringLiteral("it is %1 characters where %2 are expected (%3 %4)")
            .arg(n)
            .arg(s.lengthNote)
            .arg(std::abs(diff))
            .arg(diff < 0 ? QStringLiteral("short: truncated or cut while copying?") : QStringLiteral("too many"));
    }
    if (n < s.minLen)
        return QStringLiteral("it is %1 characters where at least %2 are expected (truncated?)").arg(n).arg(s.minLen);
    if (s.maxLen && n > s.maxLen)
        return QStringLiteral("it is %1 characters where at most %2 are expected").arg(n).arg(s.maxLen);
    return {};
}

} // namespace

namespace {
QString diagnose(const QByteArray &normalized);
} // namespace

QString diagnoseUnknownString(const QByteArray &normalized)
{
    // One line, printable: messages of other formats are folded in too.
    QString m = diagnose(normalized);
    for (QChar &c : m)
        if (c.unicode() < 0x20)
            c = QLatin1Char(' ');
    return m;
}

namespace {
QString diagnose(const QByteArray &normalized)
{
    const QByteArray &t = normalized;
    const qsizetype n = t.size();
    if (n == 0)
        return QStringLiteral("empty input");
    const QString badChar = firstBadChar(t);
    const bool prefix1 = t.startsWith('1');
    const QByteArray head = headBytes(prefix1 ? t.mid(1) : t);
    const QByteArray rawHead = headBytes(t);
    const bool stdAlpha = hasStandardOnlyChars(t), url = hasUrlOnlyChars(t);
    const bool padded = t.endsWith('=');
    auto hb = [](const QByteArray &h, int i) { return i < h.size() ? static_cast<quint8>(h[i]) : -1; };

    std::vector<Shape> shapes;
    auto hint = [](Shape &s, int points, const QString &why) {
        s.score += points;
        s.resembles << why;
    };
    {
        Shape s{QStringLiteral("Telethon StringSession"), {353, 369}, 0, 0, QStringLiteral("353 (IPv4) or 369 (IPv6)"), 0, {}, {}, {}};
        if (prefix1)
            hint(s, 40, QStringLiteral("starts with '1'"));
        if (url && !stdAlpha)
            hint(s, 5, QStringLiteral("URL-safe alphabet"));
        if (padded)
            hint(s, 5, QStringLiteral("'=' padding"));
        if (prefix1 && hb(head, 0) >= 1 && hb(head, 0) <= 5 && (hb(head, 1) == 149 || hb(head, 1) == 91 || hb(head, 1) == 0x20))
            hint(s, 20, QStringLiteral("a packed Telegram IP after the DC byte"));
        if (!prefix1 && strings::decodeTelethon("1" + t).ok()) {
            hint(s, 70, QStringLiteral("a Telethon payload"));
            s.lengths = {static_cast<int>(n)};
        }
        if (prefix1 && (n == 353 || n == 352 || n == 369 || n == 368)) {
            auto d = strings::decodeTelethon(t);
            if (!d)
                s.decodeError = d.error().message;
        }
        s.formatId = QStringLiteral("telethon-string");
        shapes.push_back(s);
    }
    {
        Shape s{QStringLiteral("GramJS StringSession"), {361, 365, 369, 381}, 0, 0,
                QStringLiteral("361-369 (IPv4 text address) or 381 (web host name)"), 0, {}, {}, {}};
        if (prefix1)
            hint(s, 40, QStringLiteral("starts with '1'"));
        if (stdAlpha && !url)
            hint(s, 10, QStringLiteral("standard '+/' alphabet"));
        const int len = (hb(head, 1) << 8) | hb(head, 2);
        if (!prefix1 && strings::decodeGramjs("1" + t, false).ok()) {
            hint(s, 70, QStringLiteral("a GramJS payload"));
            s.lengths = {static_cast<int>(n)};
        }
        if (prefix1 && hb(head, 1) >= 0 && hb(head, 2) >= 0 && len >= 7 && len <= 63) {
            hint(s, 25, QStringLiteral("a %1-character text address header").arg(len));
            const int expected = 1 + ((1 + 2 + len + 2 + 256 + 2) / 3) * 4;
            s.lengths = {expected};
            s.lengthNote = QString::number(expected);
            auto d = strings::decodeGramjs(t, false);
            if (!d)
                s.decodeError = d.error().message;
        }
        s.formatId = QStringLiteral("gramjs-string");
        shapes.push_back(s);
    }
    {
        Shape s{QStringLiteral("gogram string"), {}, 300, 0, QString(), 0, {}, {}, {}};
        if (t.startsWith("1BvE") || t.startsWith("1BvX"))
            hint(s, 90, QStringLiteral("starts with '%1'").arg(QString::fromLatin1(t.left(4))));
        s.formatId = QStringLiteral("gogram-string");
        shapes.push_back(s);
    }
    {
        Shape s{QStringLiteral("Pyrogram string session"), {362, 356, 351}, 0, 0,
                QStringLiteral("362 (current), 356 or 351 (old layouts)"), 0, {}, {}, {}};
        if (!prefix1)
            s.score += 10;
        if (!padded && !prefix1)
            s.score += 5;
        if (!prefix1 && (n == 351 || n == 356 || n == 362))
            hint(s, 20, QStringLiteral("its length"));
        else if (!prefix1 && badChar.isEmpty() && n >= 340 && n <= 370)
            hint(s, 10, QStringLiteral("a length near Pyrogram's"));
        const int dc = hb(rawHead, 0);
        if (dc >= 1 && dc <= 5 && (((hb(rawHead, 5) == 0 || hb(rawHead, 5) == 1) && hb(rawHead, 1) == 0)
                                   || hb(rawHead, 1) == 0 || hb(rawHead, 1) == 1))
            hint(s, 30, QStringLiteral("DC byte %1 followed by Pyrogram's header").arg(dc));
        if (n >= 349 && n <= 364 && !prefix1) {
            auto d = strings::decodePyrogram(t);
            if (!d)
                s.decodeError = d.error().message;
        }
        s.formatId = QStringLiteral("pyrogram-string");
        shapes.push_back(s);
    }
    {
        Shape s{QStringLiteral("mtcute session string (v3)"), {}, 380, 0, QString(), 0, {}, {}, {}};
        if (hb(rawHead, 0) == 3)
            hint(s, 45, QStringLiteral("version byte 3"));
        s.formatId = QStringLiteral("mtcute-string");
        shapes.push_back(s);
    }
    {
        Shape s{QStringLiteral("MTKruto auth string"), {}, 350, 380, QString(), 0, {}, {}, {}};
        if ((hb(rawHead, 0) == 1 && hb(rawHead, 1) >= '1' && hb(rawHead, 1) <= '5')
            || (hb(rawHead, 0) == 6 && rawHead.mid(2, 5) == "-test")) {
            QByteArray dcText = rawHead.mid(1, hb(rawHead, 0));
            for (char &c : dcText)
                if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
                    c = '?';
            hint(s, 55, QStringLiteral("a TL DC string \"%1\"").arg(QString::fromLatin1(dcText)));
        }
        if (s.score > 0 && n >= 350 && n <= 380) {
            auto d = strings::decodeMtkruto(t);
            if (!d)
                s.decodeError = d.error().message;
        }
        s.formatId = QStringLiteral("mtkruto-string");
        shapes.push_back(s);
    }
    {
        Shape s{QStringLiteral("ferogram string"), {364, 380, 386, 402}, 0, 0, QStringLiteral("364-402 (compact)"), 0, {}, {}, {}};
        if (t.startsWith("CA"))
            hint(s, 35, QStringLiteral("starts with 'CA' (native)"));
        if ((t.startsWith("Ag") || t.startsWith("AQ")) && !padded && (n == 364 || n == 380 || n == 386 || n == 402))
            hint(s, 30, QStringLiteral("compact header and length"));
        s.formatId = QStringLiteral("ferogram-string");
        shapes.push_back(s);
    }

    // Closest: highest resemblance, then nearest expected length.
    auto distance = [n](const Shape &s) {
        if (!s.lengths.isEmpty()) {
            qsizetype d = 1 << 30;
            for (int l : s.lengths)
                d = std::min<qsizetype>(d, std::abs(l - n));
            return d;
        }
        if (n < s.minLen)
            return s.minLen - n;
        if (s.maxLen && n > s.maxLen)
            return n - s.maxLen;
        return qsizetype(0);
    };
    const Shape *best = &shapes.front();
    for (const Shape &s : shapes)
        if (s.score > best->score || (s.score == best->score && distance(s) < distance(*best)))
            best = &s;

    QStringList why;
    if (!badChar.isEmpty())
        why << QStringLiteral("it contains %1, which no base64 session string has").arg(badChar);
    const QString lr = lengthReason(*best, n);
    if (!lr.isEmpty())
        why << lr;
    if ((best->library.startsWith(QLatin1String("Telethon")) || best->library.startsWith(QLatin1String("GramJS"))) && !prefix1)
        why << QStringLiteral("it lacks the leading version character '1' (add it back)");
    if (best->library.startsWith(QLatin1String("Telethon")) && stdAlpha && !url)
        why << QStringLiteral("it uses the standard '+/' alphabet of GramJS");
    if (best->library.startsWith(QLatin1String("Pyrogram")) && prefix1)
        why << QStringLiteral("it starts with '1' like Telethon/GramJS strings, which Pyrogram strings never do");
    if (why.isEmpty() && !best->decodeError.isEmpty())
        why << QStringLiteral("its content does not fit: %1").arg(best->decodeError);
    if (why.isEmpty() && !best->formatId.isEmpty()) {
        // Let the format itself say what is wrong (formats owned by other families).
        if (const Format *f = Registry::instance().find(best->formatId); f) {
            auto r = f->read(Source::fromString(t), ReadOptions{});
            if (!r)
                why << QStringLiteral("its content does not fit: %1").arg(r.error().message);
        }
    }
    if (why.isEmpty() && best->score > 0)
        why << QStringLiteral("that format could not read it (corrupt, or a layout SessionDesk does not support)");
    if (best->score < 20 || (!badChar.isEmpty() && best->score < 40)) {
        QStringList parts;
        if (!badChar.isEmpty())
            parts << QStringLiteral("it contains %1, which base64 never has").arg(badChar);
        parts << QStringLiteral("it is %1 characters with no known prefix or version byte").arg(n);
        return QStringLiteral("not a session string of any known library: %1; closest by length is %2, which has %3 characters")
            .arg(parts.join(QStringLiteral("; ")), best->library,
                 best->lengthNote.isEmpty() ? QStringLiteral("at least %1").arg(best->minLen) : best->lengthNote);
    }
    return QStringLiteral("not a valid session string: closest is %1 (%2), but %3")
        .arg(best->library, best->resembles.isEmpty() ? QStringLiteral("by length") : best->resembles.join(QStringLiteral(", ")),
             why.join(QStringLiteral("; ")));
}
} // namespace

} // namespace sd
