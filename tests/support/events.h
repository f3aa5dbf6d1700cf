// Events added to a store as another program could add them (docs/store.md).
#pragma once

#include "twin/store.h"

#include <optional>
#include <string>

namespace testsupport {

// Adds one event from `start + from` (to `start + to`, none: instantaneous or still open);
// returns its id.
std::int64_t addEvent(twin::StoreWriter& w, twin::TimeMs start, twin::TimeMs from, std::optional<twin::TimeMs> to,
                      twin::Severity severity, std::string asset, std::string kind, std::string text);

} // namespace testsupport
