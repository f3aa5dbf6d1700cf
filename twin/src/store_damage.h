// What a StoreReader found damaged while reading: frames and key frames of series, chunks of
// signals. Each is recorded once (docs/store.md, "Damaged stores"); reads consult it to skip what
// is known to be unreadable without decoding it again.
#pragma once

#include "twin/store.h"

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace twin {

// Thrown inside the reader when a blob or a row cannot be read; never leaves it.
class Unreadable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class DamageLog {
public:
    bool frameBad(int series, TimeMs t) const { return has(frames_, series, t); }
    bool keyBad(int series, TimeMs keyT) const { return has(keys_, series, keyT); }
    bool chunkBad(int signal, TimeMs t0) const { return has(chunks_, signal, t0); }

    void frame(int series, const std::string& name, TimeMs t, const std::string& problem) {
        if (frames_[series].insert(t).second) ranges_.push_back({DamagedRange::What::Frame, series, 0, name, t, t, problem});
    }
    // A damaged key frame: every frame until `lastDependent` is unreadable with it.
    void key(int series, const std::string& name, TimeMs keyT, TimeMs lastDependent, const std::string& problem) {
        if (keys_[series].insert(keyT).second)
            ranges_.push_back({DamagedRange::What::KeyFrame, series, 0, name, keyT, std::max(keyT, lastDependent), problem});
    }
    void chunk(int signal, const std::string& name, TimeMs t0, TimeMs t1, const std::string& problem) {
        if (chunks_[signal].insert(t0).second) ranges_.push_back({DamagedRange::What::Chunk, 0, signal, name, t0, t1, problem});
    }
    // Damage that has no frame or chunk of its own (an index page, the plain sample rows), once
    // per what and owner.
    void other(DamagedRange::What what, int series, int signal, const std::string& name, TimeMs t0, TimeMs t1,
               const std::string& problem) {
        if (others_.insert(std::to_string(series) + '/' + std::to_string(signal) + '/' + problem).second)
            ranges_.push_back({what, series, signal, name, t0, t1, problem});
    }

    const std::vector<DamagedRange>& ranges() const { return ranges_; }

private:
    static bool has(const std::map<int, std::set<TimeMs>>& m, int owner, TimeMs t) {
        const auto it = m.find(owner);
        return it != m.end() && it->second.count(t) != 0;
    }
    std::map<int, std::set<TimeMs>> frames_, keys_, chunks_;
    std::set<std::string> others_;
    std::vector<DamagedRange> ranges_;
};

} // namespace twin
