#include "formats/families.h"

// One line per format: its factory (defined in the format's own file). The order is the order
// `sessiondesk-cli formats` lists them in and the order detection breaks ties in.
#define SD_FORMATS(X)                                                                                                  \
    X(make_telethon_sqlite)                                                                                            \
    X(make_telethon2_sqlite)                                                                                           \
    X(make_telethon_string)                                                                                            \
    X(make_pyrogram_sqlite)                                                                                            \
    X(make_pyrogram_string)                                                                                            \
    X(make_gramjs_string)                                                                                              \
    X(make_gramjs_store)                                                                                               \
    X(make_mtcute_string)                                                                                              \
    X(make_mtcute_sqlite)                                                                                              \
    X(make_mtkruto_string)                                                                                             \
    X(make_gotd_json)                                                                                                  \
    X(make_gogram_string)                                                                                              \
    X(make_gogram_file)                                                                                                \
    X(make_gogram_cache)                                                                                               \
    X(make_mtgo_sqlite)                                                                                                \
    X(make_mtgo_postgres)                                                                                              \
    X(make_mtgo_gorm)                                                                                                  \
    X(make_mtgo_redis)                                                                                                 \
    X(make_ferogram_binary)                                                                                            \
    X(make_ferogram_string)                                                                                            \
    X(make_ferogram_sqlite)                                                                                            \
    X(make_gotd_bbolt)                                                                                                 \
    X(make_tdata)                                                                                                      \
    X(make_sessiondesk_json)                                                                                           \
    X(make_sessiondesk_bundle)

namespace sd {

#define SD_DECLARE_FORMAT(factory) std::unique_ptr<Format> factory();
SD_FORMATS(SD_DECLARE_FORMAT)
#undef SD_DECLARE_FORMAT

void registerAllFormats(FormatList &out)
{
#define SD_REGISTER_FORMAT(factory) out.push_back(factory());
    SD_FORMATS(SD_REGISTER_FORMAT)
#undef SD_REGISTER_FORMAT
}

} // namespace sd
