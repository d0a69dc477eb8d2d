#include "importdialog.h"

#include "jobdialog.h"
#include "uifacade.h"
#include "format/registry.h"
#include "tasks/scan.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QThread>
#include <QTreeWidget>

namespace sd {

QString describeDocument(const Document &doc)
{
    QStringList keys;
    qint64 peers = 0;
    for (int i = 0; i < doc.accountCount(); ++i) {
        const Session *s = doc.account(i);
        if (const DcAuth *p = s->primary(); p && !p->authKey.isAllZero())
            keys << p->authKeyId();
        peers += doc.peerTotal(i);
    }
    return QObject::tr("%1, %2 account(s), auth_key_id %3, %4 peers")
        .arg(doc.format() ? doc.format()->id() : QStringLiteral("?"))
        .arg(doc.accountCount())
        .arg(keys.isEmpty() ? QObject::tr("none") : keys.join(QStringLiteral(", ")))
        .arg(peers);
}

ImportDialog::ImportDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import sessions"));
    setAcceptDrops(true);
    resize(760, 520);

    m_inputs = new QListWidget(this);
    m_inputs->setObjectName(QStringLiteral("importInputs"));
    auto *addFiles = new QPushButton(tr("Add &files…"), this);
    auto *addFolder = new QPushButton(tr("Add f&older…"), this);
    auto *clear = new QPushButton(tr("C&lear"), this);
    connect(addFiles, &QPushButton::clicked, this, [this] {
        addPaths(UiFacade::instance().openFileNames(this, tr("Add session files"), tr("All files (*)")));
    });
    connect(addFolder, &QPushButton::clicked, this, [this] {
        const QString d = UiFacade::instance().existingDirectory(this, tr("Add a folder (scanned recursively)"));
        if (!d.isEmpty())
            addPaths({d});
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        m_inputs->clear();
        updateButtons();
    });
    auto *fileButtons = new QVBoxLayout;
    fileButtons->addWidget(addFiles);
    fileButtons->addWidget(addFolder);
    fileButtons->addWidget(clear);
    fileButtons->addStretch(1);
    auto *filesBox = new QGroupBox(tr("Files and folders (or drop them here)"), this);
    auto *filesLayout = new QHBoxLayout(filesBox);
    filesLayout->addWidget(m_inputs, 1);
    filesLayout->addLayout(fileButtons);

    m_string = new QLineEdit(this);
    m_string->setObjectName(QStringLiteral("importString"));
    m_string->setEchoMode(QLineEdit::Password);
    m_string->setPlaceholderText(tr("Paste a string session (Telethon, Pyrogram, GramJS, mtcute, gogram…)"));
    m_showString = new QCheckBox(tr("Sho&w"), this);
    connect(m_showString, &QCheckBox::toggled, this, [this](bool on) {
        m_string->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
    });
    m_passcode = new QLineEdit(this);
    m_passcode->setObjectName(QStringLiteral("importPasscode"));
    m_passcode->setEchoMode(QLineEdit::Password);
    m_passcode->setPlaceholderText(tr("Telegram Desktop local passcode, if one is set"));
    auto *form = new QFormLayout;
    auto *stringRow = new QHBoxLayout;
    stringRow->addWidget(m_string, 1);
    stringRow->addWidget(m_showString);
    auto *stringLabel = new QLabel(tr("&String session:"), this);
    stringLabel->setBuddy(m_string); // a row holding a layout gets no buddy by itself (the & would show)
    form->addRow(stringLabel, stringRow);
    form->addRow(tr("&Passcode (tdata):"), m_passcode);

    m_preview = new QTreeWidget(this);
    m_preview->setObjectName(QStringLiteral("importPreview"));
    m_preview->setRootIsDecorated(false);
    m_preview->setHeaderLabels({tr("Source"), tr("Format"), tr("Accounts"), tr("auth_key_id"), tr("Peers"), tr("Status")});
    m_preview->header()->setStretchLastSection(true);

    m_analyze = new QPushButton(tr("&Analyze"), this);
    m_analyze->setObjectName(QStringLiteral("importAnalyze"));
    auto *box = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = box->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importAccept"));
    box->addButton(m_analyze, QDialogButtonBox::ActionRole);
    connect(m_analyze, &QPushButton::clicked, this, &ImportDialog::analyze);
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_string, &QLineEdit::textChanged, this, &ImportDialog::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(filesBox);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("What will be imported:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(box);
    updateButtons();
}

ImportDialog::~ImportDialog()
{
    m_string->clear();
    m_passcode->clear();
}

void ImportDialog::addPaths(const QStringList &paths)
{
    for (const QString &p : paths)
        if (!p.isEmpty() && m_inputs->findItems(p, Qt::MatchExactly).isEmpty())
            m_inputs->addItem(p);
    updateButtons();
}

void ImportDialog::setPastedString(const QString &text) { m_string->setText(text); }
void ImportDialog::setPasscode(const QString &passcode) { m_passcode->setText(passcode); }

void ImportDialog::updateButtons()
{
    m_analyze->setEnabled(m_inputs->count() > 0 || !m_string->text().trimmed().isEmpty());
    m_import->setEnabled(!m_docs.empty());
}

bool ImportDialog::analyze()
{
    QStringList paths;
    for (int i = 0; i < m_inputs->count(); ++i)
        paths << m_inputs->item(i)->text();
    QByteArray pasted = m_string->text().trimmed().toUtf8();
    ReadOptions options;
    if (!m_passcode->text().isEmpty()) {
        QByteArray pc = m_passcode->text().toUtf8();
        options.passcode = SecretBytes::fromByteArray(pc);
        wipe(pc);
    }
    struct Row {
        QString source, format, status;
        std::unique_ptr<Document> doc;
    };
    auto rows = std::make_shared<std::vector<Row>>();
    QThread *gui = QApplication::instance()->thread();
    auto openOne = [rows, options, gui](const Source &src, const QString &label) {
        Row row;
        row.source = label;
        auto fmt = Registry::instance().detect(src);
        if (!fmt) {
            row.status = fmt.error().message;
            rows->push_back(std::move(row));
            return;
        }
        row.format = (*fmt)->id();
        auto doc = Document::open(src, options, *fmt);
        if (!doc) {
            row.status = doc.error().kind == ErrorKind::Secret ? QObject::tr("needs the passcode: %1").arg(doc.error().message)
                                                               : doc.error().message;
        } else {
            (*doc)->moveToThread(gui);
            row.doc = std::move(*doc);
            row.status = QObject::tr("ready");
        }
        rows->push_back(std::move(row));
    };
    const JobOutcome outcome = runJob(this, tr("Reading sessions…"), [paths, pasted, openOne](TaskContext &ctx) -> QVariant {
        int done = 0;
        if (!pasted.isEmpty())
            openOne(Source::fromString(pasted, QStringLiteral("-")), QObject::tr("pasted string"));
        for (const QString &p : paths) {
            if (ctx.isCancelled())
                break;
            const QList<ScanHit> hits = scanForSessions(p, &ctx);
            if (hits.isEmpty())
                openOne(Source::fromPath(p), p); // reports why nothing was found
            for (const ScanHit &h : hits) {
                if (ctx.isCancelled())
                    break;
                ctx.progress(++done, 0, h.path);
                openOne(Source::fromPath(h.path), h.path);
            }
        }
        return done;
    });
    wipe(pasted);

    m_docs.clear();
    m_preview->clear();
    for (Row &r : *rows) {
        auto *item = new QTreeWidgetItem(m_preview);
        item->setText(SourceColumn, r.source);
        item->setText(FormatColumn, r.format);
        item->setText(StatusColumn, r.status);
        if (r.doc) {
            QStringList keys;
            for (int i = 0; i < r.doc->accountCount(); ++i)
                if (const DcAuth *p = r.doc->account(i)->primary())
                    keys << p->authKeyId();
            qint64 peers = 0;
            for (int i = 0; i < r.doc->accountCount(); ++i)
                peers += r.doc->peerTotal(i);
            item->setText(AccountsColumn, QString::number(r.doc->accountCount()));
            item->setText(KeyIdColumn, keys.join(QStringLiteral(", ")));
            item->setText(PeersColumn, QString::number(peers));
            m_docs.push_back(std::move(r.doc));
        }
    }
    for (int c = 0; c < 5; ++c)
        m_preview->resizeColumnToContents(c);
    if (outcome.cancelled) {
        auto *item = new QTreeWidgetItem(m_preview);
        item->setText(StatusColumn, tr("cancelled; %1 item(s) read before").arg(m_docs.size()));
    }
    updateButtons();
    return !outcome.cancelled;
}

std::vector<std::unique_ptr<Document>> ImportDialog::takeDocuments()
{
    auto out = std::move(m_docs);
    m_docs.clear();
    updateButtons();
    return out;
}

void ImportDialog::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() || event->mimeData()->hasText())
        event->acceptProposedAction();
}

void ImportDialog::dropEvent(QDropEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (mime->hasUrls()) {
        QStringList paths;
        for (const QUrl &u : mime->urls())
            if (u.isLocalFile())
                paths << u.toLocalFile();
        addPaths(paths);
    } else if (mime->hasText()) {
        setPastedString(mime->text());
    }
    event->acceptProposedAction();
}

} // namespace sd
