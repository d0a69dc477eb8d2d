#pragma once
// Text that came from a file (names, usernames, titles, paths) on its way to a terminal or a CSV
// reader (docs/security.md, "Reading and process"). A name holding ESC could rewrite the terminal,
// one holding \r could hide a line, and a CSV cell starting with = runs as a formula.
#include <QString>

namespace sd {

// Control characters made visible: C0 (U+0000-U+001F) and DEL as \xHH (\t, \n, \r and ESC
// included), C1 (U+0080-U+009F) as \u{HHHH}, a backslash as "\\" so the escape is unambiguous.
// Everything else, non-ASCII letters included, is unchanged.
QString escapeControls(const QString &text);
bool hasControls(const QString &text);

// One CSV cell (RFC 4180) for text from a file: a leading = + - @ (and tab or \r) is neutralised
// with a leading apostrophe (OWASP "CSV injection"), and the cell is quoted when it holds a comma,
// a quote, \r or \n, or has surrounding spaces. Use it for text columns, not for numbers.
QString csvTextField(const QString &text);

} // namespace sd
