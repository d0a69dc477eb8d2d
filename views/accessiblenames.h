#pragma once
// Screen readers (and the AT-SPI tests) need a name and a description on every control. Widgets set
// their own where they know better; this fills in the rest from what the user sees: the buddy
// label, the button text (without the & mnemonic), the placeholder or the tooltip.
class QObject;
class QWidget;

namespace sd {

// Fills missing accessible names/descriptions of w and its children now.
void fillAccessibleNames(QWidget *w);
// Installs an application-wide filter that does it for every widget when it is first shown.
void installAccessibleNamer();

} // namespace sd
