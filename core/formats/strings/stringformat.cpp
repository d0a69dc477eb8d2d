#include "stringformat.h"

#include "domain/dcaddress.h"
#include "format/probe.h"
#include "io/atomicfile.h"
#include "util/base64.h"

#include <QStringList>

namespace sd::strings {

namespace {
constexpr qint64 kMaxStringFile = 16 * 1024;
} // namespace

std::optional<QByteArray> decodeB64(const QByteArray &text, qsizetype maxChars)
{
    if (text.isEmpty() || text.size() > maxChars)
        return std::nullopt;
    return base64DecodeLenient(text);
}

// ---- IP addresses ---------------------------------------------------------------------------

bool isIpv6Text(const QString &text) { return text.contains(QLatin1Char(':')); }

namespace {
std::optional<QByteArray> packIpv4(const QString &t)
{
    const QStringList parts = t.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return std::nullopt;
    QByteArray out;
    for (const QString &p : parts) {
        if (p.isEmpty() || p.size() > 3)
            return std::nullopt;
        for (QChar c : p)
            if (!c.isDigit() || c.unicode() > 127)
                return std::nullopt;
        const int v = p.toInt();
        if (v > 255)
            return std::nullopt;
        out.append(static_cast<char>(v));
    }
    return out;
}

std::optional<QList<quint16>> parseGroups(const QString &part)
{
    QList<quint16> out;
    if (part.isEmpty())
        return out;
    for (const QString &g : part.split(QLatin1Char(':'))) {
        if (g.isEmpty() || g.size() > 4)
            return std::nullopt;
        bool ok = false;
        const uint v = g.toUInt(&ok, 16);
        if (!ok || v > 0xffff)
            return std::nullopt;
        out << static_cast<quint16>(v);
    }
    return out;
}

std::optional<QByteArray> packIpv6(QString t)
{
    if (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']')))
        t = t.mid(1, t.size() - 2);
    QList<quint16> groups;
    const int dbl = static_cast<int>(t.indexOf(QLatin1String("::")));
    if (dbl >= 0) {
        if (t.indexOf(QLatin1String("::"), dbl + 1) >= 0)
            return std::nullopt;
        auto head = parseGroups(t.left(dbl));
        auto tail = parseGroups(t.mid(dbl + 2));
        if (!head || !tail || head->size() + tail->size() > 7)
            return std::nullopt;
        groups = *head;
        for (qsizetype i = head->size() + tail->size(); i < 8; ++i)
            groups << 0;
        groups << *tail;
    } else {
        auto all = parseGroups(t);
        if (!all || all->size() != 8)
            return std::nullopt;
        groups = *all;
    }
    QByteArray out;
    for (quint16 g : groups) {
        out.append(static_cast<char>(g >> 8));
        out.append(static_cast<char>(g & 0xff));
    }
    return out;
}
} // namespace

std::optional<QByteArray> packIp(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    return isIpv6Text(t) ? packIpv6(t) : packIpv4(t);
}

QString unpackIp(const QByteArray &b)
{
    if (b.size() == 4)
        return QStringLiteral("%1.%2.%3.%4")
            .arg(static_cast<quint8>(b[0]))
            .arg(static_cast<quint8>(b[1]))
            .arg(static_cast<quint8>(b[2]))
            .arg(static_cast<quint8>(b[3]));
    if (b.size() != 16)
        return {};
    quint16 g[8];
    for (int i = 0; i < 8; ++i)
        g[i] = static_cast<quint16>((static_cast<quint8>(b[2 * i]) << 8) | static_cast<quint8>(b[2 * i + 1]));
    // Longest run (first on ties) of two or more zero groups becomes "::" (RFC 5952).
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            ++j;
        if (j - i > bestLen) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    if (bestLen < 2)
        bestStart = -1;
    QString out;
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            out += QLatin1String("::");
            i += bestLen - 1;
            continue;
        }
        if (!out.isEmpty() && !out.endsWith(QLatin1Char(':')))
            out += QLatin1Char(':');
        out += QString::number(g[i], 16);
    }
    return out;
}

// ---- RLE ------------------------------------------------------------------------------------

QByteArray rleEncode(const QByteArray &data)
{
    QByteArray out;
    out.reserve(data.size());
    int zeros = 0;
    auto flush = [&] {
        if (zeros) {
            out.append('\0');
            out.append(static_cast<char>(zeros));
            zeros = 0;
        }
    };
    for (char c : data) {
        if (c == 0) {
            if (zeros == 255)
                flush();
            ++zeros;
        } else {
            flush();
            out.append(c);
        }
    }
    flush();
    return out;
}

std::optional<QByteArray> rleDecode(const QByteArray &data, qsizetype maxOut)
{
    QByteArray out;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const auto b = static_cast<quint8>(data[i]);
        if (b != 0) {
            out.append(static_cast<char>(b));
        } else {
            if (i + 1 >= data.size())
                return std::nullopt;
            const auto n = static_cast<quint8>(data[++i]);
            if (n == 0)
                return std::nullopt;
            out.append(QByteArray(n, '\0'));
        }
        if (out.size() > maxOut)
            return std::nullopt;
    }
    return out;
}

// ---- sessions -------------------------------------------------------------------------------

std::optional<QString> keyProblem(const QByteArray &key)
{
    if (key.size() != 256)
        return QStringLiteral("auth key is %1 bytes, 256 expected").arg(key.size());
    for (char c : key)
        if (c != 0)
            return std::nullopt;
    return QStringLiteral("auth key is all zeros (logged out)");
}

Session makeSession(int dcId, const QString &address, int port, const QByteArray &key,
                    std::optional<bool> testMode, bool inferTest)
{
    Session s;
    s.dcId = dcId;
    DcAuth &d = s.upsertDc(dcId);
    d.address = address;
    d.port = port;
    d.ipv6 = isIpv6Text(address);
    d.authKey = SecretBytes::fromByteArray(key);
    if (!testMode && inferTest && !address.isEmpty()) {
        if (auto known = lookupDcAddress(address); known && known->dcId == dcId)
            testMode = known->test;
    }
    s.testMode = testMode;
    d.testMode = testMode;
    if (address.isEmpty()) {
        if (auto a = defaultDcAddress(dcId, testMode.value_or(false))) {
            d.address = a->address;
            d.port = a->port;
        }
    }
    return s;
}

std::optional<Endpoint> endpointFor(const Session &session, bool needIp)
{
    const DcAuth *p = session.primary();
    const int dc = p ? p->dcId : session.dcId;
    bool test = session.testMode.value_or(false);
    if (p && p->testMode)
        test = *p->testMode;
    if (p && !p->address.isEmpty() && (!needIp || packIp(p->address))) {
        Endpoint e{p->address, p->port};
        if (e.port <= 0 || e.port > 65535) {
            auto a = defaultDcAddress(dc, test, isIpv6Text(p->address));
            e.port = a ? a->port : 443;
        }
        return e;
    }
    const bool v6 = p && p->ipv6;
    auto a = defaultDcAddress(dc, test, v6);
    if (!a)
        a = defaultDcAddress(dc, test, false);
    if (!a)
        return std::nullopt;
    return Endpoint{a->address, a->port};
}

Result<QByteArray> primaryKey(const Session &session)
{
    const DcAuth *p = session.primary();
    if (!p || p->authKey.isEmpty())
        return Error::badInput(QStringLiteral("the session has no auth key"));
    QByteArray key = p->authKey.exposeUnsafe();
    if (auto problem = keyProblem(key)) {
        wipe(key);
        return Error::badInput(*problem);
    }
    return key;
}

// ---- StringFormat ---------------------------------------------------------------------------

int StringFormat::detect(const Probe &probe) const
{
    if (!probe.isString || probe.text.isEmpty())
        return 0;
    auto d = decode(probe.text, false);
    return d ? m_confidence : 0;
}

Result<Store> StringFormat::read(const Source &source, const ReadOptions &) const
{
    QByteArray text;
    if (!source.text.isEmpty()) {
        text = normalizeSessionString(source.text);
    } else {
        auto data = readFileLimited(source.path, kMaxStringFile);
        if (!data)
            return data.error();
        text = normalizeSessionString(*data);
        wipe(*data);
    }
    if (text.isEmpty())
        return Error::badInput(QStringLiteral("empty input"));
    auto d = decode(text, true);
    wipe(text);
    if (!d)
        return Error::badInput(QStringLiteral("not a valid %1: %2").arg(m_name, d.error().message));
    Store st;
    st.formatId = m_id;
    st.variant = d->variant;
    st.warnings = d->warnings;
    st.accounts.push_back(std::move(d->session));
    return st;
}

} // namespace sd::strings
