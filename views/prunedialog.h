#pragma once
// Prune a peer cache: policies (older than N days, peer types, keep newest N, drop phones), a
// dry-run preview with counts per type and bytes saved, then the real prune with a backup (on by
// default). Both run off the GUI thread through Format::prune.
#include "format/format.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace sd {

class PruneDialog : public QDialog {
    Q_OBJECT
public:
    // session: the session of a multi-session server store (PruneOptions::session); empty for files.
    PruneDialog(const Format *format, const QString &path, QWidget *parent = nullptr, const QString &session = {});

    PrunePolicy policy() const;
    bool backupEnabled() const;
    // Test/scripting hooks.
    void setOlderThanDays(std::optional<int> days);
    void setTypes(const QList<PeerKind> &kinds);
    void setKeepNewest(std::optional<qint64> n);
    void setDropPhones(bool drop);
    void setBackup(bool on);
    // Runs the prune (dry run or real) and shows the report. Returns the report or the error text.
    Result<PruneReport> preview();
    Result<PruneReport> pruneNow();
    QString reportText() const;
    bool pruned() const { return m_pruned; }

    static QString describe(const PruneReport &r);

private:
    Result<PruneReport> run(bool dryRun);
    const Format *m_format;
    QString m_path;
    QString m_session;
    QCheckBox *m_olderOn;
    QSpinBox *m_olderDays;
    QCheckBox *m_users, *m_chats, *m_channels;
    QCheckBox *m_keepOn;
    QSpinBox *m_keepN;
    QCheckBox *m_dropPhones;
    QCheckBox *m_backup;
    QPlainTextEdit *m_report;
    QPushButton *m_previewButton;
    QPushButton *m_pruneButton;
    bool m_pruned = false;
};

} // namespace sd
