// telethon2-sqlite: Telethon v2 (rewrite) SQLite session, database version 10 (docs/formats.md 1.5).
// Tables: version, datacenter (one row per DC, "ip:port" addresses), user (the logged-in account and
// its home DC), state and channelstate (bare channel ids). Two layouts of `datacenter` exist in the
// v2 history: (id, addr, auth) and (id, ipv4_addr, ipv6_addr, auth); both are read by column name,
// the newer one is written. Telethon v2 keeps no peer cache in this file.
#include "formats/families.h"
#include "sqlite/sqlhelpers.h"
#include "sqlite/sqlsessionformat.h"
#include "util/hostport.h"

#include "domain/dcaddress.h"

#include <set>

namespace sd {

namespace {

constexpr int kVersion = 10;
constexpr qint64 kMaxKeyBytes = 4096;
const QString kIpv6Extra = QStringLiteral("telethon2.ipv6_addr");

// "ip:port" as Telethon v2 stores it; text that is not host:port stays the address, port 0.
void setAddress(DcAuth &d, const QString &text)
{
    if (const auto hp = parseHostPort(text, PortRule::Optional)) {
        d.address = hp->host;
        d.port = hp->port;
    } else {
        d.address = text.trimmed();
        d.port = 0;
    }
}

class Telethon2SqliteFormat : public SqliteSessionFormat {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("telethon2-sqlite");
            f.displayName = QStringLiteral("Telethon v2 SQLite session");
            f.capabilities = C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UserId | C::IsBot | C::UpdateState | C::ChannelPts;
            f.fileName = QStringLiteral("{base}.session");
            f.knownSchema = {{QStringLiteral("version"), QStringLiteral("version")},
                             {QStringLiteral("datacenter"), QStringLiteral("id addr ipv4_addr ipv6_addr auth")},
                             {QStringLiteral("user"), QStringLiteral("id dc bot username")},
                             {QStringLiteral("state"), QStringLiteral("pts qts date seq")},
                             {QStringLiteral("channelstate"), QStringLiteral("id pts")}};
            return f;
        }();
        return d;
    }

    int detect(const Probe &p) const override
    {
        if (!p.isSqlite || !p.hasTable(QStringLiteral("datacenter")))
            return 0;
        if (p.hasColumn(QStringLiteral("version"), QStringLiteral("version")))
            return 95;
        return 60;
    }

protected:
    // Telethon v2 keeps no peer cache in this file.
    Result<std::optional<SqlPeerView>> peerViewSqlite(SqliteDb &, const ReadOptions &) const override
    {
        return std::optional<SqlPeerView>();
    }

    Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options) const override
    {
        auto schema = sqlc::readSchema(db);
        if (!schema)
            return schema.error();
        const sqlc::Schema &sc = *schema;
        if (!sc.value(QStringLiteral("version")).contains(QStringLiteral("version")))
            return Error::badInput(QStringLiteral("not a Telethon v2 session: the version table is missing"));
        auto version = sqlc::readVersion(db, QStringLiteral("version"));
        if (!version)
            return version.error();
        if (!*version)
            return Error::badInput(QStringLiteral("the Telethon v2 version table is empty"));
        const qint64 v = **version;
        if (v != kVersion && !options.ignoreVersion) {
            if (v >= 1 && v <= 7)
                return Error::badInput(QStringLiteral("database version %1 is Telethon v1; use --format telethon-sqlite").arg(v));
            return Error::badInput(QStringLiteral("unsupported Telethon v2 session version %1 (known: %2)").arg(v).arg(kVersion));
        }
        Store store;
        store.formatId = id();
        store.formatVersion = static_cast<int>(v);
        Session s;

        const QStringList dcCols = sc.value(QStringLiteral("datacenter"));
        const bool newLayout = dcCols.contains(QStringLiteral("ipv4_addr"));
        if (!dcCols.contains(QStringLiteral("id")) || !dcCols.contains(QStringLiteral("auth"))
            || (!newLayout && !dcCols.contains(QStringLiteral("addr"))))
            return Error::badInput(QStringLiteral("the datacenter table has an unknown layout (%1)").arg(dcCols.join(QStringLiteral(", "))));
        {
            auto q = db.exec(newLayout ? QStringLiteral("SELECT id, ipv4_addr, %1, auth FROM datacenter ORDER BY id LIMIT 1000")
                                             .arg(dcCols.contains(QStringLiteral("ipv6_addr")) ? QStringLiteral("ipv6_addr") : QStringLiteral("NULL"))
                                       : QStringLiteral("SELECT id, addr, NULL, auth FROM datacenter ORDER BY id LIMIT 1000"));
            if (!q)
                return q.error();
            while (q->next()) {
                QByteArray key = sqlBlob(q->value(3));
                if (key.size() > kMaxKeyBytes)
                    return Error::badInput(QStringLiteral("an auth key is %1 bytes, far beyond the 256 of MTProto").arg(key.size()));
                DcAuth d;
                d.dcId = static_cast<int>(sqlc::intAt(*q, 0).value_or(0));
                const auto v4 = sqlc::textAt(*q, 1);
                const auto v6 = sqlc::textAt(*q, 2);
                if (v4 && !v4->isEmpty()) {
                    setAddress(d, *v4);
                    d.ipv6 = d.address.contains(QLatin1Char(':'));
                    if (v6 && !v6->isEmpty())
                        d.extra[kIpv6Extra] = *v6;
                } else if (v6 && !v6->isEmpty()) {
                    setAddress(d, *v6);
                    d.ipv6 = true;
                }
                d.authKey = SecretBytes::fromByteArray(key);
                wipe(key);
                if (!d.authKey.isEmpty() && d.authKey.size() != 256)
                    store.warnings << QStringLiteral("the DC %1 auth key is %2 bytes (256 expected)").arg(d.dcId).arg(d.authKey.size());
                s.dcs.push_back(std::move(d));
            }
        }

        const QStringList userCols = sc.value(QStringLiteral("user"));
        if (!userCols.isEmpty()) {
            const bool hasUsername = userCols.contains(QStringLiteral("username"));
            auto q = db.exec(QStringLiteral("SELECT id, dc, bot, %1 FROM user LIMIT 1")
                                 .arg(hasUsername ? QStringLiteral("username") : QStringLiteral("NULL")));
            if (!q)
                return q.error();
            if (q->next()) {
                s.userId = sqlc::intAt(*q, 0);
                s.dcId = static_cast<int>(sqlc::intAt(*q, 1).value_or(0));
                if (auto b = sqlc::intAt(*q, 2))
                    s.isBot = *b != 0;
                if (auto u = sqlc::textAt(*q, 3); u && !u->isEmpty())
                    s.username = *u;
            }
        }
        if (s.dcId == 0) {
            // No user row: the DC holding a key is the one the client logged in to.
            for (const DcAuth &d : s.dcs)
                if (!d.authKey.isEmpty()) {
                    s.dcId = d.dcId;
                    break;
                }
            if (s.dcId == 0 && !s.dcs.empty())
                s.dcId = s.dcs.front().dcId;
        }
        if (const DcAuth *p = s.primary())
            if (auto known = lookupDcAddress(p->address))
                s.testMode = known->test;

        if (sc.contains(QStringLiteral("state"))) {
            auto q = db.exec(QStringLiteral("SELECT pts, qts, date, seq FROM state LIMIT 1"));
            if (!q)
                return q.error();
            if (q->next()) {
                UpdateState st;
                st.pts = sqlc::intAt(*q, 0);
                st.qts = sqlc::intAt(*q, 1);
                st.date = sqlc::intAt(*q, 2);
                st.seq = sqlc::intAt(*q, 3);
                s.updateState = st;
            }
        }
        if (sc.contains(QStringLiteral("channelstate"))) {
            auto q = db.exec(QStringLiteral("SELECT id, pts FROM channelstate LIMIT 10000000"));
            if (!q)
                return q.error();
            while (q->next()) {
                const auto cid = sqlc::intAt(*q, 0);
                const auto pts = sqlc::intAt(*q, 1);
                if (!cid || !pts)
                    continue;
                if (!s.updateState)
                    s.updateState = UpdateState{};
                // Bare channel ids; accept a marked id defensively.
                qint64 bare = *cid;
                if (bare < 0)
                    if (auto u = unmarkId(bare); u && u->second == PeerKind::Channel)
                        bare = u->first;
                s.updateState->channelPts.insert(bare, *pts);
            }
        }
        if (!options.loadPeers)
            s.peerCountsOnly = PeerCounts{};
        store.accounts.push_back(std::move(s));
        return store;
    }

    Status writeAccount(const Session &s, const QString &path, const WriteOptions &options) const override
    {
        const int home = s.dcId ? s.dcId : (s.primary() ? s.primary()->dcId : 0);
        if (home <= 0)
            return Error::usage(QStringLiteral("the session has no DC id; Telethon v2 needs one"));

        // One row per DC id: the permanent, non-media entry (the primary first).
        std::vector<const DcAuth *> rows;
        std::set<int> seen;
        DcAuth placeholder;
        auto consider = [&](const DcAuth *d) {
            if (!d || d->isTemp || d->dcId <= 0 || seen.count(d->dcId))
                return;
            seen.insert(d->dcId);
            rows.push_back(d);
        };
        consider(s.primary());
        for (const DcAuth &d : s.dcs)
            if (!d.mediaOnly)
                consider(&d);
        if (!seen.count(home)) {
            // Not even an address for the home DC: write it without a key so the client knows it.
            placeholder.dcId = home;
            consider(&placeholder);
        }

        auto target = SqliteWriteTarget::create(path, options.force);
        if (!target)
            return target.error();
        SqliteDb &db = (*target)->db();
        auto st = sqlc::execScript(db, {
            QStringLiteral("create table version (\n    version integer primary key\n)"),
            QStringLiteral("create table datacenter (\n    id integer primary key,\n    ipv4_addr text,\n    ipv6_addr text,\n    auth blob\n)"),
            QStringLiteral("create table user (\n    id integer primary key,\n    dc integer not null,\n    bot integer not null,\n    username text\n)"),
            QStringLiteral("create table state (\n    pts integer not null,\n    qts integer not null,\n    date integer not null,\n    seq integer not null\n)"),
            QStringLiteral("create table channelstate (\n    id integer primary key,\n    pts integer not null\n)"),
        });
        if (!st)
            return st;
        if (auto b = db.begin(); !b)
            return Error::output(b.error().message);
        if (st = sqlc::execWrite(db, QStringLiteral("insert into version values (?)"), {kVersion}); !st)
            return st;
        for (const DcAuth *d : rows) {
            QString address = d->address;
            int port = d->port;
            if (address.isEmpty() || port <= 0) {
                auto def = defaultDcAddress(d->dcId, s.testMode.value_or(false), d->ipv6);
                if (def) {
                    if (address.isEmpty())
                        address = def->address;
                    if (port <= 0)
                        port = def->port;
                }
            }
            QVariant v4 = sqlc::nullText(), v6 = sqlc::nullText();
            if (!address.isEmpty() && port > 0) {
                if (d->ipv6)
                    v6 = formatHostPort(address, port);
                else
                    v4 = formatHostPort(address, port);
            }
            if (!d->ipv6 && d->extra.contains(kIpv6Extra))
                v6 = d->extra.value(kIpv6Extra).toString();
            QByteArray key = d->authKey.exposeUnsafe();
            st = sqlc::execWrite(db, QStringLiteral("insert into datacenter values (?, ?, ?, ?)"),
                                 {d->dcId, v4, v6, key.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(key)});
            wipe(key);
            if (!st)
                return st;
        }
        if (s.userId) {
            if (st = sqlc::execWrite(db, QStringLiteral("insert into user values (?, ?, ?, ?)"),
                                     {*s.userId, home, s.isBot.value_or(false) ? 1 : 0,
                                      s.username ? QVariant(*s.username) : sqlc::nullText()}); !st)
                return st;
        }
        if (s.updateState) {
            const UpdateState &u = *s.updateState;
            if (st = sqlc::execWrite(db, QStringLiteral("insert into state values (?, ?, ?, ?)"),
                                     {u.pts.value_or(0), u.qts.value_or(0), u.date.value_or(0), u.seq.value_or(0)}); !st)
                return st;
            for (auto it = u.channelPts.cbegin(); it != u.channelPts.cend(); ++it) {
                if (it.key() <= 0)
                    continue;
                if (st = sqlc::execWrite(db, QStringLiteral("insert into channelstate values (?, ?)"), {it.key(), it.value()}); !st)
                    return st;
            }
        }
        if (auto c = db.commit(); !c)
            return c;
        return (*target)->commit();
    }

};

} // namespace

std::unique_ptr<Format> make_telethon2_sqlite()
{
    return std::make_unique<Telethon2SqliteFormat>();
}

} // namespace sd
