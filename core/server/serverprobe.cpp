#include "server/serverprobe.h"

#include "server/pgconnection.h"
#include "server/redisconnection.h"

namespace sd::server {

Status probeServer(Probe &probe)
{
    auto url = parseServerUrl(probe.path);
    if (!url)
        return url.error();
    probe.serverScheme = url->schemeName();
    if (url->scheme == Scheme::Redis) {
        auto c = RedisConnection::open(*url);
        if (!c)
            return c.error();
        return {};
    }
    auto db = openPostgres(*url);
    if (!db)
        return db.error();
    auto schema = pgSchema(*db);
    if (!schema)
        return schema.error();
    probe.schema = *schema;
    return {};
}

} // namespace sd::server
