// The vault with the in-memory secret store: import, duplicates, remove, export, and the
// "secret first, rows in one transaction" ordering (rollback when either side fails).
#include "testutil.h"

#include "secrets/memorysecretstore.h"
#include "vault/secretblob.h"
#include "vault/vault.h"
#include "vault/vaultschema.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;

namespace {

// A string format that writes "dc:<id>:<hex key>", so export is tested without depending on any
// real format's writer.
class HexStringFormat : public Format {
public:
    QString id() const override { return QStringLiteral("test-hex-string"); }
    QString displayName() const override { return QStringLiteral("test"); }
    SourceKind sourceKind() const override { return SourceKind::String; }
    Capabilities capabilities() const override { return Capability::DcId | Capability::AuthKey | Capability::UserId; }
    bool canRead() const override { return false; }
    bool canWrite() const override { return true; }
    int detect(const Probe &) const override { return 0; }
    Result<QByteArray> encodeString(const Session &s, const WriteOptions &) const override
    {
        if (!s.primary() || s.primary()->authKey.isEmpty())
            return Error::badInput(QStringLiteral("no key"));
        return QByteArray(QByteArray("dc:") + QByteArray::number(s.dcId) + ':' + s.primary()->authKey.exposeUnsafeHex());
    }
};

Session makeSession(int variant = 0)
{
    Session s;
    s.dcId = 2;
    s.testMode = false;
    s.userId = 5000000000LL + variant;
    s.isBot = false;
    s.apiId = 12345;
    s.apiHash = QStringLiteral("0123456789abcdef0123456789abcdef");
    s.username = QStringLiteral("someone%1").arg(variant);
    s.firstName = QStringLiteral("Some");
    s.phone = QStringLiteral("79001234567");
    DcAuth &d2 = s.upsertDc(2);
    d2.address = QStringLiteral("149.154.167.51");
    d2.port = 443;
    d2.authKey = SecretBytes::random(256);
    d2.salt = -1234567890123LL;
    DcAuth &d4 = s.upsertDc(4);
    d4.address = QStringLiteral("149.154.167.91");
    d4.port = 443;
    d4.authKey = SecretBytes::random(256);
    d4.extra.insert(QStringLiteral("note"), QStringLiteral("dc4"));
    DcAuth temp;
    temp.dcId = 2;
    temp.isTemp = true;
    temp.expiresAt = 1700003600;
    temp.authKey = SecretBytes::random(256);
    s.dcs.push_back(temp);
    UpdateState u;
    u.pts = 100;
    u.qts = 0;
    u.date = 1700000000;
    u.seq = 7;
    u.channelPts.insert(1234567890123LL, 55);
    s.updateState = u;
    Peer user;
    user.id = 777000;
    user.type = PeerType::User;
    user.accessHash = -9223372036854775807LL;
    user.usernames = {QStringLiteral("main"), QStringLiteral("other")};
    user.phone = QStringLiteral("79000000001");
    user.name = QStringLiteral("First Last");
    user.updated = 1700000001;
    Peer channel;
    channel.id = 1234567890123LL;
    channel.type = PeerType::Supergroup;
    channel.accessHash = 42;
    channel.raw = QByteArray("\x01\x02\x03", 3);
    channel.rawFormat = QStringLiteral("mtcute-sqlite");
    channel.extra.insert(QStringLiteral("k"), 5);
    Peer bot;
    bot.id = 93372553;
    bot.type = PeerType::Bot;
    bot.isMin = true;
    s.peers = {user, channel, bot};
    Conversation c;
    c.chatId = -100123;
    c.userId = 777000;
    c.name = QStringLiteral("signup");
    c.step = QStringLiteral("ask_name");
    c.data = QByteArray("{\"a\":1}");
    c.created = 1700000002;
    s.conversations = {c};
    s.extra.insert(QStringLiteral("tdata_destroy"), QByteArray(32, '\x5a'));
    return s;
}

Store makeStore(std::vector<Session> accounts)
{
    Store st;
    st.formatId = QStringLiteral("telethon-sqlite");
    st.formatVersion = 7;
    st.accounts = std::move(accounts);
    return st;
}

qint64 count(Vault &v, const QString &table)
{
    QSqlQuery q(v.db().db());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QByteArray vaultBytes(const QString &path)
{
    return sdtest::readAll(path) + sdtest::readAll(path + QStringLiteral("-wal"));
}

} // namespace

class TestVault : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("v%1/vault.sqlite").arg(++m_n)); }

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

    void duplicateIsReportedNotAdded()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        const Session s = makeSession();
        auto first = (*v)->importStore(makeStore({s}), {});
        QVERIFY(first.ok());
        const QString id = first->front().id;
        // The same key from another format and with another label: still a duplicate.
        Store again = makeStore({s});
        again.formatId = QStringLiteral("telethon-string");
        auto second = (*v)->importStore(again, {QStringLiteral("other"), {}, -1});
        QVERIFY(second.ok());
        QCOMPARE(second->size(), size_t(1));
        QCOMPARE(second->front().duplicateOf, id);
        QVERIFY(second->front().id.isEmpty());
        QCOMPARE((*v)->list()->size(), size_t(1));
        QCOMPARE(secrets.size(), 1);
        QCOMPARE(secrets.writeCount(), 1);
        // A key that only matches a secondary DC of an existing account is a duplicate too.
        Session other = makeSession(1);
        other.dcs[0].authKey = SecretBytes::random(256);
        other.dcs[1].authKey = s.dcs[1].authKey;
        auto third = (*v)->importStore(makeStore({other}), {});
        QVERIFY(third.ok());
        QCOMPARE(third->front().duplicateOf, id);
        // Two accounts with the same key inside one source: the second is a duplicate of the first.
        Session a = makeSession(2), b = makeSession(3);
        b.dcs = a.dcs;
        auto fourth = (*v)->importStore(makeStore({a, b}), {});
        QVERIFY(fourth.ok());
        QCOMPARE(fourth->size(), size_t(2));
        QVERIFY(!(*fourth)[0].id.isEmpty());
        QCOMPARE((*fourth)[1].duplicateOf, (*fourth)[0].id);
        QCOMPARE((*v)->list()->size(), size_t(2));
    }

    void multiAccountAndAccountPick()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        const Store st = makeStore({makeSession(1), makeSession(2), makeSession(3)});
        auto one = (*v)->importStore(st, {QString(), QString(), 1});
        QVERIFY(one.ok());
        QCOMPARE(one->size(), size_t(1));
        QCOMPARE(one->front().index, 1);
        auto all = (*v)->importStore(st, {QStringLiteral("tg"), QString(), -1});
        QVERIFY(all.ok());
        QCOMPARE(all->size(), size_t(3));
        QCOMPARE((*all)[1].duplicateOf, one->front().id);
        QCOMPARE((*all)[0].label, QStringLiteral("tg #1"));
        QCOMPARE((*all)[2].label, QStringLiteral("tg #3"));
        QCOMPARE((*v)->list()->size(), size_t(3));
        QCOMPARE(secrets.size(), 3);
        auto bad = (*v)->importStore(st, {QString(), QString(), 7});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, ErrorKind::Usage);
    }

    void accountWithoutKeyIsSkipped()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        Session s = makeSession();
        for (DcAuth &d : s.dcs)
            d.authKey = SecretBytes();
        auto items = (*v)->importStore(makeStore({s}), {});
        QVERIFY(items.ok());
        QVERIFY(!items->front().skipped.isEmpty());
        QCOMPARE((*v)->list()->size(), size_t(0));
        QCOMPARE(secrets.size(), 0);
    }

    void secretWriteFailureWritesNothing()
    {
        MemorySecretStore secrets;
        const QString path = freshPath();
        auto v = Vault::open(path, secrets, true);
        QVERIFY(v.ok());
        const QByteArray before = sdtest::fileSha256(path) + sdtest::fileSha256(path + QStringLiteral("-wal"));
        secrets.setWriteFailure(QStringLiteral("no Secret Service on the session bus: start gnome-keyring-daemon"));
        auto items = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(!items.ok());
        QCOMPARE(items.error().kind, ErrorKind::Secret);
        QCOMPARE(items.error().exitCode(), 4);
        QVERIFY(items.error().message.contains(QLatin1String("gnome-keyring-daemon")));
        QCOMPARE(count(**v, QStringLiteral("accounts")), qint64(0));
        QCOMPARE(count(**v, QStringLiteral("peers")), qint64(0));
        QCOMPARE(sdtest::fileSha256(path) + sdtest::fileSha256(path + QStringLiteral("-wal")), before);
    }

    void secondSecretFailureRemovesTheFirst()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        secrets.failNthWrite(2);
        auto items = (*v)->importStore(makeStore({makeSession(1), makeSession(2)}), {});
        QVERIFY(!items.ok());
        QCOMPARE(items.error().kind, ErrorKind::Secret);
        QCOMPARE(secrets.size(), 0);
        QCOMPARE(count(**v, QStringLiteral("accounts")), qint64(0));
    }

    void transactionFailureDeletesTheSecret()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        // A real SQLite failure in the middle of the transaction (after the account row).
        QSqlQuery q((*v)->db().db());
        QVERIFY(q.exec(QStringLiteral("CREATE TEMP TRIGGER boom BEFORE INSERT ON peers "
                                      "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")));
        auto items = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(!items.ok());
        QCOMPARE(items.error().kind, ErrorKind::Output);
        QVERIFY(items.error().message.contains(QLatin1String("disk on fire")));
        QCOMPARE(secrets.size(), 0);          // the secret written first was deleted again
        QCOMPARE(secrets.writeCount(), 1);    // ... after it had been written
        QCOMPARE(count(**v, QStringLiteral("accounts")), qint64(0)); // rolled back
        QCOMPARE(count(**v, QStringLiteral("dcs")), qint64(0));
        QVERIFY(q.exec(QStringLiteral("DROP TRIGGER boom")));
        auto retry = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(retry.ok());
        QCOMPARE(secrets.size(), 1);
    }

    void removeDeletesRowsAndSecret()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession(1)}), {});
        auto b = (*v)->importStore(makeStore({makeSession(2)}), {});
        QVERIFY(a.ok() && b.ok());
        const QString id = a->front().id;
        QVERIFY((*v)->remove(id).ok());
        QVERIFY(!secrets.contains((*v)->secretKey(id)));
        QVERIFY(secrets.contains((*v)->secretKey(b->front().id)));
        QCOMPARE((*v)->list()->size(), size_t(1));
        QCOMPARE(count(**v, QStringLiteral("peers")), qint64(3));   // cascade removed the other 3
        QCOMPARE(count(**v, QStringLiteral("dcs")), qint64(3));
        QCOMPARE(count(**v, QStringLiteral("conversations")), qint64(1));
        auto again = (*v)->remove(id);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::BadInput);
    }

    void removeWithBrokenKeychain()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(a.ok());
        const QString id = a->front().id;
        // A keychain that cannot be read stops the removal before anything changes.
        secrets.setReadFailure(QStringLiteral("keychain locked"));
        auto locked = (*v)->remove(id);
        QVERIFY(!locked.ok());
        QCOMPARE(locked.error().kind, ErrorKind::Secret);
        QCOMPARE((*v)->list()->size(), size_t(1));
        secrets.setReadFailure(QString());
        // One that reads but cannot delete: the rows go first (so a crash never leaves a listed
        // account without its key), and the left-over entry is reported, naming its key.
        secrets.setRemoveFailure(QStringLiteral("keychain locked"));
        auto st = (*v)->remove(id);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().kind, ErrorKind::Secret);
        QVERIFY(st.error().message.contains((*v)->secretKey(id)));
        QCOMPARE((*v)->list()->size(), size_t(0));
        QVERIFY(secrets.contains((*v)->secretKey(id)));
    }

    void removeRestoresSecretWhenRowsCannotGo()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(a.ok());
        const QString id = a->front().id;
        const SecretBytes before = *secrets.read((*v)->secretKey(id));
        QSqlQuery q((*v)->db().db());
        QVERIFY(q.exec(QStringLiteral("CREATE TEMP TRIGGER keep BEFORE DELETE ON accounts "
                                      "BEGIN SELECT RAISE(ABORT, 'read-only medium'); END")));
        auto st = (*v)->remove(id);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().kind, ErrorKind::Output);
        QCOMPARE((*v)->list()->size(), size_t(1));
        auto after = secrets.read((*v)->secretKey(id));
        QVERIFY(after.ok());
        QVERIFY(*after == before);
        QVERIFY((*v)->loadSession(id).ok());
    }

    void exportWritesTheKey()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        const Session s = makeSession();
        auto a = (*v)->importStore(makeStore({s}), {});
        QVERIFY(a.ok());
        HexStringFormat fmt;
        auto r = (*v)->exportAccount(a->front().id, fmt, ConvertRequest(), QString());
        QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->string, QByteArray(QByteArray("dc:2:") + s.primary()->authKey.exposeUnsafeHex()));
        // -o writes the string to a 0600 file and refuses to overwrite without force.
        const QString out = m_dir.filePath(QStringLiteral("exported.txt"));
        auto w = (*v)->exportAccount(a->front().id, fmt, ConvertRequest(), out);
        QVERIFY(w.ok());
        QCOMPARE(sdtest::readAll(out).trimmed(), QByteArray(QByteArray("dc:2:") + s.primary()->authKey.exposeUnsafeHex()));
        QCOMPARE(sdtest::fileMode(out), 0600);
        auto again = (*v)->exportAccount(a->front().id, fmt, ConvertRequest(), out);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
    }

    void missingOrForeignSecretIsSecretError()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession(1)}), {});
        auto b = (*v)->importStore(makeStore({makeSession(2)}), {});
        QVERIFY(a.ok() && b.ok());
        const QString ka = (*v)->secretKey(a->front().id), kb = (*v)->secretKey(b->front().id);
        // Another account's keys under this account's name: refused (auth_key_id mismatch).
        QVERIFY(secrets.write(ka, *secrets.read(kb)).ok());
        auto wrong = (*v)->loadSession(a->front().id);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().kind, ErrorKind::Secret);
        QVERIFY(wrong.error().message.contains(QLatin1String("does not match")));
        QVERIFY(secrets.remove(ka).ok());
        auto missing = (*v)->loadSession(a->front().id);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, ErrorKind::Secret);
        secrets.setReadFailure(QStringLiteral("locked"));
        auto locked = (*v)->loadSession(b->front().id);
        QVERIFY(!locked.ok());
        QCOMPARE(locked.error().kind, ErrorKind::Secret);
    }

    void damagedSecretBlobIsAnErrorNotACrash()
    {
        Session s = makeSession();
        const SecretBytes blob = encodeAccountSecrets(s);
        QStringList ids;
        for (const DcAuth &d : s.dcs)
            ids << d.authKeyId();
        {
            Session t = s;
            for (DcAuth &d : t.dcs)
                d.authKey = SecretBytes();
            t.extra.clear();
            QVERIFY(decodeAccountSecrets(blob, t, ids).ok());
            QVERIFY(t.dcs[2].authKey == s.dcs[2].authKey);
            QCOMPARE(t.extra, s.extra);
        }
        const QByteArray raw = blob.exposeUnsafe();
        for (int cut : {0, 3, 11, 12, 20, 100, 300, static_cast<int>(raw.size()) - 1}) {
            Session t = s;
            const SecretBytes part(raw.constData(), static_cast<size_t>(cut));
            QVERIFY(!decodeAccountSecrets(part, t, ids).ok());
        }
        // Random byte changes: an error or a consistent result, never a crash or a hang.
        quint32 seed = 12345;
        int rejected = 0;
        for (int round = 0; round < 3000; ++round) {
            QByteArray m = raw;
            for (int k = 0; k < 1 + round % 4; ++k) {
                seed = seed * 1664525u + 1013904223u;
                m[static_cast<qsizetype>(seed % static_cast<quint32>(m.size()))] = static_cast<char>(seed >> 24);
            }
            Session t = s;
            if (!decodeAccountSecrets(SecretBytes::fromByteArray(m), t, ids))
                ++rejected;
        }
        QVERIFY(rejected > 0);
        QByteArray flipped = raw;
        flipped[9] = '\x7f'; // absurd key count
        Session t = s;
        auto st = decodeAccountSecrets(SecretBytes::fromByteArray(flipped), t, ids);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().kind, ErrorKind::Secret);
    }

    void findByPrefixAndLabel()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession(1)}), {QStringLiteral("work"), {}, -1});
        QVERIFY(a.ok());
        const QString id = a->front().id;
        QCOMPARE((*v)->find(id.left(5))->id, id);
        QCOMPARE((*v)->find(QStringLiteral("work"))->id, id);
        QVERIFY(!(*v)->find(QStringLiteral("nope")).ok());
        QVERIFY((*v)->setLabel(id, QStringLiteral("home")).ok());
        QCOMPARE((*v)->find(QStringLiteral("home"))->id, id);
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

QTEST_GUILESS_MAIN(TestVault)
#include "tst_vault.moc"
