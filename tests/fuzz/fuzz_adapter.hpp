// fuzz_adapter.hpp — the driver the per-adapter targets share: the first byte of an input picks
// what the rest is, so that one target reaches every parser of one protocol:
//   mode % 4 == 0  a whole response body, through Adapter::parse_response_from, with an HTTP
//                  status from kStatuses (mode / 4) and the chat or embeddings endpoint (mode & 0x80)
//   mode % 4 == 1  a raw stream (SSE text or AWS event-stream bytes), through the protocol's real
//                  framer (make_framer) into the adapter's StreamDecoder, fed in pieces of
//                  (mode / 4) bytes (0: at once)
//   mode % 4 == 2  stream events given directly: pieces separated by kSeparator alternate event
//                  type and data, into the StreamDecoder (reaches decoder states a raw stream
//                  only reaches through valid framing, e.g. behind the event stream's CRCs)
//   mode % 4 == 3  a caller's OpenAI request body, through Adapter::prepare (the translation to
//                  the protocol's request), for chat or embeddings (mode & 0x80)
// Whenever the input is valid JSON, every translated body and chunk must be JSON too: a
// non-JSON one aborts. (From invalid input the adapters may copy unread values through as they
// are, checked for balance only, which the upstream then rejects: that is by design.)
#pragma once

#include "fuzz_support.hpp"

#include "providers/adapter.hpp"

#include <array>
#include <chrono>

namespace swfuzz {

inline constexpr std::array<int, 8> kStatuses = {200, 400, 401, 403, 404, 429, 500, 529};

inline void run_adapter(const sw::providers::Adapter& adapter, const sw::providers::AttemptContext& attempt,
                        const std::uint8_t* data, std::size_t size) {
    using namespace sw::providers;
    FuzzInput in(data, size);
    const std::uint8_t mode = in.byte();
    const Endpoint endpoint = (mode & 0x80) ? Endpoint::embeddings : Endpoint::chat_completions;
    auto check_chunk = [](std::string_view input, const ParsedChunk& c) {
        if (!c.translated.empty() && is_json(input)) require_json(c.translated, "ParsedChunk::translated");
    };
    switch (mode % 4) {
        case 0: {
            const int status = kStatuses[(mode / 4) % kStatuses.size()];
            const ParsedResponse r = adapter.parse_response_from({attempt.provider, attempt.stamp}, endpoint, status, in.rest());
            if (!r.body.empty() && is_json(in.rest())) require_json(r.body, "ParsedResponse::body");
            break;
        }
        case 1: {
            auto decoder = adapter.open_stream(attempt);
            auto framer = make_framer(adapter.stream_framing(), [&](std::string_view type, std::string_view payload) {
                check_chunk(payload, decoder->next(type, payload));
            });
            feed_in_pieces(*framer, in.rest(), mode / 4);
            break;
        }
        case 2: {
            auto decoder = adapter.open_stream(attempt);
            const std::vector<std::string_view> pieces = in.pieces();
            for (std::size_t i = 0; i + 1 < pieces.size(); i += 2) check_chunk(pieces[i + 1], decoder->next(pieces[i], pieces[i + 1]));
            if (pieces.size() % 2 == 1) check_chunk(pieces.back(), decoder->next("message", pieces.back()));
            break;
        }
        default: {
            std::string error;
            const auto prepared = adapter.prepare(endpoint, in.rest(), attempt, error);
            if (prepared && !prepared->body.empty() && is_json(in.rest()))
                require_json(prepared->body, "PreparedRequest::body");
            break;
        }
    }
}

// A fixed wall-clock time, so that runs are reproducible.
inline std::chrono::system_clock::time_point fuzz_time() { return std::chrono::system_clock::from_time_t(1700000000); }

}  // namespace swfuzz
