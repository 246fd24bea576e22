// alloc_counter.hpp — the number of heap allocations made so far by the benchmark binary.
#pragma once

#include <cstdint>

std::uint64_t allocation_count() noexcept;
