#include "bundlekeys.h"

#include "bundle/bundle.h"
#include "keychainsecretstore.h"
#include "uifacade.h"

#include <QApplication>
#include <QThread>

namespace sd {

void installGuiBundleKeys()
{
    bundle::setDefaultKeySource([]() -> std::shared_ptr<age::KeySource> {
        auto keys = std::make_shared<bundle::Keys>();
        auto store = std::make_shared<KeychainSecretStore>(QStringLiteral("sessiondesk"), 15000);
        keys->identityFallback = [store]() { return bundle::machineIdentityFallback(*store)(); };
        keys->passphraseFallback = []() -> Result<SecretBytes> {
            QByteArray pass;
            bool ok = false;
            auto ask = [&] {
                pass = UiFacade::instance().password(QApplication::activeWindow(), QObject::tr("Encrypted bundle"),
                                                     QObject::tr("Passphrase of the bundle:"), &ok);
            };
            if (QThread::currentThread() == qApp->thread())
                ask();
            else
                QMetaObject::invokeMethod(qApp, ask, Qt::BlockingQueuedConnection);
            if (!ok) {
                wipe(pass);
                return Error::secret(QStringLiteral("no passphrase given"));
            }
            SecretBytes s = SecretBytes::fromByteArray(pass);
            wipe(pass);
            return s;
        };
        return keys;
    });
}

} // namespace sd
