// Every recorded channel of the selection (an asset, a GPU or a job) as a chart can fetch it:
// the dense series that hold it and the scalar signals of its id. Used by the strip charts'
// "Add a signal of the selected asset" menu and the "Selected asset" chart.
#pragma once

#include "electrical/strip_chart.h"

#include "twin/session/session.h"

#include <QString>

#include <vector>

namespace views {

struct AssetChannel {
    QString label;            // "GT-01 power"
    QString quantity;         // "power"
    QString unit;             // "MW"
    StripChart::Fetch fetch;
};

// Skips state codes (unit "code"): they are not a curve.
std::vector<AssetChannel> assetChannels(twin::Session& session, const twin::Selection& selection);

} // namespace views
