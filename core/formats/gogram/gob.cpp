// Go encoding/gob: the bounded decoder (see gob.h; the encoder is in gob-encode.cpp).
#include "gob.h"

#include <algorithm>
#include <cstring>

namespace sd::gob {

namespace {

QString tooBig(const char *what) { return QStringLiteral("gob: %1").arg(QString::fromLatin1(what)); }

quint64 reverseBytes(quint64 v)
{
    quint64 r = 0;
    for (int i = 0; i < 8; ++i) {
        r = (r << 8) | (v & 0xff);
        v >>= 8;
    }
    return r;
}

double floatFromWire(quint64 u)
{
    const quint64 bits = reverseBytes(u);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

quint64 floatToWire(double d)
{
    quint64 bits;
    std::memcpy(&bits, &d, sizeof bits);
    return reverseBytes(bits);
}

bool isPredefined(int id) { return id >= TBool && id <= TInterface; }

// Decoding state for one stream. Every read is checked against the end of the current message.
class Decoder {
public:
    Decoder(const QByteArray &data, const Limits &limits) : m_d(data), m_limits(limits) {}

    QString error;
    QMap<int, WireType> types;

    bool fail(const QString &why)
    {
        if (error.isEmpty())
            error = why;
        return false;
    }
    qsizetype pos() const { return m_pos; }
    qsizetype remaining() const { return m_end - m_pos; }
    void setEnd(qsizetype e) { m_end = e; }
    qsizetype end() const { return m_end; }

    bool getUint(quint64 &v)
    {
        if (m_pos >= m_end)
            return fail(QStringLiteral("gob: unexpected end of data"));
        const quint8 b = static_cast<quint8>(m_d[m_pos++]);
        if (b < 0x80) {
            v = b;
            return true;
        }
        const int n = 256 - b;
        if (n > 8)
            return fail(QStringLiteral("gob: encoded unsigned integer out of range"));
        if (remaining() < n)
            return fail(QStringLiteral("gob: unexpected end of data"));
        v = 0;
        for (int i = 0; i < n; ++i)
            v = (v << 8) | static_cast<quint8>(m_d[m_pos++]);
        return true;
    }
    bool getInt(qint64 &v)
    {
        quint64 u;
        if (!getUint(u))
            return false;
        v = (u & 1) ? static_cast<qint64>(~(u >> 1)) : static_cast<qint64>(u >> 1);
        return true;
    }
    bool getTypeId(int &id)
    {
        qint64 v;
        if (!getInt(v))
            return false;
        if (v < -(1LL << 30) || v > (1LL << 30))
            return fail(QStringLiteral("gob: type id out of range"));
        id = static_cast<int>(v);
        return true;
    }
    bool getBytes(QByteArray &out)
    {
        quint64 n;
        if (!getUint(n))
            return false;
        if (n > static_cast<quint64>(remaining()))
            return fail(QStringLiteral("gob: string or byte slice longer than the data"));
        out = m_d.mid(m_pos, static_cast<qsizetype>(n));
        m_pos += static_cast<qsizetype>(n);
        return true;
    }
    bool getCount(quint64 &n, int bytesPerElement)
    {
        if (!getUint(n))
            return false;
        if (n > static_cast<quint64>(remaining()) / static_cast<quint64>(bytesPerElement))
            return fail(QStringLiteral("gob: element count larger than the data"));
        m_elements += static_cast<qint64>(n);
        if (m_elements > m_limits.maxElements)
            return fail(tooBig("too many elements"));
        return true;
    }

    // Go's struct encoding: each field is preceded by the delta from the previous field number, and
    // a delta of 0 ends the struct. onField(number) reads that field and returns false on error.
    template<typename OnField>
    bool eachField(OnField &&onField)
    {
        qint64 field = -1;
        for (;;) {
            quint64 delta;
            if (!getUint(delta))
                return false;
            if (delta == 0)
                return true;
            if (delta > (1u << 20))
                return fail(QStringLiteral("gob: field number out of range"));
            field += static_cast<qint64>(delta);
            if (!onField(field))
                return false;
        }
    }

    // ---- type definitions (wireType and the types inside it) ----
    bool commonType(WireType &t)
    {
        return eachField([&](qint64 field) {
            if (field == 0) {
                QByteArray name;
                if (!getBytes(name))
                    return false;
                t.name = QString::fromUtf8(name);
            } else if (field == 1) {
                int id;
                if (!getTypeId(id))
                    return false;
            } else {
                return fail(QStringLiteral("gob: corrupt CommonType"));
            }
            return true;
        });
    }
    bool fieldList(WireType &t)
    {
        quint64 n;
        if (!getCount(n, 1))
            return false;
        for (quint64 i = 0; i < n; ++i) {
            WireField f;
            const bool ok = eachField([&](qint64 field) {
                if (field == 0) {
                    QByteArray name;
                    if (!getBytes(name))
                        return false;
                    f.name = QString::fromUtf8(name);
                } else if (field == 1) {
                    if (!getTypeId(f.typeId))
                        return false;
                } else {
                    return fail(QStringLiteral("gob: corrupt fieldType"));
                }
                return true;
            });
            if (!ok)
                return false;
            if (f.typeId <= 0)
                return fail(QStringLiteral("gob: struct field '%1' has no type").arg(f.name));
            t.fields.push_back(std::move(f));
        }
        return true;
    }
    // arrayType/sliceType/structType/mapType/gobEncoderType: CommonType is field 0 of each.
    bool kindType(WireType &t)
    {
        return eachField([&](qint64 field) {
            if (field == 0)
                return commonType(t);
            bool ok = false;
            switch (t.kind) {
            case WireKind::Array:
                if (field == 1)
                    ok = getTypeId(t.elem);
                else if (field == 2)
                    ok = getInt(t.len) && (t.len >= 0 || fail(QStringLiteral("gob: negative array length")));
                else
                    return fail(QStringLiteral("gob: corrupt arrayType"));
                break;
            case WireKind::Slice:
                if (field != 1)
                    return fail(QStringLiteral("gob: corrupt sliceType"));
                ok = getTypeId(t.elem);
                break;
            case WireKind::Struct:
                if (field != 1)
                    return fail(QStringLiteral("gob: corrupt structType"));
                ok = fieldList(t);
                break;
            case WireKind::Map:
                if (field == 1)
                    ok = getTypeId(t.key);
                else if (field == 2)
                    ok = getTypeId(t.elem);
                else
                    return fail(QStringLiteral("gob: corrupt mapType"));
                break;
            case WireKind::Opaque:
                return fail(QStringLiteral("gob: corrupt marshaler type"));
            }
            return ok;
        });
    }
    bool wireType(WireType &t)
    {
        bool got = false;
        const bool ok = eachField([&](qint64 field) {
            if (got)
                return fail(QStringLiteral("gob: type definition with two kinds"));
            static const WireKind kinds[] = {WireKind::Array, WireKind::Slice, WireKind::Struct, WireKind::Map,
                                             WireKind::Opaque, WireKind::Opaque, WireKind::Opaque};
            if (field < 0 || field > 6)
                return fail(QStringLiteral("gob: unknown type kind in a type definition"));
            t.kind = kinds[field];
            if (!kindType(t))
                return false;
            got = true;
            return true;
        });
        if (!ok)
            return false;
        if (!got)
            return fail(QStringLiteral("gob: empty type definition"));
        return true;
    }

    // ---- values ----
    bool value(int typeId, Value &v, int depth)
    {
        if (depth > m_limits.maxDepth)
            return fail(QStringLiteral("gob: nesting deeper than %1 levels").arg(m_limits.maxDepth));
        switch (typeId) {
        case TBool: {
            quint64 u;
            if (!getUint(u))
                return false;
            if (u > 1)
                return fail(QStringLiteral("gob: invalid bool"));
            v.kind = Kind::Bool;
            v.b = u == 1;
            return true;
        }
        case TInt:
            v.kind = Kind::Int;
            return getInt(v.i);
        case TUint:
            v.kind = Kind::Uint;
            return getUint(v.u);
        case TFloat: {
            quint64 u;
            if (!getUint(u))
                return false;
            v.kind = Kind::Float;
            v.f = floatFromWire(u);
            return true;
        }
        case TComplex: {
            quint64 a, b;
            if (!getUint(a) || !getUint(b))
                return false;
            v.kind = Kind::Complex;
            v.f = floatFromWire(a);
            v.f2 = floatFromWire(b);
            return true;
        }
        case TBytes:
            v.kind = Kind::Bytes;
            return getBytes(v.bytes);
        case TString:
            v.kind = Kind::String;
            return getBytes(v.bytes);
        case TInterface: {
            QByteArray name;
            if (!getBytes(name))
                return false;
            if (!name.isEmpty())
                return fail(QStringLiteral("gob: interface values are not supported"));
            v.kind = Kind::Nil;
            return true;
        }
        default:
            break;
        }
        auto it = types.constFind(typeId);
        if (it == types.constEnd())
            return fail(QStringLiteral("gob: value of undefined type id %1").arg(typeId));
        const WireType &t = *it;
        switch (t.kind) {
        case WireKind::Struct:
            return structValue(t, v, depth);
        case WireKind::Map: {
            quint64 n;
            if (!getCount(n, 2))
                return false;
            v.kind = Kind::Map;
            v.entries.reserve(static_cast<size_t>(std::min<quint64>(n, 4096)));
            for (quint64 i = 0; i < n; ++i) {
                Value k, e;
                if (!value(t.key, k, depth + 1) || !value(t.elem, e, depth + 1))
                    return false;
                v.entries.push_back(Entry{std::move(k), std::move(e)});
            }
            return true;
        }
        case WireKind::Slice:
        case WireKind::Array: {
            quint64 n;
            if (!getCount(n, 1))
                return false;
            if (t.kind == WireKind::Array && static_cast<qint64>(n) != t.len)
                return fail(QStringLiteral("gob: array length does not match its type"));
            v.kind = Kind::Slice;
            v.items.reserve(static_cast<size_t>(std::min<quint64>(n, 4096)));
            for (quint64 i = 0; i < n; ++i) {
                Value e;
                if (!value(t.elem, e, depth + 1))
                    return false;
                v.items.push_back(std::move(e));
            }
            return true;
        }
        case WireKind::Opaque:
            v.kind = Kind::Opaque;
            return getBytes(v.bytes);
        }
        return fail(QStringLiteral("gob: unknown type"));
    }
    bool structValue(const WireType &t, Value &v, int depth)
    {
        v.kind = Kind::Struct;
        return eachField([&](qint64 field) {
            if (field >= static_cast<qint64>(t.fields.size()))
                return fail(QStringLiteral("gob: field number out of range in struct %1").arg(t.name));
            if (++m_elements > m_limits.maxElements)
                return fail(tooBig("too many elements"));
            const WireField &wf = t.fields[static_cast<size_t>(field)];
            Value fv;
            if (!value(wf.typeId, fv, depth + 1))
                return false;
            v.fields.push_back(Field{wf.name, std::move(fv)});
            return true;
        });
    }

    // One message: uint(length) then int(typeId) then the payload. Returns false at error;
    // sets *isType and *typeId. The caller restores the end afterwards.
    bool messageHeader(qsizetype &msgEnd)
    {
        quint64 len;
        if (!getUint(len))
            return false;
        if (len == 0)
            return fail(QStringLiteral("gob: empty message"));
        if (len > static_cast<quint64>(remaining()))
            return fail(QStringLiteral("gob: message longer than the data (truncated?)"));
        msgEnd = m_pos + static_cast<qsizetype>(len);
        return true;
    }
    bool defineType(int negId)
    {
        const int id = -negId;
        if (id < FirstUserId)
            return fail(QStringLiteral("gob: type definition uses reserved id %1").arg(id));
        if (types.contains(id))
            return fail(QStringLiteral("gob: duplicate type id %1").arg(id));
        if (types.size() >= m_limits.maxTypes)
            return fail(tooBig("too many type definitions"));
        WireType t;
        if (!wireType(t))
            return false;
        t.id = id;
        types.insert(id, std::move(t));
        return true;
    }

private:
    const QByteArray &m_d;
    const Limits &m_limits;
    qsizetype m_pos = 0;
    qsizetype m_end = m_d.size();
    qint64 m_elements = 0;
};

} // namespace

const Value *Value::field(const QString &name) const
{
    for (const Field &f : fields)
        if (f.name == name)
            return &f.value;
    return nullptr;
}

bool Value::operator==(const Value &o) const
{
    if (kind != o.kind)
        return false;
    switch (kind) {
    case Kind::Bool:
        return b == o.b;
    case Kind::Int:
        return i == o.i;
    case Kind::Uint:
        return u == o.u;
    case Kind::Float:
        return floatToWire(f) == floatToWire(o.f);
    case Kind::Complex:
        return floatToWire(f) == floatToWire(o.f) && floatToWire(f2) == floatToWire(o.f2);
    case Kind::Bytes:
    case Kind::String:
    case Kind::Opaque:
        return bytes == o.bytes;
    case Kind::Nil:
        return true;
    case Kind::Struct:
        return fields == o.fields;
    case Kind::Map:
        return entries == o.entries;
    case Kind::Slice:
        return items == o.items;
    }
    return false;
}

Value Value::ofInt(qint64 v)
{
    Value r;
    r.kind = Kind::Int;
    r.i = v;
    return r;
}

Value Value::ofUint(quint64 v)
{
    Value r;
    r.kind = Kind::Uint;
    r.u = v;
    return r;
}

Value Value::ofString(const QString &s)
{
    Value r;
    r.kind = Kind::String;
    r.bytes = s.toUtf8();
    return r;
}

Value Value::ofBool(bool v)
{
    Value r;
    r.kind = Kind::Bool;
    r.b = v;
    return r;
}

const WireType *Stream::type(int id) const
{
    auto it = types.constFind(id);
    return it == types.constEnd() ? nullptr : &*it;
}

Result<Stream> decode(const QByteArray &data, const Limits &limits)
{
    if (data.size() > limits.maxBytes)
        return Error::badInput(QStringLiteral("gob: stream larger than %1 bytes").arg(limits.maxBytes));
    if (data.isEmpty())
        return Error::badInput(QStringLiteral("gob: empty stream"));
    Decoder d(data, limits);
    Stream s;
    const qsizetype total = data.size();
    while (d.pos() < total) {
        d.setEnd(total);
        qsizetype msgEnd = 0;
        if (!d.messageHeader(msgEnd))
            return Error::badInput(d.error);
        d.setEnd(msgEnd);
        int typeId = 0;
        if (!d.getTypeId(typeId))
            return Error::badInput(d.error);
        if (typeId < 0) {
            if (!d.defineType(typeId))
                return Error::badInput(d.error);
        } else {
            if (typeId == 0)
                return Error::badInput(QStringLiteral("gob: value with type id 0"));
            if (static_cast<int>(s.values.size()) >= limits.maxValues)
                return Error::badInput(QStringLiteral("gob: too many values"));
            TopValue tv;
            tv.typeId = typeId;
            if (!isPredefined(typeId) && !d.types.contains(typeId))
                return Error::badInput(QStringLiteral("gob: value of undefined type id %1").arg(typeId));
            const bool isStruct = !isPredefined(typeId) && d.types.value(typeId).kind == WireKind::Struct;
            if (!isStruct) {
                quint64 delta;
                if (!d.getUint(delta))
                    return Error::badInput(d.error);
                if (delta != 0)
                    return Error::badInput(QStringLiteral("gob: corrupted data: non-zero delta for a singleton"));
            }
            if (!d.value(typeId, tv.value, 0))
                return Error::badInput(d.error);
            s.values.push_back(std::move(tv));
        }
        if (d.pos() != msgEnd)
            return Error::badInput(QStringLiteral("gob: %1 unread bytes at the end of a message").arg(msgEnd - d.pos()));
    }
    s.types = d.types;
    return s;
}

Result<QMap<int, WireType>> peekTypes(const QByteArray &head, const Limits &limits)
{
    Decoder d(head, limits);
    const qsizetype total = head.size();
    while (d.pos() < total) {
        d.setEnd(total);
        qsizetype msgEnd = 0;
        if (!d.messageHeader(msgEnd)) {
            if (d.types.isEmpty())
                return Error::badInput(d.error);
            break; // the head was cut inside a later message
        }
        d.setEnd(msgEnd);
        int typeId = 0;
        if (!d.getTypeId(typeId))
            return Error::badInput(d.error);
        if (typeId >= 0)
            break;
        if (!d.defineType(typeId))
            return Error::badInput(d.error);
        if (d.pos() != msgEnd)
            return Error::badInput(QStringLiteral("gob: unread bytes at the end of a type definition"));
    }
    if (d.types.isEmpty())
        return Error::badInput(QStringLiteral("gob: no type definitions"));
    return d.types;
}

} // namespace sd::gob
