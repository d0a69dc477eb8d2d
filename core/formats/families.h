#pragma once
// Each format family registers its formats here. One folder per family under core/formats/.
#include "format/format.h"

#include <memory>
#include <vector>

namespace sd {
using FormatList = std::vector<std::unique_ptr<Format>>;
void registerTelethonFormats(FormatList &out);   // telethon-sqlite, telethon2-sqlite, telethon-string
void registerPyrogramFormats(FormatList &out);   // pyrogram-sqlite, pyrogram-string
void registerGramjsFormats(FormatList &out);     // gramjs-string, gramjs-store
void registerMtcuteFormats(FormatList &out);     // mtcute-string, mtcute-sqlite
void registerMtkrutoFormats(FormatList &out);    // mtkruto-string
void registerGotdFormats(FormatList &out);       // gotd-json, gotd-bbolt
void registerGogramFormats(FormatList &out);     // gogram-string, gogram-file, gogram-cache
void registerMtgoFormats(FormatList &out);       // mtgo-sqlite
void registerFerogramFormats(FormatList &out);   // ferogram-binary, ferogram-string, ferogram-sqlite
void registerTdataFormats(FormatList &out);      // tdata
void registerSessiondeskFormats(FormatList &out); // sessiondesk-json
} // namespace sd
