// Reading a parametric campus file (data/sites/*.json) and expanding it into a Campus.
// The format is documented in docs/campus.md.
#pragma once

#include "twin/campus.h"

#include <string>
#include <string_view>

namespace twin {

// Throws twin::Error naming the file and the problem (syntax errors with line and column;
// impossible values with the JSON path of the offending field).
Campus loadCampusFile(const std::string& path);

// The same for text already in memory; `fileName` is used in error messages.
Campus parseCampus(std::string_view json, const std::string& fileName);

} // namespace twin
