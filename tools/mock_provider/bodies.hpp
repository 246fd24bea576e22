// bodies.hpp — what every dialect of the mock provider builds its answers from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mock {

// Appends s as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);

// The type, code and message an OpenAI-compatible provider gives with an HTTP status; other
// dialects reuse the message.
struct ErrorKind {
    std::string_view type;
    std::string_view code;
    std::string_view message;
};
ErrorKind default_error(int status);


// Identity of one answer: n makes the id unique, created is unix seconds.
struct Completion {
    std::uint64_t n;
    std::int64_t created;
    std::string_view model;
    std::int64_t prompt_tokens;
    std::string_view tool_call = {};  // the scenario's tool_call: the answer also calls this tool
    std::size_t inputs = 1;           // an embeddings request's texts: one embedding answers each
};

}  // namespace mock
