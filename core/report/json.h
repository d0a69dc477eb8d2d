#pragma once
// JSON shapes of docs/cli.md (inspect, peers). Fields may be added, never renamed.
#include "domain/session.h"
#include "format/format.h"

#include <QJsonArray>
#include <QJsonObject>

namespace sd {

QJsonValue jsonOpt(const std::optional<qint64> &v);
QJsonValue jsonOpt(const std::optional<QString> &v);
QJsonValue jsonOpt(const std::optional<bool> &v);
QJsonObject dcJson(const DcAuth &dc);
QJsonObject accountJson(const Session &s);
QJsonObject inspectJson(const Store &store, const QString &source);
QJsonObject peerJson(const Peer &p);
QJsonObject formatJson(const Format &f);

// Human-readable inspect output.
QString inspectText(const Store &store, const QString &source);

} // namespace sd
