// The in-memory peer index (core/format/peerindex.h, issue 19) against the SQL path it stands in
// for: on a generated Telethon file with mixed-case ASCII, non-ASCII letters (whose case SQLite's
// lower()/LIKE do not fold), LIKE wildcards in the data and the search, NULLs, integer and text
// phones and many equal sort keys, every search x kind x sort column x direction gives the same
// rows in the same order as SqlPeerTable; fetchMarked gives the rows SQL gives.
#include "format/peerindex.h"
#include "format/registry.h"
#include "testutil.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;

namespace {

constexpr int Rows = 6000;

// Writes a Telethon v1 file (docs/formats.md 1.1) with rows built to hit the matching rules.
bool writeTelethon(const QString &path)
{
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("gen"));
        db.setDatabaseName(path);
        if (!db.open())
            return false;
        QSqlQuery q(db);
        for (const char *sql :
             {"create table version (version integer primary key)",
              "create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob, takeout_id integer)",
              "create table entities (id integer primary key, hash integer not null, username text, phone integer, name text, date integer)",
              "create table sent_files (md5_digest blob, file_size integer, type integer, id integer, hash integer, primary key(md5_digest, file_size, type))",
              "create table update_state (id integer primary key, pts integer, qts integer, date integer, seq integer)",
              "insert into version values (7)",
              "insert into entities values (0, 1, null, null, null, 1700000000)", "begin"})
            ok = ok && q.exec(QString::fromLatin1(sql));
        q.prepare(QStringLiteral("insert into sessions values (2, '149.154.167.51', 443, ?, null)"));
        q.addBindValue(QByteArray(256, '\x5a'));
        ok = ok && q.exec();
        QRandomGenerator rnd(19);
        const QStringList names{QStringLiteral("Anna"), QStringLiteral("anna"), QStringLiteral("ANNA"), QStringLiteral("Ärger"),
                                QStringLiteral("ärger"), QStringLiteral("İstanbul"), QStringLiteral("istanbul"),
                                QStringLiteral("Straße"), QStringLiteral("STRASSE"), QStringLiteral("\u212Aelvin"),
                                QStringLiteral("kelvin"), QStringLiteral("50% off_sale"), QStringLiteral("back\\slash"),
                                QStringLiteral("Zoë Ω"), QStringLiteral("zoë ω"), QString(), QStringLiteral("")};
        const QStringList users{QStringLiteral("User_Ab"), QStringLiteral("user_ab"), QStringLiteral("Bot%x"), QStringLiteral("ÜMLAUT"),
                                QStringLiteral("ümlaut"), QStringLiteral("Kelvin\u212A"), QString()};
        q.prepare(QStringLiteral("insert into entities values (?, ?, ?, ?, ?, ?)"));
        for (int i = 1; i <= Rows; ++i) {
            const int kind = i % 5;
            const qint64 id = kind < 3 ? 100000 + i : kind == 3 ? -(200000 + i) : -(Q_INT64_C(1000000000000) + 300000 + i);
            q.addBindValue(id);
            // many equal hashes; from row 13 on some need 64 bits (the index widens the column then)
            q.addBindValue(i % 9 == 0 ? qint64(0) : i % 13 == 0 ? static_cast<qint64>(rnd.generate64()) : static_cast<qint64>(rnd.generate64()) % 1000);
            const QString u = users[static_cast<int>(rnd.bounded(users.size()))];
            q.addBindValue(u.isNull() ? QVariant() : QVariant(u + QString::number(rnd.bounded(30))));
            const int ph = static_cast<int>(rnd.bounded(4));
            q.addBindValue(ph == 0 ? QVariant() : ph == 1 ? QVariant(Q_INT64_C(79000000000) + rnd.bounded(500)) : ph == 2 ? QVariant(QStringLiteral("7 900 %1").arg(rnd.bounded(50))) : QVariant(QStringLiteral("+7900")));
            const QString n = names[static_cast<int>(rnd.bounded(names.size()))];
            q.addBindValue(n.isNull() ? QVariant() : QVariant(rnd.bounded(3) == 0 ? n : n + QLatin1Char(' ') + QString::number(rnd.bounded(100))));
            q.addBindValue(i % 7 == 0 ? QVariant() : QVariant(Q_INT64_C(1700000000) + rnd.bounded(50)));
            ok = ok && q.exec();
        }
        ok = ok && q.exec(QStringLiteral("commit"));
        if (!ok)
            qWarning("%s", qPrintable(q.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("gen"));
    return ok;
}

std::vector<qint64> ids(const std::vector<Peer> &peers)
{
    std::vector<qint64> out;
    for (const Peer &p : peers)
        out.push_back(p.markedId());
    return out;
}

} // namespace

class TestPeerIndex : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sameRowsAndOrderAsSql();
    void fetchMarkedGivesSqlRows();
    void overlayMatchesEditedValues();

private:
    QTemporaryDir m_dir;
    QString m_file;
    std::unique_ptr<PeerTable> m_sql;
    std::shared_ptr<const PeerIndex> m_index;
};

void TestPeerIndex::initTestCase()
{
    m_file = m_dir.filePath(QStringLiteral("mixed.session"));
    QVERIFY(writeTelethon(m_file));
    const Format *f = Registry::instance().find(QStringLiteral("telethon-sqlite"));
    QVERIFY(f);
    auto sql = f->openPeerTable(Source::fromPath(m_file), ReadOptions{}, 0);
    QVERIFY2(sql.ok(), sql.ok() ? "" : qPrintable(sql.error().message));
    m_sql = std::move(*sql);
    auto other = f->openPeerTable(Source::fromPath(m_file), ReadOptions{}, 0);
    QVERIFY(other.ok());
    auto index = (*other)->buildIndex(nullptr);
    QVERIFY2(index.ok(), index.ok() ? "" : qPrintable(index.error().message));
    QVERIFY(*index);
    m_index = *index;
    QCOMPARE(m_index->size(), qint64(Rows));
}

void TestPeerIndex::sameRowsAndOrderAsSql()
{
    const QStringList needles{QString(), QStringLiteral("a"), QStringLiteral("ANNA"), QStringLiteral("user_"),
                              QStringLiteral("%"), QStringLiteral("_"), QStringLiteral("\\"), QStringLiteral("ä"),
                              QStringLiteral("Ä"), QStringLiteral("ärger"), QStringLiteral("İ"), QStringLiteral("i"),
                              QStringLiteral("k"), QStringLiteral("\u212A"), QStringLiteral("ß"), QStringLiteral("SS"),
                              QStringLiteral("ω"), QStringLiteral("Ω"), QStringLiteral("123"), QStringLiteral("-100"),
                              QStringLiteral("-2"), QStringLiteral("7900"), QStringLiteral("+7"), QStringLiteral("7 900 1"),
                              QStringLiteral("  zoë  "), QStringLiteral("off_s"), QStringLiteral("nothing-here")};
    const PeerSortColumn sorts[] = {PeerSortColumn::Default, PeerSortColumn::Id, PeerSortColumn::Type, PeerSortColumn::Username,
                                    PeerSortColumn::Phone, PeerSortColumn::Name, PeerSortColumn::Updated, PeerSortColumn::AccessHash};
    int compared = 0, nonEmpty = 0;
    auto check = [&](const PeerPageQuery &q) {
        QVERIFY(m_index->supports(q));
        auto expected = m_sql->fetch(q, 0, -1);
        QVERIFY2(expected.ok(), expected.ok() ? "" : qPrintable(expected.error().message));
        std::vector<qint64> got;
        for (quint32 r : m_index->select(q, nullptr))
            got.push_back(m_index->markedIdAt(r));
        const auto want = ids(*expected);
        if (got != want) {
            size_t at = 0;
            while (at < got.size() && at < want.size() && got[at] == want[at])
                ++at;
            QFAIL(qPrintable(QStringLiteral("search \"%1\" kind %2 sort %3 %4: %5 rows from the index, %6 from SQL, first difference at %7")
                                 .arg(q.filter.search)
                                 .arg(q.filter.kind ? int(*q.filter.kind) : -1)
                                 .arg(int(q.sort))
                                 .arg(q.descending ? QStringLiteral("desc") : QStringLiteral("asc"))
                                 .arg(got.size())
                                 .arg(want.size())
                                 .arg(at)));
        }
        ++compared;
        nonEmpty += want.empty() ? 0 : 1;
    };
    for (const QString &needle : needles) {
        for (PeerSortColumn sort : sorts)
            for (bool desc : {false, true}) {
                PeerPageQuery q;
                q.filter.search = needle;
                q.sort = sort;
                q.descending = desc;
                check(q);
                if (QTest::currentTestFailed())
                    return;
            }
        for (PeerKind kind : {PeerKind::User, PeerKind::Chat, PeerKind::Channel}) {
            PeerPageQuery q;
            q.filter.search = needle;
            q.filter.kind = kind;
            q.sort = kind == PeerKind::Chat ? PeerSortColumn::Name : PeerSortColumn::Phone;
            q.descending = kind == PeerKind::Channel;
            check(q);
            if (QTest::currentTestFailed())
                return;
        }
    }
    qInfo("%d queries compared, %d with rows", compared, nonEmpty);
    // The data does exercise the rules: most searches find rows.
    QVERIFY(nonEmpty > compared * 3 / 4);
}

void TestPeerIndex::fetchMarkedGivesSqlRows()
{
    PeerPageQuery q;
    q.filter.search = QStringLiteral("anna");
    q.sort = PeerSortColumn::Name;
    q.descending = true;
    auto expected = m_sql->fetch(q, 0, 300);
    QVERIFY(expected.ok());
    QVERIFY(!expected->empty());
    auto got = m_sql->fetchMarked(ids(*expected));
    QVERIFY2(got.ok(), got.ok() ? "" : qPrintable(got.error().message));
    QCOMPARE(got->size(), expected->size());
    for (size_t i = 0; i < got->size(); ++i) {
        const Peer &a = (*got)[i], &b = (*expected)[i];
        QCOMPARE(a.markedId(), b.markedId());
        QCOMPARE(a.type, b.type);
        QCOMPARE(a.accessHash, b.accessHash);
        QCOMPARE(a.usernames, b.usernames);
        QCOMPARE(a.phone, b.phone);
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.updated, b.updated);
    }
    // Unknown ids are left out.
    auto none = m_sql->fetchMarked({Q_INT64_C(999999999)});
    QVERIFY(none.ok());
    QVERIFY(none->empty());
}

void TestPeerIndex::overlayMatchesEditedValues()
{
    // A row with a name and a username: edited, it matches on the new values only.
    PeerPageQuery named;
    named.filter.search = QStringLiteral("anna");
    auto found = m_sql->fetch(named, 0, 50);
    QVERIFY(found.ok());
    auto it = std::find_if(found->begin(), found->end(), [](const Peer &p) { return !p.usernames.isEmpty(); });
    QVERIFY(it != found->end());
    const Peer before = *it;
    Peer edited = before;
    edited.name = QStringLiteral("Quokka Edited");
    edited.usernames = {QStringLiteral("wombat")};
    edited.phone.reset();
    const PeerIndex::Overlay overlay{{edited.markedId(), edited}};
    auto idsOf = [this](const std::vector<quint32> &rows) {
        std::vector<qint64> out;
        for (quint32 r : rows)
            out.push_back(m_index->markedIdAt(r));
        return out;
    };
    PeerPageQuery q;
    q.filter.search = QStringLiteral("QUOKKA");
    QCOMPARE(idsOf(m_index->select(q, &overlay)), std::vector<qint64>{edited.markedId()});
    QVERIFY(m_index->select(q, nullptr).empty());
    q.filter.search = QStringLiteral("wombat");
    QCOMPARE(idsOf(m_index->select(q, &overlay)), std::vector<qint64>{edited.markedId()});
    // The old name and username no longer find it (without the overlay they do).
    for (const QString &old : {*before.name, before.usernames.first()}) {
        q.filter.search = old;
        const auto without = idsOf(m_index->select(q, nullptr));
        QVERIFY(std::find(without.begin(), without.end(), edited.markedId()) != without.end());
        const auto with = idsOf(m_index->select(q, &overlay));
        QVERIFY(std::find(with.begin(), with.end(), edited.markedId()) == with.end());
        QCOMPARE(with.size() + 1, without.size());
    }
}

QTEST_GUILESS_MAIN(TestPeerIndex)
#include "tst_peerindex.moc"
