// correlation_id.cpp — see correlation_id.hpp.
#include "correlation_id.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string_view>

namespace server {

namespace {

bool sane(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == ':';
    });
}

// 128 random bits as 32 hex digits: unique enough to find one request among billions. Each
// worker thread has its own generator, so making one takes no lock.
std::string made_id() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    return fmt::format("{:016x}{:016x}", random(), random());
}

}  // namespace

std::string correlation_id(const char* given) {
    if (given != nullptr && sane(given)) return given;
    return made_id();
}

}  // namespace server
