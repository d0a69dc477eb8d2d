#pragma once
// Shared by the vault tests (tst_vault*.cpp, tst_keychain_vault.cpp): a session that fills every
// field the vault keeps, a store around it, row counts, one temporary folder per test class with a
// fresh vault path per test, and a string format for testing export without a real format's writer.
#include "format/format.h"
#include "vault/vault.h"

#include <QSqlQuery>
#include <QString>
#include <QTemporaryDir>

#include <vector>

namespace vaulttest {

using namespace sd;

inline Session makeSession(int variant = 0)
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

inline Store makeStore(std::vector<Session> accounts)
{
    Store st;
    st.formatId = QStringLiteral("telethon-sqlite");
    st.formatVersion = 7;
    st.accounts = std::move(accounts);
    return st;
}

inline qint64 count(Vault &v, const QString &table)
{
    QSqlQuery q(v.db().db());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// A string format that writes "<dc>:<hex key>;" for every DC entry, in order, so export is tested
// without depending on any real format's writer (convert reads every output back).
class HexStringFormat : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            FormatDescriptor f;
            f.id = QStringLiteral("test-hex-string");
            f.displayName = QStringLiteral("test");
            f.sourceKind = SourceKind::String;
            f.capabilities = Capability::DcId | Capability::AuthKey | Capability::MultiDc;
            return f;
        }();
        return d;
    }
    Result<Store> read(const Source &source, const ReadOptions &) const override
    {
        Session s;
        for (const QByteArray &part : source.text.trimmed().split(';')) {
            if (part.isEmpty())
                continue;
            const QList<QByteArray> f = part.split(':');
            if (f.size() != 2)
                return Error::badInput(QStringLiteral("not a test-hex-string"));
            DcAuth d;
            d.dcId = f[0].toInt();
            QByteArray key = QByteArray::fromHex(f[1]);
            d.authKey = SecretBytes::fromByteArray(key);
            wipe(key);
            if (s.dcId == 0)
                s.dcId = d.dcId;
            s.dcs.push_back(std::move(d));
        }
        Store store;
        store.formatId = descriptor().id;
        store.accounts.push_back(std::move(s));
        return store;
    }
    int detect(const Probe &) const override { return 0; }
    Result<QByteArray> encodeString(const Session &s, const WriteOptions &) const override { return expected(s); }
    // What encodeString writes for s.
    static QByteArray expected(const Session &s)
    {
        QByteArray out;
        for (const DcAuth &d : s.dcs)
            out += QByteArray::number(d.dcId) + ':' + d.authKey.exposeUnsafeHex() + ';';
        return out;
    }
};

// Base of each test class (after QObject): m_dir lives as long as the test object.
class VaultDir {
protected:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("v%1/vault.sqlite").arg(++m_n)); }
};

} // namespace vaulttest
