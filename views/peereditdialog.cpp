#include "peereditdialog.h"

#include "edit/document.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace sd {

PeerEditDialog::PeerEditDialog(const std::optional<Peer> &existing, QWidget *parent) : QDialog(parent), m_base(existing)
{
    setObjectName(QStringLiteral("peerEditDialog"));
    setWindowTitle(existing ? tr("Edit peer") : tr("Add peer"));
    setAccessibleName(windowTitle());
    setAccessibleDescription(tr("The id, kind, access hash and username of one cached peer"));
    auto *form = new QFormLayout;
    m_id = new QLineEdit(this);
    m_id->setObjectName(QStringLiteral("peerId"));
    m_id->setAccessibleName(tr("Peer id"));
    m_id->setAccessibleDescription(tr("The bare positive id (without the -100 of channels)"));
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("peerType"));
    m_type->setAccessibleName(tr("Kind"));
    m_type->setAccessibleDescription(tr("User, bot, basic group, channel or supergroup"));
    for (PeerType t : {PeerType::User, PeerType::Bot, PeerType::Chat, PeerType::Channel, PeerType::Supergroup})
        m_type->addItem(peerTypeName(t), static_cast<int>(t));
    m_hash = new QLineEdit(this);
    m_hash->setObjectName(QStringLiteral("peerHash"));
    m_hash->setAccessibleName(tr("Access hash"));
    m_hash->setAccessibleDescription(tr("Signed 64-bit access hash; empty when unknown"));
    m_username = new QLineEdit(this);
    m_username->setObjectName(QStringLiteral("peerUsername"));
    m_username->setAccessibleName(tr("Username"));
    m_username->setAccessibleDescription(tr("Without the @; empty when none"));
    auto addRow = [this, form](const QString &text, QWidget *w) {
        auto *label = new QLabel(text, this);
        label->setBuddy(w);
        form->addRow(label, w);
    };
    addRow(tr("&Id:"), m_id);
    addRow(tr("&Kind:"), m_type);
    addRow(tr("Access &hash:"), m_hash);
    addRow(tr("&Username:"), m_username);
    if (existing) {
        m_id->setText(QString::number(existing->id));
        m_id->setReadOnly(true);
        m_type->setCurrentIndex(m_type->findData(static_cast<int>(existing->type)));
        m_type->setEnabled(false);
        if (existing->accessHash)
            m_hash->setText(QString::number(*existing->accessHash));
        m_username->setText(existing->usernames.value(0));
    }
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("peerError"));
    m_error->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *e : {m_id, m_hash, m_username})
        connect(e, &QLineEdit::textChanged, this, &PeerEditDialog::validate);
    validate();
}

void PeerEditDialog::validate()
{
    QString error;
    const bool ok = peer(&error).has_value();
    m_error->setText(error);
    m_ok->setEnabled(ok);
}

std::optional<Peer> PeerEditDialog::peer(QString *error) const
{
    auto fail = [error](const QString &e) -> std::optional<Peer> {
        if (error)
            *error = e;
        return std::nullopt;
    };
    Peer p = m_base.value_or(Peer{});
    const auto id = parseInt64(m_id->text());
    if (!id || *id <= 0)
        return fail(tr("The id is a positive number."));
    p.id = *id;
    p.type = static_cast<PeerType>(m_type->currentData().toInt());
    const QString hash = m_hash->text().trimmed();
    if (hash.isEmpty()) {
        p.accessHash.reset();
    } else {
        const auto h = parseInt64(hash);
        if (!h)
            return fail(tr("The access hash is a signed 64-bit number."));
        p.accessHash = *h;
    }
    QString user = m_username->text().trimmed();
    if (user.startsWith(QLatin1Char('@')))
        user.remove(0, 1);
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_]{0,64}$"));
    if (!valid.match(user).hasMatch())
        return fail(tr("A username has letters, digits and _ only."));
    if (user.isEmpty()) {
        if (!p.usernames.isEmpty())
            p.usernames.removeFirst();
    } else if (p.usernames.isEmpty())
        p.usernames << user;
    else
        p.usernames[0] = user;
    if (error)
        error->clear();
    return p;
}

} // namespace sd
