// mtgo-sqlite: a file with mtgo-labs/storage's runtime schema reads with every value its JSON
// records (sessions, update state, channel pts, peers with integer types, conversations), reading
// never changes it, SQL peer queries agree with memory, writing is lossless and keeps mtgo's NOT NULL
// text columns non-NULL; and A -> B -> A conversions among mtcute-sqlite, mtgo-sqlite,
// ferogram-sqlite and telethon-sqlite keep every field both formats carry.
#include "sessiondiff.h"
#include "testutil.h"

#include "convert/convert.h"
#include "format/peertable.h"
#include "format/registry.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

using namespace sd;
using namespace sdtest;

namespace {
QString fixturePath() { return dataPath(QStringLiteral("mtgo/basic.db")); }
QJsonObject fixtureJson() { return QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("mtgo/basic.json")))).object(); }

// Differences between two sessions on the fields that both formats (caps) carry.
QStringList commonDiff(const Session &a, const Session &b, Capabilities caps, int usernames)
{
    QStringList d;
    auto cmp = [&d](const QString &what, const QString &x, const QString &y) {
        if (x != y)
            d << QStringLiteral("%1: %2 != %3").arg(what, x, y);
    };
    auto opt = [](const auto &o) { return o ? QVariant(*o).toString() : QStringLiteral("null"); };
    cmp(QStringLiteral("dc"), QString::number(a.dcId), QString::number(b.dcId));
    cmp(QStringLiteral("auth_key_id"), a.primary() ? a.primary()->authKeyId() : QString(), b.primary() ? b.primary()->authKeyId() : QString());
    if (caps.testFlag(Capability::Address) && a.primary() && b.primary()) {
        cmp(QStringLiteral("address"), a.primary()->address, b.primary()->address);
        cmp(QStringLiteral("port"), QString::number(a.primary()->port), QString::number(b.primary()->port));
    }
    if (caps.testFlag(Capability::TestFlag))
        cmp(QStringLiteral("test"), QString::number(a.testMode.value_or(false)), QString::number(b.testMode.value_or(false)));
    if (caps.testFlag(Capability::UserId))
        cmp(QStringLiteral("user_id"), opt(a.userId), opt(b.userId));
    if (caps.testFlag(Capability::IsBot) && a.userId)
        cmp(QStringLiteral("is_bot"), QString::number(a.isBot.value_or(false)), QString::number(b.isBot.value_or(false)));
    if (caps.testFlag(Capability::ApiId))
        cmp(QStringLiteral("api_id"), opt(a.apiId), opt(b.apiId));
    if (caps.testFlag(Capability::ApiHash))
        cmp(QStringLiteral("api_hash"), opt(a.apiHash), opt(b.apiHash));
    if (caps.testFlag(Capability::MultiDc)) {
        auto keys = [](const Session &s) {
            QStringList k;
            for (const DcAuth &e : s.dcs)
                if (!e.isTemp && !e.authKey.isEmpty())
                    k << QStringLiteral("%1:%2").arg(e.dcId).arg(e.authKeyId());
            k.sort();
            k.removeDuplicates();
            return k.join(QLatin1Char(' '));
        };
        cmp(QStringLiteral("keys"), keys(a), keys(b));
    }
    if (caps.testFlag(Capability::UpdateState)) {
        const UpdateState ua = a.updateState.value_or(UpdateState{}), ub = b.updateState.value_or(UpdateState{});
        cmp(QStringLiteral("pts"), opt(ua.pts), opt(ub.pts));
        cmp(QStringLiteral("qts"), opt(ua.qts), opt(ub.qts));
        cmp(QStringLiteral("date"), opt(ua.date), opt(ub.date));
        cmp(QStringLiteral("seq"), opt(ua.seq), opt(ub.seq));
        if (caps.testFlag(Capability::ChannelPts) && ua.channelPts != ub.channelPts)
            d << QStringLiteral("channel pts differ (%1 vs %2 entries)").arg(ua.channelPts.size()).arg(ub.channelPts.size());
    }
    if (caps.testFlag(Capability::Peers)) {
        std::map<qint64, const Peer *> pa, pb;
        for (const Peer &p : a.peers)
            pa[p.markedId()] = &p;
        for (const Peer &p : b.peers)
            pb[p.markedId()] = &p;
        if (pa.size() != pb.size())
            d << QStringLiteral("peer count %1 != %2").arg(pa.size()).arg(pb.size());
        for (const auto &[id, p] : pa) {
            const auto it = pb.find(id);
            if (it == pb.end()) {
                d << QStringLiteral("peer %1 missing").arg(id);
                continue;
            }
            const Peer *q = it->second;
            if (p->kind() != PeerKind::Chat)
                cmp(QStringLiteral("peer %1 hash").arg(id), opt(p->accessHash), opt(q->accessHash));
            if (usernames == 1)
                cmp(QStringLiteral("peer %1 username").arg(id), p->username().value_or(QString()).toLower(), q->username().value_or(QString()).toLower());
            else if (usernames == 2)
                cmp(QStringLiteral("peer %1 usernames").arg(id), p->usernames.join(QLatin1Char(',')).toLower(), q->usernames.join(QLatin1Char(',')).toLower());
            if (caps.testFlag(Capability::Phones))
                cmp(QStringLiteral("peer %1 phone").arg(id), opt(p->phone), opt(q->phone));
            if (caps.testFlag(Capability::PeerTimestamps))
                cmp(QStringLiteral("peer %1 updated").arg(id), opt(p->updated), opt(q->updated));
        }
    }
    return d;
}

// 0: no usernames, 1: the main one only, 2: all of them.
int usernameDepth(const QString &id)
{
    if (id == QLatin1String("ferogram-sqlite"))
        return 0;
    return id == QLatin1String("telethon-sqlite") ? 1 : 2;
}
} // namespace

class TestMtgoSqlite : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsFixture()
    {
        const QJsonObject j = fixtureJson();
        const QByteArray before = fileSha256(fixturePath());
        auto store = sdtest::format("mtgo-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, j.value(QStringLiteral("dc")).toInt());
        QCOMPARE(s.primary()->authKeyId(), j.value(QStringLiteral("authKeyId")).toString());
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(hexToBytes(j.value(QStringLiteral("authKeyHex")).toString())));
        QCOMPARE(s.primary()->address, j.value(QStringLiteral("address")).toString());
        QCOMPARE(s.primary()->port, j.value(QStringLiteral("port")).toInt());
        QCOMPARE(s.testMode.value_or(true), j.value(QStringLiteral("testMode")).toBool());
        QCOMPARE(qint64(s.apiId.value_or(0)), j.value(QStringLiteral("apiId")).toInteger());
        QCOMPARE(s.apiHash.value_or(QString()), j.value(QStringLiteral("apiHash")).toString());
        QCOMPARE(s.userId.value_or(0), j.value(QStringLiteral("userId")).toInteger());
        QCOMPARE(s.isBot.value_or(true), j.value(QStringLiteral("isBot")).toBool());
        QCOMPARE(s.firstName.value_or(QString()), j.value(QStringLiteral("firstName")).toString());
        QCOMPARE(s.lastName.value_or(QString()), j.value(QStringLiteral("lastName")).toString());
        QCOMPARE(s.username.value_or(QString()), j.value(QStringLiteral("username")).toString());
        for (const QJsonValue &v : j.value(QStringLiteral("otherDcs")).toArray()) {
            bool found = false;
            for (const DcAuth &d : s.dcs)
                found = found || (d.dcId == v.toObject().value(QStringLiteral("dc")).toInt()
                                  && d.authKeyId() == v.toObject().value(QStringLiteral("authKeyId")).toString());
            QVERIFY(found);
        }
        const QJsonObject us = j.value(QStringLiteral("updateState")).toObject();
        QVERIFY(s.updateState.has_value());
        QCOMPARE(s.updateState->pts.value_or(0), us.value(QStringLiteral("pts")).toInteger());
        QCOMPARE(s.updateState->qts.value_or(0), us.value(QStringLiteral("qts")).toInteger());
        QCOMPARE(s.updateState->date.value_or(0), us.value(QStringLiteral("date")).toInteger());
        QCOMPARE(s.updateState->seq.value_or(0), us.value(QStringLiteral("seq")).toInteger());
        const QJsonObject ch = us.value(QStringLiteral("channels")).toObject();
        QCOMPARE(s.updateState->channelPts.size(), ch.size());
        for (auto it = ch.begin(); it != ch.end(); ++it)
            QCOMPARE(s.updateState->channelPts.value(it.key().toLongLong()), it.value().toInteger());
        const QJsonArray convs = j.value(QStringLiteral("conversations")).toArray();
        QCOMPARE(s.conversations.size(), size_t(convs.size()));
        for (const QJsonValue &v : convs) {
            const QJsonObject o = v.toObject();
            bool found = false;
            for (const Conversation &c : s.conversations)
                if (c.chatId == o.value(QStringLiteral("chatId")).toInteger() && c.userId == o.value(QStringLiteral("userId")).toInteger()) {
                    found = true;
                    QCOMPARE(c.name, o.value(QStringLiteral("name")).toString());
                    QCOMPARE(c.step, o.value(QStringLiteral("step")).toString());
                    QCOMPARE(c.data.toHex(), o.value(QStringLiteral("dataHex")).toString().toLatin1());
                    QVERIFY(c.created.has_value() && c.updated.has_value());
                }
            QVERIFY(found);
        }
        const QJsonArray peers = j.value(QStringLiteral("peers")).toArray();
        QCOMPARE(s.peers.size(), size_t(peers.size()));
        for (const QJsonValue &v : peers) {
            const QJsonObject o = v.toObject();
            const PeerKind kind = *peerKindFromName(o.value(QStringLiteral("type")).toString());
            const Peer *p = findPeer(s, markedId(o.value(QStringLiteral("id")).toInteger(), kind));
            QVERIFY(p);
            QCOMPARE(p->kind(), kind);
            if (o.value(QStringLiteral("hash")).isString())
                QCOMPARE(p->accessHash.value_or(0), o.value(QStringLiteral("hash")).toString().toLongLong());
            else
                QVERIFY(!p->accessHash.has_value());
            QCOMPARE(p->username().value_or(QString()), o.value(QStringLiteral("username")).toString());
            QCOMPARE(p->phone.value_or(QString()), o.value(QStringLiteral("phone")).toString());
            if (o.value(QStringLiteral("bot")).toBool())
                QCOMPARE(p->type, PeerType::Bot);
            QVERIFY(p->updated.value_or(0) > 1600000000);
            QVERIFY(p->name.has_value());
        }
        QCOMPARE(fileSha256(fixturePath()), before);
        QVERIFY(!QFileInfo::exists(fixturePath() + QStringLiteral("-wal")));
        auto d = Registry::instance().detect(Source::fromPath(fixturePath()));
        QVERIFY(d.ok());
        QCOMPARE((*d)->id(), QStringLiteral("mtgo-sqlite"));
    }
    void countsAndQueries()
    {
        ReadOptions lazy;
        lazy.loadPeers = false;
        lazy.loadConversations = false;
        auto l = sdtest::format("mtgo-sqlite").read(Source::fromPath(fixturePath()), lazy);
        auto f = sdtest::format("mtgo-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY(l.ok() && f.ok());
        const Session &ls = l->accounts.front(), &fs = f->accounts.front();
        QVERIFY(ls.peers.empty() && ls.conversations.empty());
        QCOMPARE(ls.peerCountsOnly->users, fs.peerCounts().users);
        QCOMPARE(ls.peerCountsOnly->chats, fs.peerCounts().chats);
        QCOMPARE(ls.peerCountsOnly->channels, fs.peerCounts().channels);
        QCOMPARE(ls.conversationCount(), fs.conversationCount());
        QVERIFY(fs.conversationCount() > 0);
        const QStringList searches {QString(), QStringLiteral("user1"), QStringLiteral("ALT"), QStringLiteral("first3"),
                                      QStringLiteral("79000000"), QStringLiteral("-1001600000002"), QStringLiteral("-4242")};
        const QString differs = sqlSearchDiffersFromMemory(sdtest::format("mtgo-sqlite"), fixturePath(), fs.peers, searches);
        QVERIFY2(differs.isEmpty(), qPrintable(differs));
        auto table = sdtest::format("mtgo-sqlite").openPeerTable(Source::fromPath(fixturePath()), ReadOptions{}, 0);
        QVERIFY(table.ok());
        for (PeerSortColumn col : {PeerSortColumn::Name, PeerSortColumn::Updated, PeerSortColumn::Id, PeerSortColumn::AccessHash}) {
            PeerPageQuery pq;
            pq.sort = col;
            auto rows = (*table)->fetch(pq, 0, -1);
            QVERIFY(rows.ok());
            QCOMPARE(rows->size(), fs.peers.size());
            for (size_t i = 1; i < rows->size(); ++i)
                QVERIFY(!peerLess((*rows)[i], (*rows)[i - 1], col));
        }
    }
    void writeRoundTripIsLossless()
    {
        auto a = sdtest::format("mtgo-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY(a.ok());
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("copy.db"));
        auto w = sdtest::format("mtgo-sqlite").write(*a, out, WriteOptions{});
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().message));
        QCOMPARE(fileMode(out), 0600);
        auto b = sdtest::format("mtgo-sqlite").read(Source::fromPath(out), ReadOptions{});
        QVERIFY(b.ok());
        DiffOptions o;
        o.extra = true;
        o.peerRaw = true;
        const QStringList diff = diffSessions(a->accounts.front(), b->accounts.front(), o);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        // mtgo scans text columns into Go strings: they must hold '' rather than NULL.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
            db.setDatabaseName(out);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT (SELECT count(*) FROM sessions WHERE session_id IS NULL OR api_hash IS NULL OR first_name IS NULL "
                                          "OR last_name IS NULL OR username IS NULL OR server_address IS NULL) + (SELECT count(*) FROM peers "
                                          "WHERE username IS NULL OR usernames IS NULL OR first_name IS NULL OR last_name IS NULL OR "
                                          "phone_number IS NULL OR language IS NULL)")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 0);
            QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM sessions")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 2);
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
        auto again = sdtest::format("mtgo-sqlite").write(*a, out, WriteOptions{});
        QVERIFY(!again.ok());
        QCOMPARE(again.error().exitCode(), 5);
    }
    void cliInspectAndConvert()
    {
        const QJsonObject j = fixtureJson();
        const CliRun r = runCli({QStringLiteral("inspect"), fixturePath(), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = r.json().object();
        QCOMPARE(doc.value(QStringLiteral("format")).toString(), QStringLiteral("mtgo-sqlite"));
        const QJsonObject acc = doc.value(QStringLiteral("accounts")).toArray().first().toObject();
        QCOMPARE(acc.value(QStringLiteral("conversations")).toInt(), j.value(QStringLiteral("conversations")).toArray().size());
        QCOMPARE(acc.value(QStringLiteral("auth_key_id")).toString(), j.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(acc.value(QStringLiteral("user_id")).toInteger(), j.value(QStringLiteral("userId")).toInteger());
        QCOMPARE(acc.value(QStringLiteral("api_id")).toInteger(), j.value(QStringLiteral("apiId")).toInteger());
        QCOMPARE(acc.value(QStringLiteral("update_state")).toObject().value(QStringLiteral("pts")).toInteger(),
                 j.value(QStringLiteral("updateState")).toObject().value(QStringLiteral("pts")).toInteger());
        QCOMPARE(acc.value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(), j.value(QStringLiteral("peers")).toArray().size());
        QVERIFY(!r.out.contains(j.value(QStringLiteral("authKeyHex")).toString().left(32).toLatin1()));

        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("x.session"));
        const CliRun c = runCli({QStringLiteral("convert"), fixturePath(), QStringLiteral("--to"), QStringLiteral("mtcute-sqlite"), QStringLiteral("-o"), out});
        QCOMPARE(c.exitCode, 0);
        QCOMPARE(fileMode(out), 0600);
        const CliRun again = runCli({QStringLiteral("convert"), fixturePath(), QStringLiteral("--to"), QStringLiteral("mtcute-sqlite"), QStringLiteral("-o"), out});
        QCOMPARE(again.exitCode, 5);
        const CliRun back = runCli({QStringLiteral("inspect"), out, QStringLiteral("--json")});
        QCOMPARE(back.exitCode, 0);
        const QJsonObject b = back.json().object().value(QStringLiteral("accounts")).toArray().first().toObject();
        QCOMPARE(b.value(QStringLiteral("auth_key_id")).toString(), j.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(b.value(QStringLiteral("user_id")).toInteger(), j.value(QStringLiteral("userId")).toInteger());
        const CliRun peers = runCli({QStringLiteral("peers"), out, QStringLiteral("--type"), QStringLiteral("channel"), QStringLiteral("--json")});
        QCOMPARE(peers.exitCode, 0);
        QCOMPARE(peers.json().array().size(), 3);
    }
    void foreignSessionWritesOneRow()
    {
        Store st;
        Session s;
        s.dcId = 4;
        s.userId = 42;
        s.upsertDc(4).authKey = SecretBytes::random(256);
        s.upsertDc(2).authKey = SecretBytes::random(256);
        Conversation c;
        c.chatId = -5;
        c.userId = 42;
        c.name = QStringLiteral("flow");
        c.step = QStringLiteral("3");
        s.conversations.push_back(c);
        st.accounts.push_back(s);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("new.db"));
        QVERIFY(sdtest::format("mtgo-sqlite").write(st, out, WriteOptions{}).ok());
        auto r = sdtest::format("mtgo-sqlite").read(Source::fromPath(out), ReadOptions{});
        QVERIFY(r.ok());
        const Session &y = r->accounts.front();
        QCOMPARE(y.dcId, 4);
        QCOMPARE(y.dcs.size(), size_t(1)); // mtgo loads the first row only: no second DC that could win
        QVERIFY(y.primary()->authKey == s.primary()->authKey);
        QVERIFY(!y.primary()->address.isEmpty());
        QCOMPARE(y.primary()->port, 443);
        QCOMPARE(y.conversations.size(), size_t(1));
        QCOMPARE(y.conversations.front().step, QStringLiteral("3"));
        QCOMPARE(y.conversations.front().name, QStringLiteral("flow"));
    }
    void crossFormatRoundTrips_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("sourceFormat");
        QTest::addColumn<QString>("via");
        const QList<QPair<QString, QString>> sources = {
            {dataPath(QStringLiteral("mtcute/basic.sqlite")), QStringLiteral("mtcute-sqlite")},
            {fixturePath(), QStringLiteral("mtgo-sqlite")},
            {dataPath(QStringLiteral("ferogram-sqlite/basic.db")), QStringLiteral("ferogram-sqlite")},
            {dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("telethon-sqlite")},
        };
        const QStringList mine = {QStringLiteral("mtcute-sqlite"), QStringLiteral("mtgo-sqlite"), QStringLiteral("ferogram-sqlite")};
        const QStringList all = mine + QStringList{QStringLiteral("telethon-sqlite")};
        for (const auto &[path, id] : sources)
            for (const QString &via : all)
                if (via != id && (mine.contains(id) || mine.contains(via)))
                    QTest::newRow(qPrintable(id + QStringLiteral(" via ") + via)) << path << id << via;
    }
    void crossFormatRoundTrips()
    {
        QFETCH(QString, source);
        QFETCH(QString, sourceFormat);
        QFETCH(QString, via);
        const Format &A = sdtest::format(sourceFormat), &B = sdtest::format(via);
        const QByteArray before = fileSha256(source);
        auto a0 = A.read(Source::fromPath(source), ReadOptions{});
        QVERIFY2(a0.ok(), qPrintable(a0.ok() ? QString() : a0.error().message));
        QTemporaryDir dir;
        const QString mid = dir.filePath(QStringLiteral("mid.db")), back = dir.filePath(QStringLiteral("back.db"));
        auto c1 = convertStore(*a0, B, ConvertRequest{}, mid);
        QVERIFY2(c1.ok(), qPrintable(c1.ok() ? QString() : c1.error().message));
        auto b = B.read(Source::fromPath(mid), ReadOptions{});
        QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message));
        auto c2 = convertStore(*b, A, ConvertRequest{}, back);
        QVERIFY2(c2.ok(), qPrintable(c2.ok() ? QString() : c2.error().message));
        auto a2 = A.read(Source::fromPath(back), ReadOptions{});
        QVERIFY(a2.ok());
        const Capabilities common = A.capabilities() & B.capabilities();
        const int names = std::min(usernameDepth(sourceFormat), usernameDepth(via));
        const QStringList diff = commonDiff(a0->accounts.front(), a2->accounts.front(), common, names);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 10).join(QLatin1Char('\n'))));
        // The intermediate holds the same common fields too.
        const QStringList mdiff = commonDiff(a0->accounts.front(), b->accounts.front(), common, names);
        QVERIFY2(mdiff.isEmpty(), qPrintable(mdiff.mid(0, 10).join(QLatin1Char('\n'))));
        QVERIFY(!a0->accounts.front().peers.empty());
        QCOMPARE(fileSha256(source), before);
    }
};

QTEST_GUILESS_MAIN(TestMtgoSqlite)
#include "tst_mtgosqlite.moc"
