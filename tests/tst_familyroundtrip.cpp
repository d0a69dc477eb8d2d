// Round trips inside each format family (issue 15): a fixture made by the library goes through the
// family's other formats and back, through the same conversion path as `convert` (convertStore:
// staged, read back), and the result is compared field by field with the original (sessiondiff).
// What a hop cannot hold is left out of the comparison, and only that: a one-key string (ferogram's
// compact V2, gogram's 1BvE, Pyrogram's) holds no peer cache, update state, other DCs' keys or
// server salts, so binary -> string -> binary compares the login (the home DC's key, address and
// test flag, the user and account fields) and, within gogram, the format's extras. Every other
// chain is compared on every field sessiondiff knows, DC extras (ferogram's time offset and flags)
// included.
#include "convert/convert.h"
#include "format/registry.h"
#include "sessiondiff.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {


Result<Store> readPath(const Format &f, const QString &path) { return f.read(Source::fromPath(path), ReadOptions{}); }

// One hop through convertStore, the way the CLI converts; returns what the target reads back.
Result<Store> hop(const Store &in, const Format &target, const QString &dir, int step, QStringList *dropped,
                  const QString &variant = {})
{
    ConvertRequest req;
    req.carryPeers = true;
    req.write.variant = variant;
    if (target.sourceKind() == SourceKind::String) {
        auto r = convertStore(in, target, req, QString());
        if (!r)
            return r.error();
        *dropped << r->dropped;
        return target.read(Source::fromString(r->string), ReadOptions{});
    }
    const QString out = QDir(dir).filePath(QStringLiteral("hop%1-%2").arg(step).arg(target.id()));
    auto r = convertStore(in, target, req, out);
    if (!r)
        return r.error();
    *dropped << r->dropped;
    if (fileMode(out) != 0600 && QFileInfo(out).isFile())
        return Error::badInput(QStringLiteral("%1 was written with mode %2").arg(out).arg(fileMode(out), 0, 8));
    return readPath(target, out);
}

QString err(const Error &e) { return e.message; }

} // namespace

class TestFamilyRoundTrip : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrips_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("start");
        QTest::addColumn<QStringList>("chain");
        QTest::addColumn<bool>("peers");   // every hop carries the peer cache and update state
        QTest::addColumn<QString>("variant");
        const QStringList binSqlBin {QStringLiteral("ferogram-sqlite"), QStringLiteral("ferogram-binary")};
        const QStringList binStrBin {QStringLiteral("ferogram-string"), QStringLiteral("ferogram-binary")};
        // "id:variant" writes that hop in the variant: the native string carries the whole file.
        const QStringList binNativeBin {QStringLiteral("ferogram-string:native"), QStringLiteral("ferogram-binary")};
        for (int v = 1; v <= 8; ++v) {
            const QString file = QStringLiteral("ferogram/ferogram-binary-v%1.bin").arg(v);
            QTest::addRow("ferogram binary v%d -> sqlite -> binary", v) << file << QStringLiteral("ferogram-binary") << binSqlBin << true << QString();
            QTest::addRow("ferogram binary v%d -> string -> binary", v) << file << QStringLiteral("ferogram-binary") << binStrBin << false << QString();
            QTest::addRow("ferogram binary v%d -> native string -> binary", v)
                << file << QStringLiteral("ferogram-binary") << binNativeBin << true << QString();
        }
        QTest::newRow("ferogram sqlite -> native string -> sqlite")
            << QStringLiteral("ferogram-sqlite/basic.db") << QStringLiteral("ferogram-sqlite")
            << QStringList{QStringLiteral("ferogram-string:native"), QStringLiteral("ferogram-sqlite")} << true << QString();
        QTest::newRow("ferogram native string -> sqlite -> native string")
            << QStringLiteral("ferogram/ferogram-string-native.txt") << QStringLiteral("ferogram-string")
            << QStringList{QStringLiteral("ferogram-sqlite"), QStringLiteral("ferogram-string:native")} << true << QString();
        QTest::newRow("ferogram sqlite -> binary -> sqlite")
            << QStringLiteral("ferogram-sqlite/basic.db") << QStringLiteral("ferogram-sqlite")
            << QStringList{QStringLiteral("ferogram-binary"), QStringLiteral("ferogram-sqlite")} << true << QString();
        QTest::newRow("ferogram sqlite -> string -> binary -> sqlite")
            << QStringLiteral("ferogram-sqlite/basic.db") << QStringLiteral("ferogram-sqlite")
            << QStringList{QStringLiteral("ferogram-string"), QStringLiteral("ferogram-binary"), QStringLiteral("ferogram-sqlite")} << false << QString();
        QTest::newRow("ferogram native string -> binary -> string")
            << QStringLiteral("ferogram/ferogram-string-native.txt") << QStringLiteral("ferogram-string")
            << QStringList{QStringLiteral("ferogram-binary"), QStringLiteral("ferogram-string")} << false << QString();
        // (gogram-file-v2-custom.dat needs its custom key to be read at all: tst_gogramfile covers it.)
        for (const char *file : {"gogram-file-v2.dat", "gogram-file-v1.dat", "gogram-file-legacy.dat"})
            QTest::addRow("gogram %s -> string -> file", file)
                << QStringLiteral("gogram/") + QLatin1String(file) << QStringLiteral("gogram-file")
                << QStringList{QStringLiteral("gogram-string"), QStringLiteral("gogram-file")} << false << QString();
        QTest::newRow("gogram string -> file -> string")
            << QStringLiteral("gogram/gogram-string-json.txt") << QStringLiteral("gogram-string")
            << QStringList{QStringLiteral("gogram-file"), QStringLiteral("gogram-string")} << false << QString();
        // (pyrogram-v2.session carries no api_id, which a Pyrogram file of today needs: convert
        // refuses it without --api-id, as tst_pyrogramsqlite checks.)
        for (const char *file : {"pyrogram-v3-migrated.session", "kurigram-v7-migrated.session", "pyrofork-v4.session"})
            for (const char *variant : {"pyrogram", "kurigram", "pyrofork"})
                QTest::addRow("%s -> pyrogram-string -> %s", file, variant)
                    << QStringLiteral("pyrogram/") + QLatin1String(file) << QStringLiteral("pyrogram-sqlite")
                    << QStringList{QStringLiteral("pyrogram-string"), QStringLiteral("pyrogram-sqlite")} << false
                    << QString::fromLatin1(variant);
    }

    void roundTrips()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, start);
        QFETCH(QStringList, chain);
        QFETCH(bool, peers);
        QFETCH(QString, variant);
        const Format &first = sdtest::format(start);
        const QString path = dataPath(fixture);
        Result<Store> original = first.sourceKind() == SourceKind::String
            ? first.read(Source::fromString(normalizeSessionString(readAll(path))), ReadOptions{})
            : readPath(first, path);
        QVERIFY2(original, qPrintable(original ? QString() : err(original.error())));
        QVERIFY(!original->accounts.empty());
        QTemporaryDir dir;
        Store current = *original;
        QStringList dropped;
        int step = 0;
        for (const QString &entry : chain) {
            const QString id = entry.section(QLatin1Char(':'), 0, 0);
            const Format &target = sdtest::format(id);
            // The variant applies to the last hop (the Pyrogram family's file variants), or to the
            // hop that names one ("id:variant").
            ++step;
            const bool last = step == static_cast<int>(chain.size());
            const QString hopVariant = entry.contains(QLatin1Char(':')) ? entry.section(QLatin1Char(':'), 1) : last ? variant : QString();
            auto next = hop(current, target, dir.path(), step, &dropped, hopVariant);
            QVERIFY2(next, qPrintable(QStringLiteral("%1 -> %2: %3").arg(current.formatId, id, next ? QString() : err(next.error()))));
            current = std::move(*next);
        }
        QCOMPARE(current.accounts.size(), original->accounts.size());
        DiffOptions o;
        o.peers = peers;
        o.updateState = peers;
        o.conversations = peers;
        // Format-specific leftovers survive inside the family: ferogram's community flag, channel
        // kinds, per-DC time offsets and flags and the future auth token are kept under the same
        // keys by all three codecs (ferogram-extras.h); gogram's key hash travels in its string.
        // A chain through a ferogram compact string (peers == false) keeps the login only: the
        // home DC's key and address, the user; the other DCs' keys are named in `dropped`, the
        // file-only leftovers (future auth token, min peers, time offsets) and the server salts
        // are the file's own.
        o.extra = start.startsWith(QLatin1String("gogram")) || (peers && start.startsWith(QLatin1String("ferogram")));
        o.homeDcOnly = !peers;
        o.salts = peers;
        // Pyrogram keeps no DC address (it knows the DCs by number); Kurigram and Pyrofork store
        // one, filled from the default table when the source had none.
        o.addresses = !start.startsWith(QLatin1String("pyrogram"));
        for (size_t i = 0; i < current.accounts.size(); ++i) {
            const QStringList diff = diffSessions(original->accounts[i], current.accounts[i], o);
            QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("account %1 differs after %2 (dropped on the way: %3):\n%4")
                                                    .arg(i)
                                                    .arg(chain.join(QStringLiteral(" -> ")), dropped.join(QStringLiteral(", ")),
                                                         diff.join(QLatin1Char('\n')))));
        }
        // When every hop carries the peer cache, nothing may be reported as dropped.
        if (peers)
            QVERIFY2(dropped.isEmpty(), qPrintable(dropped.join(QStringLiteral(", "))));
    }
};

QTEST_GUILESS_MAIN(TestFamilyRoundTrip)
#include "tst_familyroundtrip.moc"
