// A minimal parallel loop over independent items (segments of a frame), no pool to manage.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace twin {

// Runs body(i, worker) for i in [0, n) on up to `threads` threads, the caller's included.
// The first exception thrown by any body is rethrown in the caller once all threads end.
template <typename F> void parallelFor(int threads, std::size_t n, F&& body) {
    const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), n);
    if (workers <= 1) {
        for (std::size_t i = 0; i < n; ++i) body(i, 0);
        return;
    }
    std::exception_ptr error;
    std::mutex m;
    auto run = [&](std::size_t w) {
        try {
            for (std::size_t i = w; i < n; i += workers) body(i, w);
        } catch (...) {
            std::lock_guard lock(m);
            if (!error) error = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(run, w);
    run(0);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

} // namespace twin
