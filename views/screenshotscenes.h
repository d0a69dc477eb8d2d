#pragma once
// Screenshots for docs/ (scripts/screenshot.sh): the main window, the folder overview, the audit
// with findings and each dialog, grabbed by the app itself (`sessiondesk --scene NAME --screenshot
// OUT`). The vault scene uses an in-memory secret store so no keychain is touched.
#include <QString>
#include <QStringList>

namespace sd {

class MainWindow;

// Scene names: main, overview, audit, import, export, prune, vault, peer.
QStringList screenshotScenes();
// Shows the scene over w (paths already opened) and saves it to out. False on an unknown scene or
// a failed save.
bool grabScene(MainWindow &w, const QString &scene, const QStringList &paths, const QString &out);
// A dark palette (for the dark screenshot and for testing that tables stay readable).
void applyDarkPalette();

} // namespace sd
