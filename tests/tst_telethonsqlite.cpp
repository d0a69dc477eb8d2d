// telethon-sqlite (Telethon v1, versions 1-7) and telethon2-sqlite (Telethon v2, version 10):
// the real fixture reads back the values its JSON names, every older layout reads, writers produce
// the exact schemas, round trips are lossless, and the SQL peer queries agree with the filters.
#include "format/peertable.h"
#include "format/registry.h"
#include "sessiondiff.h"
#include "testutil.h"
#include "tools/sqlitebuild.h"
#include "tools/telethonbuild.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using sdtest::SqlFile;
using sdtest::buildTelethon;
using sdtest::richSession;

namespace {

const Format &fmt(const char *id)
{
    const Format *f = Registry::instance().find(QString::fromLatin1(id));
    Q_ASSERT(f);
    return *f;
}

QJsonObject fixtureJson()
{
    return QJsonDocument::fromJson(sdtest::readAll(sdtest::dataPath(QStringLiteral("telethon/basic.json")))).object();
}

Store storeOf(const Session &s)
{
    Store st;
    st.accounts.push_back(s);
    return st;
}

Result<Store> readFile(const char *format, const QString &path, bool loadPeers = true)
{
    ReadOptions o;
    o.loadPeers = loadPeers;
    return fmt(format).read(Source::fromPath(path), o);
}

} // namespace

class TstTelethonSqlite : public QObject {
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

    void writesVersion7Schema()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("w.session"));
        Session s = richSession();
        s.dcs.front().authKey = SecretBytes();
        WriteOptions wo;
        QVERIFY(fmt("telethon-sqlite").write(storeOf(s), out, wo).ok());
        QCOMPARE(sdtest::fileMode(out), 0600);
        SqlFile f(out);
        QCOMPARE(f.tables(), (QStringList{QStringLiteral("entities"), QStringLiteral("sent_files"), QStringLiteral("sessions"),
                                          QStringLiteral("update_state"), QStringLiteral("version")}));
        QCOMPARE(f.columns(QStringLiteral("sessions")),
                 (QStringList{QStringLiteral("dc_id"), QStringLiteral("server_address"), QStringLiteral("port"), QStringLiteral("auth_key"),
                              QStringLiteral("takeout_id")}));
        QCOMPARE(f.columns(QStringLiteral("entities")),
                 (QStringList{QStringLiteral("id"), QStringLiteral("hash"), QStringLiteral("username"), QStringLiteral("phone"),
                              QStringLiteral("name"), QStringLiteral("date")}));
        QCOMPARE(f.scalar(QStringLiteral("select version from version")).toInt(), 7);
        QCOMPARE(f.scalar(QStringLiteral("select count(*) from version")).toInt(), 1);
        // No key: an empty BLOB, as Telethon writes b''.
        QCOMPARE(f.scalar(QStringLiteral("select typeof(auth_key) from sessions")).toString(), QStringLiteral("blob"));
        QCOMPARE(f.scalar(QStringLiteral("select hash from entities where id = 0")).toLongLong(), Q_INT64_C(7000000001));
        QCOMPARE(f.scalar(QStringLiteral("select typeof(phone) from entities where id = 1001")).toString(), QStringLiteral("integer"));
        QCOMPARE(f.scalar(QStringLiteral("select pts from update_state where id = 1234567890")).toInt(), 55);
        QCOMPARE(f.scalar(QStringLiteral("select count(*) from update_state")).toInt(), 3);
        // Refuses an existing output unless forced.
        auto again = fmt("telethon-sqlite").write(storeOf(s), out, wo);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
        wo.force = true;
        QVERIFY(fmt("telethon-sqlite").write(storeOf(s), out, wo).ok());
    }

    void roundTripTelethonLossless()
    {
        QTemporaryDir dir;
        const Session s = richSession();
        const QString a = dir.filePath(QStringLiteral("a.session"));
        QVERIFY(fmt("telethon-sqlite").write(storeOf(s), a, {}).ok());
        auto back = readFile("telethon-sqlite", a);
        QVERIFY(back.ok());
        Session expect = s;
        expect.testMode = false; // inferred from the production DC address
        const QStringList d = sdtest::diffSessions(expect, back->accounts.front());
        QVERIFY2(d.isEmpty(), qPrintable(d.join(QLatin1Char('\n'))));
        QCOMPARE(back->accounts.front().takeoutId, s.takeoutId);

        // The real fixture: read -> write -> read is identical (extra: the sent_files cache too).
        auto fx = readFile("telethon-sqlite", sdtest::dataPath(QStringLiteral("telethon/basic.session")));
        QVERIFY(fx.ok());
        const QString b = dir.filePath(QStringLiteral("b.session"));
        QVERIFY(fmt("telethon-sqlite").write(*fx, b, {}).ok());
        auto fx2 = readFile("telethon-sqlite", b);
        QVERIFY(fx2.ok());
        sdtest::DiffOptions all;
        all.extra = true;
        const QStringList d2 = sdtest::diffSessions(fx->accounts.front(), fx2->accounts.front(), all);
        QVERIFY2(d2.isEmpty(), qPrintable(d2.join(QLatin1Char('\n'))));
    }

    void telethon2ReadWrite()
    {
        QTemporaryDir dir;
        Session s = richSession();
        s.peers.clear();
        s.takeoutId.reset();
        s.isBot = true;
        s.username = QStringLiteral("owner_name");
        s.testMode = false;
        DcAuth &d4 = s.upsertDc(4);
        d4.address = QStringLiteral("2001:67c:4e8:f004::a");
        d4.ipv6 = true;
        d4.port = 443;
        d4.authKey = SecretBytes::fromByteArray(sdtest::testKey(4));
        const QString out = dir.filePath(QStringLiteral("v2.session"));
        QVERIFY(fmt("telethon2-sqlite").write(storeOf(s), out, {}).ok());
        {
            SqlFile f(out);
            QCOMPARE(f.scalar(QStringLiteral("select version from version")).toInt(), 10);
            QCOMPARE(f.columns(QStringLiteral("datacenter")),
                     (QStringList{QStringLiteral("id"), QStringLiteral("ipv4_addr"), QStringLiteral("ipv6_addr"), QStringLiteral("auth")}));
            QCOMPARE(f.scalar(QStringLiteral("select ipv4_addr from datacenter where id = 2")).toString(), QStringLiteral("149.154.167.51:443"));
            QCOMPARE(f.scalar(QStringLiteral("select dc from user")).toInt(), 2);
            QCOMPARE(f.scalar(QStringLiteral("select count(*) from channelstate")).toInt(), 2);
        }
        Probe probe = *Probe::fromSource(Source::fromPath(out));
        auto det = Registry::instance().detect(probe);
        QVERIFY(det.ok());
        QCOMPARE((*det)->id(), QStringLiteral("telethon2-sqlite"));
        auto back = readFile("telethon2-sqlite", out);
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QCOMPARE(back->formatVersion.value_or(0), 10);
        const Session &r = back->accounts.front();
        const QStringList d = sdtest::diffSessions(s, r);
        QVERIFY2(d.isEmpty(), qPrintable(d.join(QLatin1Char('\n'))));
        QCOMPARE(r.username.value_or(QString()), QStringLiteral("owner_name"));

        // Telethon v1 -> v2 -> v1 keeps everything both carry (v2 has no peer cache).
        const QString v1 = dir.filePath(QStringLiteral("v1.session"));
        Session one = richSession();
        one.takeoutId.reset();
        WriteOptions force;
        force.force = true;
        QVERIFY(fmt("telethon2-sqlite").write(storeOf(one), out, force).ok());
        auto mid = readFile("telethon2-sqlite", out);
        QVERIFY(mid.ok());
        QVERIFY(fmt("telethon-sqlite").write(*mid, v1, {}).ok());
        auto end = readFile("telethon-sqlite", v1);
        QVERIFY(end.ok());
        sdtest::DiffOptions noPeers;
        noPeers.peers = false;
        one.testMode = false;
        const QStringList d3 = sdtest::diffSessions(one, end->accounts.front(), noPeers);
        QVERIFY2(d3.isEmpty(), qPrintable(d3.join(QLatin1Char('\n'))));
    }

    void telethon2OlderLayout()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("alpha.session"));
        {
            SqlFile f(path);
            SQL_OK(f.script({QStringLiteral("create table version (version integer primary key)"),
                             QStringLiteral("create table datacenter(id integer primary key, addr text not null, auth blob)"),
                             QStringLiteral("create table user(id integer primary key, dc integer not null, bot integer not null)"),
                             QStringLiteral("create table state(pts integer not null, qts integer not null, date integer not null, seq integer not null)"),
                             QStringLiteral("create table channelstate(id integer primary key, pts integer not null)"),
                             QStringLiteral("insert into version values (10)"),
                             QStringLiteral("insert into user values (8919848716, 5, 0)"),
                             QStringLiteral("insert into state values (11, 12, 1700000000, 13)"),
                             QStringLiteral("insert into channelstate values (777, 3)")}));
            SQL_OK(f.exec(QStringLiteral("insert into datacenter values (5, '91.108.56.197:443', ?)"), {sdtest::testKey(5)}));
            SQL_OK(f.exec(QStringLiteral("insert into datacenter values (2, '149.154.167.51:443', NULL)")));
        }
        auto st = readFile("telethon2-sqlite", path);
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        const Session &s = st->accounts.front();
        QCOMPARE(s.dcId, 5);
        QCOMPARE(s.userId.value_or(0), Q_INT64_C(8919848716));
        QCOMPARE(s.isBot, std::optional<bool>(false));
        QCOMPARE(s.primary()->address, QStringLiteral("91.108.56.197"));
        QCOMPARE(s.primary()->port, 443);
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(sdtest::testKey(5)));
        QCOMPARE(s.dcs.size(), size_t(2));
        QCOMPARE(s.updateState->qts.value_or(0), qint64(12));
        QCOMPARE(s.updateState->channelPts.value(777), qint64(3));
        // v1 <-> v2 mix-ups are named.
        auto wrong = readFile("telethon-sqlite", path);
        QVERIFY(!wrong.ok());
        QVERIFY(wrong.error().message.contains(QStringLiteral("telethon2-sqlite")));
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
        QVERIFY(fmt("telethon-sqlite").read(Source::fromPath(path), o).ok());
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

    void sqlPeerQueries()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("q.session"));
        QVERIFY(fmt("telethon-sqlite").write(storeOf(richSession()), path, {}).ok());
        const Source src = Source::fromPath(path);
        auto q = [&](std::optional<PeerKind> kind, const QString &search, qint64 limit = -1, qint64 offset = 0) {
            PeerQuery pq;
            pq.kind = kind;
            pq.search = search;
            pq.limit = limit;
            pq.offset = offset;
            auto r = fmt("telethon-sqlite").queryPeers(src, pq, {});
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

        auto table = fmt("telethon-sqlite").openPeerTable(src, {}, 0);
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

QTEST_GUILESS_MAIN(TstTelethonSqlite)
#include "tst_telethonsqlite.moc"
