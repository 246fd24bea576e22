// reply.hpp — what one Redis call comes back with: a reply the client owns, or why there is none.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sw::redis {

// A RESP2 reply, copied out of hiredis's (which is freed when its callback returns).
struct Reply {
    enum class Type : std::uint8_t { nil, integer, string, status, error, array };
    Type type = Type::nil;
    std::int64_t integer = 0;
    std::string text;  // string, status and error
    std::vector<Reply> elements;

    bool is_error() const noexcept { return type == Type::error; }
    // The error's code, its first word ("NOSCRIPT", "ERR", "WRONGPASS"...); empty otherwise.
    std::string_view error_code() const noexcept {
        if (type != Type::error) return {};
        std::string_view t = text;
        return t.substr(0, t.find(' '));
    }
};

// Why a call has no reply. Every one but `ok` means "use local state": the caller never waits
// longer than the call's timeout to hear it.
enum class CallStatus : std::uint8_t {
    ok,           // `reply` holds the server's answer (which may be an error reply)
    timeout,      // no answer within the call's timeout; the connection is dropped and redialled
    unavailable,  // no connection was up, or it went down before the answer came
};

struct Result {
    CallStatus status = CallStatus::unavailable;
    Reply reply;
    bool ok() const noexcept { return status == CallStatus::ok; }
};

std::string_view to_string(CallStatus status) noexcept;

}  // namespace sw::redis
