#include "twin/ingest/sparkplug_payload.h"

#include "sparkplug_b.pb.h"


#include <limits>

namespace twin::ingest::sparkplug {

namespace {

using PbPayload = twin::sparkplug::Payload;
using PbMetric = twin::sparkplug::Payload_Metric;

struct TypeName {
    MessageType type;
    std::string_view name;
};
constexpr TypeName kTypes[] = {
    {MessageType::NBirth, "NBIRTH"}, {MessageType::NDeath, "NDEATH"}, {MessageType::DBirth, "DBIRTH"},
    {MessageType::DDeath, "DDEATH"}, {MessageType::NData, "NDATA"},   {MessageType::DData, "DDATA"},
    {MessageType::NCmd, "NCMD"},     {MessageType::DCmd, "DCMD"},     {MessageType::State, "STATE"},
};

bool isDeviceMessage(MessageType t)
{
    return t == MessageType::DBirth || t == MessageType::DDeath || t == MessageType::DData || t == MessageType::DCmd;
}

} // namespace

const char* messageTypeName(MessageType t)
{
    for (const TypeName& n : kTypes)
        if (n.type == t) return n.name.data();
    return "?";
}

std::optional<Topic> parseTopic(std::string_view topic)
{
    std::vector<std::string_view> parts;
    while (true) {
        const auto slash = topic.find('/');
        parts.push_back(topic.substr(0, slash));
        if (slash == std::string_view::npos) break;
        topic.remove_prefix(slash + 1);
    }
    if (parts.size() < 3 || parts[0] != kNamespace) return std::nullopt;
    for (std::string_view p : parts)
        if (p.empty()) return std::nullopt;
    Topic t;
    if (parts[1] == "STATE") {   // spBv1.0/STATE/<host id>
        if (parts.size() != 3) return std::nullopt;
        t.type = MessageType::State;
        t.node = parts[2];
        return t;
    }
    if (parts.size() != 4 && parts.size() != 5) return std::nullopt;
    const TypeName* found = nullptr;
    for (const TypeName& n : kTypes)
        if (n.name == parts[2] && n.type != MessageType::State) found = &n;
    if (!found || isDeviceMessage(found->type) != (parts.size() == 5)) return std::nullopt;
    t.type = found->type;
    t.group = parts[1];
    t.node = parts[3];
    if (parts.size() == 5) t.device = parts[4];
    return t;
}

std::string topicText(const Topic& t)
{
    if (t.type == MessageType::State) return std::string(kNamespace) + "/STATE/" + t.node;
    std::string s = std::string(kNamespace) + "/" + t.group + "/" + messageTypeName(t.type) + "/" + t.node;
    if (!t.device.empty()) s += "/" + t.device;
    return s;
}

bool isNumeric(std::uint32_t datatype) { return datatype >= 1 && datatype <= 11; }

NumberOrError numberOf(const Metric& m, std::uint32_t datatype)
{
    const auto wrong = [&](const char* sent) {
        return NumberOrError{std::nullopt, std::string("datatype ") + std::to_string(datatype) + " sent as " + sent};
    };
    if (!isNumeric(datatype)) return {std::nullopt, "datatype " + std::to_string(datatype) + " is not a number"};
    const auto d = static_cast<DataType>(datatype);
    switch (m.kind) {
    case ValueKind::None: return {std::nullopt, "no value"};
    case ValueKind::Int: {
        // Signed types are two's complement in the low bits (sign-extended or not: both read right).
        const auto u = static_cast<std::uint32_t>(m.bits);
        switch (d) {
        case DataType::Int8: return {static_cast<double>(static_cast<std::int8_t>(u)), {}};
        case DataType::Int16: return {static_cast<double>(static_cast<std::int16_t>(u)), {}};
        case DataType::Int32: return {static_cast<double>(static_cast<std::int32_t>(u)), {}};
        case DataType::UInt8: return {static_cast<double>(static_cast<std::uint8_t>(u)), {}};
        case DataType::UInt16: return {static_cast<double>(static_cast<std::uint16_t>(u)), {}};
        case DataType::UInt32: return {static_cast<double>(u), {}};
        default: return wrong("int_value");
        }
    }
    case ValueKind::Long:
        if (d == DataType::Int64) return {static_cast<double>(static_cast<std::int64_t>(m.bits)), {}};
        if (d == DataType::UInt64) return {static_cast<double>(m.bits), {}};
        return wrong("long_value");
    case ValueKind::Float:
        if (d == DataType::Float) return {m.real, {}};
        return wrong("float_value");
    case ValueKind::Double:
        if (d == DataType::Double) return {m.real, {}};
        return wrong("double_value");
    case ValueKind::Boolean:
        if (d == DataType::Boolean) return {m.bits ? 1.0 : 0.0, {}};
        return wrong("boolean_value");
    case ValueKind::String: return wrong("string_value");
    case ValueKind::Bytes: return wrong("bytes_value");
    }
    return {std::nullopt, "no value"};
}

bool decode(std::string_view bytes, Payload& out, std::size_t maxMetrics)
{
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return false;
    PbPayload pb;
    if (!pb.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
    if (static_cast<std::size_t>(pb.metrics_size()) > maxMetrics) return false;
    out = {};
    if (pb.has_timestamp()) out.timestamp = pb.timestamp();
    if (pb.has_seq()) out.seq = pb.seq();
    out.metrics.reserve(static_cast<std::size_t>(pb.metrics_size()));
    for (const PbMetric& x : pb.metrics()) {
        Metric m;
        m.name = x.name();
        if (x.has_alias()) m.alias = x.alias();
        if (x.has_timestamp()) m.timestamp = x.timestamp();
        if (x.has_datatype()) m.datatype = x.datatype();
        m.isHistorical = x.is_historical();
        m.isTransient = x.is_transient();
        m.isNull = x.is_null();
        switch (x.value_case()) {
        case PbMetric::kIntValue: m.kind = ValueKind::Int, m.bits = x.int_value(); break;
        case PbMetric::kLongValue: m.kind = ValueKind::Long, m.bits = x.long_value(); break;
        case PbMetric::kFloatValue: m.kind = ValueKind::Float, m.real = x.float_value(); break;
        case PbMetric::kDoubleValue: m.kind = ValueKind::Double, m.real = x.double_value(); break;
        case PbMetric::kBooleanValue: m.kind = ValueKind::Boolean, m.bits = x.boolean_value(); break;
        case PbMetric::kStringValue: m.kind = ValueKind::String, m.text = x.string_value(); break;
        case PbMetric::kBytesValue: m.kind = ValueKind::Bytes, m.text = x.bytes_value(); break;
        case PbMetric::VALUE_NOT_SET: break;
        }
        out.metrics.push_back(std::move(m));
    }
    return true;
}

std::string encode(const Payload& p)
{
    PbPayload pb;
    if (p.timestamp) pb.set_timestamp(*p.timestamp);
    if (p.seq) pb.set_seq(*p.seq);
    for (const Metric& m : p.metrics) {
        PbMetric* x = pb.add_metrics();
        if (!m.name.empty()) x->set_name(m.name);
        if (m.alias) x->set_alias(*m.alias);
        if (m.timestamp) x->set_timestamp(*m.timestamp);
        if (m.datatype) x->set_datatype(*m.datatype);
        if (m.isHistorical) x->set_is_historical(true);
        if (m.isTransient) x->set_is_transient(true);
        if (m.isNull) x->set_is_null(true);
        switch (m.kind) {
        case ValueKind::None: break;
        case ValueKind::Int: x->set_int_value(static_cast<std::uint32_t>(m.bits)); break;
        case ValueKind::Long: x->set_long_value(m.bits); break;
        case ValueKind::Float: x->set_float_value(static_cast<float>(m.real)); break;
        case ValueKind::Double: x->set_double_value(m.real); break;
        case ValueKind::Boolean: x->set_boolean_value(m.bits != 0); break;
        case ValueKind::String: x->set_string_value(m.text); break;
        case ValueKind::Bytes: x->set_bytes_value(m.text); break;
        }
    }
    return pb.SerializeAsString();
}

Metric doubleMetric(std::string name, std::uint64_t alias, double value)
{
    Metric m;
    m.name = std::move(name);
    m.alias = alias;
    m.datatype = static_cast<std::uint32_t>(DataType::Double);
    m.kind = ValueKind::Double;
    m.real = value;
    return m;
}

Metric int32Metric(std::string name, std::uint64_t alias, std::int32_t value)
{
    Metric m;
    m.name = std::move(name);
    m.alias = alias;
    m.datatype = static_cast<std::uint32_t>(DataType::Int32);
    m.kind = ValueKind::Int;
    m.bits = static_cast<std::uint32_t>(value);
    return m;
}

Metric uint64Metric(std::string name, std::uint64_t value)
{
    Metric m;
    m.name = std::move(name);
    m.datatype = static_cast<std::uint32_t>(DataType::UInt64);
    m.kind = ValueKind::Long;
    m.bits = value;
    return m;
}

Metric booleanMetric(std::string name, bool value)
{
    Metric m;
    m.name = std::move(name);
    m.datatype = static_cast<std::uint32_t>(DataType::Boolean);
    m.kind = ValueKind::Boolean;
    m.bits = value;
    return m;
}

std::string rebirthRequest(std::uint64_t timestampMs)
{
    Payload p;
    p.timestamp = timestampMs;
    Metric m = booleanMetric(std::string(kRebirth), true);
    m.timestamp = timestampMs;
    p.metrics.push_back(std::move(m));
    return encode(p);
}

} // namespace twin::ingest::sparkplug
