#pragma once
// A small, bounded Go encoding/gob decoder and encoder (wire format of Go's src/encoding/gob/doc.go,
// summarised in docs/formats.md 5.3). It supports the kinds gogram's peer cache needs and a little more:
// bool, int, uint, float, []byte, string, structs, maps, slices, arrays and opaque GobEncoder /
// BinaryMarshaler / TextMarshaler payloads. Interface values other than nil are rejected.
//
// Decoding is a pure function from bytes to a Result: every count is checked against the bytes that
// remain, nesting is limited, and a malformed stream gives Error::badInput with a one-line reason.
#include "util/result.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace sd::gob {

// Predefined type ids (doc.go).
enum : int {
    TBool = 1,
    TInt = 2,
    TUint = 3,
    TFloat = 4,
    TBytes = 5,
    TString = 6,
    TComplex = 7,
    TInterface = 8,
    FirstUserId = 65,
};

enum class WireKind { Struct, Map, Slice, Array, Opaque };

struct WireField {
    QString name;
    int typeId = 0;
};

// One user-defined type, as a wireType message describes it.
struct WireType {
    WireKind kind = WireKind::Struct;
    QString name;
    int id = 0;
    std::vector<WireField> fields; // Struct
    int key = 0;                   // Map
    int elem = 0;                  // Map, Slice, Array
    qint64 len = 0;                // Array
};

enum class Kind { Bool, Int, Uint, Float, Bytes, String, Complex, Nil, Struct, Map, Slice, Opaque };

struct Field;
struct Entry;

struct Value {
    Kind kind = Kind::Nil;
    bool b = false;
    qint64 i = 0;
    quint64 u = 0;
    double f = 0, f2 = 0;                               // Float; Complex (f = real, f2 = imaginary)
    QByteArray bytes;                                   // Bytes, String (UTF-8), Opaque payload
    std::vector<Field> fields;                          // Struct: the fields present, in wire order
    std::vector<Entry> entries;                         // Map: key/value pairs, in wire order
    std::vector<Value> items;                           // Slice, Array

    const Value *field(const QString &name) const;
    bool operator==(const Value &o) const;
    bool operator!=(const Value &o) const { return !(*this == o); }

    static Value ofInt(qint64 v);
    static Value ofUint(quint64 v);
    static Value ofString(const QString &s);
    static Value ofBool(bool v);
};

// Named types, not std::pair: a pair of an incomplete type inside Value is rejected by clang.
struct Field {
    QString name;
    Value value;
    bool operator==(const Field &o) const { return name == o.name && value == o.value; }
};

struct Entry {
    Value key;
    Value value;
    bool operator==(const Entry &o) const { return key == o.key && value == o.value; }
};

struct Limits {
    int maxDepth = 32;             // nesting of structs/maps/slices inside one value
    qint64 maxElements = 1000000;  // total map entries + slice items + struct fields in one stream
    int maxTypes = 4096;           // type definitions in one stream
    int maxValues = 1024;          // top-level values in one stream
    qint64 maxBytes = 256LL * 1024 * 1024;
};

struct TopValue {
    int typeId = 0;
    Value value;
};

struct Stream {
    QMap<int, WireType> types;     // every type defined in the stream, by id
    std::vector<TopValue> values;  // top-level values, in order
    const WireType *type(int id) const;
};

// Decodes a whole gob stream. Trailing garbage, a truncated message, an undefined type or too deep
// nesting is an error.
Result<Stream> decode(const QByteArray &data, const Limits &limits = {});

// Reads only the leading type definitions (stops at the first value message or at the end of the
// buffer). For detection from the head of a file: a truncated tail is not an error.
Result<QMap<int, WireType>> peekTypes(const QByteArray &head, const Limits &limits = {});

// Primitive encodings (exposed for tests and writers).
void putUint(QByteArray &out, quint64 v);
void putInt(QByteArray &out, qint64 v);
void putString(QByteArray &out, const QByteArray &s);

// Writes a stream the way Go's Encoder does: one message per type definition (negative id), then
// one message per value. Types must be defined before a value that uses them.
class Encoder {
public:
    // Assigns the next id (from 65) unless type.id is set, writes the definition, returns the id.
    int define(WireType type);
    // Encodes value as typeId. A non-struct top-level value gets the singleton field delta (0).
    Status encode(int typeId, const Value &value);
    const QByteArray &data() const { return m_out; }

private:
    Status encodeValue(QByteArray &out, int typeId, const Value &v, int depth) const;
    QMap<int, WireType> m_types;
    int m_next = FirstUserId;
    QByteArray m_out;
};

} // namespace sd::gob
