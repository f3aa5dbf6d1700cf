// Where the selection is on the campus, to frame it in the 3D view (View ▸ Frame selection, F):
// an asset's box; for one without a place of its own (a site, a row, a bus drawn only in the
// one-line diagram), the boxes of what it contains, else of what it is wired to; a GPU's rack;
// a job's racks.
#pragma once

#include "twin/campus.h"
#include "twin/session/session.h"
#include "twin/store.h"

#include <osg/BoundingBox>

#include <optional>
#include <vector>

namespace views {

std::optional<osg::BoundingBox> selectionBounds(const twin::Campus& campus, const twin::Selection& selection,
                                                const std::vector<twin::Job>& jobs);

} // namespace views
