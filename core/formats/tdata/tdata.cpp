// tdata: Telegram Desktop's local storage folder (docs/formats.md section 9). Reads and writes the
// key file (key_datas) and each account's MTP authorization (<filePart>s); the rest of the
// folder (maps contents, media cache, settings) is out of scope and never touched.
#include "formats/families.h"
#include "formats/tdata/tdatafile.h"

#include "crypto/crypto.h"
#include "crypto/tdatakdf.h"
#include "io/atomicfile.h"

#include <QDir>
#include <QSet>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace sd {

namespace {

using namespace sd::tdata;

const QString kKeysToDestroy = QStringLiteral("tdata_keys_to_destroy");

// Wipes a QByteArray holding key material when it goes out of scope.
struct Wiper {
    QByteArray &b;
    ~Wiper() { wipe(b); }
};

// The key name a folder uses: the requested one when its key file exists, otherwise (default
// name only) the single key_<name>s file present.
QString effectiveKeyName(const QDir &dir, const QString &requested)
{
    const QString want = requested.isEmpty() ? QStringLiteral("data") : requested;
    for (const char *suffix : {"s", "0", "1"})
        if (dir.exists(QStringLiteral("key_%1%2").arg(want, QLatin1String(suffix))))
            return want;
    if (want != QLatin1String("data"))
        return want;
    const QStringList keys = dir.entryList({QStringLiteral("key_*s")}, QDir::Files);
    if (keys.size() == 1)
        return keys.first().mid(4).chopped(1);
    return want;
}

// Reads <base>s, or the legacy pair <base>0/<base>1 (newer first), and returns the first valid one.
Result<TdfFile> readTdfFile(const QDir &dir, const QString &base, bool ignoreVersion)
{
    QStringList order;
    if (QFileInfo::exists(dir.filePath(base + QLatin1Char('s')))) {
        order << base + QLatin1Char('s');
    } else {
        const QFileInfo f0(dir.filePath(base + QLatin1Char('0')));
        const QFileInfo f1(dir.filePath(base + QLatin1Char('1')));
        if (f0.exists())
            order << f0.fileName();
        if (f1.exists()) {
            if (f0.exists() && f0.lastModified() < f1.lastModified())
                order.prepend(f1.fileName());
            else
                order << f1.fileName();
        }
    }
    if (order.isEmpty())
        return Error::badInput(QStringLiteral("%1s is missing").arg(base));
    Error last = Error::badInput(QStringLiteral("%1s is missing").arg(base));
    for (const QString &name : order) {
        auto bytes = readFileLimited(dir.filePath(name), kMaxFileSize);
        if (!bytes) {
            last = Error::badInput(QStringLiteral("%1: %2").arg(name, bytes.error().message));
            continue;
        }
        auto tdf = parseTdf(*bytes);
        if (!tdf) {
            last = Error::badInput(QStringLiteral("%1: %2").arg(name, tdf.error().message));
            continue;
        }
        if ((tdf->version > kNewestKnownVersion || tdf->version <= 0) && !ignoreVersion) {
            last = Error::badInput(QStringLiteral("%1: unsupported tdata version %2 (newest known %3; --ignore-version tries anyway)")
                                       .arg(name).arg(tdf->version).arg(kNewestKnownVersion));
            continue;
        }
        return tdf;
    }
    return last;
}

// An encrypted file's TDF data is one QByteArray holding encryptLocal output.
Result<QByteArray> decryptFile(const TdfFile &file, const QByteArray &localKey, const QString &what)
{
    ByteReader r(file.data);
    auto enc = readQByteArray(r);
    if (!enc)
        return Error::badInput(QStringLiteral("%1 is truncated").arg(what));
    auto plain = crypto::tdataDecryptLocal(*enc, localKey);
    if (!plain)
        return Error::badInput(QStringLiteral("%1 cannot be decrypted: %2").arg(what, plain.error().message));
    return plain;
}

QByteArray encryptedFileData(const QByteArray &payload, const QByteArray &localKey)
{
    ByteWriter w;
    writeQByteArray(w, crypto::tdataEncryptLocal(payload, localKey));
    return w.data();
}

// Decrypts the local key with the passcode (or none). Wrong or missing passcodes are Secret errors.
Result<QByteArray> unlockLocalKey(const KeyData &kd, const ReadOptions &options, QStringList &warnings)
{
    QByteArray pass = options.passcode ? options.passcode->exposeUnsafe() : QByteArray();
    Wiper wp{pass};
    auto tryWith = [&kd](const QByteArray &passcode) -> Result<QByteArray> {
        QByteArray passKey = crypto::tdataPasscodeKey(kd.salt, passcode);
        Wiper w{passKey};
        return crypto::tdataDecryptLocal(kd.keyEncrypted, passKey);
    };
    // The empty passcode first: it costs one PBKDF2 iteration, so a folder without a passcode
    // never pays for the 100000-iteration derivation, even when a passcode was given.
    auto local = tryWith(QByteArray());
    if (!local) {
        if (local.error().message != QLatin1String("checksum mismatch"))
            return Error::badInput(QStringLiteral("key file: %1").arg(local.error().message));
        if (pass.isEmpty())
            return Error::secret(QStringLiteral("this tdata folder is protected by a local passcode and needs a passcode "
                                                "(--passcode-file or SESSIONDESK_PASSCODE)"));
        local = tryWith(pass);
        if (!local)
            return Error::secret(QStringLiteral("wrong passcode"));
    } else if (!pass.isEmpty()) {
        warnings << QStringLiteral("this tdata folder has no local passcode; the given passcode was not needed");
    }
    if (local->size() != crypto::kTdataKeySize) {
        wipe(local.value());
        return Error::badInput(QStringLiteral("key file holds a local key of %1 bytes (expected 256)").arg(local->size()));
    }
    return local;
}

Session sessionFromAuth(MtpAuthorization &auth)
{
    Session s;
    s.dcId = auth.mainDcId;
    if (auth.userId != 0)
        s.userId = auth.userId;
    for (DcKey &k : auth.keys) {
        if (k.dcId <= 0)
            continue;
        DcAuth &d = s.upsertDc(k.dcId);
        d.authKey = std::move(k.key);
    }
    if (!auth.keysToDestroy.empty()) {
        QVariantList list;
        for (const DcKey &k : auth.keysToDestroy) {
            QVariantMap m;
            m[QStringLiteral("dc_id")] = k.dcId;
            m[QStringLiteral("auth_key_id")] = authKeyId(k.key);
            m[QStringLiteral("auth_key")] = k.key.exposeUnsafe();
            list << m;
        }
        s.extra[kKeysToDestroy] = list;
    }
    return s;
}

class TdataFormat : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("tdata");
            f.displayName = QStringLiteral("Telegram Desktop tdata folder");
            f.sourceKind = SourceKind::Directory;
            f.capabilities = C::DcId | C::AuthKey | C::MultiDc | C::UserId | C::MultiAccount;
            f.fileName = QStringLiteral("{base}-tdata/");
            f.takesPasscode = true; // the local passcode
            return f;
        }();
        return d;
    }

    int detect(const Probe &p) const override
    {
        if (!p.isDirectory)
            return 0;
        QDir dir(p.path);
        QStringList keyFiles;
        for (const QString &e : p.entries)
            if (e.startsWith(QLatin1String("key_")) && e.size() > 5
                && (e.endsWith(QLatin1Char('s')) || e.endsWith(QLatin1Char('0')) || e.endsWith(QLatin1Char('1'))))
                keyFiles << e;
        bool nested = false; // the Telegram Desktop folder that holds tdata/
        if (keyFiles.isEmpty() && p.entries.contains(QStringLiteral("tdata"))) {
            dir = QDir(dir.filePath(QStringLiteral("tdata")));
            keyFiles = dir.entryList({QStringLiteral("key_*")}, QDir::Files);
            nested = true;
        }
        for (const QString &k : keyFiles) {
            auto f = InputFile::open(dir.filePath(k), kMaxFileSize); // a FIFO here must not block
            if (!f)
                continue;
            if (auto magic = f->readAt(0, 4); magic && hasTdfMagic(*magic))
                return nested ? 80 : 95;
        }
        return 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        if (source.isString())
            return Error::badInput(QStringLiteral("tdata is a folder, not a string"));
        QDir dir(source.path);
        if (!QFileInfo(source.path).isDir())
            return Error::badInput(QStringLiteral("not a folder"));
        if (dir.entryList({QStringLiteral("key_*")}, QDir::Files).isEmpty() && dir.exists(QStringLiteral("tdata")))
            dir = QDir(dir.filePath(QStringLiteral("tdata")));
        const QString keyName = effectiveKeyName(dir, options.tdataKeyName);

        auto keyFile = readTdfFile(dir, QStringLiteral("key_") + keyName, options.ignoreVersion);
        if (!keyFile)
            return keyFile.error();
        auto kd = parseKeyData(keyFile->data);
        if (!kd)
            return kd.error();

        Store store;
        store.formatId = id();
        store.formatVersion = keyFile->version;
        if (keyName != QLatin1String("data"))
            store.variant = QStringLiteral("key:") + keyName;

        auto localKey = unlockLocalKey(*kd, options, store.warnings);
        if (!localKey)
            return localKey.error();
        Wiper lw{localKey.value()};

        auto info = crypto::tdataDecryptLocal(kd->infoEncrypted, *localKey);
        if (!info)
            return Error::badInput(QStringLiteral("account list cannot be decrypted: %1").arg(info.error().message));
        auto list = parseAccountList(*info);
        if (!list)
            return list.error();

        QString firstError;
        for (int idx : list->indexes) {
            const QString part = filePart(dataName(keyName, idx));
            auto file = readTdfFile(dir, part, options.ignoreVersion);
            if (!file) {
                const QString msg = QStringLiteral("account %1 (%2): %3").arg(idx).arg(part, file.error().message);
                store.warnings << msg;
                if (firstError.isEmpty())
                    firstError = msg;
                continue;
            }
            auto payload = decryptFile(*file, *localKey, QStringLiteral("account %1 (%2s)").arg(idx).arg(part));
            if (!payload)
                return payload.error();
            Wiper pw{payload.value()};
            auto auth = parseMtpAuthorization(*payload);
            if (!auth)
                return Error::badInput(QStringLiteral("account %1: %2").arg(idx).arg(auth.error().message));
            Session s = sessionFromAuth(*auth);
            s.extra[QStringLiteral("tdata_index")] = idx;
            if (idx == list->active)
                s.extra[QStringLiteral("tdata_active")] = true;
            if (!QFileInfo::exists(dir.filePath(part + QStringLiteral("/maps"))))
                store.warnings << QStringLiteral("account %1 has no map file; Telegram Desktop would ignore it").arg(idx);
            store.accounts.push_back(std::move(s));
        }
        if (store.accounts.empty())
            return Error::badInput(firstError.isEmpty() ? QStringLiteral("the folder lists no account") : firstError);
        return store;
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        if (store.accounts.empty()) // every account is written; none is nothing to write
            return nothingToWrite();
        if (static_cast<int>(store.accounts.size()) > kMaxAccounts)
            return Error::usage(QStringLiteral("too many accounts for one tdata folder"));
        const QString keyName = options.tdataKeyName.isEmpty() ? QStringLiteral("data") : options.tdataKeyName;
        if (keyName.contains(QLatin1Char('/')) || keyName.contains(QLatin1Char('\\')))
            return Error::usage(QStringLiteral("invalid tdata key name"));

        // Build every account's authorization first so that nothing is written for a bad store.
        std::vector<MtpAuthorization> auths;
        for (std::size_t i = 0; i < store.accounts.size(); ++i) {
            auto a = authFromSession(store.accounts[i], static_cast<int>(i));
            if (!a)
                return a.error();
            auths.push_back(std::move(a.value()));
        }

        // Saving over an existing folder keeps its local key and salt when the passcode opens it
        // (docs/security.md, "Writing"): the files SessionDesk does not own stay readable.
        const QString existing = options.carryFrom.isEmpty() ? path : options.carryFrom;
        const qint32 version = writeVersion(existing, keyName, options);
        QByteArray localKey, salt;
        if (QFileInfo(existing).isDir()) {
            if (auto keyFile = readTdfFile(QDir(existing), QStringLiteral("key_") + keyName, true)) {
                if (auto oldKd = parseKeyData(keyFile->data)) {
                    ReadOptions ro;
                    ro.passcode = options.passcode;
                    QStringList ignored;
                    if (auto kept = unlockLocalKey(*oldKd, ro, ignored); kept && oldKd->salt.size() == crypto::kTdataSaltSize) {
                        localKey = *kept;
                        wipe(kept.value());
                        salt = oldKd->salt;
                    }
                }
            }
        }
        const bool keptKey = !localKey.isEmpty();
        if (!keptKey) {
            localKey = crypto::randomBytes(crypto::kTdataKeySize);
            salt = crypto::randomBytes(crypto::kTdataSaltSize);
        }
        Wiper lw{localKey};
        QByteArray pass = options.passcode ? options.passcode->exposeUnsafe() : QByteArray();
        Wiper pw{pass};
        QByteArray passKey = crypto::tdataPasscodeKey(salt, pass);
        Wiper kw{passKey};

        AccountList list;
        for (std::size_t i = 0; i < auths.size(); ++i)
            list.indexes.push_back(static_cast<int>(i));
        list.active = 0;
        KeyData kd{salt, crypto::tdataEncryptLocal(localKey, passKey),
                   crypto::tdataEncryptLocal(buildAccountList(list), localKey)};
        if (kd.keyEncrypted.isEmpty() || kd.infoEncrypted.isEmpty())
            return Error::output(QStringLiteral("encryption failed"));

        AtomicDirectory out;
        if (auto st = out.begin(path, options.force); !st)
            return st;
        // Edit in place: only the key file and each written account's files belong to this
        // writer (with their legacy 0/1 twins); settingss, user_data/ and the rest are carried.
        // With the old local key kept, an existing map stays valid and is carried too.
        QSet<QString> owned;
        for (const QString &suffix : {QStringLiteral("s"), QStringLiteral("0"), QStringLiteral("1")}) {
            owned << QStringLiteral("key_") + keyName + suffix;
            for (std::size_t i = 0; i < auths.size(); ++i) {
                const QString part = filePart(dataName(keyName, static_cast<int>(i)));
                owned << part + suffix;
                if (!keptKey)
                    owned << part + QStringLiteral("/map") + suffix;
            }
        }
        if (auto st = out.carry(existing, [&owned](const QString &rel) { return owned.contains(rel); }); !st)
            return st;
        if (auto st = out.writeFile(QStringLiteral("key_%1s").arg(keyName), buildTdf(buildKeyData(kd), version)); !st)
            return st;
        for (std::size_t i = 0; i < auths.size(); ++i) {
            const QString part = filePart(dataName(keyName, static_cast<int>(i)));
            QByteArray mtp = buildMtpAuthorization(auths[i]);
            Wiper mw{mtp};
            if (auto st = out.writeFile(part + QLatin1Char('s'), buildTdf(encryptedFileData(mtp, localKey), version)); !st)
                return st;
            // An empty map file: Telegram Desktop ignores an account without one.
            if (keptKey && QFileInfo::exists(out.filePath(part + QStringLiteral("/maps"))))
                continue; // the carried map is encrypted with the kept local key
            ByteWriter map;
            writeQByteArray(map, QByteArray());
            writeQByteArray(map, QByteArray());
            writeQByteArray(map, crypto::tdataEncryptLocal(QByteArray(), localKey));
            if (auto st = out.writeFile(part + QStringLiteral("/maps"), buildTdf(map.data(), version)); !st)
                return st;
        }
        return out.commit();
    }

private:
    // The version the written files claim (docs/formats.md 9.2): the one asked for; else, when
    // the target already is a tdata folder, the version of its key file (a folder edited in place
    // keeps its stamp); else one that current distribution builds of Telegram Desktop accept.
    static qint32 writeVersion(const QString &existing, const QString &keyName, const WriteOptions &options)
    {
        if (options.tdesktopVersion)
            return *options.tdesktopVersion;
        const QDir dir(existing);
        auto current = readTdfFile(dir, QStringLiteral("key_") + keyName, true);
        if (current && current->version >= kOldestWriteVersion)
            return current->version;
        return kDefaultWriteVersion;
    }

    static Result<MtpAuthorization> authFromSession(const Session &s, int index)
    {
        MtpAuthorization a;
        // Telegram Desktop reads user id 0 as "logged out": never write it, ask for the owner.
        if (!s.userId || *s.userId <= 0)
            return Error::usage(QStringLiteral("tdata needs the account's user id (--user-id N), which the source does not carry%1")
                                    .arg(index > 0 ? QStringLiteral(" (account %1)").arg(index) : QString()));
        a.userId = *s.userId;
        a.mainDcId = s.dcId;
        if (a.mainDcId <= 0 && s.primary())
            a.mainDcId = s.primary()->dcId;
        if (a.mainDcId <= 0)
            return Error::badInput(QStringLiteral("account %1 has no DC id").arg(index));
        // One permanent key per DC; a non-media entry wins over a media-only one.
        QMap<int, const DcAuth *> byDc;
        for (const DcAuth &d : s.dcs) {
            if (d.isTemp || d.dcId <= 0 || d.authKey.size() != 256 || d.authKey.isAllZero())
                continue;
            auto it = byDc.find(d.dcId);
            if (it == byDc.end() || ((*it)->mediaOnly && !d.mediaOnly))
                byDc[d.dcId] = &d;
        }
        if (!byDc.contains(a.mainDcId))
            return Error::badInput(QStringLiteral("account %1 has no auth key for its main DC %2").arg(index).arg(a.mainDcId));
        // The main DC first (as Telegram Desktop lists it), then the others in DC order.
        a.keys.push_back(DcKey{a.mainDcId, byDc.value(a.mainDcId)->authKey});
        for (auto it = byDc.cbegin(); it != byDc.cend(); ++it)
            if (it.key() != a.mainDcId)
                a.keys.push_back(DcKey{it.key(), (*it)->authKey});
        const QVariantList destroy = s.extra.value(kKeysToDestroy).toList();
        for (const QVariant &v : destroy) {
            const QVariantMap m = v.toMap();
            QByteArray key = m.value(QStringLiteral("auth_key")).toByteArray();
            const int dc = m.value(QStringLiteral("dc_id")).toInt();
            if (key.size() == 256 && dc > 0)
                a.keysToDestroy.push_back(DcKey{dc, SecretBytes::fromByteArray(key)});
            wipe(key);
        }
        return a;
    }
};

} // namespace

std::unique_ptr<Format> make_tdata()
{
    return std::make_unique<TdataFormat>();
}

} // namespace sd
