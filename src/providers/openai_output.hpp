// openai_output.hpp — writes OpenAI chat.completion and chat.completion.chunk JSON, for the
// adapters that translate another protocol's answers into the form the caller speaks.
#pragma once

#include <switch/outcome.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw::providers {

// Token counts in OpenAI's terms: prompt_tokens includes cached prompt tokens, which are also
// reported apart as prompt_tokens_details.cached_tokens when there are any.
struct OpenAiUsage {
    TokenUsage tokens;
    std::uint64_t cached_tokens = 0;
};

struct OpenAiToolCall {
    std::string id;
    std::string name;
    std::string arguments;  // a JSON text, sent as a string as OpenAI does
};

// A whole answer: one choice.
struct OpenAiCompletion {
    std::string id;
    std::string model;
    std::int64_t created = 0;  // unix seconds
    std::string content;       // written as null when empty and there are tool calls
    std::string reasoning;     // reasoning_content, omitted when empty
    std::vector<OpenAiToolCall> tool_calls;
    std::string finish_reason;  // null when empty
    std::optional<OpenAiUsage> usage;
};

std::string write_chat_completion(const OpenAiCompletion& c);

// What one chunk's delta carries: any mix of the members below, each omitted when empty.
struct OpenAiToolCallDelta {
    int index = 0;          // the tool call's position among this answer's tool calls
    std::string_view id;    // first fragment only
    std::string_view name;  // first fragment only
    std::string_view arguments;
};

struct OpenAiChunk {
    std::string_view id;
    std::string_view model;
    std::int64_t created = 0;
    bool role = false;  // "role":"assistant" (and "content":"" when there is no content)
    std::string_view content;
    std::string_view reasoning;
    std::optional<OpenAiToolCallDelta> tool_call;
    std::string_view finish_reason;  // null when empty
    std::optional<OpenAiUsage> usage;  // on the last chunk, next to the choice
};

std::string write_chat_chunk(const OpenAiChunk& c);

}  // namespace sw::providers
