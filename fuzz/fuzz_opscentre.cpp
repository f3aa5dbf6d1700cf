// Fuzz target: the operations centre's messages (docs/opscentre.md), fed to a follower whose
// replica was made from a real campus message. Each input goes in twice: as a message on the
// subject as it came (the part header, the parts' continuity and the CRC must refuse it), and as
// a body cut into well-formed parts (so the change-set decoder and the replica's checks see
// hostile bytes past the CRC). The documented outcome of bad bytes is a rejection, counted; a
// rejected message must leave the replica's position as it was. The input is also read as a
// snapshot's description from the object store (twin/opscentre/snapshot.h): WireError or a
// description whose numbers add up.
#include "fuzz_support.h"

#include "twin/opscentre/follower.h"
#include "twin/opscentre/snapshot.h"
#include "twin/opscentre/store_tailer.h"
#include "twin/opscentre/wire.h"

#include <cstddef>
#include <cstdint>
#include <memory>

using namespace twin::opscentre;

namespace {

struct Fed {
    std::unique_ptr<Follower> follower;
    std::uint64_t seq = 0;
    Fed() {
        follower = std::make_unique<Follower>(fuzz::scratchDir() + "/replica.twin", "fuzz://");
        StoreTailer tailer(fuzz::shortRunPath());
        for (const auto& p : splitIntoParts(Kind::Campus, 1, encodeChanges(tailer.campus()))) follower->feed(p, ++seq);
        if (!follower->replica().exists()) __builtin_trap();
    }
    void feed(std::span<const std::uint8_t> payload) {
        const std::uint64_t before = follower->replica().streamSeq();
        if (follower->feed(payload, ++seq) == Follower::Fed::Rejected && follower->replica().streamSeq() != before)
            __builtin_trap();
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static Fed fed;
    const std::span<const std::uint8_t> in(data, size);
    fed.feed(in);
    for (const auto& part : splitIntoParts(Kind::Commit, fed.seq, in, 4096)) fed.feed(part);
    try {
        const SnapshotMeta m = decodeObjectMeta(in);
        if (m.chunkSize == 0 || m.chunks != (m.size + m.chunkSize - 1) / m.chunkSize || m.nuid.empty()) __builtin_trap();
    } catch (const WireError&) {
    }
    return 0;
}
