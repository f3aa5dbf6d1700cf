// An allocator for the receiver's big per-GPU and per-host tables, which samples hit in no
// particular order: blocks of 2 MiB or more are aligned to 2 MiB and marked for transparent huge
// pages (madvise), so a random access costs one TLB entry per 2 MiB instead of per 4 KiB.
// Smaller blocks, or a kernel without THP, get ordinary pages: only speed differs.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace twin::ingest::detail {

template <typename T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t kHuge = 2u << 20;

    HugePageAllocator() = default;
    template <typename U> HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kHuge) return std::allocator<T>().allocate(n);
        const std::size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
        void* p = std::aligned_alloc(kHuge, rounded);
        if (!p) throw std::bad_alloc();
        madvise(p, rounded, MADV_HUGEPAGE);   // before the first touch: advice, failure is harmless
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) < kHuge) std::allocator<T>().deallocate(p, n);
        else std::free(p);
    }
    template <typename U> bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

} // namespace twin::ingest::detail
