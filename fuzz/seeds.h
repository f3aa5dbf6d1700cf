// Seed inputs of each fuzz target, made in memory from what the tests use (the small campus, a
// tiny store's segment and chunk bytes, a review file, the default wall layout, remote-write
// bodies built as in tests/ingest_bodies.h, ...), plus the files of fuzz/corpus/<target>/
// (regression inputs of past findings, kept in git).
#pragma once

#include <string>
#include <vector>

namespace fuzz {

struct Target {
    const char* name;
    int (*run)(const unsigned char*, std::size_t);
};

// Every target, in a fixed order (the names are the fuzz_<name>.cpp files).
const std::vector<Target>& targets();

std::vector<std::string> seedsFor(const std::string& target);

} // namespace fuzz
