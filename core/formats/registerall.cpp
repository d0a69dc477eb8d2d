#include "formats/families.h"

namespace sd {

void registerAllFormats(FormatList &out)
{
    out.push_back(make_ferogram_binary());
    out.push_back(make_ferogram_string());
    out.push_back(make_ferogram_sqlite());
    out.push_back(make_gogram_string());
    out.push_back(make_gogram_file());
    out.push_back(make_gogram_cache());
    out.push_back(make_gotd_json());
    out.push_back(make_gotd_bbolt());
    out.push_back(make_gramjs_string());
    out.push_back(make_gramjs_store());
    out.push_back(make_mtcute_string());
    out.push_back(make_mtcute_sqlite());
    out.push_back(make_mtgo_sqlite());
    out.push_back(make_mtgo_postgres());
    out.push_back(make_mtgo_gorm());
    out.push_back(make_mtgo_redis());
    out.push_back(make_mtkruto_string());
    out.push_back(make_pyrogram_sqlite());
    out.push_back(make_pyrogram_string());
    out.push_back(make_sessiondesk_json());
    out.push_back(make_sessiondesk_bundle());
    out.push_back(make_tdata());
    out.push_back(make_telethon_sqlite());
    out.push_back(make_telethon2_sqlite());
    out.push_back(make_telethon_string());
}

} // namespace sd
