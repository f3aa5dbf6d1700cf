// Checking a store: reads everything in it and reports what is readable and what is damaged
// (`colossus-twin --check`), and salvaging one: a new store with everything readable
// (`colossus-twin --salvage`, through the slice export path). docs/store.md, "Damaged stores".
#pragma once

#include "twin/store.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace twin {

struct StoreCheck {
    enum class Verdict { Clean, Damaged, Refused };
    Verdict verdict = Verdict::Clean;
    std::string path;
    std::string refusal;               // Refused: why the store cannot be opened ("<file>: <problem>")

    std::int64_t series = 0, frames = 0, damagedFrames = 0;
    std::int64_t signalCount = 0, chunks = 0, damagedChunks = 0;
    std::int64_t events = 0, jobs = 0, bookmarks = 0;
    TimeSpan span;
    // The damaged intervals: consecutive unreadable frames of a series merged (no readable frame
    // between them), each damaged chunk, and damage without a frame of its own (an index).
    std::vector<DamagedRange> damage;
    // SQLite's own PRAGMA quick_check, when it finds something ("ok" otherwise is left out).
    std::vector<std::string> sqliteProblems;
};

// Opens `path` read-only and reads every frame, chunk, sample, event and bookmark.
// progress(fraction) may return false to stop (the check then holds what was read).
StoreCheck checkStore(const std::string& path, const std::function<bool(double)>& progress = {});

// The check as an operator reads it: one summary line, then one line per damaged interval.
std::string describeCheck(const StoreCheck& check);

// Writes a new store at outPath with everything of `source` that can be read (every readable
// frame, chunk, sample, event, bookmark; the campus and catalogue as they are), through
// exportSlice over the recording's whole span. Returns the damage found on the way (the
// source's damage()). Throws twin::Error as exportSlice does.
std::vector<DamagedRange> salvageStore(StoreReader& source, const std::string& outPath, bool overwrite = false,
                                       const std::function<bool(double)>& progress = {});

} // namespace twin
