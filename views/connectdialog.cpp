#include "connectdialog.h"

#include "jobdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

namespace sd {

ConnectDialog::ConnectDialog(SecretStore *keychain, QWidget *parent) : QDialog(parent), m_keychain(keychain)
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to server"));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("serverUrl"));
    m_url->setPlaceholderText(QStringLiteral("postgres://USER@HOST:5432/DB  or  redis://HOST:6379/0?prefix=mtgo"));
    m_url->setAccessibleName(tr("Server URL"));
    m_url->setToolTip(tr("A PostgreSQL or Redis URL without a password: postgres://USER@HOST:PORT/DB[?sslmode=…] or "
                         "redis://[USER@]HOST:PORT[/DB][?prefix=mtgo]"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("serverPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_password->setPlaceholderText(tr("empty: PGPASSWORD / ~/.pgpass, REDISCLI_AUTH, or the keychain"));
    m_remember = new QCheckBox(tr("Remember in the keychain"), this);
    m_remember->setObjectName(QStringLiteral("rememberPassword"));
    m_remember->setChecked(false);
    if (!m_keychain) {
        m_remember->setEnabled(false);
        m_remember->setToolTip(tr("No keychain is available (no D-Bus session)"));
    } else {
        m_remember->setToolTip(tr("Stores the password for this server in the system keychain, used the next time the "
                                  "server asks for one"));
    }
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("connectStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_connect = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setDefault(true);
    connect(m_connect, &QPushButton::clicked, this, [this] { (void)connectNow(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *note = new QLabel(tr("Each session in the store opens as its own entry in the sidebar. The connection gives up "
                               "after a few seconds when the server does not answer."), this);
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

ConnectDialog::~ConnectDialog() = default;

QString ConnectDialog::statusText() const { return m_status->isHidden() ? QString() : m_status->text(); }

void ConnectDialog::showFailure(ServerFailure failure, const QString &detail)
{
    m_failure = failure;
    QString head;
    switch (failure) {
    case ServerFailure::BadUrl: head = tr("The URL is refused."); break;
    case ServerFailure::LoginRefused: head = tr("The server refused the login: wrong user or password."); break;
    case ServerFailure::Unreachable: head = tr("The server cannot be reached (not running, wrong host or port, or a firewall)."); break;
    case ServerFailure::Other:
    case ServerFailure::None: head = tr("The store could not be opened."); break;
    }
    m_status->setText(head + QLatin1Char('\n') + detail);
    m_status->show();
}

bool ConnectDialog::connectNow()
{
    m_failure = ServerFailure::None;
    m_status->hide();
    ServerConnectRequest request;
    request.url = m_url->text().trimmed();
    if (request.url.isEmpty()) {
        showFailure(ServerFailure::BadUrl, tr("Type a postgres:// or redis:// URL."));
        return false;
    }
    // Checked here too so the refusal shows before any connection (same message as the CLI).
    if (auto parsed = server::parseServerUrl(request.url); !parsed) {
        showFailure(ServerFailure::BadUrl, parsed.error().message);
        return false;
    }
    if (!m_password->text().isEmpty()) {
        QByteArray pw = m_password->text().toUtf8();
        request.password = SecretBytes::fromByteArray(pw);
        wipe(pw);
    }
    request.remember = m_remember->isEnabled() && m_remember->isChecked();
    request.keychain = m_keychain;
    auto result = std::make_shared<std::optional<Result<ServerConnection>>>();
    QThread *gui = thread();
    const JobOutcome o = runJob(this, tr("Connecting to %1…").arg(server::redactUrl(request.url)),
                                [request, result, gui](TaskContext &) -> QVariant {
                                    auto r = connectServerStore(request);
                                    if (r)
                                        for (auto &d : r->documents)
                                            d->moveToThread(gui);
                                    *result = std::move(r);
                                    return true;
                                });
    if (o.cancelled || !result->has_value()) {
        showFailure(ServerFailure::Other, tr("Cancelled."));
        return false;
    }
    Result<ServerConnection> &r = **result;
    if (!r) {
        showFailure(classifyServerError(r.error()), r.error().message);
        if (m_failure == ServerFailure::LoginRefused)
            m_password->selectAll();
        return false;
    }
    m_password->clear();
    m_docs = std::move(r->documents);
    // Estimated peer counts (a big PostgreSQL table) are counted exactly in the background, once
    // the first rows are on screen: the scans would otherwise compete with the first page.
    for (const auto &d : m_docs)
        QTimer::singleShot(300, d.get(), [doc = d.get()] { doc->countEstimatedPeers(); });
    m_connectedUrl = r->url.display();
    accept();
    return true;
}

std::vector<std::unique_ptr<Document>> ConnectDialog::takeDocuments() { return std::move(m_docs); }

} // namespace sd
