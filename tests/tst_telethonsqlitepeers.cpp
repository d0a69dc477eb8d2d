// telethon-sqlite peers: the SQL peer queries and the paged peer table agree with the in-memory
// filters and table, and the CLI's inspect and peers show the real fixture's values.
#include "format/peertable.h"
#include "format/registry.h"
#include "telethonsqlitetestutil.h"
#include "testutil.h"
#include "tools/telethonbuild.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace telethontest;
using sdtest::richSession;

class TstTelethonSqlitePeers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sqlPeerQueries()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("q.session"));
        QVERIFY(sdtest::format("telethon-sqlite").write(storeOf(richSession()), path, {}).ok());
        const Source src = Source::fromPath(path);
        auto q = [&](std::optional<PeerKind> kind, const QString &search, qint64 limit = -1, qint64 offset = 0) {
            PeerQuery pq;
            pq.kind = kind;
            pq.search = search;
            pq.limit = limit;
            pq.offset = offset;
            auto r = sdtest::format("telethon-sqlite").queryPeers(src, pq, {});
            std::vector<qint64> ids;
            if (r.ok())
                for (const Peer &p : *r)
                    ids.push_back(p.markedId());
            return ids;
        };
        QCOMPARE(q(std::nullopt, {}).size(), size_t(5));
        QCOMPARE(q(PeerKind::User, {}).size(), size_t(3));
        QCOMPARE(q(PeerKind::Chat, {}), (std::vector<qint64>{-55}));
        QCOMPARE(q(PeerKind::Channel, {}), (std::vector<qint64>{Q_INT64_C(-1001234567890)}));
        QCOMPARE(q(std::nullopt, QStringLiteral("BOB")), (std::vector<qint64>{1001}));        // username, any case
        QCOMPARE(q(std::nullopt, QStringLiteral("zoë")), (std::vector<qint64>{Q_INT64_C(6000000000)})); // name
        QCOMPARE(q(std::nullopt, QStringLiteral("555123")), (std::vector<qint64>{1001}));     // phone stored as INTEGER
        QCOMPARE(q(std::nullopt, QStringLiteral("1234567890")), (std::vector<qint64>{Q_INT64_C(-1001234567890)})); // bare id
        QCOMPARE(q(std::nullopt, QStringLiteral("-100123")), (std::vector<qint64>{Q_INT64_C(-1001234567890)}));   // marked id
        QCOMPARE(q(std::nullopt, QStringLiteral("%")).size(), size_t(0));  // LIKE wildcards are literal
        QCOMPARE(q(std::nullopt, QStringLiteral("_")).size(), size_t(2)); // literal underscore: zoe_x and news_ch only
        QCOMPARE(q(PeerKind::Channel, QStringLiteral("bob")).size(), size_t(0));
        QCOMPARE(q(std::nullopt, {}, 2, 1).size(), size_t(2));
        QCOMPARE(q(std::nullopt, {}, 10, 4).size(), size_t(1));

        // The same filter in memory gives the same answer.
        auto all = readFile("telethon-sqlite", path);
        QVERIFY(all.ok());
        for (const QString &needle : {QStringLiteral("b"), QStringLiteral("1"), QStringLiteral("ne"), QStringLiteral("44")}) {
            PeerQuery pq;
            pq.search = needle;
            size_t n = 0;
            for (const Peer &p : all->accounts.front().peers)
                n += pq.matches(p) ? 1 : 0;
            QCOMPARE(q(std::nullopt, needle).size(), n);
        }

        auto table = sdtest::format("telethon-sqlite").openPeerTable(src, {}, 0);
        QVERIFY(table.ok());
        PeerPageQuery pq;
        QCOMPARE((*table)->count(pq).value(), qint64(5));
        pq.sort = PeerSortColumn::Updated;
        pq.descending = true;
        auto page = (*table)->fetch(pq, 0, 2);
        QVERIFY(page.ok());
        QCOMPARE(page->size(), size_t(2));
        QCOMPARE(page->at(0).markedId(), Q_INT64_C(-1001234567890)); // newest first
        QCOMPARE(page->at(1).markedId(), qint64(-55));
        pq.filter.kind = PeerKind::User;
        pq.sort = PeerSortColumn::Name;
        pq.descending = false;
        QCOMPARE((*table)->count(pq).value(), qint64(3));
        auto names = (*table)->fetch(pq, 0, -1);
        QVERIFY(names.ok());
        QCOMPARE(names->size(), size_t(3));
        QCOMPARE(names->at(1).name.value_or(QString()), QStringLiteral("Bob B"));

        // Every sort column, both directions, with and without a filter: the SQL table pages exactly
        // like the in-memory table over the same peers, and pages concatenate to the full view.
        MemoryPeerTable mem(all->accounts.front().peers);
        for (int col = int(PeerSortColumn::Default); col <= int(PeerSortColumn::AccessHash); ++col) {
            for (bool desc : {false, true}) {
                for (const QString &search : {QString(), QStringLiteral("b")}) {
                    PeerPageQuery v;
                    v.sort = PeerSortColumn(col);
                    v.descending = desc;
                    v.filter.search = search;
                    const QString what = QStringLiteral("column %1 desc %2 search '%3'").arg(col).arg(desc).arg(search);
                    QCOMPARE((*table)->count(v).value(), mem.count(v).value());
                    auto sqlAll = (*table)->fetch(v, 0, -1);
                    auto memAll = mem.fetch(v, 0, -1);
                    QVERIFY(sqlAll.ok() && memAll.ok());
                    std::vector<qint64> a, b, paged;
                    for (const Peer &p : *sqlAll)
                        a.push_back(p.markedId());
                    for (const Peer &p : *memAll)
                        b.push_back(p.markedId());
                    QVERIFY2(a == b, qPrintable(what));
                    for (qint64 off = 0; off < 6; off += 2) {
                        auto page = (*table)->fetch(v, off, 2);
                        QVERIFY(page.ok());
                        for (const Peer &p : *page)
                            paged.push_back(p.markedId());
                    }
                    QVERIFY2(paged == a, qPrintable(what));
                }
            }
        }
    }

    void cliInspectAndPeers()
    {
        const QString path = sdtest::dataPath(QStringLiteral("telethon/basic.session"));
        const QJsonObject j = fixtureJson();
        auto r = sdtest::runCli({QStringLiteral("inspect"), path, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject acc = r.json().object().value(QStringLiteral("accounts")).toArray().first().toObject();
        QCOMPARE(r.json().object().value(QStringLiteral("format")).toString(), QStringLiteral("telethon-sqlite"));
        QCOMPARE(acc.value(QStringLiteral("auth_key_id")).toString(), j.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(acc.value(QStringLiteral("peers")).toObject().value(QStringLiteral("users")).toInt(), j.value(QStringLiteral("users")).toInt());
        QVERIFY(!r.out.contains(j.value(QStringLiteral("authKeyHex")).toString().toLatin1().left(32)));
        const QJsonObject ch = j.value(QStringLiteral("sampleChannel")).toObject();
        auto p = sdtest::runCli({QStringLiteral("peers"), path, QStringLiteral("--search"), ch.value(QStringLiteral("username")).toString(),
                                 QStringLiteral("--json")});
        QCOMPARE(p.exitCode, 0);
        const QJsonArray arr = p.json().array();
        QCOMPARE(arr.size(), 1);
        QCOMPARE(arr.first().toObject().value(QStringLiteral("access_hash")).toInteger(), ch.value(QStringLiteral("hash")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TstTelethonSqlitePeers)
#include "tst_telethonsqlitepeers.moc"
