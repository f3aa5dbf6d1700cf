// The words for the state codes of the "source" and "job" series (twin::sim::SourceState and
// JobState in twin/sim/simulator.h), in one place so the inspector, the one-line diagram and the
// jobs table agree.
#pragma once

#include "twin/campus.h"

#include <QString>

#include <optional>

namespace views {

// "offline", "starting", "synchronising", "online", "tripped", "faulted"; nullopt for a code the
// simulator does not write.
std::optional<QString> sourceStateWord(int code);
// The same for one asset: a running turbine is "running" (a solar array, a grid tie or a
// Megapack block is "online").
std::optional<QString> sourceStateWord(int code, twin::AssetKind kind);
// "queued", "ramping", "training", "checkpointing", "stalled", "crashed"; nullopt otherwise.
std::optional<QString> jobStateWord(int code);

} // namespace views
