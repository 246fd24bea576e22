// bodies.hpp — the JSON texts the mock provider answers with, in OpenAI's shapes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mock {

// Appends s as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);

// {"error":{"message":...,"type":...,"param":null,"code":...}}
std::string error_body(std::string_view message, std::string_view type, std::string_view code);

// The type and code a real OpenAI-compatible provider gives with an HTTP status.
struct ErrorKind {
    std::string_view type;
    std::string_view code;
    std::string_view message;
};
ErrorKind default_error(int status);

// The reason phrase of an HTTP status, for the status line.
const char* reason_phrase(int status);

// Identity of one answer: n makes the id unique, created is unix seconds.
struct Completion {
    std::uint64_t n;
    std::int64_t created;
    std::string_view model;
    std::int64_t prompt_tokens;
};

// The chat.completion object of a successful non-streaming answer.
void append_completion(std::string& out, const Completion& c, std::int64_t completion_tokens);

// One SSE event of a stream, `data: ...` plus the blank line, with eol as the line ending.
// index is 1-based; the first chunk also carries the role; a malformed chunk is cut mid-JSON.
void append_chunk_event(std::string& out, const Completion& c, std::int64_t index, bool malformed,
                        std::string_view eol);
// The last data event: an empty delta, finish_reason "stop" and usage.
void append_final_event(std::string& out, const Completion& c, std::int64_t completion_tokens,
                        std::string_view eol);

// {"object":"list","data":[{"object":"embedding","index":0,"embedding":[8 floats]}],...}
void append_embeddings(std::string& out, std::string_view model, std::int64_t prompt_tokens);

}  // namespace mock
