// Fuzz target: wall layout files (wall::fromJson; QtCore only, no QApplication). A layout that
// reads and validates must survive writing and reading back unchanged.
#include "wall/wall_layout.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QString error;
    const auto layout = wall::fromJson(QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)), &error);
    if (!layout) return 0;
    if (!wall::validate(*layout).isEmpty()) return 0;
    for (int screens = 1; screens <= 3; ++screens)
        for (const auto& panels : wall::assignToScreens(*layout, screens)) {
            const QSize grid = wall::gridOf(panels);
            for (const auto& p : panels) (void)wall::cellRect(QRect(0, 0, 1920, 1080), grid, p, 4);
        }
    QString again;
    const auto back = wall::fromJson(wall::toJson(*layout), &again);
    if (!back || !(*back == *layout)) __builtin_trap();   // a valid layout did not survive a round trip
    return 0;
}
