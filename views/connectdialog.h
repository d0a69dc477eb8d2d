#pragma once
// "Connect to server…": a postgres:// or redis:// URL (never with a password inside: refused with the
// CLI's message, docs/cli.md "Server stores"), a masked password field, an opt-in "Remember in the
// keychain". Connecting runs off the GUI thread (runJob) through core/edit/serverconnect.h; a refused
// login and an unreachable server get different messages. The result is one Document per session.
#include "edit/serverconnect.h"

#include <QDialog>
#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sd {

class SecretStore;

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    // keychain: where "Remember" stores the password and where a remembered one is looked up (null: no
    // keychain, the checkbox is off).
    explicit ConnectDialog(SecretStore *keychain, QWidget *parent = nullptr);
    ~ConnectDialog() override;

    QLineEdit *urlField() const { return m_url; }
    QLineEdit *passwordField() const { return m_password; }
    QCheckBox *rememberBox() const { return m_remember; }
    QPushButton *connectButton() const { return m_connect; }
    // The message of the last failed attempt ("" after success or before any).
    QString statusText() const;
    ServerFailure lastFailure() const { return m_failure; }

    // Connects with what the fields hold (the Connect button). True when the store opened; the dialog
    // is then accepted and takeDocuments() hands the sessions over.
    bool connectNow();
    std::vector<std::unique_ptr<Document>> takeDocuments();
    // The server URL as connected (no password), for the status bar.
    QString connectedUrl() const { return m_connectedUrl; }

private:
    void showFailure(ServerFailure failure, const QString &detail);
    SecretStore *m_keychain;
    QLineEdit *m_url;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_status;
    QPushButton *m_connect;
    ServerFailure m_failure = ServerFailure::None;
    std::vector<std::unique_ptr<Document>> m_docs;
    QString m_connectedUrl;
};

} // namespace sd
