// Go encoding/gob: the encoder side (see gob.h).
#include "gob.h"

#include <algorithm>
#include <cstring>

namespace sd::gob {

namespace {
quint64 wireFloat(double d)
{
    quint64 bits;
    std::memcpy(&bits, &d, sizeof bits);
    quint64 r = 0;
    for (int i = 0; i < 8; ++i) {
        r = (r << 8) | (bits & 0xff);
        bits >>= 8;
    }
    return r;
}
} // namespace


void putUint(QByteArray &out, quint64 v)
{
    if (v < 0x80) {
        out.append(static_cast<char>(v));
        return;
    }
    char buf[8];
    int n = 0;
    while (v) {
        buf[7 - n] = static_cast<char>(v & 0xff);
        v >>= 8;
        ++n;
    }
    out.append(static_cast<char>(256 - n));
    out.append(buf + 8 - n, n);
}

void putInt(QByteArray &out, qint64 v)
{
    const quint64 u = v < 0 ? ((~static_cast<quint64>(v)) << 1) | 1 : static_cast<quint64>(v) << 1;
    putUint(out, u);
}

void putString(QByteArray &out, const QByteArray &s)
{
    putUint(out, static_cast<quint64>(s.size()));
    out.append(s);
}

namespace {
void putCommon(QByteArray &out, const WireType &t)
{
    putUint(out, 1); // CommonType is field 0
    quint64 last = 0;
    if (!t.name.isEmpty()) {
        putUint(out, 1);
        putString(out, t.name.toUtf8());
        last = 1;
    }
    putUint(out, 2 - last);
    putInt(out, t.id);
    putUint(out, 0);
}

void putMessage(QByteArray &out, const QByteArray &body)
{
    putUint(out, static_cast<quint64>(body.size()));
    out.append(body);
}

bool isZeroScalar(const Value &v)
{
    switch (v.kind) {
    case Kind::Bool:
        return !v.b;
    case Kind::Int:
        return v.i == 0;
    case Kind::Uint:
        return v.u == 0;
    case Kind::Float:
        return v.f == 0;
    case Kind::Complex:
        return v.f == 0 && v.f2 == 0;
    case Kind::Bytes:
    case Kind::String:
        return v.bytes.isEmpty();
    case Kind::Nil:
        return true;
    case Kind::Slice:
        return v.items.empty(); // Go omits empty slices
    case Kind::Struct:
    case Kind::Map:      // non-nil maps are sent even when empty
    case Kind::Opaque:
        return false;
    }
    return false;
}
} // namespace

int Encoder::define(WireType t)
{
    if (t.id == 0)
        t.id = m_next;
    m_next = std::max(m_next, t.id + 1);
    QByteArray body;
    putInt(body, -static_cast<qint64>(t.id));
    switch (t.kind) {
    case WireKind::Array:
        putUint(body, 1);
        putCommon(body, t);
        putUint(body, 1);
        putInt(body, t.elem);
        if (t.len) {
            putUint(body, 1);
            putInt(body, t.len);
        }
        putUint(body, 0);
        break;
    case WireKind::Slice:
        putUint(body, 2);
        putCommon(body, t);
        putUint(body, 1);
        putInt(body, t.elem);
        putUint(body, 0);
        break;
    case WireKind::Struct:
        putUint(body, 3);
        putCommon(body, t);
        if (!t.fields.empty()) {
            putUint(body, 1);
            putUint(body, t.fields.size());
            for (const WireField &f : t.fields) {
                quint64 last = 0;
                if (!f.name.isEmpty()) {
                    putUint(body, 1);
                    putString(body, f.name.toUtf8());
                    last = 1;
                }
                putUint(body, 2 - last);
                putInt(body, f.typeId);
                putUint(body, 0);
            }
        }
        putUint(body, 0);
        break;
    case WireKind::Map:
        putUint(body, 4);
        putCommon(body, t);
        putUint(body, 1);
        putInt(body, t.key);
        putUint(body, 1);
        putInt(body, t.elem);
        putUint(body, 0);
        break;
    case WireKind::Opaque:
        putUint(body, 5);
        putCommon(body, t);
        putUint(body, 0);
        break;
    }
    putUint(body, 0); // end of wireType
    putMessage(m_out, body);
    const int id = t.id;
    m_types.insert(id, std::move(t));
    return id;
}

Status Encoder::encodeValue(QByteArray &out, int typeId, const Value &v, int depth) const
{
    if (depth > 64)
        return Error::badInput(QStringLiteral("gob: value nested too deeply"));
    auto mismatch = [typeId]() { return Error::badInput(QStringLiteral("gob: value does not match type %1").arg(typeId)); };
    switch (typeId) {
    case TBool:
        if (v.kind != Kind::Bool)
            return mismatch();
        putUint(out, v.b ? 1 : 0);
        return {};
    case TInt:
        if (v.kind != Kind::Int)
            return mismatch();
        putInt(out, v.i);
        return {};
    case TUint:
        if (v.kind != Kind::Uint)
            return mismatch();
        putUint(out, v.u);
        return {};
    case TFloat:
        if (v.kind != Kind::Float)
            return mismatch();
        putUint(out, wireFloat(v.f));
        return {};
    case TComplex:
        if (v.kind != Kind::Complex)
            return mismatch();
        putUint(out, wireFloat(v.f));
        putUint(out, wireFloat(v.f2));
        return {};
    case TBytes:
    case TString:
        if (v.kind != (typeId == TBytes ? Kind::Bytes : Kind::String))
            return mismatch();
        putString(out, v.bytes);
        return {};
    case TInterface:
        if (v.kind != Kind::Nil)
            return Error::badInput(QStringLiteral("gob: interface values are not supported"));
        putString(out, {});
        return {};
    default:
        break;
    }
    auto it = m_types.constFind(typeId);
    if (it == m_types.constEnd())
        return Error::badInput(QStringLiteral("gob: type %1 is not defined").arg(typeId));
    const WireType &t = *it;
    switch (t.kind) {
    case WireKind::Struct: {
        if (v.kind != Kind::Struct)
            return mismatch();
        qint64 last = -1;
        for (size_t i = 0; i < t.fields.size(); ++i) {
            const Value *fv = v.field(t.fields[i].name);
            if (!fv || isZeroScalar(*fv))
                continue;
            putUint(out, static_cast<quint64>(static_cast<qint64>(i) - last));
            last = static_cast<qint64>(i);
            if (auto st = encodeValue(out, t.fields[i].typeId, *fv, depth + 1); !st)
                return st;
        }
        putUint(out, 0);
        return {};
    }
    case WireKind::Map:
        if (v.kind != Kind::Map)
            return mismatch();
        putUint(out, v.entries.size());
        for (const Entry &e : v.entries) {
            if (auto st = encodeValue(out, t.key, e.key, depth + 1); !st)
                return st;
            if (auto st = encodeValue(out, t.elem, e.value, depth + 1); !st)
                return st;
        }
        return {};
    case WireKind::Slice:
    case WireKind::Array:
        if (v.kind != Kind::Slice || (t.kind == WireKind::Array && static_cast<qint64>(v.items.size()) != t.len))
            return mismatch();
        putUint(out, v.items.size());
        for (const Value &e : v.items)
            if (auto st = encodeValue(out, t.elem, e, depth + 1); !st)
                return st;
        return {};
    case WireKind::Opaque:
        if (v.kind != Kind::Opaque)
            return mismatch();
        putString(out, v.bytes);
        return {};
    }
    return mismatch();
}

Status Encoder::encode(int typeId, const Value &value)
{
    QByteArray body;
    putInt(body, typeId);
    const bool isStruct = m_types.contains(typeId) && m_types.value(typeId).kind == WireKind::Struct;
    if (!isStruct)
        putUint(body, 0);
    if (auto st = encodeValue(body, typeId, value, 0); !st)
        return st;
    putMessage(m_out, body);
    return {};
}

} // namespace sd::gob
