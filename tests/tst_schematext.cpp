// Column names read from sqlite_master's CREATE TABLE text must match what SQLite itself reports
// (PRAGMA table_info) for every statement the parser accepts, and the parser must decline
// whatever it cannot read exactly.
#include "audit/schemaprobe.h"
#include "sqlite/sqlhelpers.h"
#include "sqlite/schematext.h"
#include "sqlite/sqlitedb.h"
#include "testutil.h"

#include <QDirIterator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;

namespace {
QStringList pragmaColumns(SqliteDb &db, const QString &table)
{
    auto q = db.exec(QStringLiteral("SELECT name FROM pragma_table_info(?) ORDER BY cid"), {table});
    QStringList out;
    if (q)
        while (q->next())
            out << q->value(0).toString();
    return out;
}
} // namespace

class TestSchemaText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesPragmaTableInfo_data()
    {
        QTest::addColumn<QString>("create");
        QTest::addColumn<bool>("parsed"); // false: the parser must decline (PRAGMA answers instead)
        const QList<QPair<const char *, bool>> cases = {
            {"CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c BLOB)", true},
            {"CREATE TABLE t(a,b,c)", true},
            {"CREATE TABLE \"we(ird\" (\"x y\" TEXT, [z] INT, `w` REAL, 'v' BLOB)", true},
            {"CREATE TABLE t (a VARCHAR(10, 2), b NUMERIC(5) DEFAULT (1 + (2 * 3)), c TEXT CHECK (c IN ('a,b', ')')))", true},
            {"CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, b), UNIQUE (b), CHECK (a > 0), "
             "FOREIGN KEY (a) REFERENCES u(x), CONSTRAINT k UNIQUE (a))",
             true},
            {"CREATE TABLE t (a INT NOT NULL DEFAULT '--', b TEXT)", false},
            {"CREATE TABLE t (a INT, -- a comment, with a comma\n b TEXT)", false},
            {"CREATE TABLE t (a INT /* (x, y) */, b TEXT)", false},
            {"CREATE TABLE t (\"a\"\"b\" INT, c TEXT)", false},
            {"CREATE TABLE t (a INT, b TEXT) WITHOUT ROWID", false}, // no PRIMARY KEY: invalid, skipped below
            {"CREATE TABLE t (a INT PRIMARY KEY, b TEXT) WITHOUT ROWID", true},
            {"CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a * 2) STORED)", false},
            {"CREATE TABLE t (a INT, b INT AS(a * 2))", false},
            {"CREATE TABLE t (alias INT, has TEXT, b_as BLOB)", true},
            {"CREATE TABLE IF NOT EXISTS main.t (\ta\tINTEGER,\n\tb\n)", true},
            {"CREATE TABLE t (la\"\"\"\"CES peer\"\" INT, b TEXT)", true}, // found by fuzz_schema_text
            {"CREATE TABLE t (a$b INT, \u00e9t\u00e9 TEXT)", true},
        };
        int i = 0;
        for (const auto &[sql, parsed] : cases)
            QTest::addRow("%d", i++) << QString::fromUtf8(sql) << parsed;
    }
    void matchesPragmaTableInfo()
    {
        QFETCH(QString, create);
        QFETCH(bool, parsed);
        QTemporaryDir dir;
        auto db = SqliteDb::create(dir.filePath(QStringLiteral("s.db")));
        QVERIFY(db.ok());
        QSqlQuery q((*db)->db());
        if (!q.exec(create))
            QSKIP("SQLite itself refuses this statement");
        auto stored = (*db)->exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'table'"));
        QVERIFY(stored.ok());
        QVERIFY(stored->next());
        const QString table = stored->value(0).toString();
        const auto cols = columnsFromCreateSql(stored->value(1).toString());
        QCOMPARE(cols.has_value(), parsed);
        const QStringList truth = pragmaColumns(**db, table);
        if (cols)
            QCOMPARE(*cols, truth);
        // Either way the schema readers answer what SQLite answers.
        auto schema = sqlc::readSchema(**db);
        QVERIFY(schema.ok());
        QCOMPARE(schema->value(table), truth);
    }

    void declinesWhatItCannotRead()
    {
        for (const char *sql : {"", "CREATE TABLE t", "CREATE TABLE t (a INT, b", "CREATE TABLE t (a, \"b)", "CREATE TABLE t AS SELECT 1",
                                "CREATE TABLE t (a, )"})
            QVERIFY2(!columnsFromCreateSql(QString::fromLatin1(sql)), sql);
    }

    void fixtureSchemasMatchPragma()
    {
        // Every SQLite fixture made by a real library: the text-parsed schema (the format readers'
        // and the audit's) equals SQLite's own answer.
        int files = 0;
        QDirIterator it(sdtest::dataPath(QString()), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly) || !looksLikeSqlite(f.read(16)))
                continue;
            auto db = SqliteDb::openReadOnly(path);
            if (!db)
                continue; // the bad-input fixtures
            auto schema = sqlc::readSchema(**db);
            QVERIFY2(schema.ok(), qPrintable(path));
            auto tables = (*db)->tables();
            QVERIFY(tables.ok());
            QCOMPARE(schema->keys(), [&] { QStringList t = *tables; t.sort(); return t; }());
            for (const QString &t : *tables)
                QCOMPARE(schema->value(t), pragmaColumns(**db, t));
            if (!(*db)->isSnapshot()) {
                auto quick = quickSqliteSchema(path, 250);
                QVERIFY2(quick.ok(), qPrintable(path));
                QCOMPARE(*quick, *schema);
            }
            ++files;
        }
        QVERIFY2(files >= 8, qPrintable(QString::number(files)));
    }
};

QTEST_GUILESS_MAIN(TestSchemaText)
#include "tst_schematext.moc"
