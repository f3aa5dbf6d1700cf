#include "support/recordings.h"

#include "support/data_files.h"

#include "twin/campus_file.h"

namespace testsupport {

twin::sim::Summary recordScenario(
    const std::string& campusFile, const twin::sim::Params& params, double seconds, const std::string& out,
    const std::function<void(twin::StoreWriter&, const twin::Campus&, const twin::sim::Params&)>& beforeClose) {
    const twin::Campus campus = twin::loadCampusFile(siteFile(campusFile));
    twin::WriterOptions o;
    o.overwrite = true;
    auto w = twin::StoreWriter::create(out, campus, o);
    twin::sim::Simulator s(campus, params);
    s.attach(*w);
    s.run(seconds);
    if (beforeClose) beforeClose(*w, campus, params);
    w->close();
    return s.summary();
}

} // namespace testsupport
