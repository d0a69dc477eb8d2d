// Accounts in the vault with the in-memory secret store: duplicates, picking accounts of a
// multi-account source, accounts without a key, remove, export, and finding by prefix or label.
#include "testutil.h"
#include "vaulttestutil.h"

#include "secrets/memorysecretstore.h"
#include "vault/vault.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace vaulttest;

class TestVaultAccounts : public QObject, private VaultDir {
    Q_OBJECT
private Q_SLOTS:
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
        QCOMPARE(r->string, HexStringFormat::expected(s)); // every DC entry: 2, 4 and the temporary key
        // -o writes the string to a 0600 file and refuses to overwrite without force.
        const QString out = m_dir.filePath(QStringLiteral("exported.txt"));
        auto w = (*v)->exportAccount(a->front().id, fmt, ConvertRequest(), out);
        QVERIFY(w.ok());
        QCOMPARE(sdtest::readAll(out).trimmed(), HexStringFormat::expected(s));
        QCOMPARE(sdtest::fileMode(out), 0600);
        auto again = (*v)->exportAccount(a->front().id, fmt, ConvertRequest(), out);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
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
};

QTEST_GUILESS_MAIN(TestVaultAccounts)
#include "tst_vaultaccounts.moc"
