#include "accountmodels.h"

#include "editcommand.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>
#include <QUndoStack>

namespace sd {

void AccountModel::setDocument(Document *doc, int account, QUndoStack *stack)
{
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    beginResetModel();
    m_doc = doc;
    m_account = account;
    m_stack = stack;
    endResetModel();
    m_lastRows = rowCount();
    if (!doc)
        return;
    for (auto sig : {&Document::sessionChanged, &Document::dcsChanged, &Document::updateStateChanged, &Document::conversationsChanged,
                     &Document::peerCountsChanged})
        connect(doc, sig, this, [this](int acc) {
            if (acc == m_account)
                refresh();
        });
    connect(doc, &Document::reloaded, this, &AccountModel::refresh);
}

void AccountModel::refresh()
{
    // Same shape: dataChanged keeps selection and open editors; otherwise a reset.
    const int rows = rowCount();
    if (rows == m_lastRows && rows > 0) {
        Q_EMIT dataChanged(index(0, 0), index(rows - 1, columnCount() - 1));
        return;
    }
    beginResetModel();
    endResetModel();
    m_lastRows = rowCount();
}

bool AccountModel::apply(const QString &text, std::function<Status(Document &)> redo, std::function<Status(Document &)> undo)
{
    QPointer<Document> doc = m_doc;
    auto wrap = [doc](std::function<Status(Document &)> f) {
        return [doc, f]() -> Status {
            if (!doc)
                return Error::usage(QStringLiteral("document closed"));
            return f(*doc);
        };
    };
    Status s = pushEdit(m_stack, text, wrap(std::move(redo)), wrap(std::move(undo)));
    if (!s) {
        Q_EMIT editRejected(s.error().message);
        return false;
    }
    return true;
}

bool AccountModel::stores(Capability cap) const
{
    return !m_doc || !m_doc->format() || m_doc->format()->capabilities().testFlag(cap);
}

QVariant AccountModel::notStored(int role) const
{
    const QString library = m_doc && m_doc->format() ? m_doc->format()->displayName() : tr("this format");
    switch (role) {
    case Qt::DisplayRole: return tr("not stored by %1").arg(library);
    case Qt::EditRole: return QString();
    case Qt::ForegroundRole: return QGuiApplication::palette().brush(QPalette::PlaceholderText);
    case Qt::FontRole: {
        QFont f;
        f.setItalic(true);
        return f;
    }
    case Qt::ToolTipRole: return tr("%1 has no place for this field: it is absent, not empty.").arg(library);
    case NotStoredRole: return true;
    default: return {};
    }
}

QVariant AccountModel::editableLook(bool editable, int role)
{
    if (role == Qt::BackgroundRole)
        return QGuiApplication::palette().brush(editable ? QPalette::Base : QPalette::Window);
    return {};
}

// ---- SessionInfoModel

namespace {
// The capability behind a session field (nullopt: every format has a place for it).
std::optional<Capability> fieldCapability(int field)
{
    switch (field) {
    case SessionInfoModel::DcId: return Capability::DcId;
    case SessionInfoModel::TestMode: return Capability::TestFlag;
    case SessionInfoModel::UserId: return Capability::UserId;
    case SessionInfoModel::IsBot: return Capability::IsBot;
    case SessionInfoModel::ApiId: return Capability::ApiId;
    case SessionInfoModel::ApiHash: return Capability::ApiHash;
    case SessionInfoModel::MediaDc: return Capability::MediaDc;
    case SessionInfoModel::AuthKeyId: return Capability::AuthKey;
    case SessionInfoModel::Peers: return Capability::Peers;
    case SessionInfoModel::Conversations: return Capability::Conversations;
    default: return std::nullopt;
    }
}
} // namespace

QString SessionInfoModel::fieldName(int field)
{
    switch (field) {
    case Format: return tr("Format");
    case DcId: return tr("DC id");
    case TestMode: return tr("Test mode");
    case UserId: return tr("User id");
    case IsBot: return tr("Bot");
    case ApiId: return tr("API id");
    case ApiHash: return tr("API hash");
    case FirstName: return tr("First name");
    case LastName: return tr("Last name");
    case Username: return tr("Username");
    case Phone: return tr("Phone");
    case TakeoutId: return tr("Takeout id");
    case MediaDc: return tr("Media DC");
    case AuthKeyId: return tr("auth_key_id (primary DC)");
    case Peers: return tr("Peers");
    case Conversations: return tr("Conversations");
    }
    return {};
}

int SessionInfoModel::rowCount(const QModelIndex &parent) const { return parent.isValid() || !session() ? 0 : FieldCount; }
int SessionInfoModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SessionInfoModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o == Qt::Horizontal && role == Qt::DisplayRole)
        return section == 0 ? tr("Field") : tr("Value");
    return QAbstractTableModel::headerData(section, o, role);
}

namespace {
QString optBool(const std::optional<bool> &b) { return b ? (*b ? QStringLiteral("true") : QStringLiteral("false")) : QString(); }
template <typename T>
QString optNum(const std::optional<T> &v) { return v ? QString::number(*v) : QString(); }
} // namespace

QVariant SessionInfoModel::data(const QModelIndex &index, int role) const
{
    const Session *s = session();
    if (!s || !index.isValid() || index.row() >= FieldCount)
        return {};
    if (index.column() == Value) {
        const auto cap = fieldCapability(index.row());
        if (cap && !stores(*cap))
            return notStored(role);
        if (role == Qt::BackgroundRole)
            return editableLook(flags(index).testFlag(Qt::ItemIsEditable), role);
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::ToolTipRole)
        return {};
    if (index.column() == Name)
        return role == Qt::ToolTipRole ? QVariant() : QVariant(fieldName(index.row()));
    if (role == Qt::ToolTipRole) {
        if (index.row() == AuthKeyId)
            return tr("The key itself is never shown here; use \"Reveal key\" on the DC keys tab.");
        return flags(index).testFlag(Qt::ItemIsEditable) ? tr("Double-click to edit") : QVariant();
    }
    switch (index.row()) {
    case Format: return m_doc->format() ? m_doc->format()->displayName() + QStringLiteral(" (") + m_doc->format()->id() + QLatin1Char(')') : QString();
    case DcId: return s->dcId > 0 ? QString::number(s->dcId) : QString();
    case TestMode: return optBool(s->testMode);
    case UserId: return optNum(s->userId);
    case IsBot: return optBool(s->isBot);
    case ApiId: return optNum(s->apiId);
    case ApiHash: return s->apiHash.value_or(QString());
    case FirstName: return s->firstName.value_or(QString());
    case LastName: return s->lastName.value_or(QString());
    case Username: return s->username.value_or(QString());
    case Phone: return s->phone.value_or(QString());
    case TakeoutId: return optNum(s->takeoutId);
    case MediaDc: return optNum(s->mediaDcId);
    case AuthKeyId: return s->primary() ? s->primary()->authKeyId() : QString();
    case Peers:
        // A server's statistics until the background count replaces them (Document::countEstimatedPeers).
        return m_doc->peerTotalEstimated(m_account) ? tr("≈%1 (estimate; counting…)").arg(m_doc->peerTotal(m_account))
                                                    : QString::number(m_doc->peerTotal(m_account));
    case Conversations: return QString::number(s->conversationCount());
    }
    return {};
}

Qt::ItemFlags SessionInfoModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Value) {
        if (const auto cap = fieldCapability(index.row()); cap && !stores(*cap))
            return f;
        switch (index.row()) {
        case DcId: case TestMode: case UserId: case IsBot: case ApiId: case ApiHash:
        case FirstName: case LastName: case Username: case Phone:
            f |= Qt::ItemIsEditable;
            break;
        default: break;
        }
    }
    return f;
}

bool SessionInfoModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const Session *cur = session();
    if (!cur || role != Qt::EditRole || !flags(index).testFlag(Qt::ItemIsEditable))
        return false;
    Session before = *cur;
    before.peers.clear();
    before.conversations.clear();
    Session next = before;
    const QString text = value.toString().trimmed();
    auto optString = [&text]() { return text.isEmpty() ? std::nullopt : std::optional<QString>(text); };
    auto reject = [this](const QString &m) {
        Q_EMIT editRejected(m);
        return false;
    };
    auto parseBool = [&text](std::optional<bool> *out) {
        const QString t = text.toLower();
        if (t.isEmpty()) { out->reset(); return true; }
        if (t == QLatin1String("true") || t == QLatin1String("yes") || t == QLatin1String("1")) { *out = true; return true; }
        if (t == QLatin1String("false") || t == QLatin1String("no") || t == QLatin1String("0")) { *out = false; return true; }
        return false;
    };
    switch (index.row()) {
    case DcId: {
        auto v = parseInt64(text);
        if (!v || !isValidDcId(static_cast<int>(*v)) || *v > 100000)
            return reject(tr("A DC id is 1-5 (or a test DC, 10001-10005)."));
        next.dcId = static_cast<int>(*v);
        break;
    }
    case UserId: {
        if (text.isEmpty()) { next.userId.reset(); break; }
        auto v = parseInt64(text);
        if (!v || !isValidUserId(*v))
            return reject(tr("A user id is a positive 64-bit integer."));
        next.userId = *v;
        break;
    }
    case ApiId: {
        if (text.isEmpty()) { next.apiId.reset(); break; }
        auto v = parseInt64(text);
        if (!v || *v <= 0 || *v > std::numeric_limits<qint32>::max())
            return reject(tr("An API id is a positive 32-bit integer."));
        next.apiId = static_cast<qint32>(*v);
        break;
    }
    case TestMode:
        if (!parseBool(&next.testMode))
            return reject(tr("Test mode is true, false or empty."));
        break;
    case IsBot:
        if (!parseBool(&next.isBot))
            return reject(tr("Bot is true, false or empty."));
        break;
    case ApiHash:
        if (!text.isEmpty() && !QRegularExpression(QStringLiteral("^[0-9a-fA-F]{32}$")).match(text).hasMatch())
            return reject(tr("An API hash is 32 hexadecimal characters."));
        next.apiHash = optString();
        break;
    case FirstName: next.firstName = optString(); break;
    case LastName: next.lastName = optString(); break;
    case Username: {
        QString u = text;
        if (u.startsWith(QLatin1Char('@')))
            u.remove(0, 1);
        next.username = u.isEmpty() ? std::nullopt : std::optional<QString>(u);
        break;
    }
    case Phone: {
        QString d = text;
        d.remove(QLatin1Char('+')).remove(QLatin1Char(' '));
        if (!d.isEmpty() && !QRegularExpression(QStringLiteral("^[0-9]{4,20}$")).match(d).hasMatch())
            return reject(tr("A phone number is 4-20 digits."));
        next.phone = d.isEmpty() ? std::nullopt : std::optional<QString>(d);
        break;
    }
    default: return false;
    }
    const int account = m_account;
    return apply(tr("Edit %1").arg(fieldName(index.row())),
                 [account, next](Document &d) { return d.setSession(account, next); },
                 [account, before](Document &d) { return d.setSession(account, before); });
}

} // namespace sd
