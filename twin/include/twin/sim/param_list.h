// The parameter table behind setParam(), for listings (colossus-sim --list-params).
#pragma once

#include "twin/sim/simulator.h"

#include <string>
#include <vector>

namespace twin::sim {

struct ParamInfo {
    std::string key;     // the member name, as --set and scenario files spell it
    std::string type;    // "number", "bool", "integer", "text" or "time"
    std::string value;   // the value in `p`, as setParam() would read it back
};

// Every parameter of Params, in declaration order, with its value in `p`.
std::vector<ParamInfo> listParams(const Params& p);

} // namespace twin::sim
