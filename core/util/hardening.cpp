#include "hardening.h"

#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace sd {

namespace {
std::mutex g_mutex;
std::map<std::string, SecretBytes> &secrets() // guarded by g_mutex
{
    static std::map<std::string, SecretBytes> s;
    return s;
}
constexpr const char *kSecretVariables[] = {"SESSIONDESK_PASSCODE", "SESSIONDESK_PASSPHRASE"};
} // namespace

void hardenProcess()
{
    // The secrets leave the environment first, then the process becomes non-dumpable: whoever sees
    // /proc/PID/environ turn root-owned (the visible sign of PR_SET_DUMPABLE 0) can rely on the
    // secrets being gone already. In the other order there was a window, between the two steps,
    // where the file was root-owned but still held the passcode (seen once under ASan and load).
    {
        const std::lock_guard<std::mutex> lock(g_mutex);
        for (const char *name : kSecretVariables) {
            char *value = std::getenv(name);
            if (!value)
                continue;
            const size_t n = std::strlen(value);
            secrets()[name] = SecretBytes(value, n);
            // The bytes of the initial environment stay in /proc/PID/environ after unsetenv().
            OPENSSL_cleanse(value, n);
            ::unsetenv(name);
        }
    }
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const rlimit none {0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    ::umask(077);
}

std::optional<SecretBytes> environmentSecret(const char *name)
{
    const std::lock_guard<std::mutex> lock(g_mutex);
    const auto it = secrets().find(name);
    if (it == secrets().end())
        return std::nullopt;
    return it->second;
}

} // namespace sd
