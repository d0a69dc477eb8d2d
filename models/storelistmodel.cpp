#include "storelistmodel.h"

#include <QFont>

namespace sd {

QString accountLabel(const Session &s, int index)
{
    QString who;
    if (s.username && !s.username->isEmpty())
        who = QLatin1Char('@') + *s.username;
    else if (s.firstName && !s.firstName->isEmpty())
        who = *s.firstName;
    else if (s.userId)
        who = QStringLiteral("user %1").arg(*s.userId);
    else
        who = QStringLiteral("account %1").arg(index + 1);
    return s.dcId > 0 ? QStringLiteral("%1 (DC %2)").arg(who).arg(s.dcId) : who;
}

StoreListModel::StoreListModel(Workspace *ws, QObject *parent) : QAbstractItemModel(parent), m_ws(ws)
{
    for (int i = 0; i < ws->count(); ++i)
        m_accounts.push_back(ws->at(i)->accountCount());
    connect(ws, &Workspace::aboutToAdd, this, [this](int i) { beginInsertRows({}, i, i); });
    connect(ws, &Workspace::added, this, [this](int i) {
        m_accounts.insert(m_accounts.begin() + i, m_ws->at(i)->accountCount());
        endInsertRows();
    });
    connect(ws, &Workspace::aboutToRemove, this, [this](int i) { beginRemoveRows({}, i, i); });
    connect(ws, &Workspace::removed, this, [this](int i) {
        m_accounts.erase(m_accounts.begin() + i);
        endRemoveRows();
    });
    connect(ws, &Workspace::documentChanged, this, [this](int i) {
        const int now = m_ws->at(i)->accountCount();
        int &was = m_accounts[static_cast<size_t>(i)];
        const QModelIndex parent = documentIndex(i);
        if (now < was) {
            beginRemoveRows(parent, now, was - 1);
            was = now;
            endRemoveRows();
        } else if (now > was) {
            beginInsertRows(parent, was, now - 1);
            was = now;
            endInsertRows();
        }
        Q_EMIT dataChanged(parent, parent);
        if (now > 0)
            Q_EMIT dataChanged(index(0, 0, parent), index(now - 1, 0, parent));
    });
}

QModelIndex StoreListModel::documentIndex(int doc) const { return index(doc, 0); }

QModelIndex StoreListModel::accountIndex(int doc, int account) const { return index(account, 0, documentIndex(doc)); }

std::pair<int, int> StoreListModel::location(const QModelIndex &idx) const
{
    if (!idx.isValid())
        return {-1, -1};
    if (idx.internalId() == 0)
        return {idx.row(), 0};
    return {static_cast<int>(idx.internalId() - 1), idx.row()};
}

QModelIndex StoreListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < static_cast<int>(m_accounts.size()) ? createIndex(row, 0, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0)
        return {};
    const int doc = parent.row();
    if (doc >= static_cast<int>(m_accounts.size()) || row >= m_accounts[static_cast<size_t>(doc)])
        return {};
    return createIndex(row, 0, quintptr(doc + 1));
}

QModelIndex StoreListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int StoreListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_accounts.size());
    if (parent.column() != 0 || parent.internalId() != 0 || parent.row() >= static_cast<int>(m_accounts.size()))
        return 0;
    return m_accounts[static_cast<size_t>(parent.row())];
}

int StoreListModel::columnCount(const QModelIndex &) const { return 1; }

QVariant StoreListModel::data(const QModelIndex &idx, int role) const
{
    if (!idx.isValid() || !m_ws)
        return {};
    const auto [docIndex, account] = location(idx);
    const Document *doc = m_ws->at(docIndex);
    if (!doc)
        return {};
    const bool top = idx.internalId() == 0;
    switch (role) {
    case Qt::DisplayRole:
        if (top)
            return doc->isModified() ? doc->displayName() + QStringLiteral(" *") : doc->displayName();
        if (const Session *s = doc->account(account))
            return accountLabel(*s, account);
        return {};
    case Qt::ToolTipRole:
        if (top)
            return QStringLiteral("%1\n%2").arg(doc->isString() ? tr("pasted string") : doc->source().path,
                                                doc->format() ? doc->format()->displayName() : QString());
        return {};
    case Qt::FontRole:
        if (top && doc->isModified()) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case DocumentIndexRole: return docIndex;
    case AccountRole: return account;
    case ModifiedRole: return doc->isModified();
    }
    return {};
}

} // namespace sd
