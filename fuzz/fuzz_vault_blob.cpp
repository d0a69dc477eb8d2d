// libFuzzer target for the vault's keychain entry decoder (core/vault/secretblob): the first input
// byte sets how many DC rows the vault lists (DC ids 1..n, empty keys expected), the rest is the
// entry. Whatever the bytes, decoding returns a result or an error (extras hold plain types only, a
// damaged one is an error, never an allocation the size of a claimed length); a decoded entry
// encodes and decodes again to the same keys and the same encoding of its extras.
#include "fuzzcommon.h"

#include "vault/secretblob.h"

namespace sdfuzz::t_vault_blob {

using namespace sd;

inline Session rows(int n)
{
    Session s;
    for (int i = 0; i < n; ++i) {
        DcAuth d;
        d.dcId = i + 1;
        s.dcs.push_back(d);
    }
    return s;
}

inline int run(const uint8_t *data, size_t size)
{
    tempDir();
    if (size < 1)
        return 0;
    const int n = data[0] % 9;
    const SecretBytes blob(data + 1, size - 1);
    Session s = rows(n);
    const QStringList expected(n, QString());
    if (!decodeAccountSecrets(blob, s, expected).ok())
        return 0;
    Session again = rows(n);
    const Status st = decodeAccountSecrets(encodeAccountSecrets(s), again, expected);
    check(st.ok());
    if (!st.ok())
        return 0;
    for (int i = 0; i < n; ++i)
        check(again.dcs[size_t(i)].authKey == s.dcs[size_t(i)].authKey);
    // The extras compare by their encoding: a double in them may be a NaN, which QVariant's ==
    // never finds equal to itself.
    check(encodeAccountSecrets(again) == encodeAccountSecrets(s) && again.apiHash == s.apiHash);
    return 0;
}

} // namespace sdfuzz::t_vault_blob

SD_FUZZ_ENTRY(t_vault_blob)
