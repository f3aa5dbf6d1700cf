#include "timeline/event_style.h"

namespace views {

QColor severityColour(twin::Severity s) {
    switch (s) {
    case twin::Severity::Info: return QColor(0x9a, 0xa0, 0xa6);
    case twin::Severity::Warning: return QColor(0xf5, 0xa6, 0x23);
    case twin::Severity::Alarm: return QColor(0xe5, 0x39, 0x35);
    case twin::Severity::Critical: return QColor(0xd0, 0x2c, 0xd6);
    }
    return Qt::gray;
}

} // namespace views
