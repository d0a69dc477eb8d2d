#include "mtcute-tl.h"

#include "domain/dcaddress.h"
#include "util/bytes.h"

namespace sd::mtcute {

namespace {
constexpr quint32 kCtorChat = 0x41cbf256;
constexpr quint32 kCtorChatForbidden = 0x6592a1a7;
constexpr quint32 kCtorChatEmpty = 0x29562865;
constexpr quint32 kCtorChannelForbidden = 0x17d493d5;
constexpr quint32 kCtorUserEmpty = 0xd3bc4b7a;
// Layer 228 communities (docs/formats.md 4.1): stored under a channel-marked id.
constexpr quint32 kCtorCommunity = 0x65efe954;
constexpr quint32 kCtorCommunityForbidden = 0xfd3cdab8;
constexpr qsizetype kMaxCompleteBlob = 1 << 20;

std::optional<QString> cleanName(const QString &s)
{
    const QString t = s.trimmed();
    return t.isEmpty() ? std::nullopt : std::optional<QString>(t);
}
} // namespace

std::optional<DcOption> parseDcOption(const QByteArray &data)
{
    if (data.size() < 8 || data.size() > 512)
        return std::nullopt;
    ByteReader r(data);
    DcOption o;
    o.version = r.u8();
    o.id = r.u8();
    o.flags = r.u8();
    if (o.version != 1 && o.version != 2)
        return std::nullopt;
    const QByteArray ip = r.tlBytes();
    o.port = r.i32le();
    if (!r.ok() || ip.isEmpty() || o.port < 0 || o.port > 65535)
        return std::nullopt;
    o.ip = QString::fromUtf8(ip);
    return o;
}

QByteArray serializeDcOption(const DcOption &o)
{
    // mtcute always writes option version 2; a remembered version 1 is kept for exactness.
    ByteWriter w;
    w.u8(static_cast<quint8>(o.version == 1 ? 1 : 2));
    w.u8(static_cast<quint8>(o.id));
    w.u8(static_cast<quint8>(o.flags));
    w.tlString(o.ip);
    w.i32le(o.port);
    return w.data();
}

void applyDcOption(DcAuth &dc, const DcOption &o)
{
    dc.address = o.ip;
    dc.port = o.port;
    dc.ipv6 = o.ipv6();
    dc.testMode = o.testMode();
    dc.extra.insert(QString::fromLatin1(kExtraDcFlags), o.flags);
    dc.extra.insert(QString::fromLatin1(kExtraDcVersion), o.version);
}

DcOption dcOptionFor(const DcAuth &dc, int dcId, bool testMode, bool mediaSlot)
{
    DcOption o;
    o.id = dcId;
    o.ip = dc.address;
    o.port = dc.port;
    const int computed = (dc.ipv6 ? 1 : 0) | (mediaSlot ? 2 : 0) | (testMode ? 4 : 0);
    const auto flagsIt = dc.extra.constFind(QString::fromLatin1(kExtraDcFlags));
    const auto versionIt = dc.extra.constFind(QString::fromLatin1(kExtraDcVersion));
    o.flags = computed;
    if (flagsIt != dc.extra.constEnd()) {
        const int kept = flagsIt->toInt();
        // Keep the exact flags unless ipv6/test changed meanwhile (mediaOnly is advisory).
        if ((kept & 1) == (computed & 1) && ((kept & 4) != 0) == testMode)
            o.flags = kept;
    }
    if (versionIt != dc.extra.constEnd() && versionIt->toInt() == 1 && !testMode)
        o.version = 1;
    return o;
}

DcOption optionFor(const DcAuth *dc, int dcId, bool test, bool media)
{
    DcAuth tmp;
    if (dc) {
        tmp.address = dc->address;
        tmp.port = dc->port;
        tmp.ipv6 = dc->ipv6;
        tmp.extra = dc->extra;
    }
    if (tmp.address.isEmpty() || tmp.port <= 0) {
        auto a = defaultDcAddress(dcId, test, tmp.ipv6, media);
        if (!a)
            a = defaultDcAddress(dcId, test, tmp.ipv6, false);
        if (!a)
            a = defaultDcAddress(dcId, false, false, false);
        if (a) {
            tmp.ipv6 = tmp.ipv6 && a->address.contains(QLatin1Char(':'));
            tmp.address = a->address;
            tmp.port = a->port;
        }
    }
    return dcOptionFor(tmp, dcId, test, media);
}

DcEntries pickDcEntries(const Session &s, int dcId)
{
    DcEntries e;
    e.mediaDcId = s.mediaDcId.value_or(dcId);
    for (const DcAuth &d : s.dcs) {
        if (d.isTemp)
            continue;
        if (d.dcId == dcId && !d.mediaOnly && (!e.main || (e.main->ipv6 && !d.ipv6)))
            e.main = &d;
        if (d.dcId == e.mediaDcId && d.mediaOnly && !d.address.isEmpty() && (!e.media || (e.media->ipv6 && !d.ipv6)))
            e.media = &d;
    }
    if (!e.main) {
        const DcAuth *p = s.primary();
        if (p && p->dcId == dcId)
            e.main = p;
    }
    return e;
}

std::optional<CurrentUser> parseCurrentUser(const QByteArray &data, bool *corrupt)
{
    if (corrupt)
        *corrupt = false;
    if (data.isEmpty())
        return std::nullopt;
    ByteReader r(data);
    const qint32 version = r.i32le();
    if (!r.ok() || version != 1) {
        if (corrupt)
            *corrupt = true;
        return std::nullopt;
    }
    CurrentUser u;
    const qint32 flags = r.i32le();
    u.userId = r.i64le();
    u.isBot = flags & 1;
    u.isPremium = flags & 4;
    if (flags & 2) {
        const qint32 n = r.i32le();
        if (n < 0 || n > 64 || !r.ok()) {
            if (corrupt)
                *corrupt = true;
            return std::nullopt;
        }
        for (qint32 i = 0; i < n && r.ok(); ++i)
            u.usernames << r.tlString();
    }
    if (!r.ok()) {
        if (corrupt)
            *corrupt = true;
        return std::nullopt;
    }
    return u;
}

QByteArray serializeCurrentUser(const CurrentUser &u)
{
    ByteWriter w;
    w.i32le(1);
    const qint32 flags = (u.isBot ? 1 : 0) | (u.usernames.isEmpty() ? 0 : 2) | (u.isPremium ? 4 : 0);
    w.i32le(flags);
    w.i64le(u.userId);
    if (!u.usernames.isEmpty()) {
        w.i32le(static_cast<qint32>(u.usernames.size()));
        for (const QString &name : u.usernames)
            w.tlString(name);
    }
    return w.data();
}

std::optional<qint64> parseFastHash(const QString &text)
{
    const int bar = text.indexOf(QLatin1Char('|'));
    if (bar <= 0 || bar != text.lastIndexOf(QLatin1Char('|')))
        return std::nullopt;
    bool okLow = false, okHigh = false;
    const qint64 low = text.left(bar).trimmed().toLongLong(&okLow);
    const qint64 high = text.mid(bar + 1).trimmed().toLongLong(&okHigh);
    if (!okLow || !okHigh || low < INT32_MIN || low > UINT32_MAX || high < INT32_MIN || high > INT32_MAX)
        return std::nullopt;
    const quint64 v = (static_cast<quint64>(static_cast<quint32>(high)) << 32) | static_cast<quint32>(low);
    return static_cast<qint64>(v);
}

QString toFastHash(qint64 value)
{
    const auto u = static_cast<quint64>(value);
    const auto low = static_cast<qint32>(static_cast<quint32>(u & 0xffffffffu));
    const auto high = static_cast<qint32>(static_cast<quint32>(u >> 32));
    return QStringLiteral("%1|%2").arg(low).arg(high);
}

QByteArray int32Le(qint32 v)
{
    ByteWriter w;
    w.i32le(v);
    return w.data();
}

std::optional<qint64> parseInt32Le(const QByteArray &v, bool isUnsigned)
{
    if (v.size() != 4)
        return std::nullopt;
    ByteReader r(v);
    const quint32 u = r.u32le();
    return isUnsigned ? static_cast<qint64>(u) : static_cast<qint64>(static_cast<qint32>(u));
}

CompleteInfo parseComplete(const QByteArray &blob, qint64 bareId, PeerKind kind)
{
    CompleteInfo info;
    if (blob.size() < 4 || blob.size() > kMaxCompleteBlob)
        return info;
    ByteReader r(blob);
    const quint32 ctor = r.u32le();
    if (kind == PeerKind::Channel && (ctor == kCtorCommunity || ctor == kCtorCommunityForbidden)) {
        info.channelKind = QStringLiteral("community");
        info.type = PeerType::Channel;
        return info;
    }
    if (blob.size() < 12)
        return info;
    switch (kind) {
    case PeerKind::User: {
        if (ctor == kCtorUserEmpty)
            return info;
        // user: flags, flags2, id, access_hash?(0), first_name?(1), last_name?(2)
        const quint32 flags = r.u32le();
        r.u32le();
        if (r.i64le() != bareId || !r.ok())
            return info;
        if (flags & 1)
            r.i64le();
        QString first, last;
        if (flags & 2)
            first = r.tlString();
        if (flags & 4)
            last = r.tlString();
        if (!r.ok())
            return info;
        info.name = cleanName(first + QLatin1Char(' ') + last);
        info.type = (flags & (1u << 14)) ? PeerType::Bot : PeerType::User;
        return info;
    }
    case PeerKind::Chat: {
        if (ctor == kCtorChatEmpty)
            return info;
        if (ctor != kCtorChatForbidden)
            r.u32le(); // chat flags
        if (ctor != kCtorChat && ctor != kCtorChatForbidden)
            return info;
        if (r.i64le() != bareId || !r.ok())
            return info;
        const QString title = r.tlString();
        if (r.ok()) {
            info.name = cleanName(title);
            info.type = PeerType::Chat;
        }
        return info;
    }
    case PeerKind::Channel: {
        const quint32 flags = r.u32le();
        if (ctor != kCtorChannelForbidden)
            r.u32le(); // flags2
        if (r.i64le() != bareId || !r.ok())
            return info;
        if (ctor == kCtorChannelForbidden || (flags & (1u << 13)))
            r.i64le();
        const QString title = r.tlString();
        if (!r.ok())
            return info;
        info.name = cleanName(title);
        if (flags & (1u << 26))
            info.channelKind = QStringLiteral("gigagroup");
        else if (flags & (1u << 8))
            info.channelKind = QStringLiteral("megagroup");
        else if (flags & (1u << 5))
            info.channelKind = QStringLiteral("broadcast");
        info.type = (flags & ((1u << 8) | (1u << 26))) ? PeerType::Supergroup : PeerType::Channel;
        return info;
    }
    }
    return info;
}

} // namespace sd::mtcute
