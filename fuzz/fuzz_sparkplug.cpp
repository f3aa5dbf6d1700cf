// Fuzz target: Sparkplug B payloads (sparkplug::decode returns false on bad bytes; no exception is
// documented) and topics. A decoded payload must encode and decode back to as many metrics.
#include "twin/ingest/sparkplug_payload.h"

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sp = twin::ingest::sparkplug;

namespace {
// Without NDEBUG (the fuzz build), protobuf's proto2 code logs every string field that is not
// UTF-8: millions of lines from a fuzzer (a 4 GB log in one run). What decode returns is checked.
const bool kProtobufQuiet = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
}();
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (const auto topic = sp::parseTopic(bytes)) (void)sp::topicText(*topic);
    sp::Payload p;
    if (!sp::decode(bytes, p, 10'000)) return 0;
    for (const sp::Metric& m : p.metrics) (void)sp::numberOf(m, m.datatype.value_or(10));
    sp::Payload back;
    if (!sp::decode(sp::encode(p), back, 10'000) || back.metrics.size() != p.metrics.size()) __builtin_trap();
    return 0;
}
