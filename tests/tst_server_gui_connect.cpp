// The desktop app's "Connect to server…" against real servers (throwaway PostgreSQL 15 and Redis on
// 127.0.0.1 from tests/with-servers.sh), driven offscreen through the real dialog and main window:
// the sidebar lists every session of a multi-session store, the lazy peer table shows the rows psql /
// redis-cli count, a search narrows it, a password inside the URL is refused with the CLI's message,
// a wrong password and an unreachable server get different messages, "Remember in the keychain"
// stores the password and a later connection finds it there, an edit saved and a prune touch only
// the selected session (docs/cli.md "Server stores", docs/formats.md 7.2). Connect shows the store's
// overview first, with the numbers `sessiondesk-cli audit URL --json` gives, and its numbers filter the
// sidebar to the sessions behind them.
#include "accountview.h"
#include "connectdialog.h"
#include "mainwindow.h"
#include "overviewpanel.h"
#include "peermodel.h"
#include "peerspanel.h"
#include "prunedialog.h"
#include "storelistmodel.h"
#include "uifacade.h"
#include "edit/workspace.h"
#include "secrets/memorysecretstore.h"
#include "server/credentials.h"
#include "servertestutil.h"
#include "testutil.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

#include <unistd.h>

using namespace sd;

namespace {

bool waitRows(PeerModel *m)
{
    return QTest::qWaitFor([m] { return m->total() >= 0 && (m->total() == 0 || m->isRowLoaded(0)); }, 20000);
}

struct Attempt {
    bool accepted = false;
    QString status;
    ServerFailure failure = ServerFailure::None;
    bool rememberEnabled = false;
    qint64 ms = 0;
};

} // namespace

class TstServerGuiConnect : public sdtest::ServerTest {
    Q_OBJECT

    ScriptedUi m_ui;
    MemorySecretStore m_keychain;


    qint64 pgCount(const QString &sql) { return psql(QStringLiteral("fleet"), sql).toLongLong(); }

    // Opens the dialog through the File menu action, fills it like a user and presses Connect.
    Attempt connectThroughDialog(MainWindow &w, const QString &url, const QString &password, bool remember)
    {
        Attempt a;
        bool ran = false;
        QTimer::singleShot(0, &w, [&] {
            auto *d = w.findChild<ConnectDialog *>();
            if (!d)
                return;
            ran = true;
            a.rememberEnabled = d->rememberBox()->isEnabled();
            QCOMPARE(d->passwordField()->echoMode(), QLineEdit::Password);
            d->urlField()->setText(url);
            d->passwordField()->setText(password);
            d->rememberBox()->setChecked(remember);
            QElapsedTimer t;
            t.start();
            d->connectButton()->click();
            a.ms = t.elapsed();
            a.status = d->statusText();
            a.failure = d->lastFailure();
            if (d->isVisible())
                d->reject();
        });
        w.action(QStringLiteral("connectServer"))->trigger();
        a.accepted = ran && a.failure == ServerFailure::None && a.status.isEmpty();
        if (!ran)
            a.status = QStringLiteral("the dialog did not open");
        return a;
    }
    // Sidebar rows (top level) whose text starts with prefix.
    static QList<int> sidebarRows(MainWindow &w, const QString &prefix)
    {
        QList<int> rows;
        StoreListModel *m = w.storeModel();
        for (int i = 0; i < m->rowCount(); ++i)
            if (m->data(m->documentIndex(i)).toString().startsWith(prefix))
                rows << i;
        return rows;
    }
    static PeerModel *selectAndWait(MainWindow &w, int row)
    {
        w.sidebar()->setCurrentIndex(w.storeModel()->documentIndex(row));
        w.selectDocument(row, 0);
        PeerModel *m = w.accountView()->peers()->model();
        return waitRows(m) ? m : nullptr;
    }
    static QByteArray redisPeer(qint64 id, int type, qint64 hash, const QString &username, const QString &first)
    {
        QJsonObject o{{QStringLiteral("id"), id}, {QStringLiteral("type"), type}, {QStringLiteral("access_hash"), hash},
                      {QStringLiteral("username"), username}, {QStringLiteral("first_name"), first}, {QStringLiteral("last_name"), QString()},
                      {QStringLiteral("last_updated"), 0}};
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    }
    static QByteArray redisSession(const QString &name, int dc, const QByteArray &key, qint64 userId)
    {
        QJsonObject o{{QStringLiteral("session_id"), name}, {QStringLiteral("dc"), dc}, {QStringLiteral("api_id"), 12345},
                      {QStringLiteral("api_hash"), QStringLiteral("0123456789abcdef0123456789abcdef")}, {QStringLiteral("test_mode"), false},
                      {QStringLiteral("auth_key"), QString::fromLatin1(key.toBase64())}, {QStringLiteral("state"), QJsonValue()},
                      {QStringLiteral("user_id"), userId}, {QStringLiteral("is_bot"), false}, {QStringLiteral("first_name"), name},
                      {QStringLiteral("last_name"), QString()}, {QStringLiteral("username"), name}, {QStringLiteral("date"), 1700000000},
                      {QStringLiteral("addr"), QStringLiteral("149.154.167.51")}, {QStringLiteral("port"), 443}};
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = startServers(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        QCOMPARE(qEnvironmentVariable("SD_PG_HOST"), QStringLiteral("127.0.0.1"));
        QStandardPaths::setTestModeEnabled(true);
        UiFacade::install(&m_ui);
        // Passwords come from the dialog only: none of libpq's or redis-cli's own sources.
        qunsetenv("PGPASSWORD");
        qunsetenv("REDISCLI_AUTH");
        qputenv("PGPASSFILE", "/nonexistent");
        QVERIFY(enterScratchDir());

        // GORM adapter, two sessions: alice with 700 peers (more than one chunk of the lazy model; every
        // 7th has a username with "zeta", every 10th is a channel), bob with 3.
        QCOMPARE(psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE fleet;")), QByteArray("CREATE DATABASE"));
        QVERIFY(psql(QStringLiteral("fleet"), QString::fromUtf8(sdtest::readAll(sdtest::dataPath(QStringLiteral("mtgo/server/postgres-gorm.sql"))))) != "ERROR");
        QVERIFY(psql(QStringLiteral("fleet"), QStringLiteral(
            "INSERT INTO mtgo_sessions VALUES ('alice', 2, 611335, 'h', false, decode('%1', 'hex'), NULL, 111, false, 'Alice', '', 'alice', 1700000000, '149.154.167.51', 443),"
            "('bob', 4, 611335, 'h', false, decode('%2', 'hex'), NULL, 222, true, 'Bob', '', 'bob_bot', 1700000000, '149.154.167.91', 443);"
            "INSERT INTO mtgo_peers SELECT 'alice', 100000 + g, CASE WHEN g % 10 = 0 THEN 2 ELSE 0 END, g, "
            "CASE WHEN g % 7 = 0 THEN 'zeta' || g ELSE 'u' || g END, '', 'Peer ' || g, '', '', false, 0, '', 0 FROM generate_series(1, 700) g;"
            "INSERT INTO mtgo_peers VALUES ('bob', 3001, 0, 11, 'zeta_b', '', 'B1', '', '', false, 0, '', 0),"
            "('bob', 5001, 0, 12, 'b2', '', 'B2', '', '', false, 0, '', 0), ('bob', 4001, 2, 13, 'ch1', '', 'Ch1', '', '', false, 0, '', 0);")
                                                     .arg(QString::fromLatin1(sdtest::serverTestKey(1).toHex()), QString::fromLatin1(sdtest::serverTestKey(2).toHex())))
                 != "ERROR");

        // Redis adapter, sessions r1 (5 peers, 2 with "zeta") and r2 (2 peers) under prefix mtgo.
        QVERIFY(redisSet(QStringLiteral("mtgo:r1:session"), redisSession(QStringLiteral("r1"), 2, sdtest::serverTestKey(3), 333)));
        QVERIFY(redisSet(QStringLiteral("mtgo:r2:session"), redisSession(QStringLiteral("r2"), 5, sdtest::serverTestKey(4), 444)));
        const QList<std::tuple<qint64, int, QString>> r1 = {{6001, 0, QStringLiteral("zeta1")}, {6002, 0, QStringLiteral("user2")},
                                                            {6003, 0, QString()}, {7001, 2, QStringLiteral("zetachan")}, {7002, 2, QStringLiteral("news")}};
        for (const auto &[id, type, uname] : r1) {
            QVERIFY(redisSet(QStringLiteral("mtgo:r1:peer:%1").arg(id), redisPeer(id, type, id * 3, uname, QStringLiteral("P%1").arg(id))));
            if (!uname.isEmpty())
                QVERIFY(redisSet(QStringLiteral("mtgo:r1:peer_uname:%1").arg(uname), QByteArray::number(id)));
        }
        QVERIFY(redisSet(QStringLiteral("mtgo:r2:peer:6001"), redisPeer(6001, 0, 5, QStringLiteral("zeta1"), QStringLiteral("P6001"))));
        QVERIFY(redisSet(QStringLiteral("mtgo:r2:peer_uname:zeta1"), "6001"));
        QVERIFY(redisSet(QStringLiteral("mtgo:r2:peer:6010"), redisPeer(6010, 0, 6, QString(), QStringLiteral("Solo"))));
    }

    void cleanupTestCase()
    {
        UiFacade::install(nullptr);
        leaveScratchDir();
    }

    void init() { m_ui = ScriptedUi(); }

    void passwordInUrlIsRefused()
    {
        MainWindow w;
        w.setServerSecretStore(&m_keychain);
        for (const QString &url : {QStringLiteral("postgres://%1:hunter2@127.0.0.1:%2/fleet").arg(m_pgUser, m_pgPort),
                                   QStringLiteral("redis://:hunter2@127.0.0.1:%1/0").arg(m_redisPort),
                                   QStringLiteral("postgres://%1@127.0.0.1:%2/fleet?password=hunter2").arg(m_pgUser, m_pgPort)}) {
            const Attempt a = connectThroughDialog(w, url, QString(), false);
            QVERIFY(!a.accepted);
            QCOMPARE(a.failure, ServerFailure::BadUrl);
            QVERIFY2(a.status.contains(QLatin1String("shell history")), qPrintable(a.status));
            QVERIFY2(!a.status.contains(QLatin1String("hunter2")), qPrintable(a.status));
            // The CLI's own words for the same URL.
            const sdtest::CliRun cli = sdtest::runCli({QStringLiteral("inspect"), url});
            QCOMPARE(cli.exitCode, 2);
            const QString cliLine = QString::fromUtf8(cli.err).trimmed().section(QStringLiteral(": "), -1);
            QVERIFY2(a.status.contains(cliLine.section(QLatin1Char(';'), 0, 0)), qPrintable(a.status + QStringLiteral(" / ") + cliLine));
            QCOMPARE(w.workspace()->count(), 0);
        }
    }

    void wrongPasswordAndUnreachableDiffer()
    {
        MainWindow w;
        w.setServerSecretStore(&m_keychain);
        const Attempt wrong = connectThroughDialog(w, pgUrl(QStringLiteral("fleet")), QStringLiteral("not-the-password"), false);
        QVERIFY(!wrong.accepted);
        QCOMPARE(wrong.failure, ServerFailure::LoginRefused);
        QVERIFY2(wrong.status.contains(QLatin1String("wrong user or password")), qPrintable(wrong.status));
        QVERIFY(!wrong.status.contains(QLatin1String("not-the-password")));
        const Attempt wrongRedis = connectThroughDialog(w, redisUrl(), QStringLiteral("not-the-password"), false);
        QCOMPARE(wrongRedis.failure, ServerFailure::LoginRefused);

        for (const QString &url : {QStringLiteral("postgres://%1@127.0.0.1:%2/fleet").arg(m_pgUser).arg(sdtest::deadLocalPort()),
                                   QStringLiteral("redis://127.0.0.1:%1/0").arg(sdtest::deadLocalPort())}) {
            const Attempt dead = connectThroughDialog(w, url, QStringLiteral("x"), false);
            QVERIFY(!dead.accepted);
            QCOMPARE(dead.failure, ServerFailure::Unreachable);
            QVERIFY2(dead.status.contains(QLatin1String("cannot be reached")), qPrintable(dead.status));
            QVERIFY2(dead.ms < 10000, qPrintable(QString::number(dead.ms)));
        }
        QCOMPARE(w.workspace()->count(), 0);
    }

    void postgresSessionsPeersAndSearch()
    {
        MainWindow w;
        w.setServerSecretStore(&m_keychain);
        const Attempt a = connectThroughDialog(w, pgUrl(QStringLiteral("fleet")), m_pgPassword, true);
        QVERIFY2(a.accepted, qPrintable(a.status));
        QVERIFY(a.rememberEnabled);
        // One sidebar entry per session, as a folder of files would show.
        QCOMPARE(w.workspace()->count(), 2);
        QCOMPARE(sidebarRows(w, QStringLiteral("alice — postgres://")).size(), 1);
        QCOMPARE(sidebarRows(w, QStringLiteral("bob — postgres://")).size(), 1);
        // "Remember in the keychain" stored the password under the server's entry.
        auto url = server::parseServerUrl(pgUrl(QStringLiteral("fleet")));
        QVERIFY(url.ok());
        auto stored = m_keychain.find(server::keychainKey(*url));
        QVERIFY(stored && *stored);
        QCOMPARE((*stored)->exposeUnsafe(), m_pgPassword.toUtf8());

        for (const QString &session : {QStringLiteral("alice"), QStringLiteral("bob")}) {
            const int row = sidebarRows(w, session + QStringLiteral(" — ")).value(0, -1);
            PeerModel *m = selectAndWait(w, row);
            QVERIFY(m);
            const qint64 expected = pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = '%1';").arg(session));
            QVERIFY(expected > 0);
            QCOMPARE(m->total(), expected);
            QCOMPARE(m->rowCount(), static_cast<int>(expected));
            QVERIFY(m->peerAt(0).has_value());
            // The last row comes from the server too (a later chunk for alice).
            m->ensureLoaded(m->rowCount() - 1);
            QVERIFY(QTest::qWaitFor([m] { return m->isRowLoaded(m->rowCount() - 1); }, 20000));
            // The search box narrows the table to what psql finds.
            PeersPanel *panel = w.accountView()->peers();
            panel->searchBox()->setText(QStringLiteral("zeta"));
            const qint64 zeta = pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = '%1' AND username LIKE '%zeta%';").arg(session));
            QVERIFY(zeta > 0 && zeta < expected);
            QVERIFY2(QTest::qWaitFor([m, zeta] { return m->total() == zeta; }, 20000), qPrintable(QString::number(m->total())));
            QVERIFY(waitRows(m));
            for (int i = 0; i < m->rowCount(); ++i) {
                m->ensureLoaded(i);
                QVERIFY(QTest::qWaitFor([m, i] { return m->isRowLoaded(i); }, 20000));
                QVERIFY(m->peerAt(i)->usernames.join(QLatin1Char(' ')).contains(QLatin1String("zeta")));
            }
            panel->searchBox()->clear();
            QVERIFY(QTest::qWaitFor([m, expected] { return m->total() == expected; }, 20000));
        }

        // A new window (a restart): the empty password field finds the remembered one in the keychain.
        server::forgetPassword(url->serverKey());
        MainWindow again;
        again.setServerSecretStore(&m_keychain);
        const Attempt b = connectThroughDialog(again, pgUrl(QStringLiteral("fleet")), QString(), false);
        QVERIFY2(b.accepted, qPrintable(b.status));
        QCOMPARE(again.workspace()->count(), 2);
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
    }

    void postgresEditAndPruneTouchOneSession()
    {
        MainWindow w;
        w.setServerSecretStore(&m_keychain);
        const Attempt a = connectThroughDialog(w, pgUrl(QStringLiteral("fleet")), m_pgPassword, false);
        QVERIFY2(a.accepted, qPrintable(a.status));
        const qint64 alicePeers = pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'alice';"));
        const qint64 bobPeers = pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'bob';"));

        // An edit of bob's session, saved through Document (the format writer, on the server).
        const int bob = sidebarRows(w, QStringLiteral("bob — ")).value(0, -1);
        QVERIFY(selectAndWait(w, bob));
        Document *doc = w.currentDocument();
        QVERIFY(doc && doc->isServer());
        Session s = *doc->account(0);
        s.firstName = QStringLiteral("Robert");
        QVERIFY(doc->setSession(0, s));
        doc->setModified(true);
        QVERIFY(w.saveCurrent());
        QCOMPARE(psql(QStringLiteral("fleet"), QStringLiteral("SELECT first_name FROM mtgo_sessions WHERE session_id = 'bob';")), QByteArray("Robert"));
        QCOMPARE(psql(QStringLiteral("fleet"), QStringLiteral("SELECT first_name FROM mtgo_sessions WHERE session_id = 'alice';")), QByteArray("Alice"));
        QCOMPARE(pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'bob';")), bobPeers);
        QCOMPARE(pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'alice';")), alicePeers);

        // Prune bob's channels through the Prune dialog of the main window.
        const qint64 bobChannels = pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'bob' AND type = 2;"));
        QVERIFY(bobChannels > 0);
        bool ran = false;
        QString report;
        QTimer::singleShot(0, &w, [&] {
            auto *d = w.findChild<PruneDialog *>();
            if (!d)
                return;
            ran = true;
            d->setTypes({PeerKind::Channel});
            d->setBackup(false);
            auto r = d->pruneNow();
            report = r ? PruneDialog::describe(*r) : r.error().message;
            d->accept();
        });
        w.action(QStringLiteral("prune"))->trigger();
        QVERIFY(ran);
        QCOMPARE(pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'bob' AND type = 2;")), qint64(0));
        QCOMPARE(pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'bob';")), bobPeers - bobChannels);
        QCOMPARE(pgCount(QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'alice';")), alicePeers);
        // The document was reread: the table shows what is left.
        PeerModel *m = selectAndWait(w, bob);
        QVERIFY(m);
        QCOMPARE(m->total(), bobPeers - bobChannels);
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n')) + report));
    }

    void connectShowsTheStoreOverviewAsTheCliAuditsIt()
    {
        for (const auto &[url, password] : {std::pair{pgUrl(QStringLiteral("fleet")), m_pgPassword}, std::pair{redisUrl(), m_redisPassword}}) {
            MainWindow w;
            w.setServerSecretStore(&m_keychain);
            const Attempt a = connectThroughDialog(w, url, password, false);
            QVERIFY2(a.accepted, qPrintable(a.status));
            OverviewPanel *panel = w.overviewPanel();
            QVERIFY(panel->isVisibleTo(&w)); // the overview is the page shown
            QCOMPARE(panel->roots(), QStringList{url});
            const sdtest::CliRun audit = cli({QStringLiteral("audit"), url, QStringLiteral("--json"), QStringLiteral("--fail-on"), QStringLiteral("high")});
            QVERIFY2(audit.exitCode == 0 || audit.exitCode == 1, audit.err.constData());
            const QJsonObject doc = audit.json().object();
            const QString differs = sdtest::overviewDiffersFromAuditJson(panel->overview(), doc);
            QVERIFY2(differs.isEmpty(), qPrintable(url + QStringLiteral(": ") + differs));
            // The same places, by name: one per session.
            QStringList cliPlaces, guiPlaces;
            for (const QJsonValue &v : doc.value(QStringLiteral("found")).toArray())
                cliPlaces << v.toObject().value(QStringLiteral("path")).toString();
            for (const AuditedSession &s : panel->report().found)
                guiPlaces << s.path;
            QCOMPARE(guiPlaces, cliPlaces);
            QCOMPARE(panel->overview().accounts, w.workspace()->count());
            QVERIFY(panel->overview().totalPeers > 0);

            // "bots" leaves the bot sessions in the sidebar, "users" the others, "accounts" all.
            auto visibleSessions = [&w] {
                QStringList out;
                for (int i = 0; i < w.workspace()->count(); ++i)
                    if (!w.sidebar()->isRowHidden(i, QModelIndex()))
                        out << w.workspace()->at(i)->readOptions().session;
                out.sort();
                return out;
            };
            QStringList bots, users;
            for (const QJsonValue &v : doc.value(QStringLiteral("found")).toArray()) {
                const QJsonObject f = v.toObject();
                const QString session = f.value(QStringLiteral("path")).toString().section(QStringLiteral("#session="), 1);
                (f.value(QStringLiteral("is_bot")).toBool() ? bots : users) << session;
            }
            bots.sort();
            users.sort();
            QVERIFY(!users.isEmpty());
            panel->numberButton(QStringLiteral("users"))->click();
            QCOMPARE(visibleSessions(), users);
            if (!bots.isEmpty()) {
                panel->numberButton(QStringLiteral("bots"))->click();
                QCOMPARE(visibleSessions(), bots);
            }
            panel->numberButton(QStringLiteral("accounts"))->click();
            QCOMPARE(visibleSessions().size(), w.workspace()->count());
            QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
        }
    }

    void bigPostgresTableShowsEstimateThenExactCounts()
    {
        // The classic layout with 150,000 peers (ANALYZEd): Connect takes the counts from the
        // planner's statistics instead of scanning (what held the first rows back), the session
        // says they are an estimate, and the exact counts replace them in the background.
        QCOMPARE(psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE big;")), QByteArray("CREATE DATABASE"));
        QVERIFY(psql(QStringLiteral("big"), QString::fromUtf8(sdtest::readAll(sdtest::dataPath(QStringLiteral("mtgo/server/postgres-classic.sql"))))) != "ERROR");
        QVERIFY(psql(QStringLiteral("big"), QStringLiteral(
            "INSERT INTO sessions (session_id, dc_id, auth_key, user_id, server_address, port) VALUES ('big', 2, decode('%1', 'hex'), 1, '149.154.167.51', 443);"
            "INSERT INTO peers (id, type, access_hash, username, first_name) SELECT g, CASE WHEN g % 10 = 0 THEN 2 WHEN g % 20 = 1 THEN 1 ELSE 0 END, g * 3, "
            "'u' || g, 'P' || g FROM generate_series(1, 150000) g; ANALYZE peers;")
                                                   .arg(QString::fromLatin1(sdtest::serverTestKey(5).toHex())))
                 != "ERROR");
        const qint64 users = psql(QStringLiteral("big"), QStringLiteral("SELECT count(*) FROM peers WHERE type = 0;")).toLongLong();
        const qint64 chats = psql(QStringLiteral("big"), QStringLiteral("SELECT count(*) FROM peers WHERE type = 1;")).toLongLong();
        const qint64 channels = psql(QStringLiteral("big"), QStringLiteral("SELECT count(*) FROM peers WHERE type = 2;")).toLongLong();
        QCOMPARE(users + chats + channels, qint64(150000));

        MainWindow w;
        w.setServerSecretStore(&m_keychain);
        const Attempt a = connectThroughDialog(w, pgUrl(QStringLiteral("big")), m_pgPassword, false);
        QVERIFY2(a.accepted, qPrintable(a.status));
        const QList<int> rows = sidebarRows(w, QStringLiteral("big — postgres://"));
        QCOMPARE(rows.size(), 1);
        Document *doc = w.workspace()->at(rows.first());
        QVERIFY(doc);
        // Right after Connect: statistics, close to the truth, and said to be an estimate.
        QVERIFY(doc->peerTotalEstimated(0));
        const PeerCounts est = *doc->account(0)->peerCountsOnly;
        QVERIFY2(std::abs(est.total() - 150000) <= 7500, qPrintable(QString::number(est.total())));
        QVERIFY2(std::abs(est.channels - channels) <= channels / 5, qPrintable(QString::number(est.channels)));
        // The peer table's rows are the server's, whatever the estimate.
        PeerModel *m = selectAndWait(w, rows.first());
        QVERIFY(m);
        QVERIFY(m->peerAt(0).has_value());
        // Then the exact counts, from the background count, announced by peerCountsChanged.
        QVERIFY(QTest::qWaitFor([doc] { return !doc->peerTotalEstimated(0); }, 30000));
        const PeerCounts exact = *doc->account(0)->peerCountsOnly;
        QVERIFY(!exact.estimated);
        QCOMPARE(exact.users, users);
        QCOMPARE(exact.chats, chats);
        QCOMPARE(exact.channels, channels);
        QCOMPARE(doc->peerTotal(0), qint64(150000));
        // The model's own count corrects its row count to the same number.
        QVERIFY(QTest::qWaitFor([m] { return m->total() == 150000; }, 30000));
        // So does the store's overview (Connect showed it from the estimate).
        QCOMPARE(w.overviewPanel()->roots(), QStringList{pgUrl(QStringLiteral("big"))});
        QCOMPARE(w.overviewPanel()->overview().totalPeers, qint64(150000));
        // A small table is counted at once (no estimate): the fleet database's sessions.
        MainWindow w2;
        w2.setServerSecretStore(&m_keychain);
        QVERIFY(connectThroughDialog(w2, pgUrl(QStringLiteral("fleet")), m_pgPassword, false).accepted);
        for (int i = 0; i < w2.workspace()->count(); ++i)
            QVERIFY(!w2.workspace()->at(i)->peerTotalEstimated(0));
    }

    void redisSessionsPeersAndSearch()
    {
        MainWindow w;
        w.setServerSecretStore(&m_keychain);
        const Attempt a = connectThroughDialog(w, redisUrl(), m_redisPassword, false);
        QVERIFY2(a.accepted, qPrintable(a.status));
        QCOMPARE(w.workspace()->count(), 2);
        for (const QString &session : {QStringLiteral("r1"), QStringLiteral("r2")}) {
            const QList<int> rows = sidebarRows(w, session + QStringLiteral(" — redis://"));
            QCOMPARE(rows.size(), 1);
            PeerModel *m = selectAndWait(w, rows.front());
            QVERIFY(m);
            const int expected = redisCount(QStringLiteral("mtgo:%1:peer:*").arg(session));
            QVERIFY(expected > 0);
            QCOMPARE(m->total(), qint64(expected));
            QCOMPARE(m->rowCount(), expected);
            PeersPanel *panel = w.accountView()->peers();
            panel->searchBox()->setText(QStringLiteral("zeta"));
            const int zeta = redisCount(QStringLiteral("mtgo:%1:peer_uname:zeta*").arg(session));
            QVERIFY(zeta > 0);
            QVERIFY2(QTest::qWaitFor([m, zeta] { return m->total() == zeta; }, 20000), qPrintable(QString::number(m->total())));
            panel->searchBox()->clear();
            QVERIFY(QTest::qWaitFor([m, expected] { return m->total() == expected; }, 20000));
        }
        // Nothing was remembered without the checkbox.
        auto url = server::parseServerUrl(redisUrl());
        QVERIFY(url.ok());
        auto stored = m_keychain.find(server::keychainKey(*url));
        QVERIFY(stored && !*stored);
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(TstServerGuiConnect)
#include "tst_server_gui_connect.moc"
