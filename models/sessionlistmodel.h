#pragma once
// Placeholder list of open stores; replaced by the desktop-app work.
#include <QAbstractListModel>

namespace sd {
class SessionListModel : public QAbstractListModel {
    Q_OBJECT
public:
    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : 0; }
    QVariant data(const QModelIndex &, int) const override { return {}; }
};
} // namespace sd
