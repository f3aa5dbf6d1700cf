#include "support/recordings.h"

#include "support/data_files.h"

#include "twin/campus_file.h"

#include <QtGlobal>

#include <filesystem>

namespace testsupport {

twin::sim::Summary recordScenario(
    const std::string& campusFile, const twin::sim::Params& params, double seconds, const std::string& out,
    const std::function<void(twin::StoreWriter&, const twin::Campus&, const twin::sim::Params&)>& beforeClose) {
    return recordScenario(twin::loadCampusFile(siteFile(campusFile)), params, seconds, out, beforeClose);
}

twin::sim::Summary recordScenario(
    const twin::Campus& campus, const twin::sim::Params& params, double seconds, const std::string& out,
    const std::function<void(twin::StoreWriter&, const twin::Campus&, const twin::sim::Params&)>& beforeClose) {
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

std::string sharedRecording(const std::string& name) {
    const std::string path = std::string(TEST_RECORDINGS_DIR) + "/" + name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        qFatal("%s: no such recording. The ctest fixture small_recordings makes the shared recordings (ctest runs "
               "it before any test that needs them), or by hand: twin-test-recordings %s",
               path.c_str(), TEST_RECORDINGS_DIR);
    return path;
}

bool copyRecording(const std::string& name, const std::string& to) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::copy_file(sharedRecording(name), to, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add, ec);
    if (ec) qWarning("cannot copy %s to %s: %s", name.c_str(), to.c_str(), ec.message().c_str());
    return !ec;
}

} // namespace testsupport
