#include "support/events.h"

#include <utility>

namespace testsupport {

std::int64_t addEvent(twin::StoreWriter& w, twin::TimeMs start, twin::TimeMs from, std::optional<twin::TimeMs> to,
                      twin::Severity severity, std::string asset, std::string kind, std::string text) {
    twin::Event e;
    e.start = start + from;
    e.end = to ? std::optional<twin::TimeMs>(start + *to) : std::nullopt;
    e.severity = severity;
    e.asset = std::move(asset);
    e.kind = std::move(kind);
    e.text = std::move(text);
    return w.addEvent(e);
}

} // namespace testsupport
