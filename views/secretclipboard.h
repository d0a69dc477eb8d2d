#pragma once
// Every secret that goes to the clipboard (auth keys, string sessions) goes through here: the user
// confirms what is copied, the data carries the password-manager hint (x-kde-passwordManagerHint:
// "secret", so clipboard managers do not keep it), and it is cleared after 30 s if still ours.
#include <QString>

class QWidget;

namespace sd {

class SecretClipboard {
public:
    static constexpr int kClearAfterMs = 30000;
    // what: "the Telethon string session" (used in the question). Returns false when declined.
    // askFirst=false when the caller has just asked the same question itself.
    static bool copy(QWidget *parent, const QString &what, const QString &secret, bool askFirst = true);
    // Clears the clipboard now when it still holds a secret copied here (tests, and on quit).
    static void clearNow();
};

} // namespace sd
