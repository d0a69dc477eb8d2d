// sessiondesk-json: the project's own lossless export reads back every field of the domain model.
#include "format/registry.h"
#include "sessiondiff.h"
#include "testutil.h"

#include <QtTest>

using namespace sd;

namespace {
Session richSession(int seed)
{
    Session s;
    s.dcId = 2;
    s.testMode = false;
    s.userId = Q_INT64_C(5000000000) + seed;
    s.isBot = seed % 2 == 1;
    s.apiId = 12345;
    s.apiHash = QStringLiteral("0123456789abcdef0123456789abcdef");
    s.firstName = QStringLiteral("Zoë");
    s.username = QStringLiteral("zoe_bot");
    s.mediaDcId = 4;
    for (int dc : {2, 4}) {
        DcAuth &d = s.upsertDc(dc);
        d.address = dc == 2 ? QStringLiteral("149.154.167.51") : QStringLiteral("2001:67c:4e8:f004::a");
        d.ipv6 = dc == 4;
        d.port = 443;
        d.authKey = SecretBytes::random(256);
        d.salt = Q_INT64_C(-7000000000000000001);
        d.extra.insert(QStringLiteral("blob"), QByteArray("\x00\x01\xff", 3));
    }
    DcAuth &t = s.upsertDc(2, false, true);
    t.authKey = SecretBytes::random(256);
    t.expiresAt = 1800000000;
    UpdateState u;
    u.pts = 100;
    u.qts = 0;
    u.date = 1700000000;
    u.seq = 7;
    u.channelPts.insert(1234567890, 55);
    s.updateState = u;
    Peer a;
    a.id = 777000;
    a.type = PeerType::User;
    a.accessHash = Q_INT64_C(-9223372036854775807);
    a.usernames = {QStringLiteral("telegram"), QStringLiteral("tg")};
    a.phone = QStringLiteral("42777");
    a.name = QStringLiteral("Telegram");
    a.updated = 1700000100;
    Peer c;
    c.id = 1234567890;
    c.type = PeerType::Supergroup;
    c.accessHash = Q_INT64_C(9223372036854775807);
    c.isMin = true;
    c.raw = QByteArray("\xde\xad\xbe\xef", 4);
    c.rawFormat = QStringLiteral("mtcute-sqlite");
    s.peers = {a, c};
    Conversation conv;
    conv.chatId = -100123;
    conv.userId = 42;
    conv.name = QStringLiteral("signup");
    conv.step = QStringLiteral("ask_email");
    conv.data = QByteArray("{\"k\":1}");
    conv.created = 1700000000;
    conv.updated = 1700000500;
    s.conversations = {conv};
    s.extra.insert(QStringLiteral("keys_to_destroy"), QVariantList{QByteArray("abc"), qint64(5)});
    return s;
}
} // namespace

class TestSessiondeskJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripIsLossless()
    {
        const Format *f = Registry::instance().find(QStringLiteral("sessiondesk-json"));
        QVERIFY(f);
        Store store;
        store.formatId = QStringLiteral("tdata");
        store.accounts = {richSession(1), richSession(2)};
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("export.json"));
        QVERIFY(f->write(store, path, {}).ok());
        QCOMPARE(sdtest::fileMode(path), 0600);

        // Detected from content, read back identically (extra and raw blobs included).
        auto detected = Registry::instance().detect(Source::fromPath(path));
        QVERIFY(detected.ok());
        QCOMPARE((*detected)->id(), QStringLiteral("sessiondesk-json"));
        auto back = f->read(Source::fromPath(path), {});
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
        QCOMPARE(back->accounts.size(), size_t(2));
        sdtest::DiffOptions all;
        all.extra = true;
        all.peerRaw = true;
        for (size_t i = 0; i < 2; ++i) {
            const QStringList diff = sdtest::diffSessions(store.accounts[i], back->accounts[i], all);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QCOMPARE(back->accounts[0].apiHash, store.accounts[0].apiHash);
        QCOMPARE(back->accounts[0].firstName, QStringLiteral("Zoë"));
        QCOMPARE(back->accounts[0].mediaDcId, std::optional<int>(4));
        QCOMPARE(back->accounts[0].dcs[0].salt, store.accounts[0].dcs[0].salt);
        QCOMPARE(back->accounts[0].dcs[2].expiresAt, std::optional<qint64>(1800000000));

        // Refuses to overwrite without force.
        const Status again = f->write(store, path, {});
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
    }
    void countsOnlyWhenPeersAreNotLoaded()
    {
        const Format *f = Registry::instance().find(QStringLiteral("sessiondesk-json"));
        Store store;
        store.accounts = {richSession(3)};
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("e.json"));
        QVERIFY(f->write(store, path, {}).ok());
        ReadOptions ro;
        ro.loadPeers = false;
        auto back = f->read(Source::fromPath(path), ro);
        QVERIFY(back.ok());
        QVERIFY(back->accounts[0].peers.empty());
        QCOMPARE(back->accounts[0].peerCounts().total(), 2);
        QCOMPARE(back->accounts[0].peerCounts().channels, 1);
    }
    void rejectsCorruptExports_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::addColumn<QString>("expect");
        QTest::newRow("truncated") << QByteArray("{\"sessiondesk\": 1, \"accounts\": [") << QStringLiteral("not valid JSON");
        QTest::newRow("future") << QByteArray("{\"sessiondesk\": 9, \"accounts\": []}") << QStringLiteral("version 9");
        QTest::newRow("no accounts") << QByteArray("{\"sessiondesk\": 1, \"accounts\": []}") << QStringLiteral("no account");
        QTest::newRow("bad key") << QByteArray("{\"sessiondesk\": 1, \"accounts\": [{\"dc_id\": 2, \"dcs\": [{\"dc_id\": 2, \"auth_key\": \"***\"}]}]}")
                                 << QStringLiteral("base64");
        QTest::newRow("wrong id") << QByteArray("{\"sessiondesk\": 1, \"accounts\": [{\"dc_id\": 2, \"dcs\": [{\"dc_id\": 2, \"auth_key\": \"AAEC\", \"auth_key_id\": \"0000000000000000\"}]}]}")
                                  << QStringLiteral("does not match");
        QTest::newRow("type") << QByteArray("{\"sessiondesk\": 1, \"accounts\": [{\"dc_id\": \"two\"}]}") << QStringLiteral("not a number");
    }
    void rejectsCorruptExports()
    {
        QFETCH(QByteArray, doc);
        QFETCH(QString, expect);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(doc);
        file.close();
        const QByteArray before = sdtest::fileSha256(path);
        const sdtest::CliRun r = sdtest::runCli({QStringLiteral("inspect"), path});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(expect.toUtf8()), r.err.constData());
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QCOMPARE(sdtest::fileSha256(path), before);
    }
};

QTEST_GUILESS_MAIN(TestSessiondeskJson)
#include "tst_sessiondeskjson.moc"
