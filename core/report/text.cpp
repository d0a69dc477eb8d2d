#include "text.h"

namespace sd {

namespace {
bool isControl(char16_t c) { return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f); }
} // namespace

bool hasControls(const QString &text)
{
    for (QChar c : text)
        if (isControl(c.unicode()))
            return true;
    return false;
}

QString escapeControls(const QString &text)
{
    bool clean = true;
    for (QChar c : text)
        if (isControl(c.unicode()) || c == QLatin1Char('\\')) {
            clean = false;
            break;
        }
    if (clean)
        return text;
    QString out;
    out.reserve(text.size() + 8);
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\\')
            out += QLatin1String("\\\\");
        else if (u < 0x20 || u == 0x7f)
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else if (u >= 0x80 && u <= 0x9f)
            out += QStringLiteral("\\u{%1}").arg(u, 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString csvTextField(const QString &text)
{
    QString v = text;
    if (!v.isEmpty()) {
        const QChar first = v.front();
        if (first == QLatin1Char('=') || first == QLatin1Char('+') || first == QLatin1Char('-') || first == QLatin1Char('@')
            || first == QLatin1Char('\t') || first == QLatin1Char('\r'))
            v.prepend(QLatin1Char('\''));
    }
    const bool quote = v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n'))
                       || v.contains(QLatin1Char('\r')) || (!v.isEmpty() && (v.front().isSpace() || v.back().isSpace()));
    if (!quote)
        return v;
    v.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

} // namespace sd
