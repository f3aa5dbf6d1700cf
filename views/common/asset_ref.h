// What an event's `asset` string names: an asset of the campus, a GPU ("<rack id>/gpu07"), a
// training job (by name), or nothing known (campus-wide events have '').
#pragma once

#include "twin/session/session.h"

#include <QString>

#include <optional>
#include <string>

namespace views {

struct AssetRef {
    twin::Selection selection;   // what selecting it selects (empty: unknown or campus-wide)
    QString kind;                // an AssetKind name, "gpu", "job", or "" (unknown)
    QString name;                // what a reader sees: the asset's name, else the id as given
};

AssetRef resolveAsset(const twin::Session& session, const std::string& id);

// The readable name of what a selection points at ("" when empty).
QString selectionName(const twin::Session& session, const twin::Selection& s);

} // namespace views
