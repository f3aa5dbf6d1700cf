// How an event's severity looks, the same in the timeline and the event list.
#pragma once

#include "twin/store.h"

#include <QColor>

namespace views {

// info grey, warning amber, alarm red, critical magenta
QColor severityColour(twin::Severity s);

} // namespace views
