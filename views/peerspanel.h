#pragma once
// The Peers tab: search box, type filter, count and the lazy peer table.
#include "domain/session.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QUndoStack;

namespace sd {

class Document;
class PeerModel;

class PeersPanel : public QWidget {
    Q_OBJECT
public:
    explicit PeersPanel(QWidget *parent = nullptr);
    void setDocument(Document *doc, int account, QUndoStack *stack);
    PeerModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *searchBox() const { return m_search; }
    void focusSearch();

    // Edits of the peer cache, each undoable through the account's undo stack (Delete key and the
    // context menu call them). Return false when nothing was done (the reason went to message()).
    bool deleteSelected();
    bool addPeer(const Peer &peer);
    // Replaces the values of a peer (existing or added by hand) with edited (same marked id).
    bool editPeer(const Peer &before, const Peer &edited);
    // Asks first (UiFacade), then marks the whole cache for removal on Save.
    bool clearCache();
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *addAction() const { return m_addAction; }
    QAction *editAction() const { return m_editAction; }
    QAction *clearAction() const { return m_clearAction; }

Q_SIGNALS:
    void message(const QString &text);

private:
    void updateCount();
    void updateActions();
    void addDialog();
    void editDialog();
    PeerModel *m_model;
    QLineEdit *m_search;
    QComboBox *m_kind;
    QLabel *m_count;
    QTableView *m_view;
    QTimer *m_debounce;
    QAction *m_deleteAction;
    QAction *m_addAction;
    QAction *m_editAction;
    QAction *m_clearAction;
    QPointer<Document> m_doc;
    int m_account = 0;
    QPointer<QUndoStack> m_stack;
};

} // namespace sd
