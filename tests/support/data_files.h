// The source tree's data files (TEST_DATA_DIR: campus files in sites/, scenarios/).
#pragma once

#include <string>

namespace testsupport {

// A campus file of data/sites ("small.json": the 472-GPU test campus; "colossus.json").
std::string siteFile(const std::string& name);

// Qt Test data rows "small" and "colossus", column `column` (a QString): the two campus files.
void addCampusFileRows(const char* column);

} // namespace testsupport
