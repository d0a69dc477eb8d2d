#include "accountview.h"

#include <QAction>

#include "accountmodels.h"
#include "peerspanel.h"
#include "secretclipboard.h"
#include "uifacade.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

namespace sd {

AccountView::AccountView(QWidget *parent)
    : QTabWidget(parent), m_sessionModel(new SessionInfoModel(this)), m_dcModel(new DcAuthModel(this)),
      m_updateModel(new UpdateStateModel(this)), m_convModel(new ConversationModel(this))
{
    setObjectName(QStringLiteral("accountTabs"));
    m_sessionView = makeTable(m_sessionModel, QStringLiteral("sessionTable"));
    m_sessionView->horizontalHeader()->resizeSection(0, 200);
    addTab(m_sessionView, tr("&Session"));

    auto *dcPage = new QWidget(this);
    m_dcView = makeTable(m_dcModel, QStringLiteral("dcTable"));
    auto *reveal = new QPushButton(tr("&Reveal key…"), dcPage);
    reveal->setObjectName(QStringLiteral("revealKey"));
    auto *copy = new QPushButton(tr("&Copy key…"), dcPage);
    copy->setObjectName(QStringLiteral("copyKey"));
    connect(reveal, &QPushButton::clicked, this, [this] { revealSelectedKey(false); });
    connect(copy, &QPushButton::clicked, this, [this] { revealSelectedKey(true); });
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(reveal);
    buttons->addWidget(copy);
    auto *dcLayout = new QVBoxLayout(dcPage);
    dcLayout->setContentsMargins(0, 0, 0, 0);
    dcLayout->addWidget(m_dcView, 1);
    dcLayout->addLayout(buttons);
    addTab(dcPage, tr("&DC keys"));

    m_peers = new PeersPanel(this);
    addTab(m_peers, tr("&Peers"));
    m_updateView = makeTable(m_updateModel, QStringLiteral("updateTable"));
    addTab(m_updateView, tr("&Update state"));
    m_convView = makeTable(m_convModel, QStringLiteral("conversationTable"));
    m_convView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_convView->setAccessibleName(tr("Conversations"));
    m_convView->setAccessibleDescription(tr("Conversation states; edit the name or step with a double-click, Delete removes the selected rows"));
    m_deleteConversations = new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("&Delete conversations"), m_convView);
    m_deleteConversations->setObjectName(QStringLiteral("deleteConversations"));
    m_deleteConversations->setShortcut(QKeySequence::Delete);
    m_deleteConversations->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_convView->addAction(m_deleteConversations);
    m_convView->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_deleteConversations, &QAction::triggered, this, [this] { deleteSelectedConversations(); });
    addTab(m_convView, tr("C&onversations"));

    for (AccountModel *m : {static_cast<AccountModel *>(m_sessionModel), static_cast<AccountModel *>(m_dcModel),
                            static_cast<AccountModel *>(m_updateModel), static_cast<AccountModel *>(m_convModel)})
        connect(m, &AccountModel::editRejected, this, &AccountView::message);
    connect(m_peers, &PeersPanel::message, this, &AccountView::message);
}

QTableView *AccountView::makeTable(QAbstractItemModel *model, const QString &name)
{
    auto *v = new QTableView(this);
    v->setObjectName(name);
    v->setModel(model);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->setAlternatingRowColors(true);
    v->horizontalHeader()->setStretchLastSection(true);
    v->verticalHeader()->hide();
    v->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    return v;
}

void AccountView::setDocument(Document *doc, int account, QUndoStack *stack)
{
    m_doc = doc;
    m_account = account;
    m_sessionModel->setDocument(doc, account, stack);
    m_dcModel->setDocument(doc, account, stack);
    m_updateModel->setDocument(doc, account, stack);
    m_convModel->setDocument(doc, account, stack);
    m_peers->setDocument(doc, account, stack);
    const Session *s = doc ? doc->account(account) : nullptr;
    const bool conv = s && (!s->conversations.empty() || (doc->format() && doc->format()->capabilities().testFlag(Capability::Conversations)));
    setTabVisible(ConversationsTab, conv);
    m_deleteConversations->setEnabled(m_convModel->editable());
    if (m_dcModel->rowCount() > 0)
        m_dcView->selectRow(0);
}

bool AccountView::deleteSelectedConversations()
{
    QList<int> rows;
    if (m_convView->selectionModel())
        for (const QModelIndex &i : m_convView->selectionModel()->selectedRows())
            rows << i.row();
    return m_convModel->deleteRows(rows);
}

void AccountView::revealSelectedKey(bool copyToClipboard)
{
    const QModelIndexList rows = m_dcView->selectionModel() ? m_dcView->selectionModel()->selectedRows() : QModelIndexList();
    const DcAuth *dc = rows.isEmpty() ? nullptr : m_dcModel->dc(rows.first().row());
    UiFacade &ui = UiFacade::instance();
    if (!dc || dc->authKey.isEmpty()) {
        ui.information(this, tr("Reveal key"), tr("Select a DC entry that has an auth key."));
        return;
    }
    const QString what = copyToClipboard ? tr("copy the auth key of DC %1 (%2) to the clipboard").arg(dc->dcId).arg(dc->authKeyId())
                                         : tr("show the auth key of DC %1 (%2)").arg(dc->dcId).arg(dc->authKeyId());
    const auto answer = ui.question(this, tr("Reveal auth key"),
                                    tr("Do you really want to %1?\n\nAnyone who sees this key can use the account.").arg(what),
                                    QMessageBox::Yes | QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    QByteArray hex = dc->authKey.exposeUnsafeHex();
    if (copyToClipboard) {
        QString text = QString::fromLatin1(hex);
        SecretClipboard::copy(this, tr("the auth key of DC %1").arg(dc->dcId), text, false);
        text.fill(QLatin1Char('0'));
        Q_EMIT message(tr("Auth key of DC %1 copied; the clipboard is cleared in 30 s.").arg(dc->dcId));
    } else {
        QString text = QString::fromLatin1(hex);
        ui.information(this, tr("Auth key of DC %1").arg(dc->dcId), text);
        text.fill(QLatin1Char('0'));
    }
    wipe(hex);
}

} // namespace sd
