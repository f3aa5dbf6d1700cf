// Where the programs find their data: the campus files (sites/), the scenario files
// (scenarios/) and any other assets, in the build tree and once installed alike.
#pragma once

#include <string>
#include <vector>

namespace twin {

// The places looked at, in order:
//   1. $COLOSSUS_TWIN_DATA_DIR, when set (taken as given);
//   2. <the program's folder>/../share/colossus-twin (an installed or unpacked package),
//      when it has a sites/ folder;
//   3. the source tree's data/ (the build tree), when it has a sites/ folder.
// None depends on the current directory.
std::vector<std::string> dataDirCandidates();

// The first usable place of dataDirCandidates(); empty when there is none.
std::string dataDir();

// The path of a data file given on the command line as a path or as a bare name:
//   - an existing file is itself (a path that is also a name wins as a path);
//   - a bare NAME (no '/') is <dataDir()>/<subdir>/NAME.json, or <dataDir()>/<subdir>/NAME
//     when NAME already ends in .json;
//   - anything else with a '/' is returned unchanged (its loader says the file is missing).
// Throws twin::Error (file: the name) when a bare name is not found, saying which folder was
// searched and what names it has.
std::string resolveDataFile(const std::string& nameOrPath, const std::string& subdir);

// The names (file names less .json) of the *.json files in <dataDir()>/<subdir>, sorted.
std::vector<std::string> dataFileNames(const std::string& subdir);

} // namespace twin
