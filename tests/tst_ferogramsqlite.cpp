// ferogram-sqlite: the SqliteBackend schema reads with every value its JSON records (several DC rows
// per DC told apart by flags, "ip:port"/"[ipv6]:port" addresses, salts, the BLOB future_auth_token in
// an INTEGER column, update state, channel pts, bare peer ids with channel kinds, min_peers), reading
// never changes the file, SQL queries agree with memory, and writing round-trips losslessly.
#include "sessiondiff.h"
#include "testutil.h"

#include "format/peertable.h"
#include "format/registry.h"
#include "formats/ferogram/ferogram-sqlite.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {
QString fixturePath() { return dataPath(QStringLiteral("ferogram-sqlite/basic.db")); }
QJsonObject fixtureJson() { return QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("ferogram-sqlite/basic.json")))).object(); }
} // namespace

class TestFerogramSqlite : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsFixture()
    {
        const QJsonObject j = fixtureJson();
        const QByteArray before = fileSha256(fixturePath());
        auto store = sdtest::format("ferogram-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, j.value(QStringLiteral("homeDc")).toInt());
        QVERIFY(s.primary());
        QCOMPARE(s.primary()->authKeyId(), j.value(QStringLiteral("authKeyId")).toString());
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(hexToBytes(j.value(QStringLiteral("authKeyHex")).toString())));
        QCOMPARE(s.primary()->address, QStringLiteral("149.154.167.51"));
        QCOMPARE(s.primary()->port, 443);
        QCOMPARE(s.primary()->salt.value_or(0), j.value(QStringLiteral("salt")).toString().toLongLong());
        QCOMPARE(s.primary()->extra.value(QStringLiteral("ferogram_time_offset")).toInt(), -3);
        QCOMPARE(qint64(s.dcs.size()), j.value(QStringLiteral("dcRows")).toInteger());
        int v6 = 0, media = 0;
        for (const DcAuth &d : s.dcs) {
            if (d.ipv6) {
                ++v6;
                QCOMPARE(d.address, QStringLiteral("2001:67c:4e8:f002::a"));
                QCOMPARE(d.port, 443);
            }
            media += d.mediaOnly ? 1 : 0;
        }
        QCOMPARE(v6, 1);
        QCOMPARE(media, 1);
        for (const QJsonValue &v : j.value(QStringLiteral("otherKeys")).toArray()) {
            bool found = false;
            for (const DcAuth &d : s.dcs)
                found = found || (d.dcId == v.toObject().value(QStringLiteral("dc")).toInt() && d.authKeyId() == v.toObject().value(QStringLiteral("authKeyId")).toString());
            QVERIFY(found);
        }
        QCOMPARE(s.extra.value(QStringLiteral("ferogram_future_auth_token")).toByteArray().toHex(),
                 j.value(QStringLiteral("futureAuthTokenHex")).toString().toLatin1());
        const QJsonObject us = j.value(QStringLiteral("updateState")).toObject();
        QVERIFY(s.updateState);
        QCOMPARE(s.updateState->pts.value_or(0), us.value(QStringLiteral("pts")).toInteger());
        QCOMPARE(s.updateState->qts.value_or(0), us.value(QStringLiteral("qts")).toInteger());
        QCOMPARE(s.updateState->date.value_or(0), us.value(QStringLiteral("date")).toInteger());
        QCOMPARE(s.updateState->seq.value_or(0), us.value(QStringLiteral("seq")).toInteger());
        const QJsonObject ch = us.value(QStringLiteral("channels")).toObject();
        QCOMPARE(s.updateState->channelPts.size(), ch.size());
        for (auto it = ch.begin(); it != ch.end(); ++it)
            QCOMPARE(s.updateState->channelPts.value(it.key().toLongLong()), it.value().toInteger());
        const QVariantList mins = s.extra.value(QStringLiteral("ferogram_min_peers")).toList();
        QCOMPARE(mins.size(), j.value(QStringLiteral("minPeers")).toArray().size());
        const QJsonArray peers = j.value(QStringLiteral("peers")).toArray();
        QCOMPARE(s.peers.size(), size_t(peers.size()));
        for (const QJsonValue &v : peers) {
            const QJsonObject o = v.toObject();
            const PeerKind kind = *peerKindFromName(o.value(QStringLiteral("type")).toString());
            const Peer *p = findPeer(s, markedId(o.value(QStringLiteral("id")).toInteger(), kind));
            QVERIFY(p);
            if (o.value(QStringLiteral("hash")).isString())
                QCOMPARE(p->accessHash.value_or(0), o.value(QStringLiteral("hash")).toString().toLongLong());
            else
                QVERIFY(!p->accessHash);
            if (kind == PeerKind::Channel) {
                const QJsonValue k = o.value(QStringLiteral("kind"));
                QCOMPARE(p->type, (k.isDouble() && k.toInt() >= 1) ? PeerType::Supergroup : PeerType::Channel);
                QCOMPARE(p->extra.value(QStringLiteral("ferogram_community")).toBool(), o.value(QStringLiteral("community")).toBool());
                // The binary codec's channel kind key and value; an unknown kind is no key at all.
                if (k.isDouble())
                    QCOMPARE(p->extra.value(QStringLiteral("ferogram_channel_kind")).toInt(), k.toInt());
                else
                    QVERIFY(!p->extra.contains(QStringLiteral("ferogram_channel_kind")));
            }
        }
        QCOMPARE(fileSha256(fixturePath()), before);
        auto d = Registry::instance().detect(Source::fromPath(fixturePath()));
        QVERIFY(d.ok());
        QCOMPARE((*d)->id(), QStringLiteral("ferogram-sqlite"));
    }
    void queriesAndCounts()
    {
        auto f = sdtest::format("ferogram-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        ReadOptions lazy;
        lazy.loadPeers = false;
        auto l = sdtest::format("ferogram-sqlite").read(Source::fromPath(fixturePath()), lazy);
        QVERIFY(f.ok() && l.ok());
        const Session &fs = f->accounts.front();
        QVERIFY(l->accounts.front().peers.empty());
        QCOMPARE(l->accounts.front().peerCountsOnly->users, fs.peerCounts().users);
        QCOMPARE(l->accounts.front().peerCountsOnly->chats, fs.peerCounts().chats);
        QCOMPARE(l->accounts.front().peerCountsOnly->channels, fs.peerCounts().channels);
        const QStringList searches {QString(), QStringLiteral("800"), QStringLiteral("-5151"), QStringLiteral("-1001700000002")};
        const QString differs = sqlSearchDiffersFromMemory(sdtest::format("ferogram-sqlite"), fixturePath(), fs.peers, searches);
        QVERIFY2(differs.isEmpty(), qPrintable(differs));
        auto table = sdtest::format("ferogram-sqlite").openPeerTable(Source::fromPath(fixturePath()), ReadOptions{}, 0);
        QVERIFY(table.ok());
        PeerPageQuery pq;
        pq.sort = PeerSortColumn::Id;
        pq.descending = true;
        auto rows = (*table)->fetch(pq, 2, 3);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(3));
        QVERIFY((*rows)[0].markedId() > (*rows)[1].markedId());
    }
    void writeRoundTripIsLossless()
    {
        auto a = sdtest::format("ferogram-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY(a.ok());
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("copy.db"));
        auto w = sdtest::format("ferogram-sqlite").write(*a, out, WriteOptions{});
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().message));
        QCOMPARE(fileMode(out), 0600);
        auto b = sdtest::format("ferogram-sqlite").read(Source::fromPath(out), ReadOptions{});
        QVERIFY(b.ok());
        // DC rows: several per DC (told apart by flags), compared in order.
        const std::vector<DcAuth> &da = a->accounts.front().dcs, &db = b->accounts.front().dcs;
        QCOMPARE(db.size(), da.size());
        for (size_t i = 0; i < da.size(); ++i) {
            QCOMPARE(db[i].dcId, da[i].dcId);
            QCOMPARE(db[i].ipv6, da[i].ipv6);
            QCOMPARE(db[i].mediaOnly, da[i].mediaOnly);
            QCOMPARE(db[i].address, da[i].address);
            QCOMPARE(db[i].port, da[i].port);
            QVERIFY(db[i].authKey == da[i].authKey);
            QCOMPARE(db[i].salt, da[i].salt);
            QCOMPARE(db[i].extra, da[i].extra);
        }
        Session x = a->accounts.front(), y = b->accounts.front();
        x.dcs.clear();
        y.dcs.clear();
        DiffOptions o;
        o.extra = true;
        const QStringList diff = diffSessions(x, y, o);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        auto again = sdtest::format("ferogram-sqlite").write(*a, out, WriteOptions{});
        QVERIFY(!again.ok());
        QCOMPARE(again.error().exitCode(), 5);
    }
    void foreignSessionGetsAddressAndKinds()
    {
        Store st;
        Session s;
        s.dcId = 5;
        s.upsertDc(5).authKey = SecretBytes::random(256);
        Peer sg;
        sg.id = 99;
        sg.type = PeerType::Supergroup;
        sg.accessHash = 7;
        Peer chan;
        chan.id = 98;
        chan.type = PeerType::Channel;
        chan.accessHash = 8;
        s.peers = {sg, chan};
        st.accounts.push_back(s);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("f.db"));
        QVERIFY(sdtest::format("ferogram-sqlite").write(st, out, WriteOptions{}).ok());
        auto r = sdtest::format("ferogram-sqlite").read(Source::fromPath(out), ReadOptions{});
        QVERIFY(r.ok());
        const Session &y = r->accounts.front();
        QCOMPARE(y.dcId, 5);
        QVERIFY(!y.primary()->address.isEmpty());
        QCOMPARE(y.primary()->port, 443);
        QCOMPARE(findPeer(y, markedId(99, PeerKind::Channel))->type, PeerType::Supergroup);
        QCOMPARE(findPeer(y, markedId(98, PeerKind::Channel))->type, PeerType::Channel);
        QCOMPARE(findPeer(y, markedId(98, PeerKind::Channel))->accessHash.value_or(0), 8);
    }
    void truncatedFilesAreBadInputForEverySqliteFormat()
    {
        // The first pages of each fixture: a valid header whose tables point past the end.
        const QList<QPair<QString, QString>> files = {
            {dataPath(QStringLiteral("mtcute/basic.sqlite")), QStringLiteral("mtcute-sqlite")},
            {dataPath(QStringLiteral("mtgo/basic.db")), QStringLiteral("mtgo-sqlite")},
            {fixturePath(), QStringLiteral("ferogram-sqlite")},
        };
        QTemporaryDir dir;
        for (const auto &[path, id] : files) {
            const QByteArray all = readAll(path);
            for (int cut : {100, 4096, 8192, 12288}) {
                const QString t = dir.filePath(QStringLiteral("%1-%2.db").arg(id).arg(cut));
                QFile f(t);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(all.left(cut));
                f.close();
                const Format *fm = Registry::instance().find(id);
                auto r = fm->read(Source::fromPath(t), ReadOptions{});
                if (!r.ok())
                    QCOMPARE(r.error().exitCode(), 3);
                auto q = fm->queryPeers(Source::fromPath(t), PeerQuery{}, ReadOptions{});
                if (!q.ok())
                    QCOMPARE(q.error().exitCode(), 3);
                QVERIFY2(!r.ok() || !q.ok() || r->accounts.front().peers.size() < 3,
                         qPrintable(QStringLiteral("%1 cut at %2 read as if whole").arg(id).arg(cut)));
            }
        }
    }
    void corruptIsBadInput()
    {
        QTemporaryDir dir;
        const QString path = copyTo(fixturePath(), dir.path());
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QProcess p;
        p.start(QStringLiteral("python3"), {QStringLiteral("-c"),
            QStringLiteral("import sqlite3\nc=sqlite3.connect('%1')\nc.execute(\"UPDATE dcs SET dc_id=-4 WHERE dc_id=4\")\nc.commit()\n").arg(path)});
        if (!p.waitForFinished(30000) || p.exitCode() != 0)
            QSKIP("python3 with sqlite3 is needed");
        auto r = sdtest::format("ferogram-sqlite").read(Source::fromPath(path), ReadOptions{});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().exitCode(), 3);
    }
};

QTEST_GUILESS_MAIN(TestFerogramSqlite)
#include "tst_ferogramsqlite.moc"
