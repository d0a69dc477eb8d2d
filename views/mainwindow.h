#pragma once
// The main window: sidebar of open stores/accounts, the account tabs, menus and shortcuts. It
// wires widgets to the Workspace and the dialogs; all storage work lives in core/edit.
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <memory>

class QAction;
class QLabel;
class QMenu;
class QStackedWidget;
class QTreeView;
class QUndoGroup;
class QUndoStack;
class QPushButton;

namespace sd {

class AccountView;
class Document;
class DocumentStatus;
class OverviewPanel;
class SecretStore;
class StoreListModel;
class Workspace;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Workspace *workspace() const { return m_workspace; }
    AccountView *accountView() const { return m_accountView; }
    QTreeView *sidebar() const { return m_sidebar; }
    StoreListModel *storeModel() const { return m_storeModel; }
    Document *currentDocument() const;
    QUndoStack *undoStack(Document *doc) const;

    // Opens files/folders (folders are scanned recursively) in a background job; returns the
    // number of stores opened.
    int openPaths(const QStringList &paths);
    void selectDocument(int index, int account = 0);
    // Save the current document (asks nothing). Returns false on error (shown).
    bool saveCurrent();
    bool closeCurrent();

    // Actions, for tests and menus.
    QAction *action(const QString &name) const;
    DocumentStatus *documentStatus() const { return m_docStatus; }
    OverviewPanel *overviewPanel() const { return m_overview; }
    // Audits the folders (recursively, off the GUI thread) and shows their overview.
    void showOverview(const QStringList &folders);
    // The overview of the server store at url (a Connect): the sessions open from it, through the
    // audit's rules and the folder overview's engine, without reading the store again. show: also
    // bring the overview to the front (else only its numbers are refreshed).
    void showServerOverview(const QString &url, bool show = true);
    // Shows only the stores at these places in the sidebar (empty: every store).
    void filterSidebar(const QStringList &places);
    // The keychain "Connect to server…" remembers passwords in (default: the system keychain when a
    // D-Bus session is there, else none). Tests set their own; not owned when set.
    void setServerSecretStore(SecretStore *store);
    SecretStore *serverSecretStore();

public Q_SLOTS:
    void openFiles();
    void openFolder();
    // "Connect to server…": a PostgreSQL/Redis store, one sidebar entry per session.
    void connectServer();
    void importDialog();
    void exportDialog();
    void pruneDialog();
    void openVault();
    void auditDialog();
    void find();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void addDocuments(std::vector<std::unique_ptr<Document>> docs);
    void onSelectionChanged();
    void updateTitle();
    void updateActions();
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    bool confirmDiscard(const QList<Document *> &docs);
    void showStatus(const QString &text);

    // Issue 18 hooks (status bar facts, undo failures, undo reset on reload): mainwindow_edit.cpp.
    void setupEditHooks();
    void hookDocument(Document *doc, QUndoStack *stack);
    // Window state, splitter and column widths (QSettings), restored at start, saved on close.
    void restoreUiState();
    void saveUiState();
    DocumentStatus *m_docStatus = nullptr;
    OverviewPanel *m_overview = nullptr;

    Workspace *m_workspace;
    StoreListModel *m_storeModel;
    QTreeView *m_sidebar;
    QPushButton *m_vaultButton;
    QPushButton *m_serverButton;
    std::unique_ptr<SecretStore> m_ownServerSecrets;
    SecretStore *m_serverSecrets = nullptr;
    bool m_serverSecretsChosen = false;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    AccountView *m_accountView;
    QUndoGroup *m_undoGroup;
    QHash<Document *, QUndoStack *> m_stacks;
    QHash<QString, QAction *> m_actions;
    QMenu *m_recentMenu = nullptr;
};

} // namespace sd
