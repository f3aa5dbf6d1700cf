// Deterministic randomness: the same seed gives the same numbers on every machine and library
// (std:: distributions are implementation-defined, so they are not used).
#pragma once

#include <cstdint>

namespace twin::sim {

inline std::uint64_t mix(std::uint64_t x) {   // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Uniform in [0, 1) from a key.
inline double unitRandom(std::uint64_t key) { return static_cast<double>(mix(key) >> 11) * 0x1.0p-53; }

class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(mix(seed)) {}
    std::uint64_t next() { return mix(s_++); }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    std::uint64_t s_;
};

} // namespace twin::sim
