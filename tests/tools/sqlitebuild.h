#pragma once
// Header-only helpers for tests that build SQLite session files from the schemas in docs/formats.md
// (older Telethon versions, every Pyrogram-family layout) and look at what a writer produced.
#include <QAtomicInteger>
#include <QByteArray>
#include <QCryptographicHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QtTest>

namespace sdtest {

class SqlFile {
public:
    explicit SqlFile(const QString &path)
    {
        static QAtomicInteger<int> counter;
        m_name = QStringLiteral("sqlbuild-%1").arg(counter.fetchAndAddRelaxed(1));
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        m_ok = m_db.open();
    }
    ~SqlFile()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool ok() const { return m_ok; }
    // Runs one statement with positional binds; returns an error text (empty = fine).
    QString exec(const QString &sql, const QVariantList &binds = {})
    {
        QSqlQuery q(m_db);
        if (!q.prepare(sql))
            return q.lastError().text() + QStringLiteral(" in ") + sql;
        for (int i = 0; i < binds.size(); ++i)
            q.bindValue(i, binds.at(i));
        if (!q.exec())
            return q.lastError().text() + QStringLiteral(" in ") + sql;
        return {};
    }
    QString script(const QStringList &statements)
    {
        for (const QString &s : statements)
            if (QString e = exec(s); !e.isEmpty())
                return e;
        return {};
    }
    // First column of every row.
    QVariantList column(const QString &sql)
    {
        QVariantList out;
        QSqlQuery q(m_db);
        if (q.exec(sql))
            while (q.next())
                out << q.value(0);
        return out;
    }
    QVariant scalar(const QString &sql)
    {
        const QVariantList c = column(sql);
        return c.isEmpty() ? QVariant() : c.first();
    }
    QStringList columns(const QString &table)
    {
        QStringList out;
        for (const QVariant &v : column(QStringLiteral("SELECT name FROM pragma_table_info('%1')").arg(table)))
            out << v.toString();
        return out;
    }
    QStringList tables()
    {
        QStringList out;
        for (const QVariant &v : column(QStringLiteral("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")))
            out << v.toString();
        return out;
    }

private:
    QString m_name;
    QSqlDatabase m_db;
    bool m_ok = false;
};

// A deterministic 256-byte key derived from a seed (distinct keys per seed).
inline QByteArray testKey(int seed)
{
    QByteArray out;
    for (int i = 0; out.size() < 256; ++i)
        out += QCryptographicHash::hash(QByteArray(QByteArray::number(seed) + ':' + QByteArray::number(i)), QCryptographicHash::Sha256);
    return out.left(256);
}

#define SQL_OK(expr)                                                                                                   \
    do {                                                                                                               \
        const QString sqlErr_ = (expr);                                                                                \
        QVERIFY2(sqlErr_.isEmpty(), qPrintable(sqlErr_));                                                              \
    } while (0)

} // namespace sdtest
