#include "twin/ingest/exposition.h"

#include <charconv>
#include <vector>

namespace twin::ingest {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }
bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }

// A malformed line: the problem as text (empty means the line was fine).
struct LineError {
    std::string problem;
};

class LineReader {
public:
    explicit LineReader(std::string_view line) : s_(line) {}
    bool done() const { return i_ >= s_.size(); }
    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    void skipBlanks() { while (i_ < s_.size() && isBlank(s_[i_])) ++i_; }
    // A metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or a label name (no colons).
    std::string_view name(bool colons) {
        const std::size_t b = i_;
        const auto ok = [colons](char c, bool first) {
            return (first ? isNameStart(c) : isNameChar(c)) || (colons && c == ':');
        };
        while (i_ < s_.size() && ok(s_[i_], i_ == b)) ++i_;
        return s_.substr(b, i_ - b);
    }
    // A run of non-blank characters.
    std::string_view token() {
        const std::size_t b = i_;
        while (i_ < s_.size() && !isBlank(s_[i_])) ++i_;
        return s_.substr(b, i_ - b);
    }
    bool take(char c) {
        if (peek() != c || done()) return false;
        ++i_;
        return true;
    }
    // A quoted label value after its opening quote, up to the closing one. Escape-free values are
    // views into the line; others are unescaped into `arena`, which never reallocates (reserved
    // to the body's size by the caller), so every view stays valid for the whole body.
    bool quoted(std::string& arena, std::string_view& out, std::string& problem) {
        const std::size_t b = i_;
        while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\' && s_[i_] != '\n') ++i_;
        if (i_ < s_.size() && s_[i_] == '"') {
            out = s_.substr(b, i_++ - b);
            return true;
        }
        const std::size_t start = arena.size();
        arena.append(s_.substr(b, i_ - b));
        while (i_ < s_.size() && s_[i_] != '"') {
            if (s_[i_] != '\\') {
                arena.push_back(s_[i_++]);
                continue;
            }
            if (i_ + 1 >= s_.size()) break;
            const char e = s_[i_ + 1];
            if (e == '\\' || e == '"') arena.push_back(e);
            else if (e == 'n') arena.push_back('\n');
            else {
                problem = std::string("unknown escape '\\") + e + "' in a label value (only \\\\, \\\" and \\n)";
                return false;
            }
            i_ += 2;
        }
        if (i_ >= s_.size()) {
            problem = "a label value without its closing quote";
            return false;
        }
        ++i_;
        out = std::string_view(arena).substr(start);
        return true;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
};

bool parseValue(std::string_view t, double& v)
{
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    if (t.empty() || t.front() == '+') return false;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc() && end == t.data() + t.size();
}

bool parseTimestamp(std::string_view t, std::int64_t& ms)
{
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), ms);
    return !t.empty() && ec == std::errc() && end == t.data() + t.size();
}

// `# HELP name text`, `# TYPE name type`, or any other comment (ignored).
std::string commentProblem(std::string_view rest)
{
    LineReader r(rest);
    r.skipBlanks();
    const std::string_view keyword = r.token();
    if (keyword != "HELP" && keyword != "TYPE") return {};
    r.skipBlanks();
    const std::string_view name = r.name(true);
    if (name.empty() || (!r.done() && !isBlank(r.peek())))
        return "# " + std::string(keyword) + " without a valid metric name";
    if (keyword == "HELP") return {};
    r.skipBlanks();
    const std::string_view type = r.token();
    r.skipBlanks();
    for (std::string_view known : {"counter", "gauge", "histogram", "summary", "untyped", "unknown", "info",
                                   "stateset", "gaugehistogram"})
        if (type == known && r.done()) return {};
    return "# TYPE " + std::string(name) + ": unknown type '" + std::string(type) + "'";
}

struct Scratch {
    std::string arena;
    std::vector<LabelView> labels;
};

// One sample line into `labels` (the name first, as __name__) and `sample`; the problem if any.
std::string parseSample(std::string_view line, std::int64_t defaultTimestamp, const ExpositionLimits& limits,
                        Scratch& s, SampleView& sample)
{
    LineReader r(line);
    s.labels.clear();
    const std::string_view name = r.name(true);
    if (name.empty()) return "expected a metric name";
    s.labels.push_back({"__name__", name});
    const bool blankAfterName = isBlank(r.peek());
    r.skipBlanks();
    const bool braces = r.take('{');
    if (braces) {
        for (;;) {
            r.skipBlanks();
            if (r.take('}')) break;
            const std::string_view label = r.name(false);
            if (label.empty()) return "expected a label name or '}'";
            r.skipBlanks();
            if (!r.take('=')) return "expected '=' after label '" + std::string(label) + "'";
            r.skipBlanks();
            if (!r.take('"')) return "expected a quoted value for label '" + std::string(label) + "'";
            std::string_view value;
            std::string problem;
            if (!r.quoted(s.arena, value, problem)) return problem;
            for (const LabelView& l : s.labels)
                if (l.name == label) return "label '" + std::string(label) + "' given twice";
            if (s.labels.size() >= limits.maxLabels)
                return "more than " + std::to_string(limits.maxLabels) + " labels";
            s.labels.push_back({label, value});
            r.skipBlanks();
            if (r.take(',')) continue;
            if (r.take('}')) break;
            return "expected ',' or '}' after label '" + std::string(label) + "'";
        }
    }
    r.skipBlanks();
    if (!braces && !blankAfterName) return "expected a blank between the name and the value";
    const std::string_view value = r.token();
    if (value.empty()) return "no value";
    if (!parseValue(value, sample.value)) return "value '" + std::string(value) + "' is not a number";
    r.skipBlanks();
    sample.timestamp = defaultTimestamp;
    if (!r.done()) {
        const std::string_view ts = r.token();
        if (!parseTimestamp(ts, sample.timestamp))
            return "timestamp '" + std::string(ts) + "' is not a whole number of milliseconds";
        r.skipBlanks();
        if (!r.done()) return "unexpected '" + std::string(r.token()) + "' after the timestamp";
    }
    return {};
}

} // namespace

ExpositionResult parseExposition(std::string_view body, std::string_view source, std::int64_t defaultTimestamp,
                                 const ExpositionLimits& limits,
                                 const std::function<void(const SeriesView&, int line)>& onSample)
{
    ExpositionResult r;
    if (body.size() > limits.maxBodyBytes) {
        r.status = ExpositionStatus::TooLarge;
        r.error = std::string(source) + ": body of " + std::to_string(body.size()) + " bytes is over the limit of " +
                  std::to_string(limits.maxBodyBytes) + ": nothing read";
        return r;
    }
    thread_local Scratch s;
    s.arena.clear();
    s.arena.reserve(body.size());
    const auto bad = [&](int line, const std::string& problem, std::string_view text) {
        ++r.badLines;
        if (!r.error.empty()) return;
        constexpr std::size_t kShown = 80;
        std::string shown(text.substr(0, kShown));
        for (char& c : shown)
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = '?';
        r.error = std::string(source) + ":" + std::to_string(line) + ": " + problem + " (line: '" + shown +
                  (text.size() > kShown ? "...'" : "'") + "): skipped";
    };
    std::size_t pos = 0;
    int lineNo = 0;
    while (pos < body.size()) {
        std::size_t end = body.find('\n', pos);
        if (end == std::string_view::npos) end = body.size();
        std::string_view line = body.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        ++r.lines;
        if (line.size() > limits.maxLineBytes) {
            bad(lineNo, "line of " + std::to_string(line.size()) + " bytes is over the limit of " +
                            std::to_string(limits.maxLineBytes), line);
            continue;
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        while (!line.empty() && isBlank(line.front())) line.remove_prefix(1);
        while (!line.empty() && isBlank(line.back())) line.remove_suffix(1);
        if (line.empty()) continue;
        if (line.front() == '#') {
            if (line == "# EOF") break;   // OpenMetrics' end of the body
            const std::string problem = commentProblem(line.substr(1));
            if (!problem.empty()) bad(lineNo, problem, line);
            continue;
        }
        SampleView sample;
        const std::string problem = parseSample(line, defaultTimestamp, limits, s, sample);
        if (!problem.empty()) {
            bad(lineNo, problem, line);
            continue;
        }
        ++r.samples;
        onSample(SeriesView{s.labels, std::span<const SampleView>(&sample, 1)}, lineNo);
    }
    return r;
}

} // namespace twin::ingest
