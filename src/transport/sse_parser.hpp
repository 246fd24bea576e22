// sse_parser.hpp — an incremental Server-Sent Events parser (WHATWG event-stream rules), no I/O.
#pragma once

#include "transport/event_framer.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sw::transport {

// Turns a byte stream, delivered in arbitrary pieces, into events.
//
// Follows the "event stream interpretation" of the WHATWG HTML standard: lines end with CR, LF
// or CRLF (a CRLF split between two feed() calls counts once); one leading UTF-8 BOM is skipped;
// lines starting with ':' are comments; a line's field name runs up to the first ':' and one
// space after it is stripped; `data` lines are joined with '\n'; a blank line dispatches the
// event, with type "message" when no `event` field was given; an event without any `data` line
// is not dispatched; unknown fields are ignored; `id` (without NUL) and `retry` (ASCII digits
// only) are remembered.
//
// Memory is bounded: the data of one event plus a pending partial line may not exceed
// max_event_bytes. Exceeding it puts the parser in a failed state, in which feed() ignores its
// input; the caller treats the stream as a protocol error. Buffers are reused between events,
// so a steady stream of events makes no heap allocation once they have grown to size.
//
// Not thread-safe; one parser per response. The callback must not call back into the parser.
class SseParser final : public EventFramer {
public:

    static constexpr std::size_t default_max_event_bytes = std::size_t{1} << 20;  // 1 MiB

    explicit SseParser(EventCallback on_event,
                       std::size_t max_event_bytes = default_max_event_bytes);

    // Consumes the next piece of the stream; any split is allowed, even one byte at a time.
    void feed(std::string_view bytes) override;

    // Ends the stream. Returns true when an incomplete event was pending (a `data` line was
    // read but no blank line followed, or a non-comment line was cut off); that event is
    // discarded, as the standard says. Callers decide whether that is a truncation: after a
    // final `[DONE]` it usually is not. Returns false once failed(): check that first. The
    // parser is then ready for a new stream (the failed state, the last event id and the
    // retry value are kept).
    bool finish() override;

    // True once an event grew beyond max_event_bytes. Sticky until reset().
    bool failed() const noexcept override { return failed_; }

    // The last `id` field seen (the standard's "last event ID"); empty if none.
    std::string_view last_event_id() const noexcept { return last_event_id_; }
    // The last valid `retry` field, in milliseconds.
    std::optional<std::uint64_t> retry_ms() const noexcept { return retry_ms_; }
    // Number of events dispatched so far.
    std::uint64_t events_dispatched() const noexcept override { return dispatched_; }

    // Forgets everything, including the failed state; the buffers keep their capacity.
    void reset();

private:
    void process_line(std::string_view line);
    void dispatch();
    void fail();
    bool over_cap(std::size_t extra) const noexcept;

    EventCallback on_event_;
    std::size_t max_event_bytes_;
    std::string line_;        // a partial line carried over between feed() calls
    std::string data_;        // the event's data, each line followed by '\n'
    std::string event_type_;  // the event's `event` field; empty means "message"
    std::string last_event_id_;
    std::optional<std::uint64_t> retry_ms_;
    std::uint64_t dispatched_ = 0;
    std::uint8_t bom_matched_ = 0;  // bytes of a leading BOM seen so far
    bool at_stream_start_ = true;   // a BOM may still follow
    bool pending_cr_ = false;       // the last byte fed was CR: skip an LF that comes next
    bool failed_ = false;
};

}  // namespace sw::transport
