#pragma once
// "Send to another machine…" (issue 16): choose vault accounts, then paste the other machine's
// recipient (age1…, from its "Receive" dialog or `sessiondesk-cli identity`) or set a passphrase,
// and save the bundle. Warns that a key used on two machines at once is revoked by Telegram
// (AUTH_KEY_DUPLICATED) and can remove the accounts here once the bundle is saved.
#include "secrets/secretstore.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QTreeWidget;

namespace sd {

class SendDialog : public QDialog {
    Q_OBJECT
public:
    // accounts: id -> label of the vault accounts to offer; preselected ids are checked.
    SendDialog(const QString &vaultPath, SecretStore &secrets, const QList<QPair<QString, QString>> &accounts,
               const QStringList &preselected, QWidget *parent = nullptr);

    // Test and scripting hooks (the widgets do the same).
    void setRecipients(const QString &text);      // one or more age1… separated by spaces or lines
    void setPassphrase(const QString &text);      // both fields; switches to passphrase mode
    void setOutput(const QString &path);
    void setRemoveAfterSave(bool remove);
    void setWorkFactor(int log2N) { m_workFactor = log2N; }
    QStringList checkedIds() const;
    // Validates, seals and writes the bundle (background job); true when it was written.
    bool sendNow();
    QString lastError() const { return m_lastError; }
    QStringList removedIds() const { return m_removed; }

private:
    void updateMode();
    void browse();
    QString m_vaultPath;
    SecretStore &m_secrets;
    QTreeWidget *m_list;
    QRadioButton *m_toRecipient;
    QRadioButton *m_toPassphrase;
    QLineEdit *m_recipients;
    QLineEdit *m_pass1;
    QLineEdit *m_pass2;
    QLineEdit *m_output;
    QCheckBox *m_removeAfter;
    QLabel *m_warning;
    int m_workFactor = 18;
    QString m_lastError;
    QStringList m_removed;
};

} // namespace sd
