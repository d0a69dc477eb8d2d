#pragma once
// Process hygiene (docs/security.md, "Reading and process"), called first thing in both mains:
//  * prctl(PR_SET_DUMPABLE, 0): no core dump, no ptrace by other processes of the same user, and
//    /proc/PID (environ, mem, maps) belongs to root;
//  * RLIMIT_CORE 0 in every build type;
//  * umask(077): nothing SessionDesk creates is ever readable by others, even for an instant;
//  * the secrets the environment may carry (SESSIONDESK_PASSCODE, SESSIONDESK_PASSPHRASE) are
//    taken out of it: their bytes are overwritten in place and the variables unset, so children
//    never inherit them and /proc/PID/environ no longer shows them. environmentSecret() hands
//    out the value that was there.
#include "domain/secretbytes.h"

#include <optional>

namespace sd {

void hardenProcess();

// The value name had when hardenProcess() ran, if it was set (even to an empty string).
std::optional<SecretBytes> environmentSecret(const char *name);

} // namespace sd
