// Sparkplug B (Eclipse Sparkplug 3.0) on the wire: topics and payloads, decoded into plain
// structs and encoded from them (the protobuf messages stay inside twin_ingest). The host
// application (sparkplug_host.h) reads them; colossus-sim's emitter and the tests write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twin::ingest::sparkplug {

constexpr std::string_view kNamespace = "spBv1.0";

enum class MessageType { NBirth, NDeath, DBirth, DDeath, NData, DData, NCmd, DCmd, State };
const char* messageTypeName(MessageType t);

// spBv1.0/<group>/<type>/<edge node>[/<device>], or spBv1.0/STATE/<host id>.
struct Topic {
    MessageType type = MessageType::NData;
    std::string group, node, device;   // device: empty for node messages; node: the host id for STATE
};
// nullopt when the topic is not a Sparkplug B one (another namespace, an unknown type, a device
// part on a node message or none on a device message, an empty element).
std::optional<Topic> parseTopic(std::string_view topic);
std::string topicText(const Topic& t);

// Sparkplug DataType codes (tahu's sparkplug_b.proto).
enum class DataType : std::uint32_t {
    Unknown = 0, Int8 = 1, Int16 = 2, Int32 = 3, Int64 = 4, UInt8 = 5, UInt16 = 6, UInt32 = 7, UInt64 = 8,
    Float = 9, Double = 10, Boolean = 11, String = 12, DateTime = 13, Text = 14,
};
// The datatypes that carry a number the twin can record (Int8 ... Boolean).
bool isNumeric(std::uint32_t datatype);

// Which value field a metric carried.
enum class ValueKind : std::uint8_t { None, Int, Long, Float, Double, Boolean, String, Bytes };

struct Metric {
    std::string name;                        // births; data messages usually send only the alias
    std::optional<std::uint64_t> alias;
    std::optional<std::uint64_t> timestamp;  // ms
    std::optional<std::uint32_t> datatype;   // births must send it; data may leave it out
    bool isHistorical = false, isTransient = false, isNull = false;
    ValueKind kind = ValueKind::None;
    std::uint64_t bits = 0;                  // Int / Long / Boolean
    double real = 0;                         // Float / Double
    std::string text;                        // String / Bytes
};

struct Payload {
    std::optional<std::uint64_t> timestamp;
    std::optional<std::uint64_t> seq;
    std::vector<Metric> metrics;
};

// The number a metric of `datatype` carries, in double precision. Errors (returned as text, the
// value unset): a datatype that is not a number, a value field that does not fit the datatype
// (a Double sent in int_value), no value without is_null.
struct NumberOrError {
    std::optional<double> value;
    std::string error;
};
NumberOrError numberOf(const Metric& m, std::uint32_t datatype);

// Parses; false on bytes that are not a Payload (malformed, truncated) or hold more than
// `maxMetrics` metrics.
bool decode(std::string_view bytes, Payload& out, std::size_t maxMetrics = 100'000);
std::string encode(const Payload& p);

// Metric builders for senders.
Metric doubleMetric(std::string name, std::uint64_t alias, double value);   // Double
Metric int32Metric(std::string name, std::uint64_t alias, std::int32_t value);
Metric uint64Metric(std::string name, std::uint64_t value);                  // UInt64, no alias (bdSeq)
Metric booleanMetric(std::string name, bool value);                          // no alias (Node Control/Rebirth)

constexpr std::string_view kBdSeq = "bdSeq";
constexpr std::string_view kRebirth = "Node Control/Rebirth";

// The NCMD a host sends to make an edge node publish its births again.
std::string rebirthRequest(std::uint64_t timestampMs);

} // namespace twin::ingest::sparkplug
