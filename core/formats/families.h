#pragma once
// Every format has one factory, defined in core/formats/<family>/<format-id>.cpp (reader, writer
// and detection of that format live beside it) and named once, on its own line, in
// registerall.cpp. Adding a format touches its family's folder and that line.
#include "format/format.h"

#include <memory>
#include <vector>

namespace sd {
using FormatList = std::vector<std::unique_ptr<Format>>;
// Every format, in the order `formats` lists them and detection breaks ties.
void registerAllFormats(FormatList &out);
} // namespace sd
