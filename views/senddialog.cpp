#include "senddialog.h"

#include "bundle/vaultbundle.h"
#include "jobdialog.h"
#include "uifacade.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sd {

SendDialog::SendDialog(const QString &vaultPath, SecretStore &secrets, const QList<QPair<QString, QString>> &accounts,
                       const QStringList &preselected, QWidget *parent)
    : QDialog(parent), m_vaultPath(vaultPath), m_secrets(secrets)
{
    setObjectName(QStringLiteral("sendDialog"));
    setWindowTitle(tr("Send to another machine"));
    resize(640, 520);
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("sendAccounts"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Account")});
    for (const auto &[id, label] : accounts) {
        auto *item = new QTreeWidgetItem(m_list, {label});
        item->setData(0, Qt::UserRole, id);
        item->setCheckState(0, preselected.contains(id) || preselected.isEmpty() ? Qt::Checked : Qt::Unchecked);
    }

    auto *how = new QGroupBox(tr("Who can open the bundle"), this);
    m_toRecipient = new QRadioButton(tr("The other machine (its recipient, shown in its \"Receive from another machine\" window):"), how);
    m_toRecipient->setChecked(true);
    m_recipients = new QLineEdit(how);
    m_recipients->setObjectName(QStringLiteral("recipients"));
    m_recipients->setPlaceholderText(QStringLiteral("age1…"));
    m_toPassphrase = new QRadioButton(tr("Anyone with a passphrase:"), how);
    m_pass1 = new QLineEdit(how);
    m_pass1->setEchoMode(QLineEdit::Password);
    m_pass1->setPlaceholderText(tr("passphrase"));
    m_pass2 = new QLineEdit(how);
    m_pass2->setEchoMode(QLineEdit::Password);
    m_pass2->setPlaceholderText(tr("the same passphrase again"));
    auto *howLayout = new QVBoxLayout(how);
    howLayout->addWidget(m_toRecipient);
    howLayout->addWidget(m_recipients);
    howLayout->addWidget(m_toPassphrase);
    howLayout->addWidget(m_pass1);
    howLayout->addWidget(m_pass2);
    connect(m_toRecipient, &QRadioButton::toggled, this, &SendDialog::updateMode);

    m_output = new QLineEdit(QDir::home().filePath(QStringLiteral("accounts.age")), this);
    m_output->setObjectName(QStringLiteral("bundleOutput"));
    auto *browseButton = new QPushButton(tr("Browse…"), this);
    connect(browseButton, &QPushButton::clicked, this, &SendDialog::browse);
    auto *outRow = new QHBoxLayout;
    outRow->addWidget(m_output, 1);
    outRow->addWidget(browseButton);

    m_warning = new QLabel(tr("<b>Use each account on one machine only.</b> Telegram revokes a key that is used from two "
                              "places at once (AUTH_KEY_DUPLICATED): once the other machine has imported the bundle, "
                              "stop using these accounts here."),
                           this);
    m_warning->setWordWrap(true);
    m_removeAfter = new QCheckBox(tr("Remove these accounts from this vault once the bundle is saved"), this);
    m_removeAfter->setObjectName(QStringLiteral("removeAfterSend"));

    auto *box = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *save = box->addButton(tr("&Save bundle"), QDialogButtonBox::AcceptRole);
    save->setObjectName(QStringLiteral("saveBundle"));
    connect(save, &QPushButton::clicked, this, [this] {
        if (sendNow())
            accept();
        else if (!m_lastError.isEmpty())
            UiFacade::instance().warning(this, windowTitle(), m_lastError);
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Accounts to send:"), this));
    layout->addWidget(m_list, 1);
    layout->addWidget(how);
    auto *form = new QFormLayout;
    form->addRow(tr("Save the bundle as:"), outRow);
    layout->addLayout(form);
    layout->addWidget(m_warning);
    layout->addWidget(m_removeAfter);
    layout->addWidget(box);
    updateMode();
}

void SendDialog::updateMode()
{
    const bool r = m_toRecipient->isChecked();
    m_recipients->setEnabled(r);
    m_pass1->setEnabled(!r);
    m_pass2->setEnabled(!r);
}

void SendDialog::browse()
{
    const QString f = UiFacade::instance().saveFileName(this, tr("Save bundle"), m_output->text());
    if (!f.isEmpty())
        m_output->setText(f);
}

void SendDialog::setRecipients(const QString &text)
{
    m_toRecipient->setChecked(true);
    m_recipients->setText(text);
}

void SendDialog::setPassphrase(const QString &text)
{
    m_toPassphrase->setChecked(true);
    m_pass1->setText(text);
    m_pass2->setText(text);
}

void SendDialog::setOutput(const QString &path) { m_output->setText(path); }
void SendDialog::setRemoveAfterSave(bool remove) { m_removeAfter->setChecked(remove); }

QStringList SendDialog::checkedIds() const
{
    QStringList ids;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        if (m_list->topLevelItem(i)->checkState(0) == Qt::Checked)
            ids << m_list->topLevelItem(i)->data(0, Qt::UserRole).toString();
    return ids;
}

bool SendDialog::sendNow()
{
    m_lastError.clear();
    const QStringList ids = checkedIds();
    if (ids.isEmpty()) {
        m_lastError = tr("Choose at least one account.");
        return false;
    }
    auto enc = std::make_shared<age::EncryptOptions>();
    if (m_toRecipient->isChecked()) {
        const QStringList words = m_recipients->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
        if (words.isEmpty()) {
            m_lastError = tr("Paste the other machine's recipient (age1…).");
            return false;
        }
        for (const QString &w : words) {
            auto key = age::parseRecipient(w);
            if (!key) {
                m_lastError = key.error().message;
                return false;
            }
            enc->recipients.push_back(*key);
        }
    } else {
        if (m_pass1->text().isEmpty() || m_pass1->text() != m_pass2->text()) {
            m_lastError = m_pass1->text().isEmpty() ? tr("Set a passphrase.") : tr("The two passphrases differ.");
            return false;
        }
        QByteArray utf8 = m_pass1->text().toUtf8();
        enc->passphrase = SecretBytes::fromByteArray(utf8);
        wipe(utf8);
        enc->workFactor = m_workFactor;
    }
    const QString out = m_output->text().trimmed();
    if (out.isEmpty()) {
        m_lastError = tr("Choose where to save the bundle.");
        return false;
    }
    bool force = false;
    if (QFileInfo::exists(out)) {
        if (UiFacade::instance().question(this, windowTitle(), tr("%1 exists. Replace it?").arg(out), QMessageBox::Yes | QMessageBox::No)
            != QMessageBox::Yes)
            return false;
        force = true;
    }
    const QString vaultPath = m_vaultPath;
    SecretStore *secrets = &m_secrets;
    const JobOutcome job = runJob(this, tr("Saving the bundle…"), [=](TaskContext &ctx) -> QVariant {
        ctx.progress(0, 2, tr("Reading the accounts from the vault"));
        auto vault = Vault::open(vaultPath, *secrets, false);
        if (!vault)
            return vault.error().message;
        auto store = bundle::loadVaultAccounts(**vault, ids);
        if (!store)
            return store.error().message;
        if (ctx.isCancelled())
            return QString();
        ctx.progress(1, 2, tr("Encrypting"));
        if (auto st = bundle::writeBundle(*store, *enc, out, force); !st)
            return st.error().message;
        return QVariant();
    });
    if (job.cancelled)
        return false;
    if (job.result.isValid()) {
        m_lastError = job.result.toString();
        return false;
    }
    if (m_removeAfter->isChecked()) {
        const auto answer = UiFacade::instance().question(
            this, windowTitle(),
            tr("The bundle is saved in %1.\nRemove the %n sent account(s) from this vault and the keychain now?", nullptr, static_cast<int>(ids.size())).arg(out),
            QMessageBox::Yes | QMessageBox::No);
        if (answer == QMessageBox::Yes) {
            const JobOutcome rm = runJob(this, tr("Removing the sent accounts…"), [=](TaskContext &) -> QVariant {
                auto vault = Vault::open(vaultPath, *secrets, false);
                if (!vault)
                    return vault.error().message;
                QStringList done;
                for (const QString &id : ids) {
                    if (auto st = (*vault)->remove(id); !st)
                        return st.error().message;
                    done << id;
                }
                return done;
            });
            if (rm.result.typeId() == QMetaType::QStringList)
                m_removed = rm.result.toStringList();
            else if (rm.result.isValid())
                UiFacade::instance().warning(this, windowTitle(), rm.result.toString());
        }
    }
    return true;
}

} // namespace sd
