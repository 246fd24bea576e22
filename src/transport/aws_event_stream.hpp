// aws_event_stream.hpp — an incremental decoder (and a small encoder) for the AWS event stream
// encoding, application/vnd.amazon.eventstream, which Bedrock's ConverseStream answers in.
#pragma once

#include "transport/event_framer.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sw::transport {

// Turns a byte stream, delivered in arbitrary pieces, into messages.
//
// Each message is: total length (u32, big-endian, the whole message), headers length (u32),
// the CRC32 of those 8 bytes, the headers, the payload, and the CRC32 of everything before it.
// A header is: name length (u8), name, value type (u8), value; every value type of the format
// is understood (bool true/false, byte, short, int, long, byte array, string, timestamp, uuid)
// so that any header can be skipped.
//
// What the callback gets, by the `:message-type` header:
// - `event` (or no message type): event type = the `:event-type` header, data = the payload;
// - `exception` (a modelled error, e.g. Bedrock's throttlingException): event type =
//   ":exception:" + the `:exception-type` header, data = the payload ({"message": ...});
// - `error` (an unmodelled error): event type = ":error:" + the `:error-code` header, data =
//   the `:error-message` header;
// - any other message type is skipped.
// Event types of real events never start with ':', so the prefixes cannot collide.
//
// A message is delivered only once both of its CRCs have been checked: a corrupted message is
// never partly delivered. A bad CRC, a length field that cannot be right, a header that runs past
// its section, an unknown header type, or a message above max_message_bytes puts the parser in a
// failed state (sticky; feed() then ignores its input), which the caller treats as a protocol
// error. Memory is bounded: only one incomplete message is ever buffered, and its size is
// checked against the cap as soon as its first 12 bytes are in; complete messages inside one
// feed() are decoded in place, without a copy.
//
// Not thread-safe; one parser per response. The callback must not call back into the parser.
class AwsEventStreamParser final : public EventFramer {
public:
    // AWS's own limits: a message is at most 16 MiB, its headers at most 128 KiB.
    static constexpr std::size_t default_max_message_bytes = std::size_t{16} << 20;
    static constexpr std::size_t max_headers_bytes = std::size_t{128} << 10;
    // Prelude (12 bytes) and message CRC (4): the size of a message without headers or payload.
    static constexpr std::size_t overhead_bytes = 16;

    explicit AwsEventStreamParser(EventCallback on_event, std::size_t max_message_bytes = default_max_message_bytes);

    void feed(std::string_view bytes) override;
    // Ends the stream; true when an incomplete message was pending (it is discarded). False once
    // failed(). The parser is then ready for a new stream.
    bool finish() override;
    bool failed() const noexcept override { return !failure_.empty(); }
    std::uint64_t events_dispatched() const noexcept override { return dispatched_; }
    // Why the parser failed, for diagnostics; empty while it has not.
    std::string_view failure() const noexcept { return failure_; }

private:
    // The length of the message that starts at `prelude` (12 bytes), or 0 after fail().
    std::size_t message_length(std::string_view prelude);
    void decode(std::string_view message);
    void fail(std::string reason);

    EventCallback on_event_;
    std::size_t max_message_bytes_;
    std::string pending_;  // the start of a message whose end has not arrived yet
    std::string type_;     // reused for prefixed event types
    std::uint64_t dispatched_ = 0;
    std::string failure_;
};

// Appends one message with string-valued headers (type 7) and both CRCs: what AWS services
// send, for tests and the mock provider.
void append_event_stream_message(std::string& out, const std::vector<std::pair<std::string_view, std::string_view>>& headers,
                                 std::string_view payload);

}  // namespace sw::transport
