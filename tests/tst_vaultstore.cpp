// The vault file with the in-memory secret store: import and load back every field (a key-less DC
// entry too), no key material in the file, private files, open/reopen, refusal of newer or foreign files, large peer caches.
#include "testutil.h"
#include "vaulttestutil.h"

#include "secrets/memorysecretstore.h"
#include "vault/vault.h"
#include "vault/vaultschema.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace vaulttest;

namespace {

QByteArray vaultBytes(const QString &path)
{
    return sdtest::readAll(path) + sdtest::readAll(path + QStringLiteral("-wal"));
}

} // namespace

class TestVaultStore : public QObject, private VaultDir {
    Q_OBJECT
private Q_SLOTS:
    void importLoadRoundTrip()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY2(v.ok(), qPrintable(v ? QString() : v.error().message));
        const Session s = makeSession();
        auto items = (*v)->importStore(makeStore({s}), {QStringLiteral("mine"), QStringLiteral("/x/a.session"), -1});
        QVERIFY2(items.ok(), qPrintable(items ? QString() : items.error().message));
        QCOMPARE(items->size(), size_t(1));
        const VaultImportItem it = items->front();
        QVERIFY(!it.id.isEmpty());
        QVERIFY(it.duplicateOf.isEmpty());
        QCOMPARE(it.authKeyId, s.primary()->authKeyId());
        // Exactly one keychain entry, named <vault id>/<account id>.
        QCOMPARE(secrets.keys(), QStringList{(*v)->vaultId() + QLatin1Char('/') + it.id});
        QCOMPARE((*v)->vaultId().size(), 32);

        auto list = (*v)->list();
        QVERIFY(list.ok());
        QCOMPARE(list->size(), size_t(1));
        const VaultAccount &a = list->front();
        QCOMPARE(a.id, it.id);
        QCOMPARE(a.label, QStringLiteral("mine"));
        QCOMPARE(a.format, QStringLiteral("telethon-sqlite"));
        QCOMPARE(a.userId, s.userId);
        QCOMPARE(a.dcId, 2);
        QCOMPARE(a.authKeyId, s.primary()->authKeyId());
        QCOMPARE(a.dcCount, 3);
        QCOMPARE(a.peerCount, qint64(3));
        QVERIFY(qAbs(a.importedAt - QDateTime::currentSecsSinceEpoch()) < 60);

        auto back = (*v)->loadSession(it.id);
        QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
        const Session &b = *back;
        QCOMPARE(b.dcs.size(), s.dcs.size());
        for (size_t i = 0; i < s.dcs.size(); ++i) {
            QVERIFY(b.dcs[i].authKey == s.dcs[i].authKey);
            QCOMPARE(b.dcs[i].dcId, s.dcs[i].dcId);
            QCOMPARE(b.dcs[i].isTemp, s.dcs[i].isTemp);
            QCOMPARE(b.dcs[i].address, s.dcs[i].address);
            QCOMPARE(b.dcs[i].salt, s.dcs[i].salt);
            QCOMPARE(b.dcs[i].expiresAt, s.dcs[i].expiresAt);
            QCOMPARE(b.dcs[i].extra, s.dcs[i].extra);
        }
        QCOMPARE(b.userId, s.userId);
        QCOMPARE(b.apiId, s.apiId);
        QCOMPARE(b.apiHash, s.apiHash);
        QCOMPARE(b.username, s.username);
        QCOMPARE(b.phone, s.phone);
        QCOMPARE(b.extra, s.extra);
        QVERIFY(b.updateState.has_value());
        QCOMPARE(b.updateState->pts, s.updateState->pts);
        QCOMPARE(b.updateState->seq, s.updateState->seq);
        QCOMPARE(b.updateState->channelPts, s.updateState->channelPts);
        QCOMPARE(b.peers.size(), size_t(3));
        QCOMPARE(b.peers[0].accessHash, s.peers[0].accessHash); // 64-bit exact
        QCOMPARE(b.peers[0].usernames, s.peers[0].usernames);
        QCOMPARE(b.peers[1].id, s.peers[1].id);
        QVERIFY(b.peers[1].type == PeerType::Supergroup);
        QCOMPARE(b.peers[1].raw, s.peers[1].raw);
        QCOMPARE(b.peers[1].extra, s.peers[1].extra);
        QVERIFY(b.peers[2].type == PeerType::Bot);
        QVERIFY(b.peers[2].isMin);
        QCOMPARE(b.conversations.size(), size_t(1));
        QCOMPARE(b.conversations[0].step, s.conversations[0].step);
        QCOMPARE(b.conversations[0].data, s.conversations[0].data);

        // No key material in the vault file or its WAL: raw, hex, base64.
        const QByteArray file = vaultBytes((*v)->path());
        QVERIFY(file.size() > 1000);
        for (const DcAuth &d : s.dcs) {
            const QByteArray raw = d.authKey.exposeUnsafe();
            QVERIFY(!file.contains(raw));
            QVERIFY(!file.contains(raw.toHex()));
            QVERIFY(!file.contains(raw.toHex().toUpper()));
            QVERIFY(!file.contains(raw.toBase64()));
            QVERIFY(!file.contains(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
            QVERIFY(file.contains(d.authKeyId().toLatin1())); // the id is kept
        }
        QVERIFY(!file.contains(QByteArray(32, '\x5a')));             // session extras go to the keychain
        QVERIFY(!file.contains(QByteArrayLiteral("0123456789abcdef0123456789abcdef"))); // api hash too
    }

    // A DC entry without a key (mtcute keeps its media DC's address before it has a key) is kept
    // with an empty auth_key_id, and the account loads back with that entry still key-less.
    void dcWithoutKeyRoundTrips()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v);
        Session s = makeSession();
        DcAuth media;
        media.dcId = 4;
        media.mediaOnly = true;
        media.address = QStringLiteral("149.154.167.255");
        media.port = 443;
        s.dcs.push_back(media);
        auto items = (*v)->importStore(makeStore({s}), {});
        QVERIFY2(items, qPrintable(items ? QString() : items.error().message));
        auto back = (*v)->loadSession(items->front().id);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->dcs.size(), s.dcs.size());
        QVERIFY(back->dcs.back().authKey.isEmpty());
        QVERIFY(back->dcs.back().mediaOnly);
        QCOMPARE(back->dcs.back().address, media.address);
        QVERIFY(back->dcs.front().authKey == s.dcs.front().authKey);
        QCOMPARE(back->primary()->authKeyId(), s.primary()->authKeyId());
    }

    void filesArePrivate()
    {
        MemorySecretStore secrets;
        const QString path = m_dir.filePath(QStringLiteral("deep/er/vault.sqlite"));
        auto v = Vault::open(path, secrets, true);
        QVERIFY(v.ok());
        QVERIFY((*v)->importStore(makeStore({makeSession()}), {}).ok());
        QCOMPARE(sdtest::fileMode(path), 0600);
        QCOMPARE(sdtest::fileMode(QFileInfo(path).absolutePath()), 0700);
        if (QFileInfo::exists(path + QStringLiteral("-wal")))
            QCOMPARE(sdtest::fileMode(path + QStringLiteral("-wal")), 0600);
        QSqlQuery q((*v)->db().db());
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QSqlQuery fk((*v)->db().db());
        QVERIFY(fk.exec(QStringLiteral("PRAGMA foreign_keys")) && fk.next());
        QCOMPARE(fk.value(0).toInt(), 1);
        QCOMPARE(*(*v)->schemaVersion(), vaultschema::kCurrentVersion);
    }

    void openWithoutCreateRefusesMissing()
    {
        MemorySecretStore secrets;
        const QString path = freshPath();
        auto v = Vault::open(path, secrets, false);
        QVERIFY(!v.ok());
        QCOMPARE(v.error().kind, ErrorKind::BadInput);
        QVERIFY(!QFileInfo::exists(path));
    }

    void reopenKeepsIdAndData()
    {
        MemorySecretStore secrets;
        const QString path = freshPath();
        QString vaultId, id;
        {
            auto v = Vault::open(path, secrets, true);
            QVERIFY(v.ok());
            vaultId = (*v)->vaultId();
            auto items = (*v)->importStore(makeStore({makeSession()}), {});
            QVERIFY(items.ok());
            id = items->front().id;
            QCOMPARE(items->front().label, QStringLiteral("@someone0"));
        }
        auto v = Vault::open(path, secrets, false);
        QVERIFY(v.ok());
        QCOMPARE((*v)->vaultId(), vaultId);
        QVERIFY((*v)->loadSession(id).ok());
    }

    void refusesNewerSchemaAndForeignFiles()
    {
        MemorySecretStore secrets;
        const QString path = freshPath();
        {
            auto v = Vault::open(path, secrets, true);
            QVERIFY(v.ok());
            QSqlQuery q((*v)->db().db());
            QVERIFY(q.exec(QStringLiteral("UPDATE schema_version SET version = 99")));
        }
        const QByteArray before = sdtest::fileSha256(path);
        auto v = Vault::open(path, secrets, false);
        QVERIFY(!v.ok());
        QCOMPARE(v.error().kind, ErrorKind::BadInput);
        QVERIFY(v.error().message.contains(QLatin1String("newer")));
        QCOMPARE(sdtest::fileSha256(path), before);

        const QString other = m_dir.filePath(QStringLiteral("not-a-vault.sqlite"));
        {
            auto db = SqliteDb::create(other);
            QVERIFY(db.ok());
            QVERIFY((*db)->execAll({QStringLiteral("CREATE TABLE sessions (dc_id INTEGER)")}).ok());
        }
        auto f = Vault::open(other, secrets, false);
        QVERIFY(!f.ok());
        QVERIFY(f.error().message.contains(QLatin1String("not a SessionDesk vault")));
    }

    void largePeerCacheRoundTrips()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        Session s = makeSession();
        s.peers.clear();
        const int n = 20000;
        for (int i = 0; i < n; ++i) {
            Peer p;
            p.id = 1000000000LL + i;
            p.type = i % 3 == 0 ? PeerType::Channel : PeerType::User;
            p.accessHash = -(qint64(1) << 62) + i;
            p.usernames = {QStringLiteral("u%1").arg(i)};
            p.updated = 1700000000 + i;
            s.peers.push_back(p);
        }
        QElapsedTimer t;
        t.start();
        auto items = (*v)->importStore(makeStore({s}), {});
        QVERIFY(items.ok());
        const qint64 importMs = t.restart();
        auto back = (*v)->loadSession(items->front().id);
        QVERIFY(back.ok());
        const qint64 loadMs = t.elapsed();
        qInfo("vault: %d peers imported in %lld ms, loaded in %lld ms", n, importMs, loadMs);
        QCOMPARE(back->peers.size(), size_t(n));
        QCOMPARE(back->peers.back().accessHash, s.peers.back().accessHash);
        QCOMPARE(back->peerCounts().channels, s.peerCounts().channels);
        QCOMPARE((*v)->list()->front().peerCount, qint64(n));
    }
};

QTEST_GUILESS_MAIN(TestVaultStore)
#include "tst_vaultstore.moc"
