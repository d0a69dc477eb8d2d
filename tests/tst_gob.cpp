// The bounded Go encoding/gob codec (core/formats/gogram/gob.h). Vectors are written out byte by
// byte from the wire format of Go's src/encoding/gob/doc.go (docs/formats.md 5.3): unsigned ints below
// 128 in one byte, otherwise the negated byte count then big-endian bytes; signed ints shifted left
// with the complement flag in bit 0; structs as (field delta, value) pairs ending in 00; messages
// as uint(length) int(typeId) payload; type definitions with a negative id.
#include "formats/gogram/gob.h"
#include "gogramtestutil.h"
#include "testutil.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace sd;
using namespace sdtest;
using gogramtest::cacheStream;

namespace {

// type Node struct { Kids []Node }: 65 = struct Node {Kids: 66}, 66 = slice of 65.
QByteArray nestedStream(int depth)
{
    QByteArray out;
    // -65: wireType{StructT: structType{CommonType{"Node", 65}, Field: [{"Kids", 66}]}}
    QByteArray t65 = hexToBytes(QStringLiteral("ff81030101044e6f646501ff82000101010" "4" "4b69647301ff84000000"));
    gob::putUint(out, static_cast<quint64>(t65.size()));
    out += t65;
    // -66: wireType{SliceT: sliceType{CommonType{"[]Node", 66}, Elem: 65}}
    QByteArray t66 = hexToBytes(QStringLiteral("ff83020101065b5d4e6f646501ff840001ff820000"));
    gob::putUint(out, static_cast<quint64>(t66.size()));
    out += t66;
    // Value: depth nested structs, each with one Kids element.
    QByteArray v = hexToBytes(QStringLiteral("ff82"));
    for (int i = 0; i < depth; ++i)
        v += QByteArray::fromHex("0101"); // field delta 1 (Kids), slice count 1
    v += QByteArray(depth + 1, '\0');     // innermost struct end, then one end per level
    gob::putUint(out, static_cast<quint64>(v.size()));
    out += v;
    return out;
}
} // namespace

class TestGob : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void primitiveEncodings()
    {
        auto u = [](quint64 v) { QByteArray b; gob::putUint(b, v); return b.toHex(); };
        auto i = [](qint64 v) { QByteArray b; gob::putInt(b, v); return b.toHex(); };
        QCOMPARE(u(0), QByteArray("00"));
        QCOMPARE(u(7), QByteArray("07"));
        QCOMPARE(u(127), QByteArray("7f"));
        QCOMPARE(u(128), QByteArray("ff80"));
        QCOMPARE(u(256), QByteArray("fe0100"));
        QCOMPARE(u(0xffffffffffffffffULL), QByteArray("f8ffffffffffffffff"));
        QCOMPARE(i(22), QByteArray("2c"));
        QCOMPARE(i(-1), QByteArray("01"));
        QCOMPARE(i(-129), QByteArray("fe0101")); // doc.go: -129=^128=(^256>>1) encodes as (FE 01 01)
        QCOMPARE(i(65), QByteArray("ff82"));
        QCOMPARE(i(-65), QByteArray("ff81"));
        QCOMPARE(i(std::numeric_limits<qint64>::min()), QByteArray("f8ffffffffffffffff"));
    }

    void decodesDocExample()
    {
        // doc.go's worked example: type Point struct { X, Y int }, value Point{22, 33}.
        const QByteArray stream = hexToBytes(QStringLiteral(
            "1fff810301010550" "6f696e7401ff820001020101580104000101590104000000" "07ff82012c014200"));
        auto s = gob::decode(stream);
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
        const gob::WireType *t = s->type(65);
        QVERIFY(t);
        QCOMPARE(t->kind, gob::WireKind::Struct);
        QCOMPARE(t->name, QStringLiteral("Point"));
        QCOMPARE(t->fields.size(), size_t(2));
        QCOMPARE(t->fields[0].name, QStringLiteral("X"));
        QCOMPARE(t->fields[0].typeId, int(gob::TInt));
        QCOMPARE(s->values.size(), size_t(1));
        const gob::Value &v = s->values[0].value;
        QVERIFY(v.field(QStringLiteral("X")));
        QCOMPARE(v.field(QStringLiteral("X"))->i, qint64(22));
        QCOMPARE(v.field(QStringLiteral("Y"))->i, qint64(33));

        // The encoder writes the same bytes for the same type and value.
        gob::Encoder enc;
        gob::WireType p;
        p.kind = gob::WireKind::Struct;
        p.name = QStringLiteral("Point");
        p.fields = {{QStringLiteral("X"), gob::TInt}, {QStringLiteral("Y"), gob::TInt}};
        QCOMPARE(enc.define(p), 65);
        QVERIFY(enc.encode(65, v).ok());
        QCOMPARE(enc.data().toHex(), stream.toHex());
    }

    void decodesSingletonTopLevelValue()
    {
        // A non-struct value is sent as a singleton: type id, field delta 0, value. int 7: 03 04 00 0e.
        auto s = gob::decode(QByteArray::fromHex("0304000e"));
        QVERIFY(s.ok());
        QCOMPARE(s->values.size(), size_t(1));
        QCOMPARE(s->values[0].typeId, int(gob::TInt));
        QCOMPARE(s->values[0].value.i, qint64(7));
        // "hi" as string (type 6 = 0c): 05 0c 00 02 68 69
        auto t = gob::decode(QByteArray::fromHex("050c00026869"));
        QVERIFY(t.ok());
        QCOMPARE(t->values[0].value.bytes, QByteArray("hi"));
        // A non-zero singleton delta is corrupt.
        QVERIFY(!gob::decode(QByteArray::fromHex("0304010e")).ok());
    }

    void decodesGogramCacheStream()
    {
        auto s = gob::decode(cacheStream());
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
        QCOMPARE(s->types.size(), 3);
        QCOMPARE(s->type(66)->kind, gob::WireKind::Map);
        QCOMPARE(s->type(66)->name, QStringLiteral("map[int64]int64"));
        QCOMPARE(s->type(67)->key, int(gob::TString));
        const gob::Value &v = s->values.at(0).value;
        const gob::Value *users = v.field(QStringLiteral("InputUsers"));
        QVERIFY(users);
        QCOMPARE(users->entries.size(), size_t(2));
        QCOMPARE(users->entries[0].key.i, qint64(1001));
        QCOMPARE(users->entries[0].value.i, qint64(-42));
        QCOMPARE(users->entries[1].value.i, std::numeric_limits<qint64>::max());
        QCOMPARE(v.field(QStringLiteral("OwnerID"))->i, qint64(123456789));
        QCOMPARE(v.field(QStringLiteral("UsernameMap"))->entries[2].key.bytes, QByteArray("news"));

        // Detection reads the head of a file: a cut first message is an error, a cut later one is not.
        QVERIFY(!gob::peekTypes(cacheStream().left(40)).ok());
        auto head = gob::peekTypes(cacheStream().left(0x5d + 5));
        QVERIFY(head.ok());
        QCOMPARE(head->value(65).name, QStringLiteral("InputPeerCache"));
    }

    void roundTripsEveryKind()
    {
        gob::Encoder enc;
        gob::WireType inner;
        inner.kind = gob::WireKind::Struct;
        inner.name = QStringLiteral("Inner");
        inner.fields = {{QStringLiteral("Flag"), gob::TBool}, {QStringLiteral("Ratio"), gob::TFloat}};
        const int innerId = enc.define(inner);
        gob::WireType list;
        list.kind = gob::WireKind::Slice;
        list.name = QStringLiteral("[]Inner");
        list.elem = innerId;
        const int listId = enc.define(list);
        gob::WireType arr;
        arr.kind = gob::WireKind::Array;
        arr.name = QStringLiteral("[3]uint");
        arr.elem = gob::TUint;
        arr.len = 3;
        const int arrId = enc.define(arr);
        gob::WireType m;
        m.kind = gob::WireKind::Map;
        m.name = QStringLiteral("map[string][]uint8");
        m.key = gob::TString;
        m.elem = gob::TBytes;
        const int mapId = enc.define(m);
        gob::WireType outer;
        outer.kind = gob::WireKind::Struct;
        outer.name = QStringLiteral("Outer");
        outer.fields = {{QStringLiteral("Name"), gob::TString}, {QStringLiteral("Big"), gob::TInt},
                        {QStringLiteral("List"), listId}, {QStringLiteral("Arr"), arrId},
                        {QStringLiteral("Blobs"), mapId}, {QStringLiteral("Neg"), gob::TInt}};
        const int outerId = enc.define(outer);

        gob::Value in1;
        in1.kind = gob::Kind::Struct;
        in1.fields.push_back(gob::Field{QStringLiteral("Flag"), gob::Value::ofBool(true)});
        gob::Value ratio;
        ratio.kind = gob::Kind::Float;
        ratio.f = 17.0;
        in1.fields.push_back(gob::Field{QStringLiteral("Ratio"), ratio});
        gob::Value in2;
        in2.kind = gob::Kind::Struct; // all fields zero: sent as an empty struct (00)
        gob::Value lst;
        lst.kind = gob::Kind::Slice;
        lst.items = {in1, in2};
        gob::Value a;
        a.kind = gob::Kind::Slice;
        a.items = {gob::Value::ofUint(0), gob::Value::ofUint(300), gob::Value::ofUint(0xffffffffffffffffULL)};
        gob::Value blobs;
        blobs.kind = gob::Kind::Map;
        gob::Value blob;
        blob.kind = gob::Kind::Bytes;
        blob.bytes = QByteArray("\x00\x01\xff", 3);
        blobs.entries.push_back(gob::Entry{gob::Value::ofString(QStringLiteral("k\u00e9y")), blob});
        gob::Value v;
        v.kind = gob::Kind::Struct;
        v.fields.push_back(gob::Field{QStringLiteral("Name"), gob::Value::ofString(QStringLiteral("n"))});
        v.fields.push_back(gob::Field{QStringLiteral("Big"), gob::Value::ofInt(std::numeric_limits<qint64>::min())});
        v.fields.push_back(gob::Field{QStringLiteral("List"), lst});
        v.fields.push_back(gob::Field{QStringLiteral("Arr"), a});
        v.fields.push_back(gob::Field{QStringLiteral("Blobs"), blobs});
        v.fields.push_back(gob::Field{QStringLiteral("Neg"), gob::Value::ofInt(-129)});
        QVERIFY(enc.encode(outerId, v).ok());
        QVERIFY(enc.encode(gob::TString, gob::Value::ofString(QStringLiteral("second"))).ok());

        // 17.0 as a float is FE 31 40 (doc.go).
        QVERIFY(enc.data().contains(QByteArray::fromHex("fe3140")));
        auto s = gob::decode(enc.data());
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
        QCOMPARE(s->values.size(), size_t(2));
        QVERIFY(s->values[0].value == v);
        QCOMPARE(s->values[1].value.bytes, QByteArray("second"));
        QCOMPARE(s->type(arrId)->len, qint64(3));
        // A value that does not match its type is refused by the encoder.
        gob::Encoder bad;
        QVERIFY(!bad.encode(gob::TInt, gob::Value::ofString(QStringLiteral("x"))).ok());
    }

    void rejectsTruncatedInput()
    {
        const QByteArray full = cacheStream();
        // Message boundaries: a prefix ending exactly on one is a shorter valid stream.
        QList<int> boundaries;
        for (int pos = 0; pos < full.size();) {
            pos += 1 + static_cast<quint8>(full[pos]);
            boundaries << pos;
        }
        for (int n = 0; n < full.size(); ++n) {
            auto s = gob::decode(full.left(n));
            if (boundaries.contains(n))
                QVERIFY(s.ok());
            else
                QVERIFY2(!s.ok(), qPrintable(QStringLiteral("prefix of %1 bytes decoded").arg(n)));
        }
    }

    void rejectsCorruptInput()
    {
        // Message longer than the data, undefined type, 9-byte integer, interface value, huge count.
        QVERIFY(!gob::decode(QByteArray::fromHex("20ff82")).ok());
        QVERIFY(!gob::decode(QByteArray::fromHex("03ff8200")).ok());
        QVERIFY(!gob::decode(QByteArray::fromHex("0bf701020304050607080900")).ok());
        QVERIFY(!gob::decode(QByteArray::fromHex("051000017800")).ok());
        // map[int]int (66) claiming 2^32 entries in 10 bytes: refused without allocating.
        QByteArray s;
        gob::Encoder enc;
        gob::WireType m;
        m.kind = gob::WireKind::Map;
        m.id = 66;
        m.key = gob::TInt;
        m.elem = gob::TInt;
        enc.define(m);
        s = enc.data();
        QByteArray v = QByteArray::fromHex("ff8400") + QByteArray::fromHex("fb0100000000") + QByteArray(4, '\x02');
        gob::putUint(s, static_cast<quint64>(v.size()));
        s += v;
        auto r = gob::decode(s);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("count")));
        // Duplicate and reserved type ids.
        QByteArray dup = enc.data() + enc.data();
        QVERIFY(!gob::decode(dup).ok());
        QVERIFY(!gob::decode(QByteArray::fromHex("05130401010000")).ok());
        // Trailing bytes inside a message.
        QVERIFY(!gob::decode(QByteArray::fromHex("0404000e00")).ok());
    }

    void rejectsDeepNesting()
    {
        auto ok = gob::decode(nestedStream(10));
        QVERIFY2(ok.ok(), ok.ok() ? "" : qPrintable(ok.error().message));
        const gob::Value *level = &ok->values[0].value;
        int depth = 0;
        while (const gob::Value *kids = level->field(QStringLiteral("Kids"))) {
            level = &kids->items.at(0);
            ++depth;
        }
        QCOMPARE(depth, 10);
        auto deep = gob::decode(nestedStream(5000));
        QVERIFY(!deep.ok());
        QVERIFY(deep.error().message.contains(QStringLiteral("nesting")));
        gob::Limits strict;
        strict.maxDepth = 4;
        QVERIFY(!gob::decode(nestedStream(10), strict).ok());
    }

    void survivesRandomMutations()
    {
        const QByteArray base = cacheStream();
        QRandomGenerator rng(12345);
        int decoded = 0;
        for (int i = 0; i < 5000; ++i) {
            QByteArray m = base;
            const int flips = 1 + static_cast<int>(rng.bounded(4));
            for (int f = 0; f < flips; ++f)
                m[static_cast<int>(rng.bounded(m.size()))] = static_cast<char>(rng.bounded(256));
            if (rng.bounded(4) == 0)
                m.truncate(static_cast<int>(rng.bounded(m.size())));
            auto s = gob::decode(m);
            if (s.ok())
                ++decoded;
            (void)gob::peekTypes(m);
        }
        QVERIFY(decoded < 5000); // most mutations are caught; none crashes or hangs
    }
};

QTEST_GUILESS_MAIN(TestGob)
#include "tst_gob.moc"
