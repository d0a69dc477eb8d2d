// Opening a folder shows its overview first; its numbers are checked against the CLI's
// `audit --json` and `inspect --json` on the same tree, and clicking a number filters the sidebar.
#include "testutil.h"

#include "mainwindow.h"
#include "overviewpanel.h"
#include "uifacade.h"

#include "domain/secretbytes.h"
#include "edit/document.h"
#include "edit/workspace.h"
#include "format/registry.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPushButton>
#include <QSet>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>
#include <sys/stat.h>

using namespace sdtest;

namespace {

void write(const QString &path, const QString &formatId, const sd::SecretBytes &key, std::optional<bool> bot, int peers, int dc = 2)
{
    sd::Store st;
    st.formatId = formatId;
    sd::Session s;
    s.dcId = dc;
    s.testMode = false;
    s.userId = 777000000 + peers;
    s.isBot = bot;
    s.apiId = 12345;
    sd::DcAuth &d = s.upsertDc(dc);
    d.address = dc == 2 ? QStringLiteral("149.154.167.51") : QStringLiteral("149.154.175.53");
    d.port = 443;
    d.authKey = key;
    for (int i = 1; i <= peers; ++i) {
        sd::Peer p;
        p.id = 5000 + i;
        p.type = i % 3 == 0 ? sd::PeerType::Channel : sd::PeerType::User;
        p.accessHash = i;
        s.peers.push_back(p);
    }
    st.accounts.push_back(s);
    const auto w = sd::Registry::instance().find(formatId)->write(st, path, sd::WriteOptions{});
    QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message));
}

} // namespace

class TestGuiOverview : public QObject {
    Q_OBJECT
    sd::ScriptedUi m_ui;

private Q_SLOTS:
    void initTestCase() { sd::UiFacade::install(&m_ui); }
    void cleanupTestCase() { sd::UiFacade::install(nullptr); }

    void numbersMatchTheCli()
    {
        QTemporaryDir tmp;
        const QString root = tmp.path();
        const auto shared = sd::SecretBytes::random(256);
        write(root + QStringLiteral("/a.session"), QStringLiteral("telethon-sqlite"), shared, std::nullopt, 30);
        write(root + QStringLiteral("/b.session"), QStringLiteral("telethon-sqlite"), shared, std::nullopt, 3);
        QVERIFY(QDir(root).mkdir(QStringLiteral("bots")));
        write(root + QStringLiteral("/bots/bot.session"), QStringLiteral("pyrogram-sqlite"), sd::SecretBytes::random(256), true, 12, 4);
        write(root + QStringLiteral("/user.session"), QStringLiteral("pyrogram-sqlite"), sd::SecretBytes::random(256), false, 7);
        QVERIFY(::chmod(QFile::encodeName(root + QStringLiteral("/user.session")).constData(), 0644) == 0);

        sd::MainWindow w;
        QVERIFY(w.openPaths({root}) >= 4);
        sd::OverviewPanel *panel = w.overviewPanel();
        QVERIFY(panel->isVisibleTo(&w)); // the overview page is the one shown
        const sd::FolderOverview &o = panel->overview();

        const CliRun audit = runCli({QStringLiteral("audit"), root, QStringLiteral("--recursive"), QStringLiteral("--json"), QStringLiteral("--fail-on"),
                                     QStringLiteral("high")});
        QVERIFY2(audit.exitCode == 0 || audit.exitCode == 1, audit.err.constData());
        const QJsonObject doc = audit.json().object();
        const QJsonArray found = doc.value(QStringLiteral("found")).toArray();
        const QJsonArray findings = doc.value(QStringLiteral("findings")).toArray();
        // Every number as `audit --json` has it (testutil), and the peer total as `inspect --json` has it.
        const QString differs = overviewDiffersFromAuditJson(o, doc);
        QVERIFY2(differs.isEmpty(), qPrintable(differs));
        QMap<QString, int> bySev;
        int bots = 0;
        QSet<QString> botPlaces, places, dupPlaces;
        qint64 peers = 0;
        for (const auto &v : found) {
            const QJsonObject f = v.toObject();
            const QString place = f.value(QStringLiteral("path")).toString();
            if (f.value(QStringLiteral("is_bot")).toBool()) {
                ++bots;
                botPlaces.insert(place);
            }
            if (!places.contains(place)) {
                places.insert(place);
                const CliRun ins = runCli({QStringLiteral("inspect"), place, QStringLiteral("--json")});
                QVERIFY2(ins.exitCode == 0, ins.err.constData());
                for (const auto &acc : ins.json().object().value(QStringLiteral("accounts")).toArray())
                    peers += acc.toObject().value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInteger();
            }
        }
        for (const auto &v : findings) {
            const QJsonObject f = v.toObject();
            bySev[f.value(QStringLiteral("severity")).toString()] += 1;
            if (f.value(QStringLiteral("rule")).toString() == QLatin1String("duplicate-auth-key"))
                dupPlaces.insert(f.value(QStringLiteral("path")).toString());
        }
        QCOMPARE(o.totalPeers, peers);
        // The tree was built to hold each case at least once.
        QVERIFY(bots >= 1 && o.duplicatePlaces == 2 && peers == 30 + 3 + 12 + 7);
        QCOMPARE(o.largestCaches.front().first, root + QStringLiteral("/a.session"));

        // The buttons show those numbers.
        QCOMPARE(panel->numberButton(QStringLiteral("bots"))->text(), QString::number(bots));
        QCOMPARE(panel->numberButton(QStringLiteral("severity:high"))->text(), QString::number(bySev.value(QStringLiteral("high"))));

        // Clicking "bots" leaves only the bot sessions in the sidebar; "accounts" shows all again.
        auto visiblePlaces = [&w] {
            QSet<QString> out;
            for (int i = 0; i < w.workspace()->count(); ++i)
                if (!w.sidebar()->isRowHidden(i, QModelIndex()))
                    out.insert(w.workspace()->at(i)->source().path);
            return out;
        };
        panel->numberButton(QStringLiteral("bots"))->click();
        QCOMPARE(visiblePlaces(), botPlaces);
        panel->numberButton(QStringLiteral("duplicates"))->click();
        QCOMPARE(visiblePlaces(), dupPlaces);
        panel->numberButton(QStringLiteral("accounts"))->click();
        QCOMPARE(visiblePlaces().size(), w.workspace()->count());
    }
};

QTEST_MAIN(TestGuiOverview)
#include "tst_gui_overview.moc"
