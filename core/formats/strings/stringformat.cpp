#include "stringformat.h"
#include "io/inputfile.h"

#include "domain/dcaddress.h"
#include "format/probe.h"
#include "io/atomicfile.h"
#include "util/base64.h"
#include "util/ipaddress.h"

#include <QStringList>

namespace sd::strings {

namespace {
constexpr qint64 kMaxStringFile = inputcap::kStringFile;
} // namespace

std::optional<QByteArray> decodeB64(const QByteArray &text, qsizetype maxChars)
{
    if (text.isEmpty() || text.size() > maxChars)
        return std::nullopt;
    return base64DecodeLenient(text);
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
    if (p && !p->address.isEmpty() && (!needIp || ipTextToBytes(p->address))) {
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
        return Error::badInput(QStringLiteral("not a valid %1: %2").arg(displayName(), d.error().message));
    Store st;
    st.formatId = id();
    st.variant = d->variant;
    st.warnings = d->warnings;
    st.accounts.push_back(std::move(d->session));
    return st;
}

} // namespace sd::strings
