// The contract every SQL format keeps, data-driven over every format whose descriptor has an SQL
// peer mapping (docs/formats.md 0.2, 1, 2, 4, 7, 8.4): a store written by the format's own writer,
// plus odd rows the libraries can leave behind (a marked id exactly at -10^12, an mtgo type outside
// 0/1/2, a ferogram row flagged both chat and channel, rows without access hash), is read, listed,
// searched, sorted, counted by prune and judged by dedupe with ONE kind per row:
//   * `peers --json` (the reader) and `peers --type T` agree with `prune --type T --dry-run`;
//   * dedupe's "no access hash" verdicts are exactly the users/channels the reader sees without one;
//   * SQL search equals the in-memory matcher (PeerQuery::matches) over the reader's peers;
//   * every sort column, ascending and descending, pages the same order as MemoryPeerTable.
#include "testutil.h"

#include "format/registry.h"
#include "prune/prune.h"

#include <QDateTime>
#include <QJsonArray>
#include <algorithm>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

Peer peer(qint64 id, PeerType type, std::optional<qint64> hash, const QString &username, const QString &phone, const QString &name,
          std::optional<qint64> updated)
{
    Peer p;
    p.id = id;
    p.type = type;
    p.accessHash = hash;
    if (!username.isEmpty())
        p.usernames << username;
    if (!phone.isEmpty())
        p.phone = phone;
    if (!name.isEmpty())
        p.name = name;
    p.updated = updated;
    return p;
}

Store sampleStore()
{
    Session s;
    s.dcId = 2;
    s.userId = 424242;
    s.isBot = false;
    s.apiId = 6;
    s.testMode = false;
    DcAuth d;
    d.dcId = 2;
    d.address = QStringLiteral("149.154.167.51");
    d.port = 443;
    d.authKey = SecretBytes::fromByteArray(QByteArray(256, '\x5a'));
    s.dcs.push_back(std::move(d));
    const qint64 t = 1700000000;
    s.peers = {
        peer(100, PeerType::User, 11, QStringLiteral("alice_B"), QStringLiteral("15550001"), QStringLiteral("Alice Smith"), t + 5),
        peer(101, PeerType::User, 12, QStringLiteral("Bob"), QStringLiteral("15550002"), QStringLiteral("bob jones"), t + 5),
        peer(102, PeerType::Bot, 13, QStringLiteral("helper_bot"), {}, QStringLiteral("Helper"), t + 1),
        peer(5550, PeerType::User, 14, {}, QStringLiteral("4455500"), {}, t + 9),
        peer(200, PeerType::Chat, std::nullopt, {}, {}, QStringLiteral("Family"), t + 3),
        peer(201, PeerType::Chat, std::nullopt, {}, {}, QStringLiteral("alice's group"), t + 3),
        peer(1000100, PeerType::Channel, 21, QStringLiteral("news_100"), {}, QStringLiteral("News"), t + 7),
        peer(1000101, PeerType::Supergroup, 22, QStringLiteral("ALIce_chat"), {}, QStringLiteral("Talk"), t + 2),
        peer(1000102, PeerType::Channel, 23, {}, {}, {}, std::nullopt),
    };
    Store st;
    st.accounts.push_back(std::move(s));
    return st;
}

// Odd rows the libraries can leave behind, written with SQL straight into the store.
QStringList oddRows(const QString &format)
{
    if (format == QLatin1String("telethon-sqlite"))
        return {QStringLiteral("INSERT INTO entities (id, hash, username, phone, name, date) VALUES (-1000000000000, 5, 'edge', NULL, 'Edge', 1700000004)"),
                QStringLiteral("INSERT INTO entities (id, hash, username, phone, name, date) VALUES (777, 0, 'nohash', NULL, 'No Hash', 1700000006)")};
    if (format == QLatin1String("pyrogram-sqlite"))
        return {QStringLiteral("INSERT INTO peers (id, access_hash, type, phone_number, last_update_on) VALUES (-1000000000000, 5, 'channel', NULL, 1700000004)"),
                QStringLiteral("INSERT INTO peers (id, access_hash, type, phone_number, last_update_on) VALUES (777, 0, 'user', '777000', 1700000006)")};
    if (format == QLatin1String("mtcute-sqlite"))
        return {QStringLiteral("INSERT INTO peers (id, hash, usernames, updated, phone, complete, isMin) VALUES (-1000000000000, '5|0', '[\"edge\"]', 1700000004000, NULL, NULL, 0)"),
                QStringLiteral("INSERT INTO peers (id, hash, usernames, updated, phone, complete, isMin) VALUES (777, '', '[]', 1700000006000, '777000', NULL, 0)")};
    if (format == QLatin1String("mtgo-sqlite"))
        return {QStringLiteral("INSERT INTO peers (id, type, access_hash, username, first_name) VALUES (777, 7, 5, 'oddtype', 'Odd')"),
                QStringLiteral("INSERT INTO peers (id, type, access_hash, username, first_name) VALUES (778, -1, 0, 'negtype', 'Neg')"),
                // Only collectible usernames: the list's first entry is the peer's username.
                QStringLiteral("INSERT INTO peers (id, type, access_hash, username, usernames, first_name) VALUES (779, 0, 3, '', '[\"zz_first\",\"aa\"]', 'Listed')"),
                QStringLiteral("INSERT INTO peers (id, type, access_hash, username, usernames, first_name) VALUES (780, 2, 4, '', ' @mid; b', 'Spaced')")};
    if (format == QLatin1String("ferogram-sqlite"))
        return {QStringLiteral("INSERT INTO peers (id, access_hash, is_channel, is_chat) VALUES (888, 0, 1, 1)"),
                QStringLiteral("INSERT INTO peers (id, access_hash, is_channel, is_chat) VALUES (889, 0, 0, 0)")};
    return {};
}

bool runSql(const QString &path, const QStringList &statements)
{
    const QString conn = QStringLiteral("contract-%1").arg(quintptr(&statements));
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), conn);
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery q(db);
        for (const QString &s : statements)
            if (ok && !q.exec(s)) {
                qWarning() << s << q.lastError().text();
                ok = false;
            }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(conn);
    return ok;
}

QJsonDocument cliJson(const QStringList &args)
{
    const CliRun r = runCli(args);
    if (r.exitCode != 0)
        qWarning() << args << r.exitCode << r.err;
    return QJsonDocument::fromJson(r.out);
}

const char *kindName(PeerKind k) { return k == PeerKind::User ? "user" : k == PeerKind::Chat ? "chat" : "channel"; }

} // namespace

class TestFormatContract : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString makeStore(const QString &formatId)
    {
        const Format *f = Registry::instance().find(formatId);
        const QString path = m_dir.filePath(formatId + QStringLiteral(".store"));
        QFile::remove(path);
        const Status st = f->write(sampleStore(), path, WriteOptions{});
        if (!st) {
            qWarning() << st.error().message;
            return {};
        }
        if (!runSql(path, oddRows(formatId)))
            return {};
        return path;
    }

private Q_SLOTS:
    void contract_data()
    {
        QTest::addColumn<QString>("format");
        int n = 0;
        for (const auto &f : Registry::instance().formats()) {
            if (!f->descriptor().sqlPeers)
                continue;
            QTest::newRow(qPrintable(f->id())) << f->id();
            ++n;
        }
        QVERIFY(n >= 5);
    }

    void contract()
    {
        QFETCH(QString, format);
        const Format *f = Registry::instance().find(format);
        QVERIFY(f);
        const QString path = makeStore(format);
        QVERIFY(!path.isEmpty());

        // The reader.
        auto store = f->read(Source::fromPath(path), ReadOptions{});
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        QCOMPARE(store->accounts.size(), size_t(1));
        const std::vector<Peer> peers = store->accounts.front().peers;
        QVERIFY(peers.size() >= 10);

        // peers --json lists the same rows with the same kinds.
        const QJsonArray all = cliJson({QStringLiteral("peers"), path, QStringLiteral("--json")}).array();
        QCOMPARE(all.size(), qsizetype(peers.size()));
        QMap<qint64, QString> cliKind;
        for (const QJsonValue &v : all)
            cliKind.insert(v[QStringLiteral("marked_id")].toInteger(), v[QStringLiteral("type")].toString());
        for (const Peer &p : peers)
            QCOMPARE(cliKind.value(p.markedId()), QString::fromLatin1(kindName(p.kind())));

        // peers --type T == prune --type T --dry-run, per kind.
        for (PeerKind k : {PeerKind::User, PeerKind::Chat, PeerKind::Channel}) {
            const QString t = QString::fromLatin1(kindName(k));
            const qint64 read = std::count_if(peers.begin(), peers.end(), [k](const Peer &p) { return p.kind() == k; });
            const QJsonArray listed = cliJson({QStringLiteral("peers"), path, QStringLiteral("--type"), t, QStringLiteral("--json")}).array();
            QCOMPARE(qint64(listed.size()), read);
            const QJsonObject pruned = cliJson({QStringLiteral("prune"), path, QStringLiteral("--type"), t, QStringLiteral("--dry-run"),
                                                QStringLiteral("--json")})
                                           .object();
            const QJsonObject removed = pruned[QStringLiteral("removed")].toObject();
            QCOMPARE(removed[QStringLiteral("total")].toInteger(), read);
            QCOMPARE(removed[t + QLatin1Char('s')].toInteger(), read);
        }

        // --keep-newest N (alone and with --type) keeps exactly the peers the in-memory rule keeps
        // (prune.h: own timestamp newest first, none last, then the larger marked id first).
        const std::vector<std::pair<qint64, QList<PeerKind>>> keeps{
            {3, {}}, {qint64(peers.size() / 2), {}}, {2, {PeerKind::User}}, {1, {PeerKind::Channel, PeerKind::Chat}}, {0, {PeerKind::Chat}}};
        for (const auto &[n, types] : keeps) {
            std::vector<Peer> work = peers;
            PrunePolicy policy;
            policy.keepNewest = n;
            policy.types = types;
            qint64 phones = 0;
            const std::vector<size_t> gone = selectPeersToPrune(work, policy, QDateTime::currentSecsSinceEpoch(), false, &phones);
            QSet<qint64> expectKept;
            for (size_t i = 0, g = 0; i < peers.size(); ++i) {
                if (g < gone.size() && gone[g] == i)
                    ++g;
                else
                    expectKept.insert(peers[i].markedId());
            }
            const QString copy = m_dir.filePath(QStringLiteral("keep-%1.store").arg(format));
            QFile::remove(copy);
            QVERIFY(QFile::copy(path, copy));
            QStringList args{QStringLiteral("prune"), copy, QStringLiteral("--keep-newest"), QString::number(n), QStringLiteral("--no-backup"), QStringLiteral("--json")};
            for (PeerKind k : types)
                args << QStringLiteral("--type") << QString::fromLatin1(kindName(k));
            const QJsonObject pruned = cliJson(args).object();
            QCOMPARE(pruned[QStringLiteral("removed")].toObject()[QStringLiteral("total")].toInteger(), qint64(gone.size()));
            QSet<qint64> kept;
            for (const QJsonValue &v : cliJson({QStringLiteral("peers"), copy, QStringLiteral("--json")}).array())
                kept.insert(v[QStringLiteral("marked_id")].toInteger());
            QVERIFY2(kept == expectKept, qPrintable(QStringLiteral("--keep-newest %1 (%2 type filters): SQL kept %3 peers, the in-memory rule %4")
                                                        .arg(n).arg(types.size()).arg(kept.size()).arg(expectKept.size())));
        }

        // dedupe judges "no access hash" by the same kind: users and channels need one, chats none.
        const bool marked = f->descriptor().sqlPeers->markedIds;
        QSet<qint64> expected;
        for (const Peer &p : peers)
            if (p.kind() != PeerKind::Chat && p.accessHash.value_or(0) == 0)
                expected.insert(marked ? p.markedId() : p.id);
        QSet<qint64> judged;
        const QJsonArray issues = cliJson({QStringLiteral("dedupe"), path, QStringLiteral("--json")}).object()[QStringLiteral("issues")].toArray();
        for (const QJsonValue &v : issues)
            if (v[QStringLiteral("message")].toString().contains(QLatin1String("no access hash")))
                judged.insert(v[QStringLiteral("id")].toInteger());
        QCOMPARE(judged, expected);
        if (!oddRows(format).isEmpty())
            QVERIFY(!expected.isEmpty()); // the odd rows include one without an access hash

        // SQL search == the in-memory matcher, for every kind filter.
        const QString searchDiff = sqlSearchDiffersFromMemory(
            *f, path, peers,
            {QStringLiteral("ali"), QStringLiteral("ALI"), QStringLiteral("100"), QStringLiteral("555"), QStringLiteral("edge"), QStringLiteral("_"),
             QStringLiteral("%"), QStringLiteral("-1000000000000"), QStringLiteral("odd"), QStringLiteral("bob jones")});
        QVERIFY2(searchDiff.isEmpty(), qPrintable(searchDiff));

        // Every sort column, both directions, with and without a kind filter: the SQL table pages
        // exactly as the in-memory table does.
        const QString sortDiff = sortedPagesDifferFromMemory(*f, path, peers);
        QVERIFY2(sortDiff.isEmpty(), qPrintable(sortDiff));
    }
};

QTEST_GUILESS_MAIN(TestFormatContract)
#include "tst_formatcontract.moc"
