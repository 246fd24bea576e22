// handles.hpp — what the C ABI's opaque handles hold, and the conversions between the C and C++
// shapes of options and responses.
#pragma once

#include <switch/router.hpp>
#include <switch/switch.h>

#include <memory>
#include <string>

// The handles are declared in switch.h in the global namespace, as C sees them.
struct sw_config {
    std::shared_ptr<const sw::Config> config;
};

struct sw_router {
    std::unique_ptr<sw::Router> router;
};

struct sw_response {
    explicit sw_response(sw::ChatResponse r);
    sw::ChatResponse response;
    // Kept as strings so that accessors can hand out NUL-terminated pointers.
    std::string error_class;
    std::string route_error;
    std::string trace_json;
    std::string error_json;  // empty for a success
};

namespace sw::capi {

// Reads a versioned options struct; NULL means the defaults. Fails with
// SW_ERR_INVALID_ARGUMENT for an unknown version or an out-of-range field.
int read_options(const sw_router_options* in, RouterOptions& out);
int read_options(const sw_chat_options* in, ChatOptions& out);

// A response for the caller to own, or nullptr if memory ran out (for callbacks, which cannot
// report a failure).
sw_response* new_response(ChatResponse r) noexcept;

// sw_response_result() of a status.
int result_of(int http_status) noexcept;

}  // namespace sw::capi
