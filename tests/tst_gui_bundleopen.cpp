// Opening age bundles (issue 16: "Import dialog and drag-and-drop accept .age bundles") through the
// desktop app's own paths, offscreen: ImportDialog::analyze and MainWindow::openPaths read a bundle
// with the key source the app installs (views/bundlekeys.cpp: this machine's identity, else a
// passphrase asked through UiFacade from the reading thread). The X25519 case installs the same kind
// of source over an in-memory key store (the real one is the OS keychain, see tst_keychain_bundle);
// the passphrase case runs installGuiBundleKeys() itself, which never asks the keychain for one.
#include "bundle/bundle.h"
#include "bundle/vaultbundle.h"
#include "bundlekeys.h"
#include "edit/workspace.h"
#include "format/registry.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "secrets/memorysecretstore.h"
#include "testutil.h"
#include "uifacade.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

const QString kTelethonKeyId = QStringLiteral("91112dd225adaa54");

// The app's key source (views/bundlekeys.cpp) over a given key store; counts the passphrase asks.
void installKeys(MemorySecretStore *store, int *asks)
{
    bundle::setDefaultKeySource([store, asks]() -> std::shared_ptr<age::KeySource> {
        auto keys = std::make_shared<bundle::Keys>();
        keys->identityFallback = bundle::machineIdentityFallback(*store);
        keys->passphraseFallback = [asks]() -> Result<SecretBytes> {
            ++*asks;
            return Error::secret(QStringLiteral("no passphrase in this test"));
        };
        return keys;
    });
}

QString keyOf(const Document &doc) { return doc.account(0) && doc.account(0)->primary() ? doc.account(0)->primary()->authKeyId() : QString(); }

} // namespace

class TestGuiBundleOpen : public QObject {
    Q_OBJECT

    ScriptedUi m_ui;
    QTemporaryDir m_dir;
    MemorySecretStore m_machine;   // this machine's identity lives here
    QString m_forUs, m_forOther, m_withPassphrase;

    QString tmp(const QString &n) const { return m_dir.filePath(n); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        UiFacade::install(&m_ui);
        QVERIFY(m_dir.isValid());
        const Source src = Source::fromPath(dataPath(QStringLiteral("telethon/basic.session")));
        auto fmt = Registry::instance().detect(src);
        QVERIFY(fmt);
        ReadOptions ro;
        ro.loadPeers = true;
        auto store = (*fmt)->read(src, ro);
        QVERIFY(store);
        auto me = bundle::machineIdentity(m_machine);
        QVERIFY(me);
        age::EncryptOptions toMe, toOther, pass;
        toMe.recipients.push_back(me->publicKey());
        toOther.recipients.push_back(age::Identity::generate().publicKey());
        pass.passphrase = SecretBytes::fromByteArray("open sesame");
        pass.workFactor = 10;
        m_forUs = tmp(QStringLiteral("for-us.age"));
        m_forOther = tmp(QStringLiteral("for-other.age"));
        m_withPassphrase = tmp(QStringLiteral("passphrase.age"));
        QVERIFY(bundle::writeBundle(*store, toMe, m_forUs, false));
        QVERIFY(bundle::writeBundle(*store, toOther, m_forOther, false));
        QVERIFY(bundle::writeBundle(*store, pass, m_withPassphrase, false));
    }
    void init() { m_ui = ScriptedUi(); }
    void cleanup() { bundle::setDefaultKeySource({}); }
    void cleanupTestCase() { UiFacade::install(nullptr); }

    void importDialogAnalyzesABundleForThisMachine()
    {
        int asks = 0;
        installKeys(&m_machine, &asks);
        ImportDialog d;
        d.addPaths({m_forUs, m_forOther});
        QVERIFY(d.analyze());
        QCOMPARE(d.preview()->topLevelItemCount(), 2); // one row each, the foreign one with its reason
        QCOMPARE(d.readyCount(), 1);
        auto docs = d.takeDocuments();
        QCOMPARE(docs.size(), size_t(1));
        QCOMPARE(docs.front()->format()->id(), QStringLiteral("sessiondesk-bundle"));
        QCOMPARE(keyOf(*docs.front()), kTelethonKeyId);
        QVERIFY(docs.front()->peerTotal(0) > 0);
        QCOMPARE(asks, 0); // X25519 bundles never ask for a passphrase
    }

    void importDialogAsksTheBundlePassphrase()
    {
        installGuiBundleKeys(); // the app's own source: the passphrase through UiFacade
        ImportDialog d;
        d.addPaths({m_withPassphrase});
        m_ui.nextPassword.enqueue("not it");
        QVERIFY(d.analyze());
        QCOMPARE(d.readyCount(), 0);
        QVERIFY(m_ui.nextPassword.isEmpty()); // it was asked
        m_ui.nextPassword.enqueue("open sesame");
        QVERIFY(d.analyze());
        QCOMPARE(d.readyCount(), 1);
        QVERIFY(m_ui.nextPassword.isEmpty());
        auto docs = d.takeDocuments();
        QCOMPARE(keyOf(*docs.front()), kTelethonKeyId);
    }

    void mainWindowOpensBundles()
    {
        int asks = 0;
        installKeys(&m_machine, &asks);
        MainWindow w;
        QCOMPARE(w.openPaths({m_forUs}), 1);
        QCOMPARE(w.workspace()->count(), 1);
        QCOMPARE(keyOf(*w.workspace()->at(0)), kTelethonKeyId);
        QCOMPARE(w.workspace()->at(0)->format()->id(), QStringLiteral("sessiondesk-bundle"));
        // A bundle for another machine opens nothing and says why.
        m_ui.warnings.clear();
        QCOMPARE(w.openPaths({m_forOther}), 0);
        QCOMPARE(w.workspace()->count(), 1);
        QCOMPARE(m_ui.warnings.size(), 1);
        QVERIFY2(m_ui.warnings.last().contains(m_forOther), qPrintable(m_ui.warnings.last()));

        // The app's own source, a passphrase bundle: asked once, opened.
        installGuiBundleKeys();
        m_ui.warnings.clear();
        m_ui.nextPassword.enqueue("open sesame");
        QCOMPARE(w.openPaths({m_withPassphrase}), 1);
        QVERIFY(m_ui.nextPassword.isEmpty());
        QVERIFY2(m_ui.warnings.isEmpty(), qPrintable(m_ui.warnings.join(QLatin1Char('\n'))));
        QCOMPARE(w.workspace()->count(), 2);
        QCOMPARE(keyOf(*w.workspace()->at(1)), kTelethonKeyId);
    }
};

QTEST_MAIN(TestGuiBundleOpen)
#include "tst_gui_bundleopen.moc"
