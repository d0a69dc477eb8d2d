// pyrogram-sqlite: every Pyrogram-family layout of docs/formats.md 2.1-2.4 (Pyrogram v2, v3 fresh and
// migrated, Kurigram v4 and v7 fresh and migrated, Pyrofork v4 fresh and migrated) reads back with the
// right variant and version; the three writers produce their library's schema; missing owner data is
// a usage error; and A -> B -> A round trips among all SQLite formats of this family are lossless.
#include "format/peertable.h"
#include "format/registry.h"
#include "sessiondiff.h"
#include "testutil.h"
#include "tools/sqlitebuild.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using sdtest::SqlFile;

namespace {


const QString kPeersV3 = QStringLiteral(
    "CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL, username TEXT, phone_number TEXT, "
    "last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)))");
const QString kPeersKuri = QStringLiteral(
    "CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL, phone_number TEXT, "
    "last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)))");
const QString kUpdateState = QStringLiteral("CREATE TABLE update_state (id INTEGER PRIMARY KEY, pts INTEGER, qts INTEGER, date INTEGER, seq INTEGER)");
const QString kKuriUsernames = QStringLiteral("CREATE TABLE usernames (id INTEGER, username TEXT, FOREIGN KEY (id) REFERENCES peers(id))");
const QString kForkUsernames = QStringLiteral(
    "CREATE TABLE usernames (id TEXT PRIMARY KEY, peer_id INTEGER NOT NULL, "
    "last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)))");

// Layout names used by the data-driven tests.
QString buildLayout(const QString &path, const QString &layout)
{
    SqlFile f(path);
    if (!f.ok())
        return QStringLiteral("cannot create");
    const bool v2 = layout == QLatin1String("pyrogram-v2");
    const bool migrated = layout.endsWith(QLatin1String("-migrated"));
    const bool kuriFresh = layout == QLatin1String("kurigram-v7");
    QStringList s{QStringLiteral("CREATE TABLE version (number INTEGER PRIMARY KEY)")};
    if (kuriFresh)
        s << QStringLiteral("CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, server_address TEXT, port INTEGER, api_id INTEGER, "
                            "test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER)")
          << kPeersKuri;
    else if (v2 || migrated)
        s << QStringLiteral("CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL, "
                            "user_id INTEGER, is_bot INTEGER)")
          << kPeersV3;
    else
        s << QStringLiteral("CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, api_id INTEGER, test_mode INTEGER, auth_key BLOB, "
                            "date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER)")
          << kPeersV3;
    if (migrated) // v2 -> v3 appends api_id last (the column-order pitfall)
        s << QStringLiteral("ALTER TABLE sessions ADD api_id INTEGER");
    int version = 3;
    if (layout.startsWith(QLatin1String("kurigram"))) {
        version = layout == QLatin1String("kurigram-v4") ? 4 : layout == QLatin1String("kurigram-v6") ? 6 : 7;
        s << kKuriUsernames << QStringLiteral("CREATE INDEX idx_usernames_username ON usernames (username)");
        if (version >= 6) {
            s << kUpdateState << QStringLiteral("CREATE INDEX idx_usernames_id ON usernames (id)");
            if (version == 7 && migrated)
                s << QStringLiteral("ALTER TABLE sessions ADD server_address TEXT") << QStringLiteral("ALTER TABLE sessions ADD port INTEGER");
        }
    } else if (layout.startsWith(QLatin1String("pyrofork"))) {
        version = 4;
        s << kUpdateState;
        if (!migrated)
            s << kForkUsernames;
    } else if (v2) {
        version = 2;
    }
    if (QString e = f.script(s); !e.isEmpty())
        return e;
    if (QString e = f.exec(QStringLiteral("INSERT INTO version VALUES (?)"), {version}); !e.isEmpty())
        return e;
    QString e = f.exec(QStringLiteral("INSERT INTO sessions (dc_id, test_mode, auth_key, date, user_id, is_bot) VALUES (5, 0, ?, 1700000000, 5000000001, 1)"),
                       {sdtest::testKey(3)});
    if (!e.isEmpty())
        return e;
    if (!v2 && (e = f.exec(QStringLiteral("UPDATE sessions SET api_id = 12345"))).size())
        return e;
    if (f.columns(QStringLiteral("sessions")).contains(QStringLiteral("server_address"))
        && (e = f.exec(QStringLiteral("UPDATE sessions SET server_address = '91.108.56.130', port = 443"))).size())
        return e;
    const bool peersUsername = f.columns(QStringLiteral("peers")).contains(QStringLiteral("username"));
    const bool kuri = layout.startsWith(QLatin1String("kurigram"));
    const QString forumType = kuri ? QStringLiteral("forum") : QStringLiteral("supergroup");
    struct Row {
        qint64 id;
        qint64 hash;
        QString type;
        QString username;
        QVariant phone;
    };
    const QList<Row> rows{{1001, -5, QStringLiteral("bot"), QStringLiteral("robo"), QVariant()},
                          {1002, Q_INT64_C(-9000000000000000001), QStringLiteral("user"), QString(), QStringLiteral("79001234567")},
                          {-55, 0, QStringLiteral("group"), QString(), QVariant()},
                          {Q_INT64_C(-1001234567890), 77, QStringLiteral("supergroup"), QStringLiteral("sg"), QVariant()},
                          {Q_INT64_C(-1000000000099), 88, forumType, QString(), QVariant()}};
    for (const Row &r : rows) {
        const QVariant user = r.username.isEmpty() ? QVariant() : QVariant(r.username);
        e = peersUsername
            ? f.exec(QStringLiteral("INSERT INTO peers VALUES (?, ?, ?, ?, ?, 1700000100)"), {r.id, r.hash, r.type, kuri && !migrated ? QVariant() : user, r.phone})
            : f.exec(QStringLiteral("INSERT INTO peers VALUES (?, ?, ?, ?, 1700000100)"), {r.id, r.hash, r.type, r.phone});
        if (!e.isEmpty())
            return e;
    }
    if (kuri) {
        for (const auto &[id, name] : QList<std::pair<qint64, QString>>{{1001, QStringLiteral("robo")}, {1001, QStringLiteral("robo2")},
                                                                        {Q_INT64_C(-1001234567890), QStringLiteral("sg")}})
            if ((e = f.exec(QStringLiteral("INSERT INTO usernames VALUES (?, ?)"), {id, name})).size())
                return e;
    } else if (layout == QLatin1String("pyrofork-v4")) {
        for (const QString &name : {QStringLiteral("robo"), QStringLiteral("robo2")})
            if ((e = f.exec(QStringLiteral("INSERT INTO usernames VALUES (?, 1001, 1700000100)"), {name})).size())
                return e;
    }
    if (f.tables().contains(QStringLiteral("update_state"))) {
        if ((e = f.exec(QStringLiteral("INSERT INTO update_state VALUES (0, 100, 5, 1700000000, 9)"))).size())
            return e;
        if ((e = f.exec(QStringLiteral("INSERT INTO update_state VALUES (-1001234567890, 55, NULL, 1700000001, NULL)"))).size())
            return e;
    }
    return {};
}

QString pyroTypeName(PeerType t)
{
    switch (t) {
    case PeerType::User: return QStringLiteral("user");
    case PeerType::Bot: return QStringLiteral("bot");
    case PeerType::Chat: return QStringLiteral("group");
    case PeerType::Channel: return QStringLiteral("channel");
    case PeerType::Supergroup: return QStringLiteral("supergroup");
    }
    return {};
}

Result<Store> readFile(const QString &format, const QString &path)
{
    return sdtest::format(format).read(Source::fromPath(path), ReadOptions{});
}

Store storeOf(const Session &s)
{
    Store st;
    st.accounts.push_back(s);
    return st;
}

// What a target of the family carries (for the round-trip matrix).
struct Target {
    QString format;
    QString variant;
    bool peers = false;
    bool updateState = false;
    bool isBot = false;
    bool pyrogramTypes = false;   // bot / supergroup refinements
    bool multiUsernames = false;
    bool names = false;
    QString label() const { return variant.isEmpty() ? format : format + QLatin1Char(':') + variant; }
};

const QList<Target> &targets()
{
    static const QList<Target> t{
        {QStringLiteral("telethon-sqlite"), {}, true, true, false, false, false, true},
        {QStringLiteral("telethon2-sqlite"), {}, false, true, true, false, false, false},
        {QStringLiteral("pyrogram-sqlite"), QStringLiteral("pyrogram"), true, false, true, true, false, false},
        {QStringLiteral("pyrogram-sqlite"), QStringLiteral("kurigram"), true, true, true, true, true, false},
        {QStringLiteral("pyrogram-sqlite"), QStringLiteral("pyrofork"), true, true, true, true, true, false},
    };
    return t;
}

// A session holding only what both a and b can carry.
Session commonSession(const Target &a, const Target &b)
{
    Session s;
    s.dcId = 2;
    s.testMode = false;
    s.userId = Q_INT64_C(6000000123);
    s.apiId = 12345;
    if (a.isBot && b.isBot)
        s.isBot = true;
    DcAuth &d = s.upsertDc(2);
    d.address = QStringLiteral("149.154.167.51");
    d.port = 443;
    d.authKey = SecretBytes::fromByteArray(sdtest::testKey(9));
    if (a.updateState && b.updateState) {
        UpdateState u;
        u.pts = 10;
        u.qts = 20;
        u.date = 1700000000;
        u.seq = 30;
        u.channelPts.insert(1234567890, 44);
        u.channelPts.insert(Q_INT64_C(1987654321), 45);
        s.updateState = u;
    }
    if (a.peers && b.peers) {
        const bool types = a.pyrogramTypes && b.pyrogramTypes;
        const bool multi = a.multiUsernames && b.multiUsernames;
        auto add = [&s](qint64 id, PeerType t, qint64 hash, QStringList names, std::optional<QString> phone, qint64 updated) {
            Peer p;
            p.id = id;
            p.type = t;
            p.accessHash = hash;
            p.usernames = names;
            p.phone = phone;
            p.updated = updated;
            s.peers.push_back(p);
        };
        add(1001, types ? PeerType::Bot : PeerType::User, -5, multi ? QStringList{QStringLiteral("robo"), QStringLiteral("robo2")} : QStringList{QStringLiteral("robo")},
            std::nullopt, 1700000100);
        add(Q_INT64_C(5000000002), PeerType::User, Q_INT64_C(-9000000000000000001), {}, QStringLiteral("79001234567"), 1700000200);
        add(55, PeerType::Chat, 0, {}, std::nullopt, 1700000300);
        add(Q_INT64_C(1234567890), types ? PeerType::Supergroup : PeerType::Channel, 77, {QStringLiteral("sg")}, std::nullopt, 1700000400);
        add(99, PeerType::Channel, Q_INT64_C(9000000000000000001), {}, std::nullopt, 1700000500);
    }
    return s;
}

Status writeTo(const Target &t, Session s, const QString &path)
{
    // What --user-id / --api-id would supply when the source lacks them.
    if (!s.apiId)
        s.apiId = 12345;
    WriteOptions o;
    o.variant = t.variant;
    return sdtest::format(t.format).write(storeOf(s), path, o);
}

} // namespace

class TstPyrogramSqlite : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsEveryLayout_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<int>("version");
        QTest::newRow("pyrogram v2") << QStringLiteral("pyrogram-v2") << QStringLiteral("pyrogram") << 2;
        QTest::newRow("pyrogram v3") << QStringLiteral("pyrogram-v3") << QStringLiteral("pyrogram") << 3;
        QTest::newRow("pyrogram v3 migrated") << QStringLiteral("pyrogram-v3-migrated") << QStringLiteral("pyrogram") << 3;
        QTest::newRow("kurigram v4") << QStringLiteral("kurigram-v4") << QStringLiteral("kurigram") << 4;
        QTest::newRow("kurigram v6") << QStringLiteral("kurigram-v6") << QStringLiteral("kurigram") << 6;
        QTest::newRow("kurigram v7") << QStringLiteral("kurigram-v7") << QStringLiteral("kurigram") << 7;
        QTest::newRow("kurigram v7 migrated") << QStringLiteral("kurigram-v7-migrated") << QStringLiteral("kurigram") << 7;
        QTest::newRow("pyrofork v4") << QStringLiteral("pyrofork-v4") << QStringLiteral("pyrofork") << 4;
        QTest::newRow("pyrofork v4 migrated") << QStringLiteral("pyrofork-v4-migrated") << QStringLiteral("pyrofork") << 4;
        // Relatives told apart by the journal mode (docs/formats.md 2.4): Hydrogram is schema 3
        // always in WAL, PyroTGFork the Kurigram 6 layout in WAL. "+wal" turns WAL on.
        QTest::newRow("hydrogram (pyrogram v3, WAL)") << QStringLiteral("pyrogram-v3+wal") << QStringLiteral("hydrogram") << 3;
        QTest::newRow("pyrotgfork (kurigram v6, WAL)") << QStringLiteral("kurigram-v6+wal") << QStringLiteral("pyrotgfork") << 6;
        QTest::newRow("kurigram v7, WAL") << QStringLiteral("kurigram-v7+wal") << QStringLiteral("kurigram") << 7;
    }
    void readsEveryLayout()
    {
        QFETCH(QString, layout);
        QFETCH(QString, variant);
        QFETCH(int, version);
        const bool wal = layout.endsWith(QLatin1String("+wal"));
        if (wal)
            layout.chop(4);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.session"));
        SQL_OK(buildLayout(path, layout));
        if (wal) {
            SqlFile f(path);
            QCOMPARE(f.column(QStringLiteral("PRAGMA journal_mode=WAL")).value(0).toString(), QStringLiteral("wal"));
        }
        QCOMPARE(sdtest::readAll(path).mid(18, 2), wal ? QByteArray("\x02\x02", 2) : QByteArray("\x01\x01", 2));
        const QByteArray before = sdtest::fileSha256(path);
        auto det = Registry::instance().detect(Source::fromPath(path));
        QVERIFY(det.ok());
        QCOMPARE((*det)->id(), QStringLiteral("pyrogram-sqlite"));
        auto st = readFile(QStringLiteral("pyrogram-sqlite"), path);
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(sdtest::fileSha256(path), before);
        QCOMPARE(st->variant, variant);
        QCOMPARE(st->formatVersion.value_or(0), version);
        const Session &s = st->accounts.front();
        QCOMPARE(s.dcId, 5);
        QCOMPARE(s.userId.value_or(0), Q_INT64_C(5000000001));
        QCOMPARE(s.isBot, std::optional<bool>(true));
        QCOMPARE(s.testMode, std::optional<bool>(false));
        QCOMPARE(s.apiId.has_value(), version != 2);
        if (version != 2)
            QCOMPARE(*s.apiId, 12345);
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(sdtest::testKey(3)));
        QCOMPARE(s.primary()->address.isEmpty(), !(layout.startsWith(QLatin1String("kurigram-v7"))));
        QCOMPARE(s.peers.size(), size_t(5));
        std::map<qint64, const Peer *> by;
        for (const Peer &p : s.peers)
            by[p.markedId()] = &p;
        QVERIFY(by.count(1001) && by.count(-55) && by.count(Q_INT64_C(-1001234567890)) && by.count(Q_INT64_C(-1000000000099)));
        const Peer &bot = *by[1001];
        QCOMPARE(bot.type, PeerType::Bot);
        QCOMPARE(bot.accessHash.value_or(0), qint64(-5));
        const bool multi = layout.startsWith(QLatin1String("kurigram")) || layout == QLatin1String("pyrofork-v4");
        QCOMPARE(bot.usernames, multi ? (QStringList{QStringLiteral("robo"), QStringLiteral("robo2")}) : QStringList{QStringLiteral("robo")});
        QCOMPARE(bot.updated.value_or(0), qint64(1700000100));
        QCOMPARE(by[1002]->phone.value_or(QString()), QStringLiteral("79001234567"));
        QCOMPARE(by[1002]->accessHash.value_or(0), Q_INT64_C(-9000000000000000001));
        QCOMPARE(by[-55]->type, PeerType::Chat);
        QCOMPARE(by[Q_INT64_C(-1001234567890)]->type, PeerType::Supergroup);
        QCOMPARE(by[Q_INT64_C(-1001234567890)]->id, Q_INT64_C(1234567890));
        QCOMPARE(by[Q_INT64_C(-1001234567890)]->username().value_or(QString()), QStringLiteral("sg"));
        const bool hasState = layout.startsWith(QLatin1String("kurigram-v6")) || layout.startsWith(QLatin1String("kurigram-v7"))
            || variant == QLatin1String("pyrofork");
        QCOMPARE(s.updateState.has_value(), hasState);
        if (hasState) {
            QCOMPARE(s.updateState->pts.value_or(0), qint64(100));
            QCOMPARE(s.updateState->seq.value_or(0), qint64(9));
            QCOMPARE(s.updateState->channelPts.size(), 1);
            QCOMPARE(s.updateState->channelPts.value(1234567890), qint64(55)); // marked id -> bare
        }
        // SQL queries over the same file, including the usernames side tables.
        PeerQuery q;
        q.search = QStringLiteral("ROBO2");
        auto found = sdtest::format(QStringLiteral("pyrogram-sqlite")).queryPeers(Source::fromPath(path), q, {});
        QVERIFY(found.ok());
        QCOMPARE(found->size(), size_t(multi ? 1 : 0));
        q.search.clear();
        q.kind = PeerKind::Channel;
        found = sdtest::format(QStringLiteral("pyrogram-sqlite")).queryPeers(Source::fromPath(path), q, {});
        QVERIFY(found.ok());
        QCOMPARE(found->size(), size_t(2));
        ReadOptions counts;
        counts.loadPeers = false;
        auto c = sdtest::format(QStringLiteral("pyrogram-sqlite")).read(Source::fromPath(path), counts);
        QVERIFY(c.ok());
        QCOMPARE(c->accounts.front().peerCountsOnly->users, qint64(2));
        QCOMPARE(c->accounts.front().peerCountsOnly->chats, qint64(1));
        QCOMPARE(c->accounts.front().peerCountsOnly->channels, qint64(2));
        auto table = sdtest::format(QStringLiteral("pyrogram-sqlite")).openPeerTable(Source::fromPath(path), {}, 0);
        QVERIFY(table.ok());
        PeerPageQuery pq;
        pq.sort = PeerSortColumn::AccessHash;
        auto page = (*table)->fetch(pq, 0, 1);
        QVERIFY(page.ok() && page->size() == 1);
        QCOMPARE(page->front().markedId(), qint64(1002)); // the most negative hash first
    }

    void fixturesMatchTheirJson_data()
    {
        QTest::addColumn<QString>("name");
        const QDir d(sdtest::dataPath(QStringLiteral("pyrogram")));
        const QStringList files = d.entryList({QStringLiteral("*.session")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 4);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << f.chopped(8);
    }
    void fixturesMatchTheirJson()
    {
        // tests/data/pyrogram/: made by tests/tools/make_pyrogram_fixtures.py (each library's create/update steps).
        QFETCH(QString, name);
        const QString path = sdtest::dataPath(QStringLiteral("pyrogram/%1.session").arg(name));
        const QJsonObject j = QJsonDocument::fromJson(sdtest::readAll(sdtest::dataPath(QStringLiteral("pyrogram/%1.json").arg(name)))).object();
        QVERIFY(!j.isEmpty());
        auto st = readFile(QStringLiteral("pyrogram-sqlite"), path);
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(st->variant, j.value(QStringLiteral("variant")).toString());
        QCOMPARE(st->formatVersion.value_or(0), j.value(QStringLiteral("version")).toInt());
        const Session &s = st->accounts.front();
        QCOMPARE(s.dcId, j.value(QStringLiteral("dc")).toInt());
        QCOMPARE(s.userId.value_or(0), j.value(QStringLiteral("user_id")).toInteger());
        QCOMPARE(s.isBot, std::optional<bool>(j.value(QStringLiteral("is_bot")).toBool()));
        QCOMPARE(s.testMode, std::optional<bool>(j.value(QStringLiteral("test_mode")).toBool()));
        if (j.value(QStringLiteral("api_id")).isNull())
            QVERIFY(!s.apiId);
        else
            QCOMPARE(qint64(s.apiId.value_or(0)), j.value(QStringLiteral("api_id")).toInteger());
        QCOMPARE(s.primary()->authKeyId(), j.value(QStringLiteral("authKeyId")).toString());
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(sdtest::hexToBytes(j.value(QStringLiteral("authKeyHex")).toString())));
        QCOMPARE(s.primary()->address, j.value(QStringLiteral("server_address")).toString());
        const QJsonArray peers = j.value(QStringLiteral("peers")).toArray();
        QCOMPARE(s.peers.size(), size_t(peers.size()));
        std::map<qint64, const Peer *> by;
        for (const Peer &p : s.peers)
            by[p.markedId()] = &p;
        for (const QJsonValue &v : peers) {
            const QJsonObject o = v.toObject();
            const Peer *p = by[o.value(QStringLiteral("marked_id")).toInteger()];
            QVERIFY(p);
            QCOMPARE(QString::number(p->accessHash.value_or(-1)), o.value(QStringLiteral("access_hash")).toString());
            QCOMPARE(pyroTypeName(p->type), o.value(QStringLiteral("type")).toString());
            QStringList names;
            for (const QJsonValue &n : o.value(QStringLiteral("usernames")).toArray())
                names << n.toString();
            QCOMPARE(p->usernames, names);
            QCOMPARE(p->phone.value_or(QString()), o.value(QStringLiteral("phone")).toString());
            QCOMPARE(p->updated.value_or(0), o.value(QStringLiteral("updated")).toInteger());
        }
        const QJsonValue state = j.value(QStringLiteral("update_state"));
        QCOMPARE(s.updateState.has_value(), !state.isNull());
        if (!state.isNull()) {
            const QJsonObject so = state.toObject();
            auto opt = [&so](const char *k) {
                const QJsonValue v = so.value(QLatin1String(k));
                return v.isNull() ? std::optional<qint64>() : std::optional<qint64>(v.toInteger());
            };
            QCOMPARE(s.updateState->pts, opt("pts"));
            QCOMPARE(s.updateState->qts, opt("qts"));
            QCOMPARE(s.updateState->date, opt("date"));
            QCOMPARE(s.updateState->seq, opt("seq"));
            const QJsonObject ch = so.value(QStringLiteral("channels")).toObject();
            QCOMPARE(s.updateState->channelPts.size(), ch.size());
            for (auto it = ch.begin(); it != ch.end(); ++it)
                QCOMPARE(s.updateState->channelPts.value(it.key().toLongLong(), -1), it.value().toInteger());
        }
    }

    void writersProduceLibrarySchemas_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<int>("version");
        QTest::addColumn<QStringList>("tables");
        QTest::addColumn<QStringList>("sessionCols");
        QTest::newRow("pyrogram") << QStringLiteral("pyrogram") << 3
                                  << QStringList{QStringLiteral("peers"), QStringLiteral("sessions"), QStringLiteral("version")}
                                  << QStringList{QStringLiteral("dc_id"), QStringLiteral("api_id"), QStringLiteral("test_mode"), QStringLiteral("auth_key"),
                                                 QStringLiteral("date"), QStringLiteral("user_id"), QStringLiteral("is_bot")};
        QTest::newRow("kurigram") << QStringLiteral("kurigram") << 7
                                  << QStringList{QStringLiteral("peers"), QStringLiteral("sessions"), QStringLiteral("update_state"),
                                                 QStringLiteral("usernames"), QStringLiteral("version")}
                                  << QStringList{QStringLiteral("dc_id"), QStringLiteral("server_address"), QStringLiteral("port"), QStringLiteral("api_id"),
                                                 QStringLiteral("test_mode"), QStringLiteral("auth_key"), QStringLiteral("date"), QStringLiteral("user_id"),
                                                 QStringLiteral("is_bot")};
        QTest::newRow("pyrofork") << QStringLiteral("pyrofork") << 4
                                  << QStringList{QStringLiteral("dc_options"), QStringLiteral("peers"), QStringLiteral("sessions"),
                                                 QStringLiteral("sqlite_sequence"), QStringLiteral("update_state"), QStringLiteral("usernames"),
                                                 QStringLiteral("version")}
                                  << QStringList{QStringLiteral("dc_id"), QStringLiteral("api_id"), QStringLiteral("test_mode"), QStringLiteral("auth_key"),
                                                 QStringLiteral("date"), QStringLiteral("user_id"), QStringLiteral("is_bot")};
    }
    void writersProduceLibrarySchemas()
    {
        QFETCH(QString, variant);
        QFETCH(int, version);
        QFETCH(QStringList, tables);
        QFETCH(QStringList, sessionCols);
        const bool upstream = variant == QLatin1String("pyrogram");
        const Target t{QStringLiteral("pyrogram-sqlite"), variant, true, !upstream, true, true, !upstream, false};
        Session s = commonSession(t, t);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("w.session"));
        QVERIFY(writeTo(t, s, path).ok());
        QCOMPARE(sdtest::fileMode(path), 0600);
        {
            SqlFile f(path);
            QStringList have = f.tables();
            have.removeAll(QStringLiteral("sqlite_sequence"));
            tables.removeAll(QStringLiteral("sqlite_sequence"));
            QCOMPARE(have, tables);
            QCOMPARE(f.columns(QStringLiteral("sessions")), sessionCols);
            QCOMPARE(f.scalar(QStringLiteral("SELECT number FROM version")).toInt(), version);
            QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM sessions")).toInt(), 1);
            QCOMPARE(f.scalar(QStringLiteral("SELECT type FROM peers WHERE id = 1001")).toString(), QStringLiteral("bot"));
            QCOMPARE(f.scalar(QStringLiteral("SELECT type FROM peers WHERE id = -55")).toString(), QStringLiteral("group"));
            QCOMPARE(f.scalar(QStringLiteral("SELECT last_update_on FROM peers WHERE id = -55")).toLongLong(), qint64(1700000300));
            QCOMPARE(f.columns(QStringLiteral("peers")).contains(QStringLiteral("username")), variant != QLatin1String("kurigram"));
            if (variant == QLatin1String("kurigram")) {
                QCOMPARE(f.scalar(QStringLiteral("SELECT server_address FROM sessions")).toString(), QStringLiteral("149.154.167.51"));
                QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM usernames WHERE id = 1001")).toInt(), 2);
            }
            if (variant == QLatin1String("pyrofork"))
                QCOMPARE(f.scalar(QStringLiteral("SELECT peer_id FROM usernames WHERE id = 'robo2'")).toLongLong(), qint64(1001));
            if (variant != QLatin1String("pyrogram"))
                QCOMPARE(f.scalar(QStringLiteral("SELECT pts FROM update_state WHERE id = -1001234567890")).toInt(), 44); // marked
        }
        auto back = readFile(QStringLiteral("pyrogram-sqlite"), path);
        QVERIFY(back.ok());
        QCOMPARE(back->variant, variant);
        QCOMPARE(back->formatVersion.value_or(0), version);
        const Session &expect = s;
        sdtest::DiffOptions o;
        o.addresses = variant == QLatin1String("kurigram");
        const QStringList d = sdtest::diffSessions(expect, back->accounts.front(), o);
        QVERIFY2(d.isEmpty(), qPrintable(d.join(QLatin1Char('\n'))));
        // Refuses to overwrite.
        auto again = writeTo(t, s, path);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
    }

    void ownerDataIsRequired()
    {
        QTemporaryDir dir;
        Session s = commonSession(targets()[0], targets()[0]);
        s.userId.reset();
        s.apiId.reset();
        s.peers.clear();
        WriteOptions o;
        auto r = sdtest::format(QStringLiteral("pyrogram-sqlite")).write(storeOf(s), dir.filePath(QStringLiteral("x.session")), o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Usage);
        QVERIFY(r.error().message.contains(QStringLiteral("--user-id")));
        QVERIFY(r.error().message.contains(QStringLiteral("--api-id")));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("x.session"))));
        o.variant = QStringLiteral("nonsense");
        s.userId = 1;
        s.apiId = 2;
        r = sdtest::format(QStringLiteral("pyrogram-sqlite")).write(storeOf(s), dir.filePath(QStringLiteral("x.session")), o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Usage);

        // Through the CLI: a Telethon file carries neither api_id nor (here) a self row.
        const QString fixture = sdtest::dataPath(QStringLiteral("telethon/basic.session"));
        const QString out = dir.filePath(QStringLiteral("cli.session"));
        auto cli = sdtest::runCli({QStringLiteral("convert"), fixture, QStringLiteral("--to"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("-o"), out});
        QCOMPARE(cli.exitCode, 2);
        QVERIFY(cli.err.contains("--user-id"));
        QVERIFY(!QFileInfo::exists(out));
        cli = sdtest::runCli({QStringLiteral("convert"), fixture, QStringLiteral("--to"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("-o"), out,
                              QStringLiteral("--user-id"), QStringLiteral("777000111"), QStringLiteral("--api-id"), QStringLiteral("4242"),
                              QStringLiteral("--variant"), QStringLiteral("kurigram")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        auto insp = sdtest::runCli({QStringLiteral("inspect"), out, QStringLiteral("--json")});
        QCOMPARE(insp.exitCode, 0);
        const QJsonObject acc = insp.json().object().value(QStringLiteral("accounts")).toArray().first().toObject();
        QCOMPARE(acc.value(QStringLiteral("user_id")).toInteger(), qint64(777000111));
        QCOMPARE(acc.value(QStringLiteral("api_id")).toInt(), 4242);
        const QJsonObject fx = QJsonDocument::fromJson(sdtest::readAll(sdtest::dataPath(QStringLiteral("telethon/basic.json")))).object();
        QCOMPARE(acc.value(QStringLiteral("auth_key_id")).toString(), fx.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(acc.value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(),
                 fx.value(QStringLiteral("users")).toInt() + fx.value(QStringLiteral("chats")).toInt() + fx.value(QStringLiteral("channels")).toInt());
    }

    void roundTripsAmongFormats_data()
    {
        QTest::addColumn<int>("a");
        QTest::addColumn<int>("b");
        for (int a = 0; a < targets().size(); ++a)
            for (int b = 0; b < targets().size(); ++b)
                if (a != b)
                    QTest::newRow(qPrintable(targets()[a].label() + QStringLiteral(" -> ") + targets()[b].label())) << a << b;
    }
    void roundTripsAmongFormats()
    {
        QFETCH(int, a);
        QFETCH(int, b);
        const Target &ta = targets()[a];
        const Target &tb = targets()[b];
        QTemporaryDir dir;
        const Session s = commonSession(ta, tb);
        const QString p0 = dir.filePath(QStringLiteral("a0.session"));
        const QString p1 = dir.filePath(QStringLiteral("b.session"));
        const QString p2 = dir.filePath(QStringLiteral("a1.session"));
        QVERIFY(writeTo(ta, s, p0).ok());
        auto s0 = readFile(ta.format, p0);
        QVERIFY2(s0.ok(), s0.ok() ? "" : qPrintable(s0.error().message));
        auto w1 = writeTo(tb, s0->accounts.front(), p1);
        QVERIFY2(w1.ok(), w1.ok() ? "" : qPrintable(w1.error().message));
        auto s1 = readFile(tb.format, p1);
        QVERIFY(s1.ok());
        QVERIFY(writeTo(ta, s1->accounts.front(), p2).ok());
        auto s2 = readFile(ta.format, p2);
        QVERIFY(s2.ok());
        const QStringList d = sdtest::diffSessions(s0->accounts.front(), s2->accounts.front());
        QVERIFY2(d.isEmpty(), qPrintable(d.join(QLatin1Char('\n'))));
        // And the copy holds what was meant to be carried.
        if (ta.peers && tb.peers)
            QCOMPARE(s2->accounts.front().peers.size(), s.peers.size());
        if (ta.updateState && tb.updateState)
            QCOMPARE(s2->accounts.front().updateState->channelPts, s.updateState->channelPts);
        QVERIFY(s2->accounts.front().primary()->authKey == s.primary()->authKey);
        QCOMPARE(s2->accounts.front().userId, s.userId);
    }
};

QTEST_GUILESS_MAIN(TstPyrogramSqlite)
#include "tst_pyrogramsqlite.moc"
