#pragma once
// Small per-account table models: session fields, DC auth entries, update state, conversations.
// They read the Document, validate edits and push them on the undo stack; no storage logic.
#include "edit/document.h"

#include <QAbstractTableModel>
#include <QPointer>

class QUndoStack;

namespace sd {

class AccountModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // True on a cell whose field the format does not store (shown "not stored by <library>").
    static constexpr int NotStoredRole = Qt::UserRole + 40;
    using QAbstractTableModel::QAbstractTableModel;
    void setDocument(Document *doc, int account, QUndoStack *stack);
    const Session *session() const { return m_doc ? m_doc->account(m_account) : nullptr; }

Q_SIGNALS:
    void editRejected(const QString &message);

protected:
    // Called after the document changed (reset by default).
    virtual void refresh();
    bool apply(const QString &text, std::function<Status(Document &)> redo, std::function<Status(Document &)> undo);
    // Whether the document's format stores cap (its capabilities, docs/formats.md).
    bool stores(Capability cap) const;
    // The look of a field the format does not store: "not stored by <library>", dimmed, italic,
    // with a tooltip saying it is absent rather than empty.
    QVariant notStored(int role) const;
    // Editable value cells look editable (the palette's Base behind them, read-only ones on Window).
    static QVariant editableLook(bool editable, int role);
    QPointer<Document> m_doc;
    int m_account = 0;
    QPointer<QUndoStack> m_stack;
    int m_lastRows = 0;
};

// Key/value rows: format, DC, test mode, user id, bot, API id/hash, names, phone, auth_key_id...
class SessionInfoModel : public AccountModel {
    Q_OBJECT
public:
    // Rows: one per field; columns: the field's name, its value.
    enum Field { Format, DcId, TestMode, UserId, IsBot, ApiId, ApiHash, FirstName, LastName, Username, Phone,
                 TakeoutId, MediaDc, AuthKeyId, Peers, Conversations, FieldCount };
    enum Column { Name, Value, ColumnCount };
    using AccountModel::AccountModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    static QString fieldName(int field);
};

class DcAuthModel : public AccountModel {
    Q_OBJECT
public:
    enum Column { Dc, Address, Port, Ipv6, Media, Temp, AuthKeyId, KeySize, Salt, Expires, TestDc, ColumnCount };
    using AccountModel::AccountModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    const DcAuth *dc(int row) const;
};

// Rows: pts, qts, date, seq, then one row per channel (channel pts).
class UpdateStateModel : public AccountModel {
    Q_OBJECT
public:
    enum Row { Pts, Qts, Date, Seq, FirstChannelRow };
    enum Column { Name, Value, ColumnCount };
    using AccountModel::AccountModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
};

// Conversation-state rows (mtgo): the name and step are edited in place, rows are deleted; both
// through the undo stack. The data blob is shown by size only.
class ConversationModel : public AccountModel {
    Q_OBJECT
public:
    enum Column { ChatId, UserId, Name, Step, DataSize, Created, Updated, ColumnCount };
    using AccountModel::AccountModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    // Deletes the given rows (one undo step). False when nothing was deleted.
    bool deleteRows(QList<int> rows);
    bool editable() const;
};

} // namespace sd
