#pragma once
// The vault entry of the sidebar: lists the accounts of the SessionDesk vault (keys in the system
// keychain) and opens the chosen ones as read-only stores (export them to write files).
#include "edit/document.h"
#include "secrets/secretstore.h"

#include <QDialog>
#include <memory>
#include <vector>

class QLabel;
class QTreeWidget;

namespace sd {

class VaultDialog : public QDialog {
    Q_OBJECT
public:
    // secrets: where the keys are (null = the system keychain); vaultPath empty = the default vault.
    explicit VaultDialog(QWidget *parent = nullptr, const QString &vaultPath = QString(), SecretStore *secrets = nullptr);
    ~VaultDialog() override;
    std::vector<std::unique_ptr<Document>> takeDocuments() { return std::move(m_docs); }
    QTreeWidget *list() const { return m_list; }
    // Opens the selected accounts (what "Open" does).
    void openSelected();

private:
    void load();
    QString m_path;
    std::unique_ptr<SecretStore> m_ownSecrets;
    SecretStore *m_secrets;
    QLabel *m_status;
    QTreeWidget *m_list;
    std::vector<std::unique_ptr<Document>> m_docs;
};

} // namespace sd
