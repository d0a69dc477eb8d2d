#pragma once
// "Receive from another machine…" (issue 16): shows this machine's recipient (created on first use,
// its secret in the keychain) with a copy button, opens a bundle (addressed to this machine, or
// with its passphrase), previews its accounts (auth_key_id, user, DC, peers; never a key) and
// imports the chosen ones into the vault.
#include "domain/session.h"
#include "secrets/secretstore.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QTreeWidget;
class QPushButton;

namespace sd {

class ReceiveDialog : public QDialog {
    Q_OBJECT
public:
    ReceiveDialog(const QString &vaultPath, SecretStore &secrets, QWidget *parent = nullptr);
    ~ReceiveDialog() override;

    QString recipient() const;
    // Test and scripting hooks (the widgets do the same).
    bool openBundle(const QString &path);    // asks UiFacade::password() for a passphrase bundle
    QTreeWidget *preview() const { return m_preview; }
    int importChecked();                     // number of accounts added; -1 on error
    QString lastError() const { return m_lastError; }

private:
    void copyRecipient();
    void browse();
    QString m_vaultPath;
    SecretStore &m_secrets;
    QLineEdit *m_recipient;
    QLineEdit *m_path;
    QLabel *m_status;
    QTreeWidget *m_preview;
    QPushButton *m_import;
    Store m_store;   // the opened bundle's accounts (keys wiped with the dialog)
    QString m_lastError;
};

} // namespace sd
