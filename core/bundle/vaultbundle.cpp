#include "vaultbundle.h"

#include "format/registry.h"
#include "io/atomicfile.h"

#include <QFile>
#include <QFileInfo>

namespace sd::bundle {

Result<Store> loadVaultAccounts(Vault &vault, const QStringList &ids)
{
    std::vector<Store> stores;
    for (const QString &id : ids) {
        auto st = vault.load(id);
        if (!st)
            return st.error();
        stores.push_back(std::move(*st));
    }
    return mergeStores(std::move(stores));
}

Status writeBundle(const Store &store, const age::EncryptOptions &options, const QString &path, bool force)
{
    if (store.accounts.empty())
        return Error::badInput(QStringLiteral("no account to bundle"));
    auto sealed = seal(store, options);
    if (!sealed)
        return sealed.error();
    return writeFileAtomic(path, *sealed, force);
}

Result<Store> openBundle(const QString &path, std::shared_ptr<age::KeySource> keys)
{
    const Format *f = Registry::instance().find(QStringLiteral("sessiondesk-bundle"));
    ReadOptions ro;
    ro.bundleKeys = std::move(keys);
    return f->read(Source::fromPath(path), ro);
}

Result<std::vector<VaultImportItem>> importVerified(Vault &vault, const Store &store, const VaultImportOptions &options)
{
    auto items = vault.importStore(store, options);
    if (!items)
        return items.error();
    for (const VaultImportItem &it : *items) {
        // An added account, or the one already there with the same auth_key_id: either way the
        // vault's copy must hold every key of the source.
        const QString held = it.id.isEmpty() ? it.duplicateOf : it.id;
        if (held.isEmpty())
            continue;
        auto back = vault.loadSession(held);
        if (!back)
            return Error::secret(QStringLiteral("the vault copy of account %1 cannot be read back: %2").arg(it.index).arg(back.error().message));
        const Session &src = store.accounts.at(static_cast<size_t>(it.index));
        for (const DcAuth &d : src.dcs) {
            if (d.authKey.isEmpty())
                continue;
            bool found = false;
            for (const DcAuth &b : back->dcs)
                found = found || (b.dcId == d.dcId && b.isTemp == d.isTemp && b.mediaOnly == d.mediaOnly && b.authKey == d.authKey);
            if (!found)
                return Error::secret(QStringLiteral("the vault copy of account %1 differs from the source (DC %2 key)").arg(it.index).arg(d.dcId));
        }
    }
    return items;
}

Status removePlaintextSource(const QString &path)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return Error::output(QStringLiteral("%1 no longer exists").arg(path));
    if (fi.isDir() || fi.isSymLink() || !fi.isFile())
        return Error::output(QStringLiteral("%1 is not a regular file; remove it yourself").arg(path));
    if (!QFile::remove(path))
        return Error::output(QStringLiteral("cannot remove %1").arg(path));
    for (const char *side : {"-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(side));
    return {};
}

} // namespace sd::bundle
