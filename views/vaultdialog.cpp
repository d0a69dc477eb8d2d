#include "vaultdialog.h"

#include "keychainsecretstore.h"
#include "exportdialog.h"
#include "jobdialog.h"
#include "receivedialog.h"
#include "senddialog.h"
#include "uifacade.h"
#include "format/registry.h"
#include "vault/vault.h"

#include <QCheckBox>
#include <QDir>
#include <QHBoxLayout>
#include <QInputDialog>

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <optional>

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

    // Where accounts live (issue 16): add, remove, rename, move between machines.
    auto button = [this](const QString &name, const QString &text, auto slot) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        connect(b, &QPushButton::clicked, this, slot);
        return b;
    };
    auto *addFiles = button(QStringLiteral("vaultAddFiles"), tr("Add &files…"), [this] {
        const QStringList files = UiFacade::instance().openFileNames(this, tr("Add to vault"), tr("Sessions (*);;age bundles (*.age)"));
        if (!files.isEmpty())
            addSources(files, m_removeSource->isChecked());
    });
    auto *addFolder = button(QStringLiteral("vaultAddFolder"), tr("Add f&older…"), [this] {
        const QString dir = UiFacade::instance().existingDirectory(this, tr("Add a session folder to the vault"));
        if (!dir.isEmpty())
            addSources({dir}, m_removeSource->isChecked());
    });
    m_addDocuments = button(QStringLiteral("vaultAddDocuments"), tr("Add open &documents"), [this] {
        addOpenDocuments(m_removeSource->isChecked());
    });
    m_addDocuments->setToolTip(tr("Add the documents open in the main window, with their unsaved edits"));
    m_addDocuments->setEnabled(false);
    auto *paste = button(QStringLiteral("vaultPaste"), tr("&Paste string…"), [this] {
        bool ok = false;
        QByteArray text = UiFacade::instance().password(this, tr("Add to vault"), tr("Paste a string session:"), &ok);
        if (ok)
            addString(text);
        wipe(text);
    });
    auto *removeButton = button(QStringLiteral("vaultRemove"), tr("&Remove"), [this] { removeSelected(); });
    auto *renameButton = button(QStringLiteral("vaultRename"), tr("Re&name…"), [this] {
        const auto items = m_list->selectedItems();
        if (items.size() != 1)
            return;
        bool ok = false;
        const QString label = QInputDialog::getText(this, tr("Rename"), tr("Label:"), QLineEdit::Normal, items.first()->text(0), &ok);
        if (ok)
            renameSelected(label);
    });
    auto *exportButton = button(QStringLiteral("vaultExport"), tr("E&xport…"), [this] { exportSelected(); });
    auto *sendButton = button(QStringLiteral("vaultSend"), tr("&Send to another machine…"), [this] { sendSelected(); });
    auto *receiveButton = button(QStringLiteral("vaultReceive"), tr("Re&ceive from another machine…"), [this] { receive(); });
    m_removeSource = new QCheckBox(tr("Remove the plaintext source after the vault copy is verified"), this);
    m_removeSource->setObjectName(QStringLiteral("vaultRemoveSource"));
    auto *row1 = new QHBoxLayout;
    for (QWidget *w : {static_cast<QWidget *>(addFiles), static_cast<QWidget *>(addFolder), static_cast<QWidget *>(m_addDocuments),
                       static_cast<QWidget *>(paste)})
        row1->addWidget(w);
    row1->addStretch(1);
    auto *row2 = new QHBoxLayout;
    for (QWidget *w : {static_cast<QWidget *>(removeButton), static_cast<QWidget *>(renameButton), static_cast<QWidget *>(exportButton)})
        row2->addWidget(w);
    row2->addSpacing(24);
    row2->addWidget(sendButton);
    row2->addWidget(receiveButton);
    row2->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    layout->addLayout(row1);
    layout->addWidget(m_removeSource);
    layout->addLayout(row2);
    layout->addWidget(box);
    load();
}

VaultDialog::~VaultDialog() = default;

void VaultDialog::load()
{
    m_list->clear();
    if (!QFileInfo::exists(m_path)) {
        m_status->setText(tr("There is no vault yet (%1). Add accounts with the buttons below.").arg(m_path));
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

std::vector<std::unique_ptr<Document>> VaultDialog::loadSelected(QStringList *errors)
{
    std::vector<std::unique_ptr<Document>> docs;
    QList<QPair<QString, QString>> wanted; // id, label
    for (QTreeWidgetItem *item : m_list->selectedItems())
        wanted.append({item->data(0, Qt::UserRole).toString(), item->text(0)});
    if (wanted.isEmpty())
        return docs;
    // Keychain reads can block for seconds (a locked keyring asks to unlock): off the GUI thread.
    struct Loaded {
        QString label;
        std::optional<Store> store;
        QString error;
    };
    auto loaded = std::make_shared<std::vector<Loaded>>();
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    const JobOutcome job = runJob(this, tr("Reading the vault…"), [=](TaskContext &ctx) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, false);
        if (!vault)
            return vault.error().message;
        qint64 n = 0;
        for (const auto &[id, label] : wanted) {
            if (ctx.isCancelled())
                break;
            ctx.progress(n++, wanted.size(), label);
            auto store = (*vault)->load(id);
            if (store)
                loaded->push_back({label, std::move(*store), {}});
            else
                loaded->push_back({label, std::nullopt, store.error().message});
        }
        return QVariant();
    });
    if (job.result.isValid()) {
        errors->append(job.result.toString());
        return docs;
    }
    for (Loaded &l : *loaded) {
        if (!l.store) {
            errors->append(QStringLiteral("%1: %2").arg(l.label, l.error));
            continue;
        }
        const Format *f = Registry::instance().find(l.store->formatId);
        auto doc = Document::fromStore(Source{QStringLiteral("vault:") + l.label, {}}, f, std::move(*l.store));
        doc->setSaveBlockedReason(tr("accounts opened from the vault are read-only here; use Export"));
        docs.push_back(std::move(doc));
    }
    return docs;
}

void VaultDialog::openSelected()
{
    QStringList errors;
    auto docs = loadSelected(&errors);
    if (!errors.isEmpty())
        UiFacade::instance().warning(this, tr("Vault"), errors.join(QLatin1Char('\n')));
    for (auto &doc : docs)
        m_docs.push_back(std::move(doc));
    if (!m_docs.empty())
        accept();
}

void VaultDialog::exportSelected()
{
    if (m_list->selectedItems().size() != 1) {
        UiFacade::instance().information(this, tr("Export"), tr("Select one account to export."));
        return;
    }
    QStringList errors;
    auto docs = loadSelected(&errors);
    if (!errors.isEmpty() || docs.empty()) {
        UiFacade::instance().warning(this, tr("Export"), errors.join(QLatin1Char('\n')));
        return;
    }
    // The export dialog writes through the same convert path as the command line (0600, never over
    // an input, read back); the key never leaves the process except into the chosen files.
    ExportDialog dialog(docs.front().get(), 0, this);
    dialog.setObjectName(QStringLiteral("vaultExportDialog"));
    dialog.exec();
}

QStringList VaultDialog::selectedIds() const
{
    QStringList ids;
    for (QTreeWidgetItem *item : m_list->selectedItems())
        ids << item->data(0, Qt::UserRole).toString();
    return ids;
}

void VaultDialog::setRemoveSourceChecked(bool on) { m_removeSource->setChecked(on); }

bool VaultDialog::removeSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return false;
    QStringList labels;
    for (QTreeWidgetItem *item : m_list->selectedItems())
        labels << item->text(0);
    if (UiFacade::instance().question(this, tr("Remove from vault"),
                                      tr("Remove these accounts and their keys from the vault and the keychain?\n\n%1").arg(labels.join(QLatin1Char('\n'))),
                                      QMessageBox::Yes | QMessageBox::No)
        != QMessageBox::Yes)
        return false;
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    const JobOutcome job = runJob(this, tr("Removing…"), [=](TaskContext &) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, false);
        if (!vault)
            return vault.error().message;
        for (const QString &id : ids)
            if (auto st = (*vault)->remove(id); !st)
                return st.error().message;
        return QVariant();
    });
    load();
    if (job.result.isValid()) {
        UiFacade::instance().warning(this, tr("Remove from vault"), job.result.toString());
        return false;
    }
    return !job.cancelled;
}

bool VaultDialog::renameSelected(const QString &label)
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1 || label.trimmed().isEmpty())
        return false;
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    const QString id = ids.first();
    const JobOutcome job = runJob(this, tr("Renaming…"), [=](TaskContext &) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, false);
        if (!vault)
            return vault.error().message;
        if (auto st = (*vault)->setLabel(id, label.trimmed()); !st)
            return st.error().message;
        return QVariant();
    });
    load();
    if (job.result.isValid()) {
        UiFacade::instance().warning(this, tr("Rename"), job.result.toString());
        return false;
    }
    return true;
}

void VaultDialog::sendSelected()
{
    QList<QPair<QString, QString>> accounts;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        accounts.append({item->data(0, Qt::UserRole).toString(), QStringLiteral("%1  (%2)").arg(item->text(0), item->text(4))});
    }
    if (accounts.isEmpty()) {
        UiFacade::instance().information(this, tr("Send"), tr("The vault is empty."));
        return;
    }
    SendDialog dialog(m_path, *m_secrets, accounts, selectedIds(), this);
    dialog.exec();
    load();
}

void VaultDialog::receive()
{
    ReceiveDialog dialog(m_path, *m_secrets, this);
    dialog.exec();
    load();
}

} // namespace sd
