#include "convert.h"

#include "convert/verify.h"
#include "server/serverurl.h"
#include "io/atomicfile.h"
#include "io/replacetarget.h"

namespace sd {

QStringList droppedFields(const Session &s, Capabilities caps, bool carryPeers)
{
    QStringList out;
    auto has = [&caps](Capability c) { return caps.testFlag(c); };
    if (s.userId && !has(Capability::UserId))
        out << QStringLiteral("user id");
    if (s.isBot && !has(Capability::IsBot))
        out << QStringLiteral("bot flag");
    if (s.apiId && !has(Capability::ApiId))
        out << QStringLiteral("api id");
    if (s.apiHash && !has(Capability::ApiHash))
        out << QStringLiteral("api hash");
    if (s.testMode.value_or(false) && !has(Capability::TestFlag))
        out << QStringLiteral("test-mode flag");
    int otherDcs = 0, temps = 0;
    for (const DcAuth &d : s.dcs) {
        if (d.isTemp)
            ++temps;
        else if (&d != s.primary() && !d.authKey.isEmpty())
            ++otherDcs;
    }
    if (otherDcs && !has(Capability::MultiDc))
        out << QStringLiteral("%1 auth key(s) for other DCs").arg(otherDcs);
    if (temps && !has(Capability::MultiDc))
        out << QStringLiteral("%1 temporary key(s)").arg(temps);
    if (s.updateState && !has(Capability::UpdateState))
        out << QStringLiteral("update state");
    else if (s.updateState && !s.updateState->channelPts.isEmpty() && !has(Capability::ChannelPts))
        out << QStringLiteral("%1 channel pts").arg(s.updateState->channelPts.size());
    const PeerCounts pc = s.peerCounts();
    if (pc.total() > 0 && (!has(Capability::Peers) || !carryPeers)) {
        QStringList parts;
        if (pc.users)
            parts << QStringLiteral("%1 users").arg(pc.users);
        if (pc.chats)
            parts << QStringLiteral("%1 basic groups").arg(pc.chats);
        if (pc.channels)
            parts << QStringLiteral("%1 channels").arg(pc.channels);
        out << QStringLiteral("peer cache (%1)").arg(parts.join(QStringLiteral(", ")));
    }
    if (s.conversationCount() > 0 && !has(Capability::Conversations))
        out << QStringLiteral("%1 conversations").arg(s.conversationCount());
    return out;
}

Status checkWritableKeys(const Store &store)
{
    for (size_t i = 0; i < store.accounts.size(); ++i)
        for (const DcAuth &d : store.accounts[i].dcs)
            if (!d.authKey.isEmpty() && d.authKey.size() != kAuthKeySize)
                return Error::badInput(QStringLiteral("account %1: the auth key for DC %2 is %3 bytes, not %4; a session "
                                                      "with it cannot log in, so it is not written")
                                           .arg(i)
                                           .arg(d.dcId)
                                           .arg(d.authKey.size())
                                           .arg(kAuthKeySize));
    return {};
}

Result<Prepared> prepareConversion(const Store &source, const Format &target, const ConvertRequest &request)
{
    if (source.accounts.empty())
        return Error::badInput(QStringLiteral("the source holds no account"));
    Prepared p;
    p.store.formatId = target.id();
    const FormatDescriptor &desc = target.descriptor();
    const Capabilities caps = desc.capabilitiesFor(request.write.variant); // what the variant written holds
    const bool multi = caps.testFlag(Capability::MultiAccount);
    std::vector<int> picks;
    if (request.account < 0 && multi) {
        for (int i = 0; i < static_cast<int>(source.accounts.size()); ++i)
            picks.push_back(i);
    } else {
        const int idx = request.account < 0 ? 0 : request.account;
        if (idx >= static_cast<int>(source.accounts.size()))
            return Error::usage(QStringLiteral("--account %1: the source has %2 account(s)").arg(idx).arg(source.accounts.size()));
        picks.push_back(idx);
    }
    if (!multi && source.accounts.size() > 1 && request.account < 0)
        p.dropped << QStringLiteral("%1 other account(s) (use --account N)").arg(source.accounts.size() - 1);
    for (int i : picks) {
        Session s = source.accounts[static_cast<size_t>(i)];
        if (request.userId)
            s.userId = request.userId;
        if (request.apiId)
            s.apiId = request.apiId;
        if (!request.carryPeers) {
            s.peers.clear();
            s.peerCountsOnly.reset();
        }
        p.dropped << droppedFields(s, caps, request.carryPeers);
        if (!caps.testFlag(Capability::Peers)) {
            s.peers.clear();
        } else if (request.carryPeers) {
            // Kinds the target's cache cannot keep (e.g. basic groups in gogram's cache).
            PeerCounts lost;
            std::erase_if(s.peers, [&](const Peer &peer) {
                if (desc.holdsPeerKind(peer.kind(), request.write.variant))
                    return false;
                lost.add(peer.kind());
                return true;
            });
            if (lost.chats)
                p.dropped << QStringLiteral("%1 basic groups").arg(lost.chats);
            if (lost.users)
                p.dropped << QStringLiteral("%1 users").arg(lost.users);
            if (lost.channels)
                p.dropped << QStringLiteral("%1 channels").arg(lost.channels);
        }
        if (!caps.testFlag(Capability::Conversations))
            s.conversations.clear();
        p.store.accounts.push_back(std::move(s));
    }
    if (p.dropped.size() > 1)
        p.dropped.removeDuplicates();
    if (auto st = checkWritableKeys(p.store); !st)
        return st.error();
    return p;
}

namespace {
// A server store target (docs/cli.md "Server stores"): the format writes one session in one transaction
// (refusing an existing one without --force, exit 5) and the session is read back from the server.
Result<ConvertResult> writeServerTarget(const Prepared &prepared, const Format &target, const ConvertRequest &request,
                                        const QString &outPath, ConvertResult r)
{
    if (auto st = target.write(prepared.store, outPath, request.write); !st)
        return st.error();
    ReadOptions back;
    back.session = request.write.session;
    if (back.session.isEmpty() && !prepared.store.accounts.empty()) {
        const QVariantMap &extra = prepared.store.accounts.front().extra;
        back.session = extra.value(QStringLiteral("mtgo_session_name"), extra.value(QStringLiteral("mtgo_session_id"))).toString();
    }
    auto written = target.read(Source::fromPath(outPath), back);
    if (!written)
        return Error::output(QStringLiteral("the written session does not read back: %1").arg(written.error().message));
    for (size_t i = 0; i < prepared.store.accounts.size() && i < written->accounts.size(); ++i) {
        auto lost = compareWritten(prepared.store.accounts[i], written->accounts[i],
                                   target.descriptor().capabilitiesFor(request.write.variant));
        if (!lost)
            return lost.error();
        for (const QString &l : *lost)
            if (!r.dropped.contains(l))
                r.dropped << l;
    }
    return r;
}
} // namespace

Result<ConvertResult> convertStore(const Store &source, const Format &target, const ConvertRequest &request,
                                   const QString &outPath)
{
    if (!server::looksLikeServerUrl(outPath)) // a server URL is no path: nothing to resolve
        if (auto st = refuseOutputIsInput(outPath, request.inputs); !st)
            return st.error();
    auto prepared = prepareConversion(source, target, request);
    if (!prepared)
        return prepared.error();
    ConvertResult r;
    r.dropped = prepared->dropped;
    if (target.sourceKind() == SourceKind::String) {
        auto s = target.encodeString(prepared->store.accounts.front(), request.write);
        if (!s)
            return s.error();
        r.string = *s;
        { // read the string back: report what it did not keep
            auto back = target.read(Source::fromString(r.string), {});
            if (!back || back->accounts.empty())
                return Error::output(QStringLiteral("the %1 string does not read back%2").arg(target.id(), back ? QString() : QStringLiteral(": ") + back.error().message));
            auto lost = compareWritten(prepared->store.accounts.front(), back->accounts.front(),
                                       target.descriptor().capabilitiesFor(request.write.variant));
            if (!lost)
                return lost.error();
            for (const QString &l : *lost)
                if (!r.dropped.contains(l))
                    r.dropped << l;
        }
        if (!outPath.isEmpty() && outPath != QLatin1String("-")) {
            auto st = writeFileAtomic(outPath, r.string + '\n', request.write.force);
            if (!st)
                return st.error();
            r.string.clear();
        }
        return r;
    }
    if (outPath.isEmpty() || outPath == QLatin1String("-"))
        return Error::usage(QStringLiteral("%1 is a file format: give an output path with -o").arg(target.id()));
    if (server::looksLikeServerUrl(outPath))
        return writeServerTarget(*prepared, target, request, outPath, std::move(r));
    const TargetKind kind = target.sourceKind() == SourceKind::Directory ? TargetKind::Folder : TargetKind::File;
    if (auto st = checkTarget(outPath, request.write.force, kind); !st)
        return st.error();
    // Build the output under its final name in a private folder next to the target; the writer
    // carries what it does not own from the current target (WriteOptions::carryFrom).
    StagedOutput staged;
    if (auto st = staged.begin(outPath); !st)
        return st.error();
    WriteOptions wo = request.write;
    wo.force = false;
    wo.carryFrom = outPath;
    if (auto st = target.write(prepared->store, staged.path(), wo); !st)
        return st.error();
    // Read the output back: whatever the target could not keep is reported, never silently lost.
    std::optional<Store> written;
    {
        ReadOptions back;
        back.passcode = request.write.passcode;
        back.tdataKeyName = request.write.tdataKeyName;
        auto readBack = target.read(Source::fromPath(staged.path()), back);
        if (!readBack)
            return Error::output(QStringLiteral("the written output does not read back (%1 is unchanged): %2").arg(outPath, readBack.error().message));
        written = std::move(*readBack);
    }
    if (written) {
        for (size_t i = 0; i < prepared->store.accounts.size() && i < written->accounts.size(); ++i) {
            auto lost = compareWritten(prepared->store.accounts[i], written->accounts[i],
                                       target.descriptor().capabilitiesFor(request.write.variant));
            if (!lost)
                return lost.error();
            for (const QString &l : *lost)
                if (!r.dropped.contains(l))
                    r.dropped << l;
        }
    }
    if (auto st = staged.commit(request.write.force); !st)
        return st.error();
    return r;
}

} // namespace sd
