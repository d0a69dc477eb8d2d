// telethon-sqlite (Telethon v1, versions 1-7), reading: the real fixtures read back the values their
// JSON names, counts match the loaded peers, every older layout reads, SQLite's type affinity does
// not surprise the reader, and unsupported versions and bad input are errors, not crashes.
#include "format/registry.h"
#include "telethonsqlitetestutil.h"
#include "testutil.h"
#include "tools/sqlitebuild.h"
#include "tools/telethonbuild.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace telethontest;
using sdtest::SqlFile;
using sdtest::buildTelethon;

class TstTelethonSqliteRead : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixtureReadsExactValues()
    {
        const QJsonObject j = fixtureJson();
        const QString path = sdtest::dataPath(QStringLiteral("telethon/basic.session"));
        const QByteArray before = sdtest::fileSha256(path);
        auto st = readFile("telethon-sqlite", path);
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(st->formatVersion.value_or(0), 7);
        QCOMPARE(st->accounts.size(), size_t(1));
        const Session &s = st->accounts.front();
        QCOMPARE(s.dcId, j.value(QStringLiteral("dc")).toInt());
        QVERIFY(s.primary());
        QCOMPARE(s.primary()->authKeyId(), j.value(QStringLiteral("authKeyId")).toString());
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(sdtest::hexToBytes(j.value(QStringLiteral("authKeyHex")).toString())));
        QVERIFY(!s.primary()->address.isEmpty());
        QCOMPARE(s.primary()->port, 443);
        const PeerCounts c = s.peerCounts();
        QCOMPARE(c.users, qint64(j.value(QStringLiteral("users")).toInt()));
        QCOMPARE(c.channels, qint64(j.value(QStringLiteral("channels")).toInt()));
        QCOMPARE(c.chats, qint64(j.value(QStringLiteral("chats")).toInt()));
        auto find = [&s](qint64 marked) -> const Peer * {
            for (const Peer &p : s.peers)
                if (p.markedId() == marked)
                    return &p;
            return nullptr;
        };
        for (const QJsonValue &v : j.value(QStringLiteral("sample")).toArray()) {
            const QJsonObject o = v.toObject();
            const qint64 id = o.value(QStringLiteral("id")).toInteger();
            const Peer *p = find(id);
            QVERIFY2(p, qPrintable(QString::number(id)));
            QCOMPARE(p->type, PeerType::User);
            // 64-bit hashes: compare as exact integers (QJsonValue::toInteger keeps qint64).
            QCOMPARE(p->accessHash.value_or(0), o.value(QStringLiteral("hash")).toInteger());
            if (o.value(QStringLiteral("username")).isNull())
                QVERIFY(p->usernames.isEmpty());
            else
                QCOMPARE(p->username().value_or(QString()), o.value(QStringLiteral("username")).toString());
            QVERIFY(p->updated.has_value());
        }
        const QJsonObject ch = j.value(QStringLiteral("sampleChannel")).toObject();
        const qint64 chId = ch.value(QStringLiteral("id")).toInteger();
        const Peer *cp = find(markedId(chId, PeerKind::Channel));
        QVERIFY(cp);
        QCOMPARE(cp->id, chId);
        QCOMPARE(cp->accessHash.value_or(0), ch.value(QStringLiteral("hash")).toInteger());
        QCOMPARE(cp->username().value_or(QString()), ch.value(QStringLiteral("username")).toString());
        QVERIFY(s.updateState.has_value());
        QVERIFY(s.updateState->pts.has_value());
        QCOMPARE(sdtest::fileSha256(path), before);
    }

    void realTelethonStateFixture()
    {
        // tests/data/telethon/state.session: made by the real Telethon (tests/tools/make_telethon_fixture.py).
        const QJsonObject j = QJsonDocument::fromJson(sdtest::readAll(sdtest::dataPath(QStringLiteral("telethon/state.json")))).object();
        QVERIFY(!j.isEmpty());
        const QString path = sdtest::dataPath(QStringLiteral("telethon/state.session"));
        auto det = Registry::instance().detect(Source::fromPath(path));
        QVERIFY(det.ok());
        QCOMPARE((*det)->id(), QStringLiteral("telethon-sqlite"));
        auto st = readFile("telethon-sqlite", path);
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        const Session &s = st->accounts.front();
        QCOMPARE(s.dcId, j.value(QStringLiteral("dc")).toInt());
        QCOMPARE(s.primary()->address, j.value(QStringLiteral("ip")).toString());
        QCOMPARE(s.primary()->port, j.value(QStringLiteral("port")).toInt());
        QCOMPARE(s.primary()->authKeyId(), j.value(QStringLiteral("authKeyId")).toString());
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(sdtest::hexToBytes(j.value(QStringLiteral("authKeyHex")).toString())));
        const PeerCounts c = s.peerCounts();
        QCOMPARE(c.users, qint64(j.value(QStringLiteral("users")).toInt()));
        QCOMPARE(c.chats, qint64(j.value(QStringLiteral("chats")).toInt()));
        QCOMPARE(c.channels, qint64(j.value(QStringLiteral("channels")).toInt()));
        const QJsonObject state = j.value(QStringLiteral("state")).toObject();
        QVERIFY(s.updateState.has_value());
        QCOMPARE(s.updateState->pts.value_or(-1), state.value(QStringLiteral("pts")).toInteger());
        QCOMPARE(s.updateState->qts.value_or(-1), state.value(QStringLiteral("qts")).toInteger());
        QCOMPARE(s.updateState->date.value_or(-1), state.value(QStringLiteral("date")).toInteger());
        QCOMPARE(s.updateState->seq.value_or(-1), state.value(QStringLiteral("seq")).toInteger());
        const QJsonObject cp = j.value(QStringLiteral("channelPts")).toObject();
        QCOMPARE(s.updateState->channelPts.size(), cp.size());
        for (auto it = cp.begin(); it != cp.end(); ++it)
            QCOMPARE(s.updateState->channelPts.value(it.key().toLongLong(), -1), it.value().toInteger());
        std::map<qint64, const Peer *> by;
        for (const Peer &p : s.peers)
            by[p.markedId()] = &p;
        for (const QJsonValue &v : j.value(QStringLiteral("sample")).toArray()) {
            const QJsonObject o = v.toObject();
            const Peer *p = by[o.value(QStringLiteral("id")).toInteger()];
            QVERIFY(p);
            QCOMPARE(p->accessHash.value_or(0), o.value(QStringLiteral("hash")).toInteger());
            QCOMPARE(p->username(), o.value(QStringLiteral("username")).isNull() ? std::nullopt
                                                                                 : std::optional<QString>(o.value(QStringLiteral("username")).toString()));
            QCOMPARE(p->phone, o.value(QStringLiteral("phone")).isNull() ? std::nullopt
                                                                          : std::optional<QString>(o.value(QStringLiteral("phone")).toString()));
            QCOMPARE(p->name.value_or(QString()), o.value(QStringLiteral("name")).toString());
        }
        const QJsonObject ch = j.value(QStringLiteral("sampleChannel")).toObject();
        const Peer *chp = by[ch.value(QStringLiteral("marked")).toInteger()];
        QVERIFY(chp);
        QCOMPARE(chp->id, ch.value(QStringLiteral("id")).toInteger());
        QCOMPARE(chp->type, PeerType::Channel);
        QCOMPARE(chp->accessHash.value_or(0), ch.value(QStringLiteral("hash")).toInteger());
        const Peer *chat = by[j.value(QStringLiteral("sampleChat")).toObject().value(QStringLiteral("marked")).toInteger()];
        QVERIFY(chat);
        QCOMPARE(chat->type, PeerType::Chat);
        QCOMPARE(chat->accessHash.value_or(-1), qint64(0));
        // inspect --json shows the same state.
        auto r = sdtest::runCli({QStringLiteral("inspect"), path, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject us = r.json().object().value(QStringLiteral("accounts")).toArray().first().toObject().value(QStringLiteral("update_state")).toObject();
        QCOMPARE(us.value(QStringLiteral("pts")).toInteger(), state.value(QStringLiteral("pts")).toInteger());
    }

    void countsOnlyMatchLoadedPeers()
    {
        const QString path = sdtest::dataPath(QStringLiteral("telethon/basic.session"));
        auto full = readFile("telethon-sqlite", path, true);
        auto counted = readFile("telethon-sqlite", path, false);
        QVERIFY(full.ok() && counted.ok());
        const Session &c = counted->accounts.front();
        QVERIFY(c.peers.empty());
        QVERIFY(c.peerCountsOnly.has_value());
        const PeerCounts a = full->accounts.front().peerCounts();
        QCOMPARE(c.peerCountsOnly->users, a.users);
        QCOMPARE(c.peerCountsOnly->chats, a.chats);
        QCOMPARE(c.peerCountsOnly->channels, a.channels);
        QVERIFY(a.total() > 0);
    }

    void olderVersions_data()
    {
        QTest::addColumn<int>("version");
        for (int v = 1; v <= 7; ++v)
            QTest::newRow(qPrintable(QStringLiteral("v%1").arg(v))) << v;
    }
    void olderVersions()
    {
        QFETCH(int, version);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.session"));
        SQL_OK(buildTelethon(path, version));
        const QByteArray before = sdtest::fileSha256(path);
        auto st = readFile("telethon-sqlite", path);
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(sdtest::fileSha256(path), before); // never migrated in place
        QCOMPARE(st->formatVersion.value_or(0), version);
        const Session &s = st->accounts.front();
        QCOMPARE(s.dcId, 4);
        QCOMPARE(s.primary()->address, QStringLiteral("149.154.167.91"));
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(sdtest::testKey(version)));
        QCOMPARE(s.peers.size(), size_t(3));
        const Peer &u = s.peers[2]; // rowid order: -1000000000077, -42, 5000000001
        QCOMPARE(u.id, Q_INT64_C(5000000001));
        QCOMPARE(u.accessHash.value_or(0), Q_INT64_C(-9000000000000000001));
        QCOMPARE(u.phone.value_or(QString()), QStringLiteral("79001234567")); // INTEGER affinity read back as digits
        QCOMPARE(u.username().value_or(QString()), QStringLiteral("alice"));
        QCOMPARE(s.peers[1].type, PeerType::Chat);
        QCOMPARE(s.peers[1].id, qint64(42));
        QCOMPARE(s.peers[0].type, PeerType::Channel);
        QCOMPARE(s.peers[0].id, qint64(77));
        QCOMPARE(s.peers[0].name.value_or(QString()), QStringLiteral("Chan 50%"));
        QCOMPARE(u.updated.has_value(), version >= 7);
        QCOMPARE(s.takeoutId.has_value(), version >= 5);
        QCOMPARE(s.updateState.has_value(), version >= 4);
        if (version >= 4) {
            QCOMPARE(s.updateState->pts.value_or(0), qint64(100));
            QCOMPARE(s.updateState->seq.value_or(0), qint64(9));
            QCOMPARE(s.updateState->channelPts.value(77), qint64(55)); // bare channel id
        }
    }

    void affinitySurprises()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("aff.session"));
        SQL_OK(buildTelethon(path, 7));
        {
            SqlFile f(path);
            SQL_OK(f.exec(QStringLiteral("update update_state set date = 1700000000.75 where id = 0")));
            SQL_OK(f.exec(QStringLiteral("insert into entities values (42, 7, NULL, '+7 900', NULL, 1700000000)")));
            SQL_OK(f.exec(QStringLiteral("insert into entities values (0, 5000000001, NULL, NULL, NULL, 1700000000)")));
            QCOMPARE(f.scalar(QStringLiteral("select typeof(phone) from entities where id = 5000000001")).toString(), QStringLiteral("integer"));
            QCOMPARE(f.scalar(QStringLiteral("select typeof(date) from update_state where id = 0")).toString(), QStringLiteral("real"));
        }
        auto st = readFile("telethon-sqlite", path);
        QVERIFY(st.ok());
        const Session &s = st->accounts.front();
        QCOMPARE(s.updateState->date.value_or(0), qint64(1700000000)); // REAL truncated
        QCOMPARE(s.userId.value_or(0), Q_INT64_C(5000000001));        // the id = 0 self row
        QCOMPARE(s.peers.size(), size_t(4));                          // the self row is no peer
        bool sawText = false;
        for (const Peer &p : s.peers)
            if (p.id == 42)
                sawText = p.phone == QStringLiteral("+7 900");
        QVERIFY(sawText);
    }

    void unsupportedVersionRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("v8.session"));
        SQL_OK(buildTelethon(path, 7));
        {
            SqlFile f(path);
            SQL_OK(f.exec(QStringLiteral("update version set version = 8")));
        }
        auto st = readFile("telethon-sqlite", path);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().kind, ErrorKind::BadInput);
        QVERIFY(st.error().message.contains(QStringLiteral("version 8")));
        ReadOptions o;
        o.ignoreVersion = true;
        QVERIFY(sdtest::format("telethon-sqlite").read(Source::fromPath(path), o).ok());
        auto cli = sdtest::runCli({QStringLiteral("inspect"), path});
        QCOMPARE(cli.exitCode, 3);
    }

    void badInputIsAnErrorNotACrash()
    {
        QTemporaryDir dir;
        auto expectBad = [](const char *format, const QString &path, const QString &fragment) {
            auto st = readFile(format, path);
            if (st.ok())
                return QStringLiteral("%1 read fine").arg(path);
            if (st.error().kind != ErrorKind::BadInput)
                return QStringLiteral("%1: wrong error kind").arg(path);
            if (!st.error().message.contains(fragment))
                return QStringLiteral("%1: message '%2' lacks '%3'").arg(path, st.error().message, fragment);
            return QString();
        };
        // Truncated database.
        const QByteArray whole = sdtest::readAll(sdtest::dataPath(QStringLiteral("telethon/basic.session")));
        const QString cut = dir.filePath(QStringLiteral("cut.session"));
        {
            QFile f(cut);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(whole.left(whole.size() / 3));
        }
        auto st = readFile("telethon-sqlite", cut);
        if (!st.ok())
            QCOMPARE(st.error().kind, ErrorKind::BadInput);
        // Not SQLite at all.
        const QString text = dir.filePath(QStringLiteral("text.session"));
        {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("hello, not a database\n");
        }
        QVERIFY(expectBad("telethon-sqlite", text, QStringLiteral("SQLite")).isEmpty());
        QVERIFY(expectBad("telethon2-sqlite", text, QStringLiteral("SQLite")).isEmpty());
        // Absurd key, missing columns, empty version table, non-numeric version.
        const QString key = dir.filePath(QStringLiteral("key.session"));
        SQL_OK(buildTelethon(key, 7));
        {
            SqlFile f(key);
            SQL_OK(f.exec(QStringLiteral("update sessions set auth_key = zeroblob(100000)")));
        }
        QString e = expectBad("telethon-sqlite", key, QStringLiteral("bytes"));
        QVERIFY2(e.isEmpty(), qPrintable(e));
        const QString cols = dir.filePath(QStringLiteral("cols.session"));
        {
            SqlFile f(cols);
            SQL_OK(f.script({QStringLiteral("create table version (version integer primary key)"), QStringLiteral("insert into version values (7)"),
                             QStringLiteral("create table sessions (dc_id integer primary key, auth_key blob)"),
                             QStringLiteral("create table entities (id integer primary key)")}));
        }
        e = expectBad("telethon-sqlite", cols, QStringLiteral("server_address"));
        QVERIFY2(e.isEmpty(), qPrintable(e));
        const QString ver = dir.filePath(QStringLiteral("ver.session"));
        SQL_OK(buildTelethon(ver, 7));
        {
            SqlFile f(ver);
            SQL_OK(f.exec(QStringLiteral("delete from version")));
        }
        e = expectBad("telethon-sqlite", ver, QStringLiteral("version"));
        QVERIFY2(e.isEmpty(), qPrintable(e));
        // The CLI maps all of these to exit 3, quickly.
        for (const QString &p : {text, key, cols, ver}) {
            auto r = sdtest::runCli({QStringLiteral("inspect"), p, QStringLiteral("--format"), QStringLiteral("telethon-sqlite")}, {}, 10000);
            QCOMPARE(r.exitCode, 3);
            QVERIFY(r.err.startsWith("sessiondesk-cli: "));
        }
    }
};

QTEST_GUILESS_MAIN(TstTelethonSqliteRead)
#include "tst_telethonsqliteread.moc"
