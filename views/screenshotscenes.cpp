#include "screenshotscenes.h"

#include "auditdialog.h"
#include "connectdialog.h"
#include "exportdialog.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "peereditdialog.h"
#include "prunedialog.h"
#include "receivedialog.h"
#include "senddialog.h"
#include "vaultdialog.h"
#include "bundle/age.h"
#include "edit/document.h"
#include "secrets/memorysecretstore.h"
#include "vault/vault.h"

#include <QApplication>
#include <QCheckBox>
#include <QLineEdit>
#include <QDir>
#include <QFileInfo>
#include <QPalette>
#include <QPixmap>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTemporaryDir>

namespace sd {

QStringList screenshotScenes()
{
    return {QStringLiteral("main"), QStringLiteral("overview"), QStringLiteral("audit"), QStringLiteral("import"),
            QStringLiteral("export"), QStringLiteral("prune"), QStringLiteral("vault"), QStringLiteral("send"), QStringLiteral("receive"),
            QStringLiteral("peer"),   QStringLiteral("connect")};
}

void applyDarkPalette()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    p.setColor(QPalette::Window, QColor(37, 37, 38));
    p.setColor(QPalette::WindowText, QColor(225, 225, 225));
    p.setColor(QPalette::Base, QColor(28, 28, 30));
    p.setColor(QPalette::AlternateBase, QColor(44, 44, 46));
    p.setColor(QPalette::Text, QColor(225, 225, 225));
    p.setColor(QPalette::PlaceholderText, QColor(140, 140, 145));
    p.setColor(QPalette::Button, QColor(50, 50, 52));
    p.setColor(QPalette::ButtonText, QColor(225, 225, 225));
    p.setColor(QPalette::Highlight, QColor(38, 110, 190));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(50, 50, 52));
    p.setColor(QPalette::ToolTipText, QColor(225, 225, 225));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    QApplication::setPalette(p);
}

namespace {
bool save(QWidget &widget, const QString &out)
{
    widget.show();
    QApplication::processEvents();
    return widget.grab().save(out, "PNG");
}

QString firstFolder(const QStringList &paths)
{
    for (const QString &p : paths)
        if (QFileInfo(p).isDir())
            return p;
    return paths.isEmpty() ? QString() : QFileInfo(paths.front()).absolutePath();
}
} // namespace

bool grabScene(MainWindow &w, const QString &scene, const QStringList &paths, const QString &out)
{
    Document *doc = w.currentDocument();
    if (scene == QLatin1String("main"))
        return save(w, out);
    if (scene == QLatin1String("overview")) {
        w.showOverview({firstFolder(paths)});
        return save(w, out);
    }
    if (scene == QLatin1String("audit")) {
        QTemporaryDir vault;
        MemorySecretStore secrets;
        AuditDialog d({firstFolder(paths)}, &w, vault.filePath(QStringLiteral("vault.sqlite")), &secrets);
        d.runAuditNow();
        if (d.table()->rowCount() > 0)
            d.table()->selectRow(0);
        return save(d, out);
    }
    if (scene == QLatin1String("import")) {
        ImportDialog d(&w);
        return save(d, out);
    }
    if (scene == QLatin1String("export") && doc) {
        ExportDialog d(doc, 0, &w);
        return save(d, out);
    }
    if (scene == QLatin1String("prune") && doc && !doc->isString()) {
        PruneDialog d(doc->format(), doc->source().path, &w);
        return save(d, out);
    }
    if (scene == QLatin1String("vault")) {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        VaultDialog d(&w, dir.filePath(QStringLiteral("vault.sqlite")), &secrets);
        return save(d, out);
    }
    if (scene == QLatin1String("send") && doc) {
        // The open session's accounts in a throwaway vault, sealed for another machine's recipient.
        QTemporaryDir dir;
        MemorySecretStore secrets;
        const QString vaultPath = dir.filePath(QStringLiteral("vault.sqlite"));
        QList<QPair<QString, QString>> accounts;
        QStringList ids;
        {
            auto vault = Vault::open(vaultPath, secrets, true);
            if (!vault)
                return false;
            auto items = (*vault)->importStore(doc->store(), VaultImportOptions{});
            if (!items)
                return false;
            for (const VaultImportItem &item : *items)
                if (!item.id.isEmpty()) {
                    accounts.append({item.id, item.label});
                    ids << item.id;
                }
        }
        SendDialog d(vaultPath, secrets, accounts, ids, &w);
        d.setRecipients(age::Identity::generate().recipient());
        return save(d, out);
    }
    if (scene == QLatin1String("receive")) { // this machine's recipient (made on first use), no bundle opened
        QTemporaryDir dir;
        MemorySecretStore secrets;
        ReceiveDialog d(dir.filePath(QStringLiteral("vault.sqlite")), secrets, &w);
        return save(d, out);
    }
    if (scene == QLatin1String("peer")) {
        Peer p;
        p.id = 1234567;
        p.type = PeerType::Channel;
        p.accessHash = -5432109876543210;
        p.usernames = {QStringLiteral("example_channel")};
        PeerEditDialog d(p, &w);
        return save(d, out);
    }
    if (scene == QLatin1String("connect")) { // filled in, not connected (no server is contacted)
        MemorySecretStore secrets;
        ConnectDialog d(&secrets, &w);
        d.urlField()->setText(QStringLiteral("postgres://bots@db.internal:5432/fleet?sslmode=verify-full"));
        d.passwordField()->setText(QStringLiteral("example password"));
        d.rememberBox()->setChecked(true);
        return save(d, out);
    }
    return false;
}

} // namespace sd
