// The one exception type of the twin library: a message that names the file and the problem.
#pragma once

#include <stdexcept>
#include <string>

namespace twin {

class Error : public std::runtime_error {
public:
    // what() reads "<file>: <problem>".
    Error(const std::string& file, const std::string& problem)
        : std::runtime_error(file + ": " + problem), file_(file), problem_(problem) {}
    const std::string& file() const { return file_; }
    const std::string& problem() const { return problem_; }

private:
    std::string file_;
    std::string problem_;
};

} // namespace twin
