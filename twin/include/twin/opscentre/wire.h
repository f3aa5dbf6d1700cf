// The opscentre's messages on the bus (docs/opscentre.md, "Messages"): a body (a change set,
// changes.h) is cut into parts that each fit under the server's payload limit; every part starts
// with a fixed header — magic, version, kind, commit sequence, part i of n, the body's size and
// CRC-32 — so that a follower puts a commit back together, checks it whole and applies it at once.
#pragma once

#include "twin/opscentre/changes.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace twin::opscentre {

constexpr std::uint8_t kWireVersion = 2;   // 2: the asset rows carry commissioned_ms
constexpr std::size_t kPartHeaderSize = 36;
// The NATS server's default max_payload (1 MiB), less room for the message's own framing.
constexpr std::size_t kDefaultMaxPayload = (1u << 20) - 4096;

enum class Kind : std::uint8_t {
    Campus = 1,   // the campus and the whole catalogue: a newcomer starts from it
    Commit = 2,   // what one commit (or one read of the store) added
};

struct PartHeader {
    Kind kind = Kind::Commit;
    std::uint64_t seq = 0;         // the publisher's message number, from 1
    std::uint32_t part = 0, parts = 1;
    std::uint64_t bodySize = 0;
    std::uint32_t bodyCrc = 0;
};

std::uint32_t crc32(std::span<const std::uint8_t> bytes);

// The parts of one body, each at most maxPayload bytes (header included).
std::vector<std::vector<std::uint8_t>> splitIntoParts(Kind kind, std::uint64_t seq, std::span<const std::uint8_t> body,
                                                      std::size_t maxPayload = kDefaultMaxPayload);
// Throws WireError: not ours (magic), another version, an unknown kind, inconsistent numbers.
PartHeader decodePartHeader(std::span<const std::uint8_t> payload);

struct Assembled {
    Kind kind = Kind::Commit;
    std::uint64_t seq = 0;
    std::vector<std::uint8_t> body;
};

// Puts parts back together. Parts of a commit arrive one after another (one publisher, one
// stream); a part that does not continue the commit in progress drops it (WireError), and a
// part 0 starts a new one.
class Reassembler {
public:
    // The whole body when `payload` was its last part; nullopt while parts are missing.
    // Throws WireError for a bad part or a body whose size or CRC does not match.
    std::optional<Assembled> add(std::span<const std::uint8_t> payload);
    bool inProgress() const { return partial_.has_value(); }
    void reset() { partial_.reset(); }

private:
    struct Partial {
        PartHeader header;
        std::uint32_t next = 0;
        std::vector<std::uint8_t> body;
    };
    std::optional<Partial> partial_;
};

} // namespace twin::opscentre
