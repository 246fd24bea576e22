// legacy_completions.hpp — OpenAI's legacy `/v1/completions` over the router's chat completions:
// the prompt becomes one user message, and each answer (whole, or a stream's chunks) is written
// back in the `text_completion` shape (docs/server.md, "Legacy completions").
#pragma once

#include <string>
#include <string_view>

namespace server {

// A completions request as a chat request: `prompt` (a string, or an array of one string) becomes
// the user message, and every other member is kept. Empty with `error` set when the request asks
// for what a chat model cannot give: `echo`, `suffix`, `logprobs`, `best_of` above 1, token
// arrays, or several prompts.
std::string chat_request_from_completion(std::string_view body, std::string& error);

// A chat completion (or a stream's chat.completion.chunk) as a text_completion object: each
// choice's message content (or delta) becomes its `text`. Anything else (an error chunk) is
// returned as it is.
std::string completion_from_chat(std::string_view chat_json);

}  // namespace server
