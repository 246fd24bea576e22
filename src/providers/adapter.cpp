// adapter.cpp — what adapter.hpp defines besides the adapters: the response stamp, and the
// whole-answer reading that tools and tests call without an attempt.
#include "providers/adapter.hpp"

#include <fmt/format.h>

namespace sw::providers {

ResponseStamp ResponseStamp::draw(std::chrono::system_clock::time_point wall_time, Random& random) noexcept {
    ResponseStamp stamp;
    stamp.created = std::chrono::duration_cast<std::chrono::seconds>(wall_time.time_since_epoch()).count();
    stamp.nonce_high = random.next_u64();
    stamp.nonce_low = static_cast<std::uint32_t>(random.next_u64());
    return stamp;
}

std::string ResponseStamp::id(std::string_view prefix) const {
    return fmt::format("{}{:016x}{:08x}", prefix, nonce_high, nonce_low);
}

ParsedResponse Adapter::parse_response(Endpoint endpoint, int http_status, std::string_view body) const {
    static const ProviderConfig no_provider;
    static const ResponseStamp no_stamp;
    return parse_response_from(AnswerContext{no_provider, no_stamp}, endpoint, http_status, body);
}

}  // namespace sw::providers
