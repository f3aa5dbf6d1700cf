// What the campus loader and the scenario loader share: reading a text file with a clear
// error, and a JSON syntax error as "line L, column C: syntax error: why".
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace twin {

// Throws twin::Error(path, ...) for a missing, unreadable or directory path.
std::string readTextFile(const std::string& path);

std::string jsonSyntaxMessage(std::string_view text, const nlohmann::json::parse_error& e);

} // namespace twin
