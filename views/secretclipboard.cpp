#include "secretclipboard.h"

#include "uifacade.h"

#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QMimeData>
#include <QTimer>

namespace sd {

namespace {
// A digest of the last secret copied (never the secret itself), to clear only what is still ours.
QByteArray &lastDigest()
{
    static QByteArray digest;
    return digest;
}

QByteArray digestOf(const QString &text) { return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256); }

void clearIfOurs()
{
    QClipboard *cb = QApplication::clipboard();
    if (!lastDigest().isEmpty() && digestOf(cb->text()) == lastDigest())
        cb->clear();
    lastDigest().clear();
}
} // namespace

bool SecretClipboard::copy(QWidget *parent, const QString &what, const QString &secret, bool askFirst)
{
    if (secret.isEmpty())
        return false;
    if (askFirst) {
        const auto answer = UiFacade::instance().question(
            parent, QObject::tr("Copy a secret"),
            QObject::tr("Copy %1 to the clipboard?\n\nAnyone who has it can use the account. The clipboard is cleared in %2 seconds.")
                .arg(what)
                .arg(kClearAfterMs / 1000),
            QMessageBox::Yes | QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return false;
    }
    auto *mime = new QMimeData;
    mime->setText(secret);
    mime->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
    QApplication::clipboard()->setMimeData(mime);
    lastDigest() = digestOf(secret);
    const QByteArray mine = lastDigest();
    QTimer::singleShot(kClearAfterMs, qApp, [mine] {
        if (lastDigest() == mine)
            clearIfOurs();
    });
    return true;
}

void SecretClipboard::clearNow() { clearIfOurs(); }

} // namespace sd
