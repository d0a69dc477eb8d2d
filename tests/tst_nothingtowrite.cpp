// "Nothing to write" is one answer for every writer (core/format/format.h, nothingToWrite): a Store
// without an account is refused as bad input (exit 3, docs/cli.md "Exit codes") and nothing is
// created. File and folder formats are asked directly (what the GUI's export and prune's write-back
// call); string formats through convertStore, the path `convert` takes.
#include "convert/convert.h"
#include "format/registry.h"
#include "testutil.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;

namespace {

// Stores on a server (a URL, not a path) need a running server: tst_server_* cover them.
bool needsServer(const QString &id)
{
    return id == QLatin1String("mtgo-postgres") || id == QLatin1String("mtgo-redis");
}

} // namespace

class TestNothingToWrite : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyStoreIsRefused_data()
    {
        QTest::addColumn<QString>("id");
        int rows = 0;
        for (const auto &f : Registry::instance().formats()) {
            if (!f->descriptor().writable || needsServer(f->id()))
                continue;
            QTest::newRow(qPrintable(f->id())) << f->id();
            ++rows;
        }
        QVERIFY(rows >= 15); // every family's writers, not an accidentally empty list
    }

    void emptyStoreIsRefused()
    {
        QFETCH(QString, id);
        const Format *f = Registry::instance().find(id);
        QVERIFY(f);
        Store empty;
        empty.formatId = id;
        if (f->sourceKind() == SourceKind::String) {
            auto r = convertStore(empty, *f, ConvertRequest{}, QString());
            QVERIFY(!r);
            QCOMPARE(r.error().kind, ErrorKind::BadInput);
            QCOMPARE(r.error().exitCode(), 3);
            return;
        }
        QTemporaryDir dir;
        const QString out = dir.filePath(f->descriptor().usualFileName(QStringLiteral("out"), 1).remove(QLatin1Char('/')));
        const Status st = f->write(empty, out, WriteOptions{});
        QVERIFY2(!st, qPrintable(id + QStringLiteral(" wrote an empty store")));
        QVERIFY2(st.error().kind == ErrorKind::BadInput, qPrintable(st.error().message));
        QCOMPARE(st.error().exitCode(), 3);
        QVERIFY2(st.error().message.contains(QLatin1String("nothing to write")), qPrintable(st.error().message));
        QVERIFY2(!QFileInfo::exists(out), qPrintable(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestNothingToWrite)
#include "tst_nothingtowrite.moc"
