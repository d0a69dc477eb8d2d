#include "accountmodels.h"

#include "editcommand.h"

#include <QRegularExpression>
#include <algorithm>

namespace sd {

// ---- DcAuthModel

const DcAuth *DcAuthModel::dc(int row) const
{
    const Session *s = session();
    if (!s || row < 0 || row >= static_cast<int>(s->dcs.size()))
        return nullptr;
    return &s->dcs[static_cast<size_t>(row)];
}

int DcAuthModel::rowCount(const QModelIndex &parent) const
{
    const Session *s = session();
    return parent.isValid() || !s ? 0 : static_cast<int>(s->dcs.size());
}

int DcAuthModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DcAuthModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, o, role);
    switch (section) {
    case Dc: return tr("DC");
    case Address: return tr("Address");
    case Port: return tr("Port");
    case Ipv6: return tr("IPv6");
    case Media: return tr("Media only");
    case Temp: return tr("Temporary");
    case AuthKeyId: return tr("auth_key_id");
    case KeySize: return tr("Key bytes");
    case Salt: return tr("Salt");
    case Expires: return tr("Expires (UTC)");
    case TestDc: return tr("Test DC");
    }
    return {};
}

QVariant DcAuthModel::data(const QModelIndex &index, int role) const
{
    const DcAuth *d = index.isValid() ? dc(index.row()) : nullptr;
    if (!d)
        return {};
    if (role == Qt::ToolTipRole && index.column() == AuthKeyId)
        return tr("Identifier of the auth key (SHA-1 bytes 12-19). The key itself stays hidden.");
    if ((index.column() == Address || index.column() == Port) && !stores(Capability::Address))
        return notStored(role);
    if (index.column() == TestDc && !stores(Capability::TestFlag))
        return notStored(role);
    if (role == Qt::BackgroundRole)
        return editableLook(flags(index).testFlag(Qt::ItemIsEditable) || flags(index).testFlag(Qt::ItemIsUserCheckable), role);
    if (index.column() == TestDc) {
        // The entry's own flag, else the session's; unknown when neither is stored.
        const Session *s = session();
        const std::optional<bool> flag = d->testMode ? d->testMode : (s ? s->testMode : std::nullopt);
        if (role == Qt::CheckStateRole)
            return flag ? QVariant(*flag ? Qt::Checked : Qt::Unchecked) : QVariant(Qt::PartiallyChecked);
        if (role == Qt::ToolTipRole)
            return flag ? tr("Check for a test DC, uncheck for production") : tr("Not stored: check or uncheck to set it");
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    auto yes = [](bool b) { return b ? tr("yes") : QString(); };
    switch (index.column()) {
    case Dc: return QString::number(d->dcId);
    case Address: return d->address;
    case Port: return d->port > 0 ? QString::number(d->port) : QString();
    case Ipv6: return yes(d->ipv6);
    case Media: return yes(d->mediaOnly);
    case Temp: return yes(d->isTemp);
    case AuthKeyId: return d->authKey.isAllZero() ? tr("(no key)") : d->authKeyId();
    case KeySize: return QString::number(d->authKey.size());
    case Salt: return d->salt ? QString::number(*d->salt) : QString();
    case Expires: return formatTimestamp(d->expiresAt);
    }
    return {};
}

Qt::ItemFlags DcAuthModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == Dc || ((index.column() == Address || index.column() == Port) && stores(Capability::Address))))
        f |= Qt::ItemIsEditable;
    if (index.isValid() && index.column() == TestDc && stores(Capability::TestFlag))
        f |= Qt::ItemIsUserCheckable;
    return f;
}

bool DcAuthModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const DcAuth *cur = index.isValid() ? dc(index.row()) : nullptr;
    if (cur && role == Qt::CheckStateRole && index.column() == TestDc) {
        if (!stores(Capability::TestFlag)) {
            Q_EMIT editRejected(tr("This format does not store a test flag."));
            return false;
        }
        DcAuth before = *cur;
        DcAuth next = *cur;
        const bool flag = value.toInt() == Qt::Checked;
        next.testMode = flag;
        // Formats keep the flag per DC or per session (mtcute, pyrogram): set both, undo both.
        const std::optional<bool> sessionBefore = session() ? session()->testMode : std::nullopt;
        const int account = m_account, row = index.row();
        auto setBoth = [account, row](Document &d, const DcAuth &dc, std::optional<bool> sessionFlag) -> Status {
            if (auto st = d.setDc(account, row, dc); !st)
                return st;
            Session s = *d.account(account);
            s.testMode = sessionFlag;
            return d.setSession(account, s);
        };
        return apply(tr("Set DC %1 test flag").arg(before.dcId), [setBoth, next, flag](Document &d) { return setBoth(d, next, flag); },
                     [setBoth, before, sessionBefore](Document &d) { return setBoth(d, before, sessionBefore); });
    }
    if (!cur || role != Qt::EditRole)
        return false;
    DcAuth before = *cur;
    DcAuth next = *cur;
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case Dc: {
        auto v = parseInt64(text);
        if (!v || *v > 100000 || !isValidDcId(static_cast<int>(*v))) {
            Q_EMIT editRejected(tr("A DC id is 1-5 (or a test DC, 10001-10005)."));
            return false;
        }
        next.dcId = static_cast<int>(*v);
        break;
    }
    case Address: {
        static const QRegularExpression ipv4(QStringLiteral("^((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)$"));
        static const QRegularExpression ipv6(QStringLiteral("^[0-9A-Fa-f:]{2,39}$"));
        static const QRegularExpression host(QStringLiteral("^[A-Za-z0-9.-]{1,253}$"));
        const bool isV6 = text.contains(QLatin1Char(':')) && ipv6.match(text).hasMatch();
        if (!text.isEmpty() && !isV6 && !ipv4.match(text).hasMatch() && !host.match(text).hasMatch()) {
            Q_EMIT editRejected(tr("Not an IP address or host name."));
            return false;
        }
        next.address = text;
        next.ipv6 = isV6;
        break;
    }
    case Port: {
        auto v = text.isEmpty() ? std::optional<qint64>(0) : parseInt64(text);
        if (!v || *v < 0 || *v > 65535) {
            Q_EMIT editRejected(tr("A port is 1-65535."));
            return false;
        }
        next.port = static_cast<int>(*v);
        break;
    }
    default: return false;
    }
    const int account = m_account, row = index.row();
    return apply(tr("Edit DC %1 %2").arg(before.dcId).arg(headerData(index.column(), Qt::Horizontal).toString()),
                 [account, row, next](Document &d) { return d.setDc(account, row, next); },
                 [account, row, before](Document &d) { return d.setDc(account, row, before); });
}

// ---- UpdateStateModel

namespace {
constexpr int kGlobalRows = UpdateStateModel::FirstChannelRow;
}

int UpdateStateModel::rowCount(const QModelIndex &parent) const
{
    const Session *s = session();
    if (parent.isValid() || !s)
        return 0;
    return kGlobalRows + (s->updateState ? static_cast<int>(s->updateState->channelPts.size()) : 0);
}

int UpdateStateModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant UpdateStateModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o == Qt::Horizontal && role == Qt::DisplayRole)
        return section == Name ? tr("State") : tr("Value");
    return QAbstractTableModel::headerData(section, o, role);
}

QVariant UpdateStateModel::data(const QModelIndex &index, int role) const
{
    const Session *s = session();
    if (s && index.isValid() && index.column() == Value && index.row() < rowCount()) {
        if (!stores(Capability::UpdateState))
            return notStored(role);
        if (role == Qt::BackgroundRole)
            return editableLook(true, role);
    }
    if (!s || !index.isValid() || index.row() >= rowCount() || (role != Qt::DisplayRole && role != Qt::EditRole))
        return {};
    const auto &st = s->updateState;
    const int r = index.row();
    if (r < kGlobalRows) {
        static const char *names[] = {"pts", "qts", "date", "seq"};
        if (index.column() == Name)
            return QString::fromLatin1(names[r]);
        if (!st)
            return {};
        const std::optional<qint64> v = r == Pts ? st->pts : r == Qts ? st->qts : r == Date ? st->date : st->seq;
        if (r == Date && role == Qt::DisplayRole && v)
            return QStringLiteral("%1 (%2)").arg(*v).arg(formatTimestamp(v));
        return v ? QString::number(*v) : QString();
    }
    auto it = st->channelPts.cbegin();
    std::advance(it, r - kGlobalRows);
    if (index.column() == Name)
        return tr("channel %1 pts").arg(it.key());
    return QString::number(it.value());
}

Qt::ItemFlags UpdateStateModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Value && stores(Capability::UpdateState))
        f |= Qt::ItemIsEditable;
    return f;
}

bool UpdateStateModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const Session *s = session();
    if (!s || role != Qt::EditRole || !index.isValid() || index.column() != Value || index.row() >= rowCount())
        return false;
    const QString text = value.toString().trimmed();
    std::optional<qint64> v;
    if (!text.isEmpty()) {
        v = parseInt64(text);
        if (!v) {
            Q_EMIT editRejected(tr("Update state values are 64-bit integers."));
            return false;
        }
    }
    const std::optional<UpdateState> before = s->updateState;
    UpdateState next = before.value_or(UpdateState{});
    const int r = index.row();
    if (r < kGlobalRows) {
        (r == Pts ? next.pts : r == Qts ? next.qts : r == Date ? next.date : next.seq) = v;
    } else {
        if (!v) {
            Q_EMIT editRejected(tr("A channel pts cannot be empty."));
            return false;
        }
        auto it = next.channelPts.begin();
        std::advance(it, r - kGlobalRows);
        it.value() = *v;
    }
    const int account = m_account;
    return apply(tr("Edit update state"), [account, next](Document &d) { return d.setUpdateState(account, next); },
                 [account, before](Document &d) { return d.setUpdateState(account, before); });
}

// ---- ConversationModel

int ConversationModel::rowCount(const QModelIndex &parent) const
{
    const Session *s = session();
    return parent.isValid() || !s ? 0 : static_cast<int>(s->conversations.size());
}

int ConversationModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ConversationModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, o, role);
    switch (section) {
    case ChatId: return tr("Chat id");
    case UserId: return tr("User id");
    case Name: return tr("Name");
    case Step: return tr("Step");
    case DataSize: return tr("Data bytes");
    case Created: return tr("Created (UTC)");
    case Updated: return tr("Updated (UTC)");
    }
    return {};
}

QVariant ConversationModel::data(const QModelIndex &index, int role) const
{
    const Session *s = session();
    if (!s || !index.isValid() || index.row() >= rowCount())
        return {};
    const bool textField = index.column() == Name || index.column() == Step;
    if (role == Qt::BackgroundRole)
        return editableLook(textField && editable(), role);
    if (role != Qt::DisplayRole && !(role == Qt::EditRole && textField))
        return {};
    const Conversation &c = s->conversations[static_cast<size_t>(index.row())];
    switch (index.column()) {
    case ChatId: return QString::number(c.chatId);
    case UserId: return QString::number(c.userId);
    case Name: return c.name;
    case Step: return c.step;
    case DataSize: return QString::number(c.data.size());
    case Created: return formatTimestamp(c.created);
    case Updated: return formatTimestamp(c.updated);
    }
    return {};
}

bool ConversationModel::editable() const
{
    const Session *s = session();
    return s && !s->conversationCountOnly && stores(Capability::Conversations);
}

Qt::ItemFlags ConversationModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == Name || index.column() == Step) && editable())
        f |= Qt::ItemIsEditable;
    return f;
}

bool ConversationModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const Session *s = session();
    if (!s || role != Qt::EditRole || !index.isValid() || index.row() >= rowCount() || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const std::vector<Conversation> before = s->conversations;
    std::vector<Conversation> next = before;
    Conversation &c = next[static_cast<size_t>(index.row())];
    const QString text = value.toString();
    if (index.column() == Name) {
        if (text.trimmed().isEmpty()) {
            Q_EMIT editRejected(tr("A conversation needs a name (the handler it belongs to)."));
            return false;
        }
        if (text == c.name)
            return false;
        c.name = text;
    } else {
        if (text == c.step)
            return false;
        c.step = text;
    }
    const int account = m_account;
    return apply(index.column() == Name ? tr("Rename conversation") : tr("Edit conversation step"),
                 [account, next](Document &d) { return d.setConversations(account, next); },
                 [account, before](Document &d) { return d.setConversations(account, before); });
}

bool ConversationModel::deleteRows(QList<int> rows)
{
    const Session *s = session();
    if (!s || rows.isEmpty())
        return false;
    if (!editable()) {
        Q_EMIT editRejected(tr("These conversations cannot be edited here."));
        return false;
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    const std::vector<Conversation> before = s->conversations;
    std::vector<Conversation> next;
    next.reserve(before.size());
    int removed = 0;
    for (int i = 0; i < static_cast<int>(before.size()); ++i) {
        if (rows.contains(i))
            ++removed;
        else
            next.push_back(before[static_cast<size_t>(i)]);
    }
    if (removed == 0)
        return false;
    const int account = m_account;
    return apply(tr("Delete %n conversation(s)", nullptr, removed),
                 [account, next](Document &d) { return d.setConversations(account, next); },
                 [account, before](Document &d) { return d.setConversations(account, before); });
}

} // namespace sd
