#include "cli.h"

#include "format/registry.h"
#include "report/csv.h"
#include "report/json.h"
#include "report/text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cstdio>
#include <QJsonObject>

namespace sd::cli {

int cmdPeers(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("Print CSV."));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("Force the format id."), QStringLiteral("ID"));
    const QCommandLineOption type(QStringLiteral("type"), QStringLiteral("user, chat or channel."), QStringLiteral("T"));
    const QCommandLineOption search(QStringLiteral("search"), QStringLiteral("Match id, username, phone or name."), QStringLiteral("TEXT"));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("At most N rows."), QStringLiteral("N"));
    const QCommandLineOption passcode(QStringLiteral("passcode-file"), QStringLiteral("Passcode file."), QStringLiteral("F"));
    p.addOptions({json, csv, format, type, search, limit, passcode});
    addServerOptions(p);
    p.addOptions(bundleReadOptions());
    p.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("File, folder, or -."));
    int code = 0;
    if (!parseArgs(p, args, &code, QStringLiteral("peers SOURCE [--type user|chat|channel] [--search TEXT] [--limit N] [--json|--csv]")))
        return code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("peers needs exactly one SOURCE"));
    if (!applyServerOptions(p, p.positionalArguments(), &code))
        return code;
    if (p.isSet(json) && p.isSet(csv))
        return usage(QStringLiteral("--json and --csv exclude each other"));
    PeerQuery q;
    if (p.isSet(type)) {
        q.kind = peerKindFromName(p.value(type));
        if (!q.kind)
            return usage(QStringLiteral("--type must be user, chat or channel"));
    }
    q.search = p.value(search);
    if (p.isSet(limit)) {
        bool ok = false;
        q.limit = p.value(limit).toLongLong(&ok);
        if (!ok || q.limit < 0)
            return usage(QStringLiteral("--limit needs a non-negative number"));
    }
    const QString sourceArg = p.positionalArguments().first();
    auto src = loadSource(sourceArg);
    if (!src)
        return fail(sourceArg, src.error());
    const Format *f = nullptr;
    if (p.isSet(format)) {
        f = Registry::instance().find(p.value(format));
        if (!f)
            return usage(QStringLiteral("unknown format id '%1'").arg(p.value(format)));
    } else {
        auto d = Registry::instance().detect(*src);
        if (!d)
            return fail(sourceArg, d.error());
        f = *d;
    }
    if (const int c = checkSourceFlags(p, *f))
        return c;
    ReadOptions ro;
    ro.session = sessionOption(p);
    auto pass = readPasscode(p, false);
    if (!pass)
        return fail(QString(), pass.error());
    ro.passcode = *pass;
    if (auto st = applyBundleReadOptions(p, ro); !st)
        return fail(QString(), st.error());
    auto peers = f->queryPeers(*src, q, ro);
    if (!peers)
        return fail(sourceArg, peers.error());

    if (p.isSet(json)) {
        // Streamed element by element: a million-row answer is never held as one document.
        QByteArray buf = "[";
        buf.reserve(1 << 16);
        bool first = true;
        for (const Peer &peer : *peers) {
            buf += first ? "\n  " : ",\n  ";
            first = false;
            appendPeerJsonCompact(buf, peer); // the bytes of QJsonDocument(peerJson(peer)), written directly
            if (buf.size() > (1 << 16)) {
                std::fwrite(buf.constData(), 1, static_cast<size_t>(buf.size()), stdout);
                buf.clear();
            }
        }
        buf += first ? "]\n" : "\n]\n";
        out().flush();
        std::fwrite(buf.constData(), 1, static_cast<size_t>(buf.size()), stdout);
        std::fflush(stdout);
        return Ok;
    }
    if (p.isSet(csv)) {
        out() << "id,type,marked_id,access_hash,username,phone,name,updated\n";
        for (const Peer &peer : *peers)
            out() << peer.id << ',' << peerKindName(peer.kind()) << ',' << peer.markedId() << ','
                  << (peer.accessHash ? QString::number(*peer.accessHash) : QString()) << ','
                  << csvTextField(peer.username().value_or(QString())) << ',' << csvTextField(peer.phone.value_or(QString())) << ','
                  << csvTextField(peer.name.value_or(QString())) << ','
                  << (peer.updated ? QString::number(*peer.updated) : QString()) << '\n';
        out().flush();
        return Ok;
    }
    out() << QStringLiteral("%1 %2 %3 %4 %5\n").arg(QStringLiteral("MARKED ID"), -20).arg(QStringLiteral("TYPE"), -8)
                 .arg(QStringLiteral("USERNAME"), -24).arg(QStringLiteral("PHONE"), -14).arg(QStringLiteral("NAME"));
    for (const Peer &peer : *peers)
        out() << QStringLiteral("%1 %2 %3 %4 %5\n").arg(peer.markedId(), -20).arg(peerKindName(peer.kind()), -8)
                     .arg(escapeControls(peer.username().value_or(QString())), -24).arg(escapeControls(peer.phone.value_or(QString())), -14)
                     .arg(escapeControls(peer.name.value_or(QString())));
    out() << peers->size() << " peer(s)\n";
    out().flush();
    return Ok;
}

} // namespace sd::cli
