#include "common/state_words.h"

#include "twin/sim/simulator.h"

#include <array>

namespace views {

namespace {

using twin::sim::JobState;
using twin::sim::SourceState;

// Indexed by the codes: the words follow the enums' order.
static_assert(static_cast<int>(SourceState::Offline) == 0 && static_cast<int>(SourceState::Online) == 3 &&
              static_cast<int>(SourceState::Faulted) == 5);
static_assert(static_cast<int>(JobState::Queued) == 0 && static_cast<int>(JobState::Crashed) == 5);

constexpr std::array<const char*, 6> kSourceWords = {"offline", "starting", "synchronising", "online", "tripped", "faulted"};
constexpr std::array<const char*, 6> kJobWords = {"queued", "ramping", "training", "checkpointing", "stalled", "crashed"};

template <std::size_t N>
std::optional<QString> wordOf(const std::array<const char*, N>& words, int code) {
    if (code < 0 || code >= static_cast<int>(N)) return std::nullopt;
    return QString(words[static_cast<std::size_t>(code)]);
}

} // namespace

std::optional<QString> sourceStateWord(int code) { return wordOf(kSourceWords, code); }

std::optional<QString> sourceStateWord(int code, twin::AssetKind kind) {
    if (code == static_cast<int>(SourceState::Online) && kind == twin::AssetKind::Turbine) return QString("running");
    return sourceStateWord(code);
}

std::optional<QString> jobStateWord(int code) { return wordOf(kJobWords, code); }

} // namespace views
