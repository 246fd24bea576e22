// secret.hpp — a string that holds a credential: wiped when freed, never printed in full.
#pragma once

#include <switch/switch.h>

#include <string>
#include <string_view>

namespace sw {

// Holds a secret value. There is no stream operator and no implicit conversion, so a secret
// cannot reach a log, an error or a trace by accident: code must call reveal() to use it and
// redacted() to mention it. The memory is wiped on destruction and on reassignment.
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(const Secret& other) = default;
    Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
    Secret& operator=(const Secret& other) {
        if (this != &other) {
            wipe();
            value_ = other.value_;
        }
        return *this;
    }
    Secret& operator=(Secret&& other) noexcept {
        if (this != &other) {
            wipe();
            value_ = std::move(other.value_);
            other.wipe();
        }
        return *this;
    }
    ~Secret() { wipe(); }

    bool empty() const { return value_.empty(); }
    std::size_t size() const { return value_.size(); }
    // The value itself, for building a request. Never log or format the result.
    std::string_view reveal() const { return value_; }
    // A form safe to show: "sk-…abcd" for long values (a 3-character prefix and the last 4),
    // "…" for short ones, "" for an empty secret.
    std::string redacted() const { return redact(value_); }

    SW_API static std::string redact(std::string_view value);

private:
    SW_API void wipe() noexcept;
    std::string value_;
};

}  // namespace sw
