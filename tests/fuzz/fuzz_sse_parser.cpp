// fuzz_sse_parser.cpp — the incremental SSE parser (transport::SseParser), which reads every
// streamed answer of the OpenAI, Anthropic and Gemini protocols straight off the network.
// Besides memory safety it checks the parser's promise that any split of the stream gives the
// same events: the input is parsed whole and in pieces, and both runs must agree.
// Input: byte 0 the piece size (0: one byte at a time), byte 1 the event cap (0: the 1 MiB
// default, else 16 * byte), then the stream.
#include "fuzz_support.hpp"

#include "transport/sse_parser.hpp"

#include <optional>

namespace {

struct Run {
    std::vector<std::string> events;  // type '\0' data
    std::string last_event_id;
    std::optional<std::uint64_t> retry_ms;
    bool incomplete = false;
    bool failed = false;
};

Run parse(std::string_view stream, std::size_t step, std::size_t cap) {
    Run run;
    sw::transport::SseParser parser(
        [&](std::string_view type, std::string_view data) {
            if (data.size() > cap) {
                std::fprintf(stderr, "an event of %zu bytes passed the cap of %zu\n", data.size(), cap);
                std::abort();
            }
            run.events.push_back(std::string(type) + '\0' + std::string(data));
        },
        cap);
    for (std::size_t at = 0; at < stream.size(); at += step) parser.feed(stream.substr(at, step));
    run.incomplete = parser.finish();
    run.failed = parser.failed();
    run.last_event_id = parser.last_event_id();
    run.retry_ms = parser.retry_ms();
    if (parser.events_dispatched() != run.events.size()) std::abort();
    return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    swfuzz::FuzzInput in(data, size);
    const std::size_t step = std::max<std::size_t>(1, in.byte());
    const std::uint8_t cap_byte = in.byte();
    const std::size_t cap = cap_byte == 0 ? sw::transport::SseParser::default_max_event_bytes : 16u * cap_byte;
    const std::string_view stream = in.rest();
    const Run whole = parse(stream, stream.size() + 1, cap);
    const Run pieces = parse(stream, step, cap);
    // The cap counts a pending partial line, which depends on the split: compare only streams
    // that stayed under it.
    if (whole.failed || pieces.failed) return 0;
    if (whole.events != pieces.events || whole.last_event_id != pieces.last_event_id ||
        whole.retry_ms != pieces.retry_ms || whole.incomplete != pieces.incomplete) {
        std::fprintf(stderr, "split at %zu: %zu events whole, %zu in pieces\n", step, whole.events.size(),
                     pieces.events.size());
        std::abort();
    }
    return 0;
}
