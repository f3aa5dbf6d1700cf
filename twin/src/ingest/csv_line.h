// CSV lines as the ingest's files have them (the inventory, the plant map): commas separate, a
// field may be "double-quoted" ("" is a quote inside one), blanks around fields are dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twin::ingest::csv {

std::string_view trim(std::string_view s);
// Returns false on an unterminated quote.
bool split(std::string_view line, std::vector<std::string>& out);
// The field quoted when it holds a comma or a quote.
std::string quote(const std::string& s);

} // namespace twin::ingest::csv
