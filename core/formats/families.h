#pragma once
// Every format has one factory, defined in core/formats/<family>/<format-id>.cpp (reader, writer
// and detection of that format live beside it). registerall.cpp lists them.
#include "format/format.h"

#include <memory>
#include <vector>

namespace sd {
using FormatList = std::vector<std::unique_ptr<Format>>;
void registerAllFormats(FormatList &out);

std::unique_ptr<Format> make_ferogram_binary();   // ferogram-binary
std::unique_ptr<Format> make_ferogram_string();   // ferogram-string
std::unique_ptr<Format> make_ferogram_sqlite();   // ferogram-sqlite
std::unique_ptr<Format> make_gogram_string();   // gogram-string
std::unique_ptr<Format> make_gogram_file();   // gogram-file
std::unique_ptr<Format> make_gogram_cache();   // gogram-cache
std::unique_ptr<Format> make_gotd_json();   // gotd-json
std::unique_ptr<Format> make_gotd_bbolt();   // gotd-bbolt
std::unique_ptr<Format> make_gramjs_string();   // gramjs-string
std::unique_ptr<Format> make_gramjs_store();   // gramjs-store
std::unique_ptr<Format> make_mtcute_string();   // mtcute-string
std::unique_ptr<Format> make_mtcute_sqlite();   // mtcute-sqlite
std::unique_ptr<Format> make_mtgo_sqlite();   // mtgo-sqlite
std::unique_ptr<Format> make_mtgo_postgres(); // mtgo-postgres
std::unique_ptr<Format> make_mtgo_gorm();     // mtgo-gorm
std::unique_ptr<Format> make_mtgo_redis();    // mtgo-redis
std::unique_ptr<Format> make_mtkruto_string();   // mtkruto-string
std::unique_ptr<Format> make_pyrogram_sqlite();   // pyrogram-sqlite
std::unique_ptr<Format> make_pyrogram_string();   // pyrogram-string
std::unique_ptr<Format> make_sessiondesk_json();   // sessiondesk-json
std::unique_ptr<Format> make_sessiondesk_bundle();   // sessiondesk-bundle
std::unique_ptr<Format> make_tdata();   // tdata
std::unique_ptr<Format> make_telethon_sqlite();   // telethon-sqlite
std::unique_ptr<Format> make_telethon2_sqlite();   // telethon2-sqlite
std::unique_ptr<Format> make_telethon_string();   // telethon-string
} // namespace sd
