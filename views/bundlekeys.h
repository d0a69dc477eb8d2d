#pragma once
// How the desktop app opens bundles it meets anywhere (Open, Import dialog, drag and drop): this
// machine's identity from the keychain, else a passphrase asked through UiFacade on the GUI thread.
namespace sd {
void installGuiBundleKeys();
}
