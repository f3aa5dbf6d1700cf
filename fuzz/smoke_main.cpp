// The fuzz smoke driver: every target of fuzz/ without libFuzzer, for the normal (gcc) build and
// ctest. Per target it runs each seed, then deterministic random mutations of the seeds (bit
// flips, interesting values, truncation, insertions, deletions, splices) until its time is up.
// A target's documented rejection is caught inside the target; any other exception, a crash or a
// trap is a finding: the input is written to fuzz-finding-<target>.bin and the run fails.
//
//   fuzz_smoke [--seconds S] [--only NAME]   S per target (default 3)
//   fuzz_smoke --write-seeds DIR             writes DIR/<target>/seed-N (scripts/fuzz)
#include "seeds.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <unistd.h>

namespace {

// The input in flight, for the crash handler.
const char* gTarget = "";
const std::string* gInput = nullptr;

void writeFinding()
{
    if (!gInput) return;
    const std::string name = std::string("fuzz-finding-") + gTarget + ".bin";
    if (std::FILE* f = std::fopen(name.c_str(), "wb")) {
        std::fwrite(gInput->data(), 1, gInput->size(), f);
        std::fclose(f);
    }
    std::fprintf(stderr, "fuzz_smoke: FINDING in %s: input written to %s\n", gTarget, name.c_str());
}

void onSignal(int sig)
{
    writeFinding();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// splitmix64: the same mutations on every run.
struct Rng {
    std::uint64_t s;
    std::uint64_t next()
    {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n ? next() % n : 0; }
};

void mutateOnce(std::string& in, const std::vector<std::string>& seeds, Rng& r)
{
    static const std::uint32_t kInteresting[] = {0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
                                                 0x10000, 0x7fffffff, 0x80000000u, 0xffffffffu};
    const std::size_t n = in.size();
    switch (r.below(9)) {
    case 0:   // flip a bit
        if (n) in[r.below(n)] ^= static_cast<char>(1u << r.below(8));
        break;
    case 1:   // a random byte
        if (n) in[r.below(n)] = static_cast<char>(r.next());
        break;
    case 2: {   // an interesting value, 1, 2 or 4 bytes, little-endian
        if (!n) break;
        const std::uint32_t v = kInteresting[r.below(std::size(kInteresting))];
        const std::size_t w = std::size_t{1} << r.below(3), at = r.below(n);
        for (std::size_t k = 0; k < w && at + k < n; ++k) in[at + k] = static_cast<char>(v >> (8 * k));
        break;
    }
    case 3:   // truncate
        in.resize(r.below(n + 1));
        break;
    case 4: {   // delete a range
        if (!n) break;
        const std::size_t at = r.below(n);
        in.erase(at, 1 + r.below(std::min<std::size_t>(n - at, 64)));
        break;
    }
    case 5: {   // insert random bytes
        std::string add(1 + r.below(16), '\0');
        for (char& c : add) c = static_cast<char>(r.next());
        in.insert(r.below(n + 1), add);
        break;
    }
    case 6: {   // duplicate a range
        if (!n) break;
        const std::size_t at = r.below(n), len = 1 + r.below(std::min<std::size_t>(n - at, 256));
        in.insert(r.below(n + 1), in.substr(at, len));
        break;
    }
    case 7: {   // splice: this input's head, another seed's tail
        const std::string& other = seeds[r.below(seeds.size())];
        in = in.substr(0, r.below(n + 1)) + other.substr(r.below(other.size() + 1));
        break;
    }
    default: {   // a byte of text that parsers care about
        static const char kText[] = "\"\\{}[],:\n\r\t#=*/0-9eE.+ \x00\xff";
        if (n) in[r.below(n)] = kText[r.below(sizeof kText - 1)];
        break;
    }
    }
}

// Runs one input; false (after writing it) on an exception that escaped the target.
bool runOne(const fuzz::Target& t, const std::string& input)
{
    gInput = &input;
    try {
        t.run(reinterpret_cast<const unsigned char*>(input.data()), input.size());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_smoke: %s threw an undocumented exception: %s\n", t.name, e.what());
        writeFinding();
        return false;
    } catch (...) {
        std::fprintf(stderr, "fuzz_smoke: %s threw a non-std exception\n", t.name);
        writeFinding();
        return false;
    }
    gInput = nullptr;
    return true;
}

int writeSeeds(const std::filesystem::path& dir)
{
    for (const auto& t : fuzz::targets()) {
        const auto seeds = fuzz::seedsFor(t.name);
        std::filesystem::create_directories(dir / t.name);
        for (std::size_t i = 0; i < seeds.size(); ++i) {
            std::ofstream out(dir / t.name / ("seed-" + std::to_string(i)), std::ios::binary);
            out.write(seeds[i].data(), static_cast<std::streamsize>(seeds[i].size()));
        }
        std::printf("%-13s %zu seeds\n", t.name, seeds.size());
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    double seconds = 3;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
        else if (a == "--only" && i + 1 < argc) only = argv[++i];
        else if (a == "--write-seeds" && i + 1 < argc) return writeSeeds(argv[++i]);
        else {
            std::fprintf(stderr, "usage: fuzz_smoke [--seconds S] [--only TARGET] | --write-seeds DIR\n");
            return 2;
        }
    }
    for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL})
        std::signal(sig, onSignal);

    int failed = 0;
    for (const auto& t : fuzz::targets()) {
        if (!only.empty() && only != t.name) continue;
        gTarget = t.name;
        const auto seeds = fuzz::seedsFor(t.name);
        if (seeds.empty()) {
            std::fprintf(stderr, "fuzz_smoke: %s has no seeds\n", t.name);
            return 1;
        }
        const auto start = std::chrono::steady_clock::now();
        const auto end = start + std::chrono::duration<double>(seconds);
        bool ok = true;
        for (const auto& s : seeds) ok = ok && runOne(t, s);
        Rng rng{0x5eed0000u + std::hash<std::string>{}(t.name)};
        std::uint64_t runs = seeds.size();
        std::string input;
        while (ok && std::chrono::steady_clock::now() < end) {
            for (int k = 0; k < 64 && ok; ++k, ++runs) {
                input = seeds[rng.below(seeds.size())];
                const std::size_t stack = 1 + rng.below(4);
                for (std::size_t m = 0; m < stack; ++m) mutateOnce(input, seeds, rng);
                if (input.size() > (1u << 20)) input.resize(1u << 20);
                ok = runOne(t, input);
            }
        }
        const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%-13s %9llu inputs in %.1f s  %s\n", t.name, static_cast<unsigned long long>(runs), took,
                    ok ? "no finding" : "FINDING");
        std::fflush(stdout);
        if (!ok) ++failed;
    }
    return failed ? 1 : 0;
}
