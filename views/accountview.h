#pragma once
// The tabs for one account: Session, DC keys, Peers, Update state, Conversations.
#include "edit/document.h"

#include <QPointer>
#include <QTabWidget>

class QAbstractItemModel;
class QAction;
class QTableView;
class QUndoStack;

namespace sd {

class SessionInfoModel;
class DcAuthModel;
class UpdateStateModel;
class ConversationModel;
class PeersPanel;

class AccountView : public QTabWidget {
    Q_OBJECT
public:
    enum Tab { SessionTab, DcTab, PeersTab, UpdateTab, ConversationsTab };
    explicit AccountView(QWidget *parent = nullptr);
    void setDocument(Document *doc, int account, QUndoStack *stack);
    Document *document() const { return m_doc; }
    int account() const { return m_account; }

    PeersPanel *peers() const { return m_peers; }
    QTableView *sessionView() const { return m_sessionView; }
    QTableView *dcView() const { return m_dcView; }
    QTableView *updateView() const { return m_updateView; }
    SessionInfoModel *sessionModel() const { return m_sessionModel; }
    DcAuthModel *dcModel() const { return m_dcModel; }
    UpdateStateModel *updateModel() const { return m_updateModel; }
    ConversationModel *conversationModel() const { return m_convModel; }

    // "Reveal key" / "Copy key" for the selected DC row (asks first; never logs).
    void revealSelectedKey(bool copyToClipboard);
    // Deletes the selected conversation rows (one undo step; the Delete key on that table).
    bool deleteSelectedConversations();
    QTableView *conversationView() const { return m_convView; }

Q_SIGNALS:
    void message(const QString &text);

private:
    QTableView *makeTable(QAbstractItemModel *model, const QString &name);
    QPointer<Document> m_doc;
    int m_account = 0;
    SessionInfoModel *m_sessionModel;
    DcAuthModel *m_dcModel;
    UpdateStateModel *m_updateModel;
    ConversationModel *m_convModel;
    QTableView *m_sessionView;
    QTableView *m_dcView;
    QTableView *m_updateView;
    QTableView *m_convView;
    QAction *m_deleteConversations = nullptr;
    PeersPanel *m_peers;
};

} // namespace sd
