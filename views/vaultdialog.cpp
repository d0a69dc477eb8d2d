#include "vaultdialog.h"

#include "keychainsecretstore.h"
#include "uifacade.h"
#include "format/registry.h"
#include "vault/vault.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sd {

VaultDialog::VaultDialog(QWidget *parent, const QString &vaultPath, SecretStore *secrets)
    : QDialog(parent), m_path(Vault::resolvePath(vaultPath)), m_secrets(secrets)
{
    if (!m_secrets) {
        m_ownSecrets = std::make_unique<KeychainSecretStore>(QStringLiteral("sessiondesk"), 15000);
        m_secrets = m_ownSecrets.get();
    }
    setObjectName(QStringLiteral("vaultDialog"));
    setWindowTitle(tr("Vault"));
    resize(720, 420);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_list = new QTreeWidget(this);
    m_list->setRootIsDecorated(false);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setHeaderLabels({tr("Label"), tr("Format"), tr("DC"), tr("User id"), tr("auth_key_id"), tr("Peers")});
    auto *box = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *open = box->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
    connect(open, &QPushButton::clicked, this, &VaultDialog::openSelected);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &VaultDialog::openSelected);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    layout->addWidget(box);
    load();
}

VaultDialog::~VaultDialog() = default;

void VaultDialog::load()
{
    if (!QFileInfo::exists(m_path)) {
        m_status->setText(tr("There is no vault yet (%1). Add accounts with \"sessiondesk-cli vault import\".").arg(m_path));
        return;
    }
    auto vault = Vault::open(m_path, *m_secrets, false);
    if (!vault) {
        m_status->setText(vault.error().message);
        return;
    }
    auto accounts = (*vault)->list();
    if (!accounts) {
        m_status->setText(accounts.error().message);
        return;
    }
    m_status->setText(tr("%1 — %2 account(s). Opened accounts are read-only; use Export to write them.")
                          .arg(m_path).arg(accounts->size()));
    for (const VaultAccount &a : *accounts) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, a.label);
        item->setText(1, a.format);
        item->setText(2, QString::number(a.dcId));
        item->setText(3, a.userId ? QString::number(*a.userId) : QString());
        item->setText(4, a.authKeyId);
        item->setText(5, QString::number(a.peerCount));
        item->setData(0, Qt::UserRole, a.id);
    }
    for (int c = 0; c < 5; ++c)
        m_list->resizeColumnToContents(c);
}

void VaultDialog::openSelected()
{
    const auto items = m_list->selectedItems();
    if (items.isEmpty())
        return;
    auto vault = Vault::open(m_path, *m_secrets, false);
    if (!vault) {
        UiFacade::instance().warning(this, tr("Vault"), vault.error().message);
        return;
    }
    QStringList errors;
    for (QTreeWidgetItem *item : items) {
        const QString id = item->data(0, Qt::UserRole).toString();
        auto store = (*vault)->load(id);
        if (!store) {
            errors << QStringLiteral("%1: %2").arg(item->text(0), store.error().message);
            continue;
        }
        const Format *f = Registry::instance().find(store->formatId);
        auto doc = Document::fromStore(Source{QStringLiteral("vault:") + item->text(0), {}}, f, std::move(*store));
        doc->setSaveBlockedReason(tr("accounts opened from the vault are read-only here; use Export"));
        m_docs.push_back(std::move(doc));
    }
    if (!errors.isEmpty())
        UiFacade::instance().warning(this, tr("Vault"), errors.join(QLatin1Char('\n')));
    if (!m_docs.empty())
        accept();
}

} // namespace sd
