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
// Appends exactly QJsonDocument(peerJson(p)).toJson(QJsonDocument::Compact), written directly
// (keys in QJsonObject's sorted order) for the common peer; a peer with a string that needs JSON
// escaping, or with odd UTF-16, goes through peerJson. For peers --json over many rows.
void appendPeerJsonCompact(QByteArray &out, const Peer &p);
QJsonObject formatJson(const Format &f);

// Human-readable inspect output.
QString inspectText(const Store &store, const QString &source);

} // namespace sd
