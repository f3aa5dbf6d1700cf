#include "json_text.h"

#include "twin/error.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace twin {

std::string readTextFile(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw Error(path, "cannot open file: it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        throw Error(path, std::string("cannot open file: ") + std::strerror(err != 0 ? err : ENOENT));
    }
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw Error(path, "cannot read file");
    return text;
}

std::string jsonSyntaxMessage(std::string_view text, const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based position of the last character read (one past the end at EOF).
    const std::size_t offset = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {   // count UTF-8 characters
            ++column;
        }
    }
    // what(): "[json.exception.parse_error.101] parse error at line 3, column 8: syntax error
    // while parsing value - unexpected ']'; expected ..."; keep only the explanation.
    std::string what = e.what();
    if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    if (what.rfind("syntax error", 0) == 0)
        if (const auto dash = what.find(" - "); dash != std::string::npos) what = what.substr(dash + 3);
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": syntax error: " + what;
}

} // namespace twin
