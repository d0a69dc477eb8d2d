#pragma once
// Detection of a server URL source: parses the URL, connects (so that an unreachable server, a
// refused login or a password in the URL fail here with their exit codes) and, for PostgreSQL,
// fills the probe's schema with the tables of the database.
#include "format/probe.h"
#include "server/serverurl.h"

namespace sd::server {

Status probeServer(Probe &probe);

} // namespace sd::server
