// ferogram binary session (docs/formats.md 8.1) and compact string payload (8.3).
#include "ferogram-codec.h"
#include "ferogram-extras.h"

#include "domain/dcaddress.h"
#include "util/hostport.h"
#include "util/bytes.h"
#include "util/ipaddress.h"

#include <QVariantList>

namespace sd::ferogram {

namespace {


constexpr int kFlagIpv6 = 1;
constexpr int kFlagMedia = 2;
constexpr int kNoKind = 0xFF;

Error bad(const QString &why) { return Error::badInput(QStringLiteral("ferogram session: %1").arg(why)); }

// Fills address/port/ipv6 from "ip:port" (or keeps unparseable text as the address, port 0).
void setAddress(DcAuth &d, const QString &text)
{
    if (auto hp = parseHostPort(text)) {
        d.address = hp->host;
        d.port = hp->port;
        d.ipv6 = hp->ipv6;
    } else {
        d.address = text;
        d.port = 0;
    }
}

bool readDc(ByteReader &r, int version, DcAuth &d, QString &why)
{
    d.dcId = r.i32le();
    const quint8 hasKey = r.u8();
    if (!r.ok())
        return false;
    if (hasKey > 1) {
        why = QStringLiteral("has_key byte is %1 (0 or 1 expected)").arg(hasKey);
        return false;
    }
    if (hasKey) {
        QByteArray key = r.bytes(256);
        if (!r.ok())
            return false;
        d.authKey = SecretBytes::fromByteArray(key);
        wipe(key);
    }
    d.salt = r.i64le();
    const qint32 offset = r.i32le();
    const quint8 addrLen = r.u8();
    const QByteArray addr = r.bytes(addrLen);
    if (!r.ok())
        return false;
    for (char c : addr) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e) {
            why = QStringLiteral("DC %1 address is not printable text").arg(d.dcId);
            return false;
        }
    }
    setAddress(d, QString::fromLatin1(addr));
    if (offset != 0)
        d.extra.insert(kTimeOffset, offset);
    if (version >= 3) {
        const quint8 flags = r.u8();
        if (!r.ok())
            return false;
        d.ipv6 = (flags & kFlagIpv6) != 0;
        d.mediaOnly = (flags & kFlagMedia) != 0;
        // Only the bits the domain has no field for, as the SQLite reader keeps them
        // (ferogram-extras.h): a v1/v2 file and its v8 copy then read back alike.
        if (const int beyond = flags & ~(kFlagIpv6 | kFlagMedia))
            d.extra.insert(kFlags, beyond);
    }
    return true;
}

} // namespace

Result<Decoded> decodeBinary(const QByteArray &data, bool loadPeers)
{
    if (data.isEmpty())
        return bad(QStringLiteral("empty"));
    if (data.size() > kMaxBinary)
        return bad(QStringLiteral("larger than %1 bytes").arg(kMaxBinary));
    ByteReader r(data);
    Decoded out;
    const auto first = static_cast<quint8>(data[0]);
    out.version = (first >= 2 && first <= 8) ? first : 1;
    if (out.version >= 2)
        r.u8();
    const int v = out.version;
    Session &s = out.session;
    s.dcId = r.i32le();
    const int dcCount = r.u8();
    for (int i = 0; i < dcCount; ++i) {
        DcAuth d;
        QString why;
        if (!readDc(r, v, d, why))
            return bad(why.isEmpty() ? QStringLiteral("truncated in the DC table") : why);
        s.dcs.push_back(std::move(d));
    }
    if (!r.ok())
        return bad(QStringLiteral("truncated in the header"));
    if (v >= 2) {
        UpdateState u;
        u.pts = r.i32le();
        u.qts = r.i32le();
        u.date = r.i32le();
        u.seq = r.i32le();
        const int channels = r.u16le();
        if (!r.ok() || static_cast<qint64>(channels) * 12 > r.remaining())
            return bad(QStringLiteral("truncated in the update state"));
        for (int i = 0; i < channels; ++i) {
            const qint64 id = r.i64le();
            u.channelPts.insert(id, r.i32le());
        }
        // Zeros everywhere is what ferogram keeps before it has any state, and what every file
        // before v2 implies; the SQLite backend stores no row for it. All three read it as no
        // update state, so a session reads back the same through any of them.
        if (u.pts.value_or(0) || u.qts.value_or(0) || u.date.value_or(0) || u.seq.value_or(0) || !u.channelPts.isEmpty())
            s.updateState = u;
        const int peers = r.u16le();
        const int peerSize = 17 + (v >= 6 ? 1 : 0) + (v >= 8 ? 1 : 0);
        if (!r.ok() || static_cast<qint64>(peers) * peerSize > r.remaining())
            return bad(QStringLiteral("truncated in the peer table"));
        PeerCounts counts;
        for (int i = 0; i < peers; ++i) {
            Peer p;
            p.id = r.i64le();
            const qint64 hash = r.i64le();
            const quint8 type = r.u8();
            int kind = kNoKind;
            if (v >= 6)
                kind = r.u8();
            const quint8 community = v >= 8 ? r.u8() : 0;
            if (type > (v >= 5 ? 2 : 1))
                return bad(QStringLiteral("peer type %1 is not valid in version %2").arg(type).arg(v));
            if (kind != kNoKind && kind > 2)
                return bad(QStringLiteral("channel kind %1 is not valid").arg(kind));
            if (community > 1)
                return bad(QStringLiteral("is_community byte is %1").arg(community));
            if (type == 0) {
                p.type = PeerType::User;
                p.accessHash = hash;
            } else if (type == 1) {
                p.type = (kind == 1 || kind == 2) ? PeerType::Supergroup : PeerType::Channel;
                p.accessHash = hash;
                // An unknown kind (255, or a version before 6 that has no byte) is no key, as in
                // the SQLite reader: the same peer reads back the same through either.
                if (kind != kNoKind)
                    p.extra.insert(kChannelKind, kind);
            } else {
                p.type = PeerType::Chat; // access_hash is ignored for basic groups
            }
            if (community)
                p.extra.insert(kCommunity, true);
            if (loadPeers)
                s.peers.push_back(std::move(p));
            else
                counts.add(p.kind());
        }
        if (!loadPeers)
            s.peerCountsOnly = counts;
    }
    if (v >= 4) {
        const int mins = r.u16le();
        if (!r.ok() || static_cast<qint64>(mins) * 20 > r.remaining())
            return bad(QStringLiteral("truncated in the min-peer table"));
        QVariantList list;
        for (int i = 0; i < mins; ++i) {
            const qint64 user = r.i64le();
            const qint64 peer = r.i64le();
            const qint32 msg = r.i32le();
            list << QVariant(QVariantList{QVariant::fromValue(user), QVariant::fromValue(peer), QVariant(msg)});
        }
        if (!list.isEmpty())
            s.extra.insert(kMinPeers, list);
    }
    if (v >= 7) {
        const quint8 has = r.u8();
        if (has > 1)
            return bad(QStringLiteral("future_auth_token flag is %1").arg(has));
        if (has) {
            const int len = r.u16le();
            const QByteArray token = r.bytes(len);
            if (r.ok())
                s.extra.insert(kToken, token);
        }
    }
    if (!r.ok())
        return bad(QStringLiteral("truncated (version %1)").arg(v));
    if (!r.atEnd())
        return bad(QStringLiteral("%1 unexpected bytes after the end (version %2)").arg(r.remaining()).arg(v));
    return out;
}

bool plausibleBinaryPrefix(const QByteArray &head)
{
    if (head.isEmpty())
        return false;
    ByteReader r(head);
    const auto first = static_cast<quint8>(head[0]);
    const int v = (first >= 2 && first <= 8) ? first : 1;
    if (v >= 2)
        r.u8();
    const qint32 home = r.i32le();
    const int dcCount = r.u8();
    if (!r.ok() || home <= 0 || home > 10000 || dcCount == 0)
        return false;
    for (int i = 0; i < dcCount; ++i) {
        DcAuth d;
        QString why;
        if (!readDc(r, v, d, why) || d.dcId <= 0 || d.dcId > 10000 || (!d.address.isEmpty() && d.port == 0))
            return false;
    }
    return r.ok();
}

Result<QByteArray> encodeBinary(const Session &s)
{
    ByteWriter w;
    w.u8(kCurrentBinaryVersion);
    const DcAuth *primary = s.primary();
    w.i32le(s.dcId > 0 ? s.dcId : (primary ? primary->dcId : 0));
    std::vector<const DcAuth *> dcs;
    for (const DcAuth &d : s.dcs)
        if (!d.isTemp)
            dcs.push_back(&d);
    if (dcs.size() > 255)
        return Error::output(QStringLiteral("ferogram binary holds at most 255 DC entries (%1 given)").arg(dcs.size()));
    w.u8(static_cast<quint8>(dcs.size()));
    for (const DcAuth *d : dcs) {
        w.i32le(d->dcId);
        if (d->authKey.isEmpty()) {
            w.u8(0);
        } else {
            if (d->authKey.size() != 256)
                return Error::badInput(QStringLiteral("auth key of DC %1 is %2 bytes, 256 expected").arg(d->dcId).arg(d->authKey.size()));
            w.u8(1);
            w.bytes(d->authKey.data(), 256);
        }
        w.i64le(d->salt.value_or(0));
        w.i32le(d->extra.value(kTimeOffset).toInt());
        const HostPort hp = dcEndpoint(s, d);
        const QByteArray addr = hp.host.isEmpty() ? QByteArray()
            : hp.port > 0                          ? formatHostPort(hp.host, hp.port).toLatin1()
                                                   : hp.host.toLatin1();
        if (addr.size() > 255)
            return Error::badInput(QStringLiteral("DC %1 address is longer than 255 bytes").arg(d->dcId));
        w.u8(static_cast<quint8>(addr.size()));
        w.bytes(addr);
        int flags = d->extra.value(kFlags).toInt() & ~(kFlagIpv6 | kFlagMedia);
        if (hp.ipv6)
            flags |= kFlagIpv6;
        if (d->mediaOnly)
            flags |= kFlagMedia;
        w.u8(static_cast<quint8>(flags));
    }
    const UpdateState u = s.updateState.value_or(UpdateState{});
    w.i32le(static_cast<qint32>(u.pts.value_or(0)));
    w.i32le(static_cast<qint32>(u.qts.value_or(0)));
    w.i32le(static_cast<qint32>(u.date.value_or(0)));
    w.i32le(static_cast<qint32>(u.seq.value_or(0)));
    if (u.channelPts.size() > 65535)
        return Error::output(QStringLiteral("ferogram binary holds at most 65535 channel pts entries"));
    w.u16le(static_cast<quint16>(u.channelPts.size()));
    for (auto it = u.channelPts.constBegin(); it != u.channelPts.constEnd(); ++it) {
        w.i64le(it.key());
        w.i32le(static_cast<qint32>(it.value()));
    }
    if (s.peers.size() > 65535)
        return Error::output(QStringLiteral("ferogram binary holds at most 65535 peers (%1 given)").arg(s.peers.size()));
    w.u16le(static_cast<quint16>(s.peers.size()));
    for (const Peer &p : s.peers) {
        w.i64le(p.id);
        const PeerKind k = p.kind();
        w.i64le(k == PeerKind::Chat ? 0 : p.accessHash.value_or(0));
        w.u8(k == PeerKind::User ? 0 : k == PeerKind::Channel ? 1 : 2);
        int kind = kNoKind;
        if (k == PeerKind::Channel) {
            const bool super = p.type == PeerType::Supergroup;
            const QVariant kept = p.extra.value(kChannelKind);
            const int kv = kept.isValid() ? kept.toInt() : -1;
            if (super)
                kind = (kv == 1 || kv == 2) ? kv : 1;
            else
                kind = (kv == 0 || kv == kNoKind) ? kv : kNoKind;
        }
        w.u8(static_cast<quint8>(kind));
        w.u8(p.extra.value(kCommunity).toBool() ? 1 : 0);
    }
    const QVariantList mins = s.extra.value(kMinPeers).toList();
    if (mins.size() > 65535)
        return Error::output(QStringLiteral("too many min peers"));
    w.u16le(static_cast<quint16>(mins.size()));
    for (const QVariant &m : mins) {
        const QVariantList e = m.toList();
        if (e.size() != 3)
            return Error::badInput(QStringLiteral("malformed ferogram_min_peers entry"));
        w.i64le(e[0].toLongLong());
        w.i64le(e[1].toLongLong());
        w.i32le(e[2].toInt());
    }
    const QVariant token = s.extra.value(kToken);
    if (token.isValid() && token.toByteArray().size() <= 65535) {
        const QByteArray t = token.toByteArray();
        w.u8(1);
        w.u16le(static_cast<quint16>(t.size()));
        w.bytes(t);
    } else {
        w.u8(0);
    }
    return w.data();
}

Result<Decoded> decodeCompact(const QByteArray &b)
{
    ByteReader r(b);
    Decoded out;
    out.version = r.u8();
    if (out.version != 1 && out.version != 2)
        return bad(QStringLiteral("compact string version %1 (1 or 2 expected)").arg(out.version));
    Session &s = out.session;
    s.dcId = r.u8();
    const int ipType = r.u8();
    if (!r.ok() || (ipType != 4 && ipType != 6))
        return bad(QStringLiteral("compact string: ip_type %1 (4 or 6 expected)").arg(ipType));
    const qsizetype expected = 1 + 1 + 1 + (ipType == 4 ? 4 : 16) + 2 + 8 + (out.version == 1 ? 16 : 0) + 256;
    if (b.size() != expected)
        return bad(QStringLiteral("compact string V%1 payload is %2 bytes, %3 expected").arg(out.version).arg(b.size()).arg(expected));
    if (s.dcId <= 0)
        return bad(QStringLiteral("compact string: DC id 0"));
    DcAuth d;
    d.dcId = s.dcId;
    d.ipv6 = ipType == 6;
    d.address = ipBytesToText(r.bytes(ipType == 4 ? 4 : 16));
    d.port = r.u16be();
    const qint64 user = r.i64be();
    if (user != 0)
        s.userId = user;
    if (out.version == 1) {
        d.salt = r.i64be();
        s.extra.insert(kSeqNo, QVariant::fromValue<quint32>(r.u32be()));
        s.extra.insert(kLayer, QVariant::fromValue<quint32>(r.u32be()));
    }
    QByteArray key = r.bytes(256);
    if (!r.ok() || !r.atEnd())
        return bad(QStringLiteral("compact string truncated"));
    d.authKey = SecretBytes::fromByteArray(key);
    wipe(key);
    s.dcs.push_back(std::move(d));
    return out;
}

Result<QByteArray> encodeCompact(const Session &s, int version)
{
    const DcAuth *p = s.primary();
    if (!p || p->authKey.isEmpty())
        return Error::badInput(QStringLiteral("the session has no auth key for its home DC (use the native variant)"));
    if (p->authKey.size() != 256)
        return Error::badInput(QStringLiteral("auth key is %1 bytes, 256 expected").arg(p->authKey.size()));
    const int dc = s.dcId > 0 ? s.dcId : p->dcId;
    if (dc <= 0 || dc > 255)
        return Error::badInput(QStringLiteral("DC id %1 does not fit the compact string").arg(dc));
    HostPort hp = dcEndpoint(s, p);
    auto ip = ipTextToBytes(hp.host);
    if (!ip) {
        // A host name (GramJS web DCs): the compact string holds only IPs; use the DC's default.
        const auto def = defaultDcAddress(dc, s.testMode.value_or(false), p->ipv6, p->mediaOnly);
        if (!def)
            return Error::badInput(QStringLiteral("no IP address known for DC %1").arg(dc));
        hp.host = def->address;
        hp.port = def->port;
        ip = ipTextToBytes(hp.host);
        if (!ip)
            return Error::badInput(QStringLiteral("no IP address known for DC %1").arg(dc));
    }
    ByteWriter w;
    w.u8(static_cast<quint8>(version));
    w.u8(static_cast<quint8>(dc));
    w.u8(ip->size() == 4 ? 4 : 6);
    w.bytes(*ip);
    w.u16be(static_cast<quint16>(hp.port > 0 ? hp.port : 443));
    w.i64be(s.userId.value_or(0));
    if (version == 1) {
        w.i64be(p->salt.value_or(0));
        w.u32be(s.extra.value(kSeqNo).toUInt());
        w.u32be(s.extra.value(kLayer).toUInt());
    }
    w.bytes(p->authKey.data(), 256);
    return w.data();
}

} // namespace sd::ferogram
