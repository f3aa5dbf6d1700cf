#include "support/data_files.h"

#include <QtTest>

namespace testsupport {

std::string siteFile(const std::string& name) { return std::string(TEST_DATA_DIR) + "/sites/" + name; }

void addCampusFileRows(const char* column) {
    QTest::addColumn<QString>(column);
    QTest::newRow("small") << "small.json";
    QTest::newRow("colossus") << "colossus.json";
}

} // namespace testsupport
