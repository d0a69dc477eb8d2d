#pragma once
// The vault entry of the sidebar: lists the accounts of the SessionDesk vault (keys in the system
// keychain) and opens the chosen ones as read-only stores (export them to write files).
#include "edit/document.h"

#include <QDialog>
#include <memory>
#include <vector>

class QLabel;
class QTreeWidget;

namespace sd {

class VaultDialog : public QDialog {
    Q_OBJECT
public:
    explicit VaultDialog(QWidget *parent = nullptr, const QString &vaultPath = QString());
    ~VaultDialog() override;
    std::vector<std::unique_ptr<Document>> takeDocuments() { return std::move(m_docs); }

private:
    void load();
    void openSelected();
    QString m_path;
    QLabel *m_status;
    QTreeWidget *m_list;
    std::vector<std::unique_ptr<Document>> m_docs;
};

} // namespace sd
