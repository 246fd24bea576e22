// answer_codec.hpp — a CachedAnswer as bytes, for a shared store (redis_store.hpp): compact,
// binary-safe (a chunk may hold any byte), versioned, and read back exactly: a stream's chunks
// keep their number, order and bytes, so that a replay from another process is chunk for chunk
// the original.
//
// Layout, integers little-endian:
//   "SWC" 0x01            magic and format version (a new layout takes a new version byte)
//   u8  kind              0 a whole answer, 1 a stream
//   i64 stored_unix_ms    when it was stored, on the wall clock: processes share no other clock
//   u64 input_tokens, u64 output_tokens
//   5 × (u32 length, bytes)   body, text, finish_reason, pool_id, provider
//   u32 count, count × (u32 length, bytes)   the stream's chunks
// Nothing may follow. Anything else is not an answer (decode says nullopt).
#pragma once

#include "cache/cached_answer.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sw::cache {

std::string encode_answer(const CachedAnswer& answer, std::int64_t stored_unix_ms);

struct DecodedAnswer {
    std::shared_ptr<CachedAnswer> answer;  // its stored_at is left for the reader's own clock
    std::int64_t stored_unix_ms = 0;
};

// The answer `bytes` hold, or nullopt when they are not one this version wrote (truncated,
// trailing bytes, another format version, a whole answer without a body, a stream without
// chunks).
std::optional<DecodedAnswer> decode_answer(std::string_view bytes);

}  // namespace sw::cache
