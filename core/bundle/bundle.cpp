#include "bundle.h"

#include "formats/sessiondesk/sdjsoncodec.h"

#include <QDateTime>
#include <QMutex>

namespace sd::bundle {

Result<std::optional<age::Identity>> findMachineIdentity(SecretStore &store)
{
    auto found = store.find(kMachineIdentityKey);
    if (!found)
        return found.error();
    if (!*found)
        return std::optional<age::Identity>();
    if ((*found)->size() != 32)
        return Error::secret(QStringLiteral("the keychain entry %1 (%2) is not a 32-byte X25519 identity")
                                 .arg(kMachineIdentityKey, store.backendName()));
    return std::optional<age::Identity>(age::Identity{std::move(**found)});
}

Result<age::Identity> machineIdentity(SecretStore &store)
{
    auto existing = findMachineIdentity(store);
    if (!existing)
        return existing.error();
    if (*existing)
        return std::move(**existing);
    age::Identity id = age::Identity::generate();
    if (auto st = store.write(kMachineIdentityKey, id.secret); !st)
        return st.error();
    auto back = findMachineIdentity(store);
    if (!back)
        return back.error();
    if (!*back || (*back)->secret != id.secret)
        return Error::secret(QStringLiteral("the keychain (%1) did not keep this machine's identity").arg(store.backendName()));
    return id;
}

std::function<Result<std::vector<age::Identity>>()> machineIdentityFallback(SecretStore &store)
{
    return [&store]() -> Result<std::vector<age::Identity>> {
        auto id = findMachineIdentity(store);
        if (!id)
            return id.error();
        if (!*id)
            return Error::secret(QStringLiteral("this machine has no identity yet (run 'sessiondesk-cli identity'); "
                                                "give --identity FILE or a passphrase"));
        std::vector<age::Identity> out;
        out.push_back(std::move(**id));
        return out;
    };
}

void Keys::addIdentities(std::vector<age::Identity> ids)
{
    for (age::Identity &i : ids)
        m_ids.push_back(std::move(i));
}

Result<std::vector<age::Identity>> Keys::identities()
{
    if (m_ids.empty()) {
        if (!identityFallback)
            return Error::secret(QStringLiteral("an X25519 bundle needs an identity (--identity FILE)"));
        auto ids = identityFallback();
        if (!ids)
            return ids.error();
        m_ids = std::move(*ids);
    }
    return m_ids;
}

Result<SecretBytes> Keys::passphrase()
{
    if (!m_passphrase) {
        if (!passphraseFallback)
            return Error::secret(QStringLiteral("a passphrase bundle needs a passphrase (--passphrase-file F or SESSIONDESK_PASSPHRASE)"));
        auto p = passphraseFallback();
        if (!p)
            return p.error();
        m_passphrase = std::move(*p);
    }
    return *m_passphrase;
}

namespace {
QMutex g_defaultKeysMutex;
std::function<std::shared_ptr<age::KeySource>()> g_defaultKeys;
} // namespace

void setDefaultKeySource(std::function<std::shared_ptr<age::KeySource>()> factory)
{
    QMutexLocker lock(&g_defaultKeysMutex);
    g_defaultKeys = std::move(factory);
}

std::shared_ptr<age::KeySource> defaultKeySource()
{
    QMutexLocker lock(&g_defaultKeysMutex);
    return g_defaultKeys ? g_defaultKeys() : nullptr;
}

Store mergeStores(std::vector<Store> stores)
{
    Store out;
    for (Store &s : stores) {
        if (out.formatId.isEmpty()) {
            out.formatId = s.formatId;
            out.formatVersion = s.formatVersion;
            out.variant = s.variant;
        }
        for (Session &a : s.accounts)
            out.accounts.push_back(std::move(a));
        out.warnings += s.warnings;
    }
    return out;
}

Result<QByteArray> seal(const Store &store, const age::EncryptOptions &options)
{
    QByteArray doc = encodeSessiondeskJson(store, QDateTime::currentSecsSinceEpoch());
    auto sealed = age::encrypt(doc, options);
    wipe(doc);
    return sealed;
}

} // namespace sd::bundle
