#pragma once
// CSV for people's spreadsheets (RFC 4180 quoting). A field is quoted when it holds a comma, a quote,
// a line feed or a carriage return; a field starting with = + - @ (or a tab/CR) gets a leading ' so
// that a spreadsheet shows it as text instead of running it as a formula (CSV injection).
#include <QString>
#include <QStringList>

namespace sd {

QString csvField(const QString &value);
// One CSV line (fields joined by ',', ending "\r\n").
QString csvRow(const QStringList &fields);

} // namespace sd
