// Which events are active at a time: those an operator still has to see (the wall's alarms).
#pragma once

#include "twin/store.h"

#include <vector>

namespace twin::query {

// Events of severity `atLeast` or above that started at or before t and have not ended by it: an
// event without an end counts as still active. Most severe first, then newest (start
// descending), then id descending; every one of them (no limit). One indexed query, so its cost
// does not grow with the events before t. Needs a reader from StoreReader::open (twin::Error
// otherwise).
std::vector<Event> activeEventsAt(StoreReader& reader, TimeMs t, Severity atLeast);

} // namespace twin::query
