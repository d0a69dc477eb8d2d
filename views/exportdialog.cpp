#include "exportdialog.h"

#include "jobdialog.h"
#include "secretclipboard.h"
#include "uifacade.h"
#include "convert/convert.h"
#include "format/registry.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>

namespace sd {

QString ExportDialog::defaultFileName(const Format &format, const QString &base, std::optional<qint64> userId)
{
    // The format's usual name (its descriptor), told apart from the other targets by the format id.
    QString name = format.descriptor().usualFileName(base + QLatin1Char('-') + format.id(), userId);
    if (name.endsWith(QLatin1Char('/')))
        name.chop(1);
    return name;
}

ExportDialog::ExportDialog(Document *doc, int account, QWidget *parent) : QDialog(parent), m_doc(doc), m_account(account)
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export account"));
    resize(720, 560);
    m_formats = new QListWidget(this);
    m_formats->setObjectName(QStringLiteral("exportFormats"));
    for (const auto &f : Registry::instance().formats()) {
        auto *item = new QListWidgetItem(QStringLiteral("%1 (%2)").arg(f->displayName(), f->id()), m_formats);
        item->setData(Qt::UserRole, f->id());
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("exportFolder"));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d = UiFacade::instance().existingDirectory(this, tr("Export to folder"));
        if (!d.isEmpty())
            m_folder->setText(d);
    });
    m_base = new QLineEdit(this);
    m_base->setObjectName(QStringLiteral("exportBase"));
    m_userId = new QLineEdit(this);
    m_userId->setPlaceholderText(tr("needed by formats that store the user id"));
    m_apiId = new QLineEdit(this);
    m_apiId->setPlaceholderText(tr("needed by formats that store the API id"));
    m_passcode = new QLineEdit(this);
    m_passcode->setEchoMode(QLineEdit::Password);
    m_passcode->setPlaceholderText(tr("tdata: local passcode for the new folder (optional)"));
    m_carryPeers = new QCheckBox(tr("Carry the peer cache"), this);
    m_carryPeers->setChecked(true);
    m_overwrite = new QCheckBox(tr("Overwrite existing files"), this);

    if (doc) {
        if (doc->isServer()) { // a session of a server store: no folder of its own
            m_folder->setText(UiFacade::lastFolder());
            const QString name = doc->readOptions().session;
            m_base->setText(name.isEmpty() ? QStringLiteral("session") : QString(name).replace(QLatin1Char('/'), QLatin1Char('_')));
        } else {
            if (!doc->isString())
                m_folder->setText(QFileInfo(doc->source().path).absolutePath());
            m_base->setText(doc->isString() ? QStringLiteral("session") : QFileInfo(doc->source().path).completeBaseName());
        }
        if (const Session *s = doc->account(account)) {
            if (s->userId)
                m_userId->setText(QString::number(*s->userId));
            if (s->apiId)
                m_apiId->setText(QString::number(*s->apiId));
        }
    }

    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Target &formats:"), m_formats);
    auto *folderLabel = new QLabel(tr("&Destination folder:"), this);
    folderLabel->setBuddy(m_folder); // a row holding a layout gets no buddy by itself (the & would show)
    form->addRow(folderLabel, folderRow);
    form->addRow(tr("File &name base:"), m_base);
    form->addRow(tr("&User id:"), m_userId);
    form->addRow(tr("&API id:"), m_apiId);
    form->addRow(tr("&Passcode:"), m_passcode);
    form->addRow(QString(), m_carryPeers);
    form->addRow(QString(), m_overwrite);

    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("exportPreview"));
    m_preview->setReadOnly(true);
    m_stringOut = new QLineEdit(this);
    m_stringOut->setObjectName(QStringLiteral("exportString"));
    m_stringOut->setReadOnly(true);
    m_stringOut->setEchoMode(QLineEdit::Password);
    m_showString = new QCheckBox(tr("Show"), this);
    connect(m_showString, &QCheckBox::toggled, this, [this](bool on) { m_stringOut->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("copyString"));
    copy->setAccessibleName(tr("Copy string"));
    copy->setAccessibleDescription(tr("Copy the string session to the clipboard (asks first; cleared after 30 s)"));
    connect(copy, &QPushButton::clicked, this, [this] {
        SecretClipboard::copy(this, tr("the string session"), m_stringOut->text());
    });
    auto *stringRow = new QHBoxLayout;
    stringRow->addWidget(new QLabel(tr("String:"), this));
    stringRow->addWidget(m_stringOut, 1);
    stringRow->addWidget(m_showString);
    stringRow->addWidget(copy);

    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = box->addButton(tr("&Export"), QDialogButtonBox::ActionRole);
    m_export->setObjectName(QStringLiteral("exportRun"));
    connect(m_export, &QPushButton::clicked, this, [this] {
        const int n = exportNow();
        if (!m_errors.isEmpty())
            UiFacade::instance().warning(this, tr("Export"), m_errors.join(QLatin1Char('\n')));
        else if (n > 0 && !m_written.isEmpty())
            UiFacade::instance().information(this, tr("Export"), tr("Written:\n%1").arg(m_written.join(QLatin1Char('\n'))));
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Preview:"), this));
    layout->addWidget(m_preview, 1);
    layout->addLayout(stringRow);
    layout->addWidget(box);

    for (QLineEdit *e : {m_folder, m_base, m_userId, m_apiId})
        connect(e, &QLineEdit::textChanged, this, &ExportDialog::updatePreview);
    connect(m_formats, &QListWidget::itemChanged, this, &ExportDialog::updatePreview);
    connect(m_carryPeers, &QCheckBox::toggled, this, &ExportDialog::updatePreview);
    updatePreview();
}

ExportDialog::~ExportDialog()
{
    m_passcode->clear();
    m_stringOut->clear();
    for (QString &s : m_strings)
        s.fill(QLatin1Char('\0'));
}

void ExportDialog::selectFormats(const QStringList &ids)
{
    for (int i = 0; i < m_formats->count(); ++i) {
        QListWidgetItem *it = m_formats->item(i);
        it->setCheckState(ids.contains(it->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
}

QStringList ExportDialog::selectedFormats() const
{
    QStringList out;
    for (int i = 0; i < m_formats->count(); ++i)
        if (m_formats->item(i)->checkState() == Qt::Checked)
            out << m_formats->item(i)->data(Qt::UserRole).toString();
    return out;
}

void ExportDialog::setDestination(const QString &folder, const QString &baseName)
{
    m_folder->setText(folder);
    m_base->setText(baseName);
}
void ExportDialog::setUserId(const QString &t) { m_userId->setText(t); }
void ExportDialog::setApiId(const QString &t) { m_apiId->setText(t); }
void ExportDialog::setPasscode(const QString &t) { m_passcode->setText(t); }
void ExportDialog::setCarryPeers(bool c) { m_carryPeers->setChecked(c); }
void ExportDialog::setOverwrite(bool f) { m_overwrite->setChecked(f); }
QString ExportDialog::previewText() const { return m_preview->toPlainText(); }

bool ExportDialog::buildRequest(ConvertRequest *r, QString *problem) const
{
    r->account = m_account;
    r->carryPeers = m_carryPeers->isChecked();
    r->write.carryPeers = r->carryPeers;
    r->write.force = m_overwrite->isChecked();
    if (!m_userId->text().trimmed().isEmpty()) {
        auto v = parseInt64(m_userId->text());
        if (!v || !isValidUserId(*v)) {
            *problem = tr("The user id must be a positive 64-bit integer.");
            return false;
        }
        r->userId = *v;
    }
    if (!m_apiId->text().trimmed().isEmpty()) {
        auto v = parseInt64(m_apiId->text());
        if (!v || *v <= 0 || *v > std::numeric_limits<qint32>::max()) {
            *problem = tr("The API id must be a positive 32-bit integer.");
            return false;
        }
        r->apiId = static_cast<qint32>(*v);
    }
    if (!m_passcode->text().isEmpty()) {
        QByteArray pc = m_passcode->text().toUtf8();
        r->write.passcode = SecretBytes::fromByteArray(pc);
        wipe(pc);
    }
    return true;
}

void ExportDialog::updatePreview()
{
    QStringList lines;
    ConvertRequest req;
    QString problem;
    const Session *s = m_doc ? m_doc->account(m_account) : nullptr;
    if (!s) {
        m_preview->setPlainText(tr("No account selected."));
        m_export->setEnabled(false);
        return;
    }
    if (!buildRequest(&req, &problem))
        lines << problem;
    const QStringList ids = selectedFormats();
    if (ids.isEmpty())
        lines << tr("Tick one or more target formats.");
    for (const QString &id : ids) {
        const Format *f = Registry::instance().find(id);
        if (!f)
            continue;
        const QString target = f->sourceKind() == SourceKind::String
            ? tr("a string (shown below)")
            : QDir(m_folder->text()).filePath(defaultFileName(*f, m_base->text(), s->userId));
        QStringList dropped = droppedFields(*s, f->capabilities(), req.carryPeers);
        if (s->peerCountsOnly && req.carryPeers && !f->capabilities().testFlag(Capability::Peers) && s->peerCountsOnly->total() > 0
            && !dropped.join(QLatin1Char(' ')).contains(QLatin1String("peer")))
            dropped << tr("%1 cached peers").arg(s->peerCountsOnly->total());
        lines << QStringLiteral("%1 → %2").arg(id, target);
        lines << (dropped.isEmpty() ? tr("    nothing is dropped") : tr("    dropped: %1").arg(dropped.join(QStringLiteral(", "))));
        if (f->sourceKind() != SourceKind::String && QFileInfo::exists(target) && !m_overwrite->isChecked())
            lines << tr("    exists: tick \"Overwrite\" to replace it");
    }
    m_preview->setPlainText(lines.join(QLatin1Char('\n')));
    m_export->setEnabled(!ids.isEmpty() && problem.isEmpty());
}

int ExportDialog::exportNow()
{
    m_written.clear();
    m_errors.clear();
    m_strings.clear();
    ConvertRequest req;
    QString problem;
    if (!m_doc || !buildRequest(&req, &problem)) {
        m_errors << (problem.isEmpty() ? tr("The document was closed.") : problem);
        return 0;
    }
    if (!m_doc->source().isString())
        req.inputs << m_doc->source().path; // never written over (docs/security.md)
    struct Out {
        QStringList written, errors;
        QMap<QString, QString> strings;
    };
    auto out = std::make_shared<Out>();
    const QStringList ids = selectedFormats();
    const QString folder = m_folder->text(), base = m_base->text();
    QPointer<Document> doc = m_doc;
    const JobOutcome o = runJob(this, tr("Exporting…"), [doc, ids, folder, base, req, out](TaskContext &ctx) -> QVariant {
        auto full = doc->fullStore();
        if (!full) {
            out->errors << full.error().message;
            return 0;
        }
        int i = 0;
        for (const QString &id : ids) {
            if (ctx.isCancelled())
                break;
            ctx.progress(i++, ids.size(), id);
            const Format *f = Registry::instance().find(id);
            const std::optional<qint64> uid = full->accounts.empty() ? std::nullopt : full->accounts.front().userId;
            const QString path = f->sourceKind() == SourceKind::String ? QString() : QDir(folder).filePath(defaultFileName(*f, base, uid));
            auto r = convertStore(*full, *f, req, path);
            if (!r) {
                out->errors << QStringLiteral("%1: %2").arg(id, r.error().message);
                continue;
            }
            if (f->sourceKind() == SourceKind::String) {
                out->strings.insert(id, QString::fromLatin1(r->string));
                wipe(r->string);
            } else {
                out->written << path;
            }
        }
        return i;
    });
    Q_UNUSED(o);
    m_written = out->written;
    m_errors = out->errors;
    m_strings = out->strings;
    for (QString &s : out->strings)
        s.fill(QLatin1Char('\0'));
    if (!m_strings.isEmpty())
        m_stringOut->setText(m_strings.first());
    updatePreview();
    return static_cast<int>(m_written.size() + m_strings.size());
}

} // namespace sd
