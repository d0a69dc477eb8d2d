#pragma once
// The sidebar: open stores (top level) and their accounts (children). Translates Workspace signals.
#include "edit/workspace.h"

#include <QAbstractItemModel>
#include <QPointer>

namespace sd {

class StoreListModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Roles { DocumentIndexRole = Qt::UserRole, AccountRole, ModifiedRole };
    explicit StoreListModel(Workspace *workspace, QObject *parent = nullptr);

    // Top-level index of document i, and the child index for (document, account).
    QModelIndex documentIndex(int doc) const;
    QModelIndex accountIndex(int doc, int account) const;
    // (document, account) of an index; account 0 for a store row.
    std::pair<int, int> location(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QPointer<Workspace> m_ws;
    // Account counts as last announced to views (a reload may change them).
    std::vector<int> m_accounts;
};

QString accountLabel(const Session &s, int index);

} // namespace sd
