// Bad input for every format: truncated, bit-flipped, emptied, zero-filled, oversized and deeply
// nested variants of every fixture. Reading must return a result or one clear error (exit 3, or 4
// for a passcode), never crash or hang, and never change the input.
#include "format/registry.h"
#include "testutil.h"
#include "tools/sqlitebuild.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

struct Variant {
    QString name;
    QByteArray bytes;
};

QList<Variant> mutations(const QByteArray &orig, quint32 seed)
{
    QList<Variant> v;
    QRandomGenerator rng(seed);
    v << Variant{QStringLiteral("empty"), {}};
    for (qsizetype cut : {qsizetype(1), qsizetype(17), qsizetype(100), orig.size() / 2, orig.size() - 1})
        if (cut > 0 && cut < orig.size())
            v << Variant{QStringLiteral("truncated-%1").arg(cut), orig.left(cut)};
    for (int i = 0; i < 8 && !orig.isEmpty(); ++i) {
        QByteArray b = orig;
        const qsizetype pos = i < 4 ? rng.bounded(static_cast<quint32>(std::min<qsizetype>(b.size(), 128)))
                                    : rng.bounded(static_cast<quint32>(b.size()));
        b[pos] = static_cast<char>(b[pos] ^ (1 << rng.bounded(8)));
        v << Variant{QStringLiteral("bitflip-%1").arg(pos), b};
    }
    v << Variant{QStringLiteral("zeroes"), QByteArray(orig.size(), '\0')};
    v << Variant{QStringLiteral("doubled"), orig + orig};
    return v;
}

void writeBytes(const QString &path, const QByteArray &b)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(b);
}

// Reads source through detection (and, when given, a forced format). Returns "" on success or
// the error, checking the error's shape.
QString readShouldNotCrash(const Source &src, const Format *forced = nullptr)
{
    const Registry &reg = Registry::instance();
    const Format *f = forced;
    if (!f) {
        auto d = reg.detect(src);
        if (!d) {
            [&] { QVERIFY2(d.error().kind == ErrorKind::BadInput, qPrintable(d.error().message)); }();
            return d.error().message;
        }
        f = *d;
    }
    ReadOptions ro;
    ro.passcode = SecretBytes("wrong", 5);
    auto store = f->read(src, ro);
    if (store)
        return {};
    const Error &e = store.error();
    [&] {
        QVERIFY2(e.kind == ErrorKind::BadInput || e.kind == ErrorKind::Secret, qPrintable(e.message));
        QVERIFY2(!e.message.trimmed().isEmpty(), "empty error message");
        QVERIFY2(!e.message.contains(QLatin1Char('\n')), qPrintable(e.message));
    }();
    return e.message;
}

QStringList fixtureFiles()
{
    QStringList out;
    QDirIterator it(dataPath(QString()), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        if (p.endsWith(QLatin1String(".md")) || p.endsWith(QLatin1String(".jsonl")) || p.contains(QLatin1String("/tdata/"))
            || p.contains(QLatin1String("/gramjs/store")) || p.endsWith(QLatin1String("passcode.txt")))
            continue;
        out << p;
    }
    out.sort();
    return out;
}

} // namespace

class TestBadInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mutatedFiles()
    {
        QTemporaryDir dir;
        int variants = 0, errors = 0;
        quint32 seed = 1;
        for (const QString &fixture : fixtureFiles()) {
            const QByteArray orig = readAll(fixture);
            for (const Variant &v : mutations(orig, seed++)) {
                const QString path = dir.filePath(QStringLiteral("input"));
                QFile::remove(path);
                writeBytes(path, v.bytes);
                const QByteArray before = fileSha256(path);
                const QString err = readShouldNotCrash(Source::fromPath(path));
                if (QTest::currentTestFailed()) {
                    qWarning("failed on %s / %s", qPrintable(fixture), qPrintable(v.name));
                    return;
                }
                QCOMPARE(fileSha256(path), before);
                ++variants;
                errors += err.isEmpty() ? 0 : 1;
            }
        }
        qInfo("%d file variants, %d rejected with a clear error", variants, errors);
        QVERIFY(variants > 50);
        QVERIFY(errors > variants / 3);
    }

    void mutatedStrings()
    {
        QFile f(dataPath(QStringLiteral("strings/cases.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int variants = 0;
        quint32 seed = 100;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            const QJsonObject strings = QJsonDocument::fromJson(line).object().value(QStringLiteral("strings")).toObject();
            for (auto it = strings.begin(); it != strings.end(); ++it) {
                const QByteArray s = it.value().toString().toLatin1();
                QList<Variant> vs = mutations(s, seed++);
                vs << Variant{QStringLiteral("bad-char"), s.left(s.size() / 2) + '*' + s.mid(s.size() / 2)};
                vs << Variant{QStringLiteral("version"), QByteArray(1, s[0] == 'A' ? 'B' : 'A') + s.mid(1)};
                for (const Variant &v : vs) {
                    if (v.bytes.trimmed().isEmpty())
                        continue;
                    readShouldNotCrash(Source::fromString(v.bytes));
                    if (QTest::currentTestFailed()) {
                        qWarning("failed on %s / %s", qPrintable(it.key()), qPrintable(v.name));
                        return;
                    }
                    // Forced through every string format too: each decoder must cope with any string.
                    for (const auto &fmt : Registry::instance().formats())
                        if (fmt->sourceKind() == SourceKind::String)
                            readShouldNotCrash(Source::fromString(v.bytes), fmt.get());
                    ++variants;
                }
            }
        }
        qInfo("%d string variants", variants);
        QVERIFY(variants > 100);
    }

    void mutatedFolders()
    {
        for (const QString &fixture : {QStringLiteral("tdata/plain"), QStringLiteral("tdata/passcode"), QStringLiteral("gramjs/store")}) {
            QStringList files;
            QDirIterator it(dataPath(fixture), QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                files << QDir(dataPath(fixture)).relativeFilePath(it.next());
            for (const QString &victim : files) {
                const QByteArray orig = readAll(dataPath(fixture + QLatin1Char('/') + victim));
                for (const Variant &v : mutations(orig, qHash(victim))) {
                    QTemporaryDir dir;
                    const QString copy = copyTo(dataPath(fixture), dir.path());
                    writeBytes(copy + QLatin1Char('/') + victim, v.bytes);
                    const QByteArray before = treeSha256(copy);
                    readShouldNotCrash(Source::fromPath(copy));
                    if (QTest::currentTestFailed()) {
                        qWarning("failed on %s/%s / %s", qPrintable(fixture), qPrintable(victim), qPrintable(v.name));
                        return;
                    }
                    QCOMPARE(treeSha256(copy), before);
                }
            }
        }
    }

    void oversizedAndNested()
    {
        QTemporaryDir dir;
        const QString big = dir.filePath(QStringLiteral("big.session"));
        QByteArray random(8 * 1024 * 1024, '\0');
        QRandomGenerator rng(42);
        rng.fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
        writeBytes(big, random);
        QCOMPARE(runCli({QStringLiteral("inspect"), big}).exitCode, 3);

        const CliRun huge = runCli({QStringLiteral("inspect"), QStringLiteral("-")}, QByteArray(2 * 1024 * 1024, 'A'));
        QCOMPARE(huge.exitCode, 3);
        QCOMPARE(huge.err.trimmed().count('\n'), 0);

        const QString nested = dir.filePath(QStringLiteral("nested.json"));
        writeBytes(nested, "{\"sessiondesk\": 1, \"accounts\": " + QByteArray(200000, '[') + QByteArray(200000, ']') + "}");
        const CliRun n = runCli({QStringLiteral("inspect"), nested});
        QCOMPARE(n.exitCode, 3);
        const QString nestedGotd = dir.filePath(QStringLiteral("session.json"));
        writeBytes(nestedGotd, "{\"Version\": 1, \"Data\": " + QByteArray(200000, '[') + "}");
        QCOMPARE(runCli({QStringLiteral("inspect"), nestedGotd}).exitCode, 3);
    }

    void cliErrorsAreOneLineNamingTheFile()
    {
        QTemporaryDir dir;
        int checked = 0;
        for (const QString &fixture : fixtureFiles()) {
            const QByteArray orig = readAll(fixture);
            const QString path = dir.filePath(QFileInfo(fixture).fileName());
            writeBytes(path, orig.left(orig.size() / 3));
            const CliRun r = runCli({QStringLiteral("inspect"), path, QStringLiteral("--json")}, {}, 20000);
            QVERIFY2(r.exitCode == 3 || r.exitCode == 0, qPrintable(fixture + QStringLiteral(": exit ") + QString::number(r.exitCode) + QString::fromUtf8(r.err)));
            if (r.exitCode == 3) {
                QVERIFY(r.out.isEmpty());
                QCOMPARE(r.err.trimmed().count('\n'), 0);
                QVERIFY2(r.err.startsWith(("sessiondesk-cli: " + path + ": ").toUtf8()), r.err.constData());
            }
            ++checked;
        }
        QVERIFY(checked >= 2);
    }

    // SQLite stores SessionDesk does not read are refused with a message saying what they look like
    // (core/format/registry.cpp, docs/formats.md 7.1): mtgo-labs/contrib's store resembles
    // mtcute's (auth_keys, key_value) and must not be read as mtcute; any other schema is named by
    // its tables.
    void unknownSqliteStoresAreNamed()
    {
        QTemporaryDir dir;
        const QString contrib = dir.filePath(QStringLiteral("contrib.db"));
        {
            SqlFile f(contrib);
            QVERIFY(f.ok());
            SQL_OK(f.script({QStringLiteral("CREATE TABLE auth_keys (dc INTEGER PRIMARY KEY, key BLOB NOT NULL)"),
                             QStringLiteral("CREATE TABLE key_value (key TEXT PRIMARY KEY, value BLOB NOT NULL)"),
                             QStringLiteral("CREATE TABLE peers (id INTEGER PRIMARY KEY, hash TEXT, is_min INTEGER, usernames TEXT, "
                                            "updated INTEGER, phone TEXT, complete BLOB NOT NULL)"),
                             QStringLiteral("CREATE TABLE peer_usernames (username TEXT PRIMARY KEY, peer_id INTEGER)"),
                             QStringLiteral("CREATE TABLE message_refs (peer_id INTEGER, msg_id INTEGER, ref BLOB)"),
                             QStringLiteral("CREATE TABLE mtgo_migrations (version INTEGER PRIMARY KEY)"),
                             QStringLiteral("INSERT INTO auth_keys VALUES (2, zeroblob(256))")}));
        }
        const QByteArray before = fileSha256(contrib);
        for (const QStringList &forced : {QStringList{}, QStringList{QStringLiteral("--format"), QStringLiteral("mtcute-sqlite")}}) {
            const CliRun r = runCli(QStringList{QStringLiteral("inspect"), contrib} + forced);
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(r.err.contains("mtgo-labs/contrib"), r.err.constData());
            QCOMPARE(r.err.trimmed().count('\n'), 0);
        }
        QCOMPARE(fileSha256(contrib), before);

        const QString other = dir.filePath(QStringLiteral("other.db"));
        {
            SqlFile f(other);
            QVERIFY(f.ok());
            SQL_OK(f.script({QStringLiteral("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"),
                             QStringLiteral("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")}));
        }
        const CliRun r = runCli({QStringLiteral("inspect"), other});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("unknown schema"), r.err.constData());
        QVERIFY2(r.err.contains("customers") && r.err.contains("invoices"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
