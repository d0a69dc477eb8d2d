#pragma once
// The vault entry of the sidebar: lists the accounts of the SessionDesk vault (keys in the system
// keychain) and opens the chosen ones as read-only stores (export them to write files).
#include "edit/document.h"
#include "secrets/secretstore.h"

#include <QDialog>
#include <QPointer>
#include <functional>
#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace sd {

class Workspace;

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
    // Export the selected account to any format through the export dialog (one account at a time).
    void exportSelected();

    // Add to vault (issue 16): files, folders or a pasted string. A folder is scanned for sessions
    // (every session file below it; a tdata or store folder is one source). With removeSource, each
    // plaintext source file is deleted after its vault copy was committed and read back, once a
    // confirmation naming the files was answered Yes (folders are never deleted). Returns the number
    // of accounts added (-1: nothing done).
    int addSources(const QStringList &paths, bool removeSource);
    int addString(const QByteArray &text);
    // The window's open documents, for "Add open documents" (the button is off without any).
    void setWorkspace(Workspace *workspace);
    // Adds every open document as it is shown (its edits included, peers read in full) through the
    // same verified import. With removeSource, a document read from a plain file loses that file
    // like addSources' sources do, and can no longer be saved (its accounts live in the vault; Export
    // writes them). Returns the number of accounts added (-1: nothing done).
    int addOpenDocuments(bool removeSource);
    void setRemoveSourceChecked(bool on);
    // Remove / rename the selected account(s); send / receive through their dialogs.
    bool removeSelected();
    bool renameSelected(const QString &label);
    void sendSelected();
    void receive();
    QString vaultPath() const { return m_path; }
    SecretStore &secrets() { return *m_secrets; }
    QStringList selectedIds() const;
    void reload() { load(); }

private:
    void load();
    // Asks (naming the files) and deletes verified plaintext sources; returns those deleted. prepare,
    // when given, runs just before each deletion; a non-empty answer keeps that file (reported).
    QStringList removeVerifiedSources(const QStringList &files, const std::function<QString(const QString &)> &prepare = {});
    // The selected accounts as read-only documents, read from the vault off the GUI thread.
    std::vector<std::unique_ptr<Document>> loadSelected(QStringList *errors);
    QString m_path;
    std::unique_ptr<SecretStore> m_ownSecrets;
    SecretStore *m_secrets;
    QLabel *m_status;
    QTreeWidget *m_list;
    QCheckBox *m_removeSource = nullptr;
    QPushButton *m_addDocuments = nullptr;
    QPointer<Workspace> m_workspace;
    std::vector<std::unique_ptr<Document>> m_docs;
};

} // namespace sd
