// event_framer.hpp — the one interface over the framings a streamed response can use (SSE, the
// AWS event stream), so the request driver reads every protocol's stream the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace sw::transport {

// Turns a byte stream, delivered in arbitrary pieces, into (event type, payload) events.
// Not thread-safe; one framer per response. The callback must not call back into the framer.
class EventFramer {
public:
    // Called once per event. Both views are valid only during the call.
    using EventCallback = std::function<void(std::string_view event_type, std::string_view data)>;

    virtual ~EventFramer() = default;
    // Consumes the next piece of the stream; any split is allowed, even one byte at a time.
    virtual void feed(std::string_view bytes) = 0;
    // Ends the stream; true when an incomplete event was pending (and is discarded).
    virtual bool finish() = 0;
    // True once the stream broke the framing's rules (or a size cap); sticky.
    virtual bool failed() const noexcept = 0;
    // Events delivered so far.
    virtual std::uint64_t events_dispatched() const noexcept = 0;
};

}  // namespace sw::transport
