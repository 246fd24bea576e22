// fuzz_aws_event_stream.cpp — the AWS event-stream decoder (transport::AwsEventStreamParser),
// which reads Bedrock's ConverseStream answers off the network: length fields, header parsing
// for every value type, CRCs, the size caps. Mutated bytes rarely pass two CRC32s, so in "fix"
// mode the target first rewrites each message's lengths into range and its CRCs to match,
// letting the fuzzer reach the header and payload code. It also checks that any split of the
// stream gives the same messages as the whole stream.
// Input: byte 0 the mode (bit 0: fix lengths and CRCs; bit 1: leave the headers length as it
// is when fixing; bits 2-7: a small message cap instead of the 16 MiB default), byte 1 the
// piece size (0: one byte at a time), then the stream.
#include "fuzz_support.hpp"

#include "transport/aws_event_stream.hpp"

#include <zlib.h>

namespace {

using sw::transport::AwsEventStreamParser;

std::uint32_t load_be32(const char* p) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
}

void store_be32(char* p, std::uint32_t v) {
    p[0] = static_cast<char>(v >> 24);
    p[1] = static_cast<char>(v >> 16);
    p[2] = static_cast<char>(v >> 8);
    p[3] = static_cast<char>(v);
}

std::uint32_t crc(const char* p, std::size_t n) {
    return static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(p), static_cast<uInt>(n)));
}

// Makes each message's framing valid, so that only its headers and payload are fuzzed.
void fix_framing(std::string& s, bool keep_headers_length) {
    std::size_t at = 0;
    while (s.size() - at >= AwsEventStreamParser::overhead_bytes) {
        const std::size_t left = s.size() - at;
        std::size_t total = load_be32(&s[at]);
        if (total < AwsEventStreamParser::overhead_bytes || total > left) total = left;
        std::uint32_t headers = load_be32(&s[at + 4]);
        if (!keep_headers_length && headers > total - AwsEventStreamParser::overhead_bytes)
            headers = static_cast<std::uint32_t>(headers % (total - AwsEventStreamParser::overhead_bytes + 1));
        store_be32(&s[at], static_cast<std::uint32_t>(total));
        store_be32(&s[at + 4], headers);
        store_be32(&s[at + 8], crc(&s[at], 8));
        store_be32(&s[at + total - 4], crc(&s[at], total - 4));
        at += total;
    }
}

struct Run {
    std::vector<std::string> events;
    bool incomplete = false;
    bool failed = false;
};

Run parse(std::string_view stream, std::size_t step, std::size_t cap) {
    Run run;
    AwsEventStreamParser parser(
        [&](std::string_view type, std::string_view data) { run.events.push_back(std::string(type) + '\0' + std::string(data)); },
        cap);
    for (std::size_t at = 0; at < stream.size(); at += step) parser.feed(stream.substr(at, step));
    run.failed = parser.failed();
    run.incomplete = parser.finish();
    if (parser.events_dispatched() != run.events.size()) std::abort();
    return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    swfuzz::FuzzInput in(data, size);
    const std::uint8_t mode = in.byte();
    const std::size_t step = std::max<std::size_t>(1, in.byte());
    const std::size_t cap = (mode >> 2) == 0 ? AwsEventStreamParser::default_max_message_bytes : 16u * (mode >> 2);
    std::string stream(in.rest());
    if (mode & 1) fix_framing(stream, (mode & 2) != 0);
    const Run whole = parse(stream, stream.size() + 1, cap);
    const Run pieces = parse(stream, step, cap);
    // Messages are delivered whole and only after their CRCs: the split must not matter.
    if (whole.events != pieces.events || whole.failed != pieces.failed || whole.incomplete != pieces.incomplete) {
        std::fprintf(stderr, "split at %zu: %zu events/%d failed whole, %zu/%d in pieces\n", step, whole.events.size(),
                     whole.failed, pieces.events.size(), pieces.failed);
        std::abort();
    }
    return 0;
}
