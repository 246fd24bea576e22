// fuzz_support.hpp — small helpers shared by the libFuzzer targets in this folder: reading
// selector bytes off the front of an input, splitting the rest into pieces, feeding a framer in
// pieces, and checking that an output the library promises to be JSON is JSON.
#pragma once

#include "transport/event_framer.hpp"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace swfuzz {

// Separates the pieces of a split input (see FuzzInput::pieces). Two 0xFF bytes never occur in
// UTF-8 text, so real JSON or SSE inputs in the corpus are one piece unless split on purpose.
inline constexpr std::string_view kSeparator = "\xff\xff";

class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size)
        : rest_(reinterpret_cast<const char*>(data), size) {}

    // The next byte, or 0 once the input is used up.
    std::uint8_t byte() {
        if (rest_.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(rest_.front());
        rest_.remove_prefix(1);
        return b;
    }

    // Everything not consumed yet.
    std::string_view rest() const { return rest_; }

    // The rest, split at kSeparator.
    std::vector<std::string_view> pieces() const {
        std::vector<std::string_view> out;
        std::string_view s = rest_;
        for (;;) {
            const std::size_t at = s.find(kSeparator);
            out.push_back(s.substr(0, at));
            if (at == std::string_view::npos) break;
            s.remove_prefix(at + kSeparator.size());
        }
        return out;
    }

private:
    std::string_view rest_;
};

// Feeds `bytes` to a framer `step` bytes at a time (0: all at once), then ends the stream, as
// the transport does with whatever pieces curl delivers.
inline void feed_in_pieces(sw::transport::EventFramer& framer, std::string_view bytes, std::size_t step) {
    if (step == 0) step = bytes.size() + 1;
    for (std::size_t at = 0; at < bytes.size(); at += step) framer.feed(bytes.substr(at, step));
    framer.finish();
}

// Whether `text` is one valid JSON document.
inline bool is_json(std::string_view text) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    return !parser.parse(simdjson::padded_string(text)).get(root);
}

// Aborts (a finding) when `text` is not one JSON document: the adapters promise OpenAI JSON to
// the caller in ParsedResponse::body and ParsedChunk::translated.
inline void require_json(std::string_view text, const char* what) {
    if (!is_json(text)) {
        std::fprintf(stderr, "%s is not JSON: %.*s\n", what, static_cast<int>(text.size()), text.data());
        std::abort();
    }
}

}  // namespace swfuzz
