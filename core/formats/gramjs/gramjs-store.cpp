// gramjs-store: a GramJS StoreSession folder (docs/formats.md 3.3). node-localstorage keeps one file per
// key; the file name is encodeURIComponent("<name>:<field>") (so ':' is "%3A") and the content is
// store2's JSON of the value:
//   <name>:dcId           2
//   <name>:port           443
//   <name>:serverAddress  "149.154.167.51"
//   <name>:authKey        {"type":"Buffer","data":[...256 numbers...]}
//   <name>:<markedId>     ["<markedId>","<hash>",username,phone,name,"<ms timestamp>"]  (peer cache)
// GramJS marks channels by string concatenation "-100" + id and parses them back with
// /-100([^0]\d*)/, so entity keys are parsed with that rule.
#include "formats/families.h"
#include "io/inputfile.h"
#include "formats/strings/stringformat.h"
#include "io/atomicfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace sd {

namespace {

constexpr qint64 kMaxValueFile = inputcap::kGramjsValue;
constexpr qsizetype kMaxEntries = 500000;

QString fileNameForKey(const QString &key)
{
    // encodeURIComponent, plus ! ' ( ) * escaped as node-localstorage does: only A-Z a-z 0-9 - _ . ~ stay.
    return QString::fromLatin1(key.toUtf8().toPercentEncoding());
}

QString keyForFileName(const QString &file) { return QString::fromUtf8(QByteArray::fromPercentEncoding(file.toUtf8())); }

std::optional<qint64> jsonInt(const QJsonValue &v)
{
    if (v.isString()) {
        bool ok = false;
        const qint64 x = v.toString().trimmed().toLongLong(&ok);
        return ok ? std::optional<qint64>(x) : std::nullopt;
    }
    if (v.isDouble()) {
        const qint64 x = v.toInteger(std::numeric_limits<qint64>::min());
        if (x == std::numeric_limits<qint64>::min())
            return std::nullopt;
        return x;
    }
    return std::nullopt;
}

std::optional<QString> jsonText(const QJsonValue &v)
{
    if (v.isString() && !v.toString().isEmpty())
        return v.toString();
    return std::nullopt;
}

// A GramJS marked id (text) -> bare id and kind.
std::optional<std::pair<qint64, PeerType>> parseGramjsId(const QString &text)
{
    static const QRegularExpression channelRe(QStringLiteral("^-100([1-9]\\d*)$"));
    static const QRegularExpression numRe(QStringLiteral("^-?[1-9]\\d{0,18}$"));
    if (auto m = channelRe.match(text); m.hasMatch()) {
        bool ok = false;
        const qint64 id = m.captured(1).toLongLong(&ok);
        if (ok)
            return std::make_pair(id, PeerType::Channel);
    }
    if (!numRe.match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v == std::numeric_limits<qint64>::min())
        return std::nullopt;
    return v > 0 ? std::make_pair(v, PeerType::User) : std::make_pair(-v, PeerType::Chat);
}

QString gramjsMarkedId(const Peer &p)
{
    switch (p.kind()) {
    case PeerKind::User:
        return QString::number(p.id);
    case PeerKind::Chat:
        return QString::number(-p.id);
    case PeerKind::Channel:
        return QStringLiteral("-100") + QString::number(p.id);
    }
    return {};
}

class GramjsStore final : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("gramjs-store");
            f.displayName = QStringLiteral("GramJS StoreSession folder");
            f.sourceKind = SourceKind::Directory;
            f.capabilities = C::DcId | C::Address | C::AuthKey | C::Peers | C::Phones | C::PeerTimestamps;
            f.fileName = QStringLiteral("{base}/");
            f.pruneInMemory = true;
            return f;
        }();
        return d;
    }

    int detect(const Probe &p) const override
    {
        if (!p.isDirectory)
            return 0;
        for (const QString &e : p.entries)
            if (e.endsWith(QLatin1String("%3AauthKey")) && e.size() > 10)
                return 80;
        return 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        const QDir dir(source.path);
        if (!QFileInfo(source.path).isDir())
            return Error::badInput(QStringLiteral("not a folder"));
        const QStringList files = dir.entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
        if (files.size() > kMaxEntries)
            return Error::badInput(QStringLiteral("%1 files: too many for a GramJS store").arg(files.size()));
        // Session names: every "<name>:authKey" key.
        QStringList names;
        for (const QString &f : files) {
            const QString key = keyForFileName(f);
            if (key.endsWith(QLatin1String(":authKey")) && key.size() > 8)
                names << key.left(key.size() - 8);
        }
        if (names.isEmpty())
            return Error::badInput(QStringLiteral("no '<name>:authKey' file: not a GramJS store"));
        const QString base = QFileInfo(source.path).fileName();
        QString name = names.contains(base) ? base : names.first();
        Store st;
        st.formatId = id();
        // GramJS names the keys after the path given to new StoreSession(path); when that was not
        // the bare folder name (e.g. "sessions/my"), keep it as the variant so that rewriting the
        // folder in place (prune) keeps the keys GramJS looks for.
        if (name != base)
            st.variant = name;
        if (names.size() > 1)
            st.warnings << QStringLiteral("the folder holds %1 sessions (%2); read '%3'")
                               .arg(names.size())
                               .arg(names.join(QStringLiteral(", ")), name);
        const QString prefix = name + QLatin1Char(':');
        auto value = [&](const QString &field) -> Result<QJsonValue> {
            const QString path = dir.filePath(fileNameForKey(prefix + field));
            if (!QFileInfo::exists(path))
                return QJsonValue(QJsonValue::Undefined);
            auto data = readFileLimited(path, kMaxValueFile);
            if (!data)
                return Error::badInput(QStringLiteral("%1: %2").arg(field, data.error().message));
            // store2 keeps JSON; a value that is not JSON is the raw string.
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson("[" + *data + "]", &pe);
            wipe(*data);
            if (pe.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
                return Error::badInput(QStringLiteral("%1: not valid JSON").arg(field));
            return doc.array().first();
        };

        auto keyV = value(QStringLiteral("authKey"));
        if (!keyV)
            return keyV.error();
        QJsonArray bytes;
        if (keyV->isObject())
            bytes = keyV->toObject().value(QStringLiteral("data")).toArray();
        else if (keyV->isArray())
            bytes = keyV->toArray();
        QByteArray key;
        key.reserve(bytes.size());
        for (const QJsonValue &b : bytes) {
            const int x = b.toInt(-1);
            if (!b.isDouble() || x < 0 || x > 255) {
                wipe(key);
                return Error::badInput(QStringLiteral("authKey: not a Buffer of bytes"));
            }
            key.append(static_cast<char>(x));
        }
        if (auto problem = strings::keyProblem(key)) {
            wipe(key);
            return Error::badInput(QStringLiteral("authKey: %1").arg(*problem));
        }
        auto dcV = value(QStringLiteral("dcId"));
        auto portV = value(QStringLiteral("port"));
        auto addrV = value(QStringLiteral("serverAddress"));
        if (!dcV || !portV || !addrV) {
            wipe(key);
            return (!dcV ? dcV : !portV ? portV : addrV).error();
        }
        const auto dc = jsonInt(*dcV);
        if (!dc || *dc < 1 || *dc > 1000) {
            wipe(key);
            return Error::badInput(QStringLiteral("dcId is missing or not a DC id"));
        }
        const auto port = jsonInt(*portV);
        const QString address = addrV->toString();
        Session s = strings::makeSession(static_cast<int>(*dc), address,
                                         port && *port > 0 && *port < 65536 ? static_cast<int>(*port) : 0, key,
                                         std::nullopt, true);
        wipe(key);
        if (DcAuth *p = s.primary(); p && p->port == 0)
            p->port = 443;

        // Peer cache: "<name>:<markedId>" files.
        PeerCounts counts;
        qsizetype skipped = 0;
        for (const QString &f : files) {
            const QString k = keyForFileName(f);
            if (!k.startsWith(prefix))
                continue;
            const auto parsed = parseGramjsId(k.mid(prefix.size()));
            if (!parsed)
                continue;
            auto row = value(k.mid(prefix.size()));
            if (!row || !row->isArray() || row->toArray().size() < 2) {
                ++skipped;
                continue;
            }
            const QJsonArray a = row->toArray();
            Peer peer;
            peer.id = parsed->first;
            peer.type = parsed->second;
            if (parsed->second != PeerType::Chat) {
                auto hash = jsonInt(a.at(1));
                if (!hash) {
                    ++skipped;
                    continue;
                }
                peer.accessHash = *hash;
            }
            if (auto u = jsonText(a.at(2)))
                peer.usernames << *u;
            peer.phone = jsonText(a.at(3));
            peer.name = jsonText(a.at(4));
            if (auto ms = jsonInt(a.at(5)); ms && *ms > 0)
                peer.updated = *ms / 1000;
            counts.add(peer.kind());
            if (options.loadPeers)
                s.peers.push_back(std::move(peer));
        }
        if (!options.loadPeers)
            s.peerCountsOnly = counts;
        if (skipped)
            st.warnings << QStringLiteral("%1 unreadable peer entries skipped").arg(skipped);
        st.accounts.push_back(std::move(s));
        return st;
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        auto account = accountToWrite(store);
        if (!account)
            return account.error();
        const Session &s = **account;
        // The session name is the folder name (GramJS: new StoreSession(name) uses ./name), unless
        // the caller passes the name read from an existing store (WriteOptions::variant).
        const QString name = options.variant.isEmpty() ? QFileInfo(QDir::cleanPath(path)).fileName() : options.variant;
        if (name.isEmpty() || name == QLatin1String("session"))
            return Error::usage(QStringLiteral("GramJS refuses the store name '%1': pick another folder name").arg(name));
        auto key = strings::primaryKey(s);
        if (!key)
            return key.error();
        const DcAuth *p = s.primary();
        const int dc = p ? p->dcId : s.dcId;
        auto ep = strings::endpointFor(s, false);
        if (!ep || dc < 1) {
            wipe(*key);
            return Error::badInput(QStringLiteral("no address known for DC %1").arg(dc));
        }
        QByteArray keyJson = "{\"type\":\"Buffer\",\"data\":[";
        for (qsizetype i = 0; i < key->size(); ++i) {
            if (i)
                keyJson += ',';
            keyJson += QByteArray::number(static_cast<quint8>((*key)[i]));
        }
        keyJson += "]}";
        wipe(*key);

        AtomicDirectory out;
        auto st = out.begin(path, options.force);
        if (!st) {
            wipe(keyJson);
            return st;
        }
        const QString prefix = name + QLatin1Char(':');
        // Edit in place (docs/security.md, "Writing"): this session's login fields and peer rows
        // belong to the writer; other sessions' keys and the application's own keys (teleproto's
        // testServers/dcAuthKeys, ...) in the same folder are carried byte for byte.
        st = out.carry(options.carryFrom.isEmpty() ? path : options.carryFrom, [&prefix](const QString &rel) {
            const QString key = keyForFileName(rel);
            if (rel.contains(QLatin1Char('/')) || !key.startsWith(prefix))
                return false;
            const QString field = key.mid(prefix.size());
            return field == QLatin1String("authKey") || field == QLatin1String("dcId") || field == QLatin1String("port") ||
                   field == QLatin1String("serverAddress") || parseGramjsId(field).has_value();
        });
        if (!st) {
            wipe(keyJson);
            return st;
        }
        auto put = [&](const QString &field, const QByteArray &json) {
            return out.writeFile(fileNameForKey(prefix + field), json);
        };
        st = put(QStringLiteral("authKey"), keyJson);
        wipe(keyJson);
        if (!st)
            return st;
        if (!(st = put(QStringLiteral("dcId"), QByteArray::number(dc))))
            return st;
        if (!(st = put(QStringLiteral("port"), QByteArray::number(ep->port))))
            return st;
        const QJsonDocument addr(QJsonArray{ep->address});
        QByteArray addrJson = addr.toJson(QJsonDocument::Compact);
        addrJson = addrJson.mid(1, addrJson.size() - 2); // the string alone, quoted
        if (!(st = put(QStringLiteral("serverAddress"), addrJson)))
            return st;
        if (options.carryPeers) {
            for (const Peer &peer : s.peers) {
                const QString mid = gramjsMarkedId(peer);
                QJsonArray row;
                row << mid << QString::number(peer.kind() == PeerKind::Chat ? 0 : peer.accessHash.value_or(0));
                row << (peer.username() ? QJsonValue(peer.username()->toLower()) : QJsonValue(QJsonValue::Null));
                row << (peer.phone ? QJsonValue(*peer.phone) : QJsonValue(QJsonValue::Null));
                row << QJsonValue(peer.name.value_or(QString()));
                row << QString::number(peer.updated.value_or(0) * 1000); // GramJS stores the ms time as text
                if (!(st = put(mid, QJsonDocument(row).toJson(QJsonDocument::Compact))))
                    return st;
            }
        }
        return out.commit();
    }
};

} // namespace

std::unique_ptr<Format> make_gramjs_store() { return std::make_unique<GramjsStore>(); }

} // namespace sd
