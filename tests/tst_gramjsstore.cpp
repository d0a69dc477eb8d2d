// gramjs-store: the GramJS StoreSession fixture reads with store.json's key, DC and address; the
// fixture's StringSession reads with the same key; written folders (0700, files 0600) read back
// identically, peer cache included, and an existing folder is refused without --force.
#include "testutil.h"

#include "convert/convert.h"
#include "format/registry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

QJsonObject storeJson()
{
    return QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("gramjs/store.json")))).object();
}

QString fixtureDir() { return dataPath(QStringLiteral("gramjs/store")); }

QByteArray keyBytes(int seed)
{
    QByteArray k(256, '\0');
    for (int i = 0; i < 256; ++i)
        k[i] = static_cast<char>((i * 31 + seed) & 0xff);
    return k;
}

Peer peer(qint64 id, PeerType type, std::optional<qint64> hash, const QString &username, const QString &phone,
          const QString &name, qint64 updated)
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

} // namespace

class TestGramjsStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsFixture()
    {
        const QJsonObject expected = storeJson();
        const QByteArray before = treeSha256(fixtureDir());
        auto f = Registry::instance().detect(Source::fromPath(fixtureDir()));
        QVERIFY(f.ok());
        QCOMPARE((*f)->id(), QStringLiteral("gramjs-store"));
        auto store = (*f)->read(Source::fromPath(fixtureDir()), {});
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QCOMPARE(store->accounts.size(), size_t(1));
        const Session &s = store->accounts.front();
        const SecretBytes key = SecretBytes::fromByteArray(hexToBytes(expected.value(QStringLiteral("authKeyHex")).toString()));
        QVERIFY(s.primary()->authKey == key);
        QCOMPARE(s.dcId, expected.value(QStringLiteral("storeDc")).toInt());
        // The address file holds a JSON string.
        const QJsonDocument addr = QJsonDocument::fromJson("[" + readAll(fixtureDir() + QStringLiteral("/store%3AserverAddress")) + "]");
        QCOMPARE(s.primary()->address, addr.array().first().toString());
        QCOMPARE(s.primary()->port, readAll(fixtureDir() + QStringLiteral("/store%3Aport")).trimmed().toInt());
        QVERIFY(!s.userId);
        QVERIFY(s.peers.empty());
        QCOMPARE(treeSha256(fixtureDir()), before); // the input is never modified

        // The StringSession of the same key, made by GramJS.
        auto str = Registry::instance().detect(Source::fromString(expected.value(QStringLiteral("string")).toString().toLatin1()));
        QVERIFY(str.ok());
        QCOMPARE((*str)->id(), QStringLiteral("gramjs-string"));
        auto ss = (*str)->read(Source::fromString(expected.value(QStringLiteral("string")).toString().toLatin1()), {});
        QVERIFY(ss.ok());
        QVERIFY(ss->accounts.front().primary()->authKey == key);
        QCOMPARE(ss->accounts.front().dcId, expected.value(QStringLiteral("stringDc")).toInt());
        QCOMPARE(ss->accounts.front().primary()->authKeyId(), authKeyId(key));
    }

    // A store written by GramJS itself with six entities (users, a basic group, channels).
    void readsGramjsPeers()
    {
        const QJsonObject exp = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("gramjs/peers.json")))).object();
        const QString dir = dataPath(QStringLiteral("gramjs/peers"));
        auto f = Registry::instance().detect(Source::fromPath(dir));
        QVERIFY(f.ok());
        QCOMPARE((*f)->id(), QStringLiteral("gramjs-store"));
        auto st = (*f)->read(Source::fromPath(dir), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QVERIFY(st->warnings.isEmpty());
        const Session &s = st->accounts.front();
        QCOMPARE(s.primary()->authKeyId(), exp.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(s.dcId, exp.value(QStringLiteral("dc")).toInt());
        QCOMPARE(s.primary()->address, exp.value(QStringLiteral("ip")).toString());
        const QJsonArray peers = exp.value(QStringLiteral("peers")).toArray();
        QCOMPARE(s.peers.size(), size_t(peers.size()));
        for (const QJsonValue &v : peers) {
            const QJsonObject o = v.toObject();
            const qint64 marked = o.value(QStringLiteral("markedId")).toString().toLongLong();
            auto it = std::find_if(s.peers.begin(), s.peers.end(), [&](const Peer &p) { return p.markedId() == marked; });
            QVERIFY2(it != s.peers.end(), qPrintable(QString::number(marked)));
            QCOMPARE(it->id, o.value(QStringLiteral("id")).toString().toLongLong());
            QCOMPARE(peerKindName(it->kind()), o.value(QStringLiteral("kind")).toString());
            if (o.value(QStringLiteral("accessHash")).isNull())
                QVERIFY(!it->accessHash);
            else
                QCOMPARE(it->accessHash, std::optional<qint64>(o.value(QStringLiteral("accessHash")).toString().toLongLong()));
            QCOMPARE(it->username().value_or(QString()), o.value(QStringLiteral("username")).toString());
            QCOMPARE(it->phone.value_or(QString()), o.value(QStringLiteral("phone")).toString());
            QCOMPARE(it->name.value_or(QString()), o.value(QStringLiteral("name")).toString());
            QVERIFY(it->updated.has_value() && *it->updated > 1600000000);
        }
        // Written back, the folder reads the same (peer rows included).
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("peers"));
        QVERIFY((*f)->write(*st, out, {}).ok());
        for (const QString &name : QDir(dir).entryList(QDir::Files)) {
            const QByteArray mine = readAll(out + QLatin1Char('/') + name), theirs = readAll(dir + QLatin1Char('/') + name);
            if (name.endsWith(QLatin1String("%3AdcId")) || name.endsWith(QLatin1String("%3Aport"))
                || name.endsWith(QLatin1String("%3AserverAddress")) || name.endsWith(QLatin1String("%3AauthKey"))) {
                QCOMPARE(mine, theirs);
                continue;
            }
            // Entity rows: the same id, hash, username, phone and name; the time in whole seconds.
            const QJsonArray a = QJsonDocument::fromJson(mine).array(), b = QJsonDocument::fromJson(theirs).array();
            QCOMPARE(a.size(), 6);
            for (int i = 0; i < 5; ++i)
                QCOMPARE(a.at(i), b.at(i));
            QCOMPARE(a.at(5).toString().toLongLong(), b.at(5).toString().toLongLong() / 1000 * 1000);
        }
        auto back = (*f)->read(Source::fromPath(out), {});
        QVERIFY(back.ok());
        QCOMPARE(back->accounts.front().peers.size(), s.peers.size());
        QCOMPARE(QDir(out).entryList(QDir::Files), QDir(dir).entryList(QDir::Files));
    }

    void cliInspectJson()
    {
        const CliRun r = runCli({QStringLiteral("inspect"), fixtureDir(), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("gramjs-store"));
        const QJsonObject a = o.value(QStringLiteral("accounts")).toArray().first().toObject();
        const SecretBytes key = SecretBytes::fromByteArray(hexToBytes(storeJson().value(QStringLiteral("authKeyHex")).toString()));
        QCOMPARE(a.value(QStringLiteral("auth_key_id")).toString(), authKeyId(key));
        QVERIFY(a.value(QStringLiteral("user_id")).isNull());
    }

    void writeReadBack()
    {
        QTemporaryDir tmp;
        const Format *fmt = Registry::instance().find(QStringLiteral("gramjs-store"));
        auto src = fmt->read(Source::fromPath(fixtureDir()), {});
        QVERIFY(src.ok());
        const QString out = tmp.filePath(QStringLiteral("mystore"));
        auto conv = convertStore(*src, *fmt, ConvertRequest{}, out);
        QVERIFY2(conv.ok(), conv.ok() ? "" : qPrintable(conv.error().message));
        QCOMPARE(fileMode(out), 0700);
        const QStringList files = QDir(out).entryList(QDir::Files | QDir::Hidden, QDir::Name);
        QCOMPARE(files, (QStringList{QStringLiteral("mystore%3AauthKey"), QStringLiteral("mystore%3AdcId"),
                                     QStringLiteral("mystore%3Aport"), QStringLiteral("mystore%3AserverAddress")}));
        for (const QString &f : files)
            QCOMPARE(fileMode(out + QLatin1Char('/') + f), 0600);
        // Same value encodings as GramJS's own files.
        for (const char *field : {"dcId", "port", "serverAddress", "authKey"})
            QCOMPARE(readAll(out + QStringLiteral("/mystore%3A") + QLatin1String(field)).trimmed(),
                     readAll(fixtureDir() + QStringLiteral("/store%3A") + QLatin1String(field)).trimmed());
        auto back = fmt->read(Source::fromPath(out), {});
        QVERIFY(back.ok());
        const Session &a = src->accounts.front(), &b = back->accounts.front();
        QVERIFY(a.primary()->authKey == b.primary()->authKey);
        QCOMPARE(b.dcId, a.dcId);
        QCOMPARE(b.primary()->address, a.primary()->address);
        QCOMPARE(b.primary()->port, a.primary()->port);

        // An existing folder is refused (exit 5) unless forced, and left untouched.
        const QByteArray before = treeSha256(out);
        auto again = convertStore(*src, *fmt, ConvertRequest{}, out);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
        QCOMPARE(treeSha256(out), before);
        ConvertRequest forced;
        forced.write.force = true;
        QVERIFY(convertStore(*src, *fmt, forced, out).ok());

        const CliRun r = runCli({QStringLiteral("convert"), fixtureDir(), QStringLiteral("--to"), QStringLiteral("gramjs-store"),
                                 QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 5);
    }

    void peerCacheRoundTrip()
    {
        Session s;
        s.dcId = 4;
        DcAuth &d = s.upsertDc(4);
        d.address = QStringLiteral("149.154.167.91");
        d.port = 443;
        d.authKey = SecretBytes::fromByteArray(keyBytes(7));
        s.peers.push_back(peer(777000, PeerType::User, -9223372036854775807LL, QStringLiteral("telegram"),
                               QStringLiteral("42777"), QStringLiteral("Telegram"), 1700000000));
        s.peers.push_back(peer(5000000001LL, PeerType::User, 9223372036854775807LL, QString(), QString(),
                               QStringLiteral("Ünïcode Näme \"quoted\""), 1700000001));
        s.peers.push_back(peer(4242, PeerType::Chat, std::nullopt, QString(), QString(), QStringLiteral("Group"), 1700000002));
        s.peers.push_back(peer(1234567890, PeerType::Channel, 1311768467463790320LL, QStringLiteral("somechannel"),
                               QString(), QStringLiteral("Channel"), 1700000003));
        Store st;
        st.accounts.push_back(s);
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("peers"));
        const Format *fmt = Registry::instance().find(QStringLiteral("gramjs-store"));
        QVERIFY(fmt->write(st, out, {}).ok());
        // GramJS marks channels by concatenation: "-100" + id.
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/peers%3A-1001234567890")));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/peers%3A-4242")));
        const QJsonArray row = QJsonDocument::fromJson(readAll(out + QStringLiteral("/peers%3A777000"))).array();
        QCOMPARE(row.size(), 6);
        QCOMPARE(row.at(0).toString(), QStringLiteral("777000"));
        QCOMPARE(row.at(1).toString(), QStringLiteral("-9223372036854775807")); // exact, as text
        QCOMPARE(row.at(5).toString(), QStringLiteral("1700000000000")); // text, as GramJS writes it

        auto back = fmt->read(Source::fromPath(out), {});
        QVERIFY(back.ok());
        const Session &r = back->accounts.front();
        QCOMPARE(r.peers.size(), s.peers.size());
        for (const Peer &want : s.peers) {
            auto it = std::find_if(r.peers.begin(), r.peers.end(), [&](const Peer &p) { return p.markedId() == want.markedId(); });
            QVERIFY2(it != r.peers.end(), qPrintable(QString::number(want.markedId())));
            QCOMPARE(it->id, want.id);
            QCOMPARE(it->kind(), want.kind());
            if (want.kind() == PeerKind::Chat)
                QVERIFY(!it->accessHash);
            else
                QCOMPARE(it->accessHash, want.accessHash);
            QCOMPARE(it->usernames, want.usernames);
            QCOMPARE(it->phone, want.phone);
            QCOMPARE(it->name, want.name);
            QCOMPARE(it->updated, want.updated);
        }
        ReadOptions countsOnly;
        countsOnly.loadPeers = false;
        auto counts = fmt->read(Source::fromPath(out), countsOnly);
        QVERIFY(counts.ok());
        QVERIFY(counts->accounts.front().peerCountsOnly);
        QCOMPARE(counts->accounts.front().peerCountsOnly->total(), 4);
        QCOMPARE(counts->accounts.front().peerCountsOnly->channels, 1);

        // --no-peers writes none.
        WriteOptions noPeers;
        noPeers.carryPeers = false;
        const QString bare = tmp.filePath(QStringLiteral("bare"));
        QVERIFY(fmt->write(st, bare, noPeers).ok());
        QCOMPARE(QDir(bare).entryList(QDir::Files).size(), 4);
    }

    // String -> store -> string through the CLI: the GramJS string of store.json becomes a folder
    // named after its target and converts back to the very same string.
    void cliStringToStoreAndBack()
    {
        const QByteArray str = storeJson().value(QStringLiteral("string")).toString().toLatin1();
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("fromstring"));
        const CliRun w = runCli({QStringLiteral("convert"), QStringLiteral("-"), QStringLiteral("--to"), QStringLiteral("gramjs-store"),
                                 QStringLiteral("-o"), out},
                                str + '\n');
        QVERIFY2(w.exitCode == 0, w.err.constData());
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/fromstring%3AauthKey")));
        QCOMPARE(fileMode(out), 0700);
        const CliRun back = runCli({QStringLiteral("convert"), out, QStringLiteral("--to"), QStringLiteral("gramjs-string")});
        QVERIFY2(back.exitCode == 0, back.err.constData());
        QCOMPARE(back.out.trimmed(), str);
    }

    // A store created with new StoreSession("sessions/my") keys its files "sessions%2Fmy%3A...";
    // reading keeps that name and rewriting in place (prune) keeps the keys GramJS looks for.
    void nestedNameAndPrune()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("my"));
        QVERIFY(QDir().mkpath(dir));
        for (const char *field : {"authKey", "dcId", "port", "serverAddress"})
            QVERIFY(QFile::copy(fixtureDir() + QStringLiteral("/store%3A") + QLatin1String(field),
                                dir + QStringLiteral("/sessions%2Fmy%3A") + QLatin1String(field)));
        const Format *fmt = Registry::instance().find(QStringLiteral("gramjs-store"));
        auto st = fmt->read(Source::fromPath(dir), {});
        QVERIFY(st.ok());
        QCOMPARE(st->variant, QStringLiteral("sessions/my"));
        Session &s = st->accounts.front();
        s.peers.push_back(peer(1000, PeerType::User, 5, QStringLiteral("u1"), QString(), QStringLiteral("U"), 1600000000));
        s.peers.push_back(peer(2000, PeerType::Channel, 6, QStringLiteral("c1"), QString(), QStringLiteral("C"), 1600000000));
        WriteOptions wo;
        wo.force = true;
        wo.variant = st->variant;
        QVERIFY(fmt->write(*st, dir, wo).ok());
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/sessions%2Fmy%3A1000")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/sessions%2Fmy%3A-1002000")));

        const CliRun r = runCli({QStringLiteral("prune"), dir, QStringLiteral("--type"), QStringLiteral("user"),
                                 QStringLiteral("--no-backup"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto after = fmt->read(Source::fromPath(dir), {});
        QVERIFY(after.ok());
        QCOMPARE(after->variant, QStringLiteral("sessions/my"));
        QCOMPARE(after->accounts.front().peers.size(), size_t(1));
        QCOMPARE(after->accounts.front().peers.front().kind(), PeerKind::Channel);
        QVERIFY(after->accounts.front().primary()->authKey == st->accounts.front().primary()->authKey);
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/sessions%2Fmy%3AauthKey")));
    }

    void badFolders()
    {
        QTemporaryDir tmp;
        const Format *fmt = Registry::instance().find(QStringLiteral("gramjs-store"));
        // A key that is not a Buffer.
        const QString d1 = tmp.filePath(QStringLiteral("s1"));
        QVERIFY(QDir().mkpath(d1));
        QFile f(d1 + QStringLiteral("/s1%3AauthKey"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"type\":\"Buffer\",\"data\":[1,2,3]}");
        f.close();
        auto r = fmt->read(Source::fromPath(d1), {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QVERIFY(r.error().message.contains(QStringLiteral("256")));
        // Not JSON at all.
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("\x01\x02garbage{");
        f.close();
        QVERIFY(!fmt->read(Source::fromPath(d1), {}).ok());
        // CLI: exit 3 with one line.
        const CliRun c = runCli({QStringLiteral("inspect"), d1});
        QCOMPARE(c.exitCode, 3);
        QCOMPARE(c.err.count('\n'), 1);
        // GramJS refuses the store name "session".
        Store st;
        Session s;
        s.dcId = 2;
        s.upsertDc(2).authKey = SecretBytes::fromByteArray(keyBytes(1));
        st.accounts.push_back(s);
        QVERIFY(!fmt->write(st, tmp.filePath(QStringLiteral("session")), {}).ok());
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("session"))));
    }
};

QTEST_GUILESS_MAIN(TestGramjsStore)
#include "tst_gramjsstore.moc"
