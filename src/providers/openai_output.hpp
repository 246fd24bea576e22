// openai_output.hpp — the one writer of OpenAI chat.completion and chat.completion.chunk JSON,
// which every adapter that translates another protocol's answers (Anthropic, Bedrock, Gemini)
// uses. The id and `created` come from the caller: the upstream's own id when it has one,
// otherwise the attempt's ResponseStamp (adapter.hpp), never a clock or random source here.
#pragma once

#include <switch/outcome.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sw::providers {

// Token counts in OpenAI's terms: prompt_tokens includes cached prompt tokens, which are also
// reported apart as prompt_tokens_details.cached_tokens when there are any; reasoning tokens
// likewise as completion_tokens_details.reasoning_tokens.
struct OpenAiUsage {
    TokenUsage tokens;
    std::uint64_t cached_tokens = 0;
    std::uint64_t reasoning_tokens = 0;
};

// What every answer and chunk of one attempt starts with.
struct OpenAiHead {
    std::string_view id;
    std::int64_t created = 0;  // unix seconds
    std::string_view model;
};

// A tool call: whole in an answer (id, name, arguments: "type":"function" is added), or a
// fragment in a chunk, where `index` numbers it among the choice's calls and the id and name
// come with the first fragment only (an unset one is omitted).
struct OpenAiToolCall {
    std::int64_t index = 0;  // chunks only
    std::optional<std::string_view> id;
    std::optional<std::string_view> name;
    std::string_view arguments;  // a JSON text, sent as a string as OpenAI does
};

// One choice: an answer's message or a chunk's delta. An unset member is omitted, except an
// answer's content, which is then null (as OpenAI sends it beside tool calls).
struct OpenAiChoice {
    std::int64_t index = 0;
    std::optional<std::string_view> role;  // chunks only; an answer's role is always "assistant"
    std::optional<std::string_view> content;
    std::optional<std::string_view> reasoning;  // reasoning_content
    std::span<const OpenAiToolCall> tool_calls;  // omitted when empty
    std::string_view finish_reason;              // null when empty
};

// A chat.completion; `usage` is written after the choices when given.
std::string write_chat_completion(const OpenAiHead& head, std::span<const OpenAiChoice> choices,
                                  const std::optional<OpenAiUsage>& usage);

// A chat.completion.chunk. No choices ("choices":[]) with a usage is OpenAI's final usage chunk.
std::string write_chat_chunk(const OpenAiHead& head, std::span<const OpenAiChoice> choices,
                             const std::optional<OpenAiUsage>& usage = std::nullopt);
inline std::string write_chat_chunk(const OpenAiHead& head, const OpenAiChoice& choice,
                                    const std::optional<OpenAiUsage>& usage = std::nullopt) {
    return write_chat_chunk(head, std::span<const OpenAiChoice>(&choice, 1), usage);
}

// A set view, or none when `s` is empty: for members that are omitted when empty.
inline std::optional<std::string_view> unless_empty(std::string_view s) {
    return s.empty() ? std::nullopt : std::optional<std::string_view>(s);
}

// An answer's content: null when it is empty and tool calls stand in for it, as OpenAI sends it.
inline std::optional<std::string_view> message_content(std::string_view text, bool has_tool_calls) {
    return text.empty() && has_tool_calls ? std::nullopt : std::optional<std::string_view>(text);
}

}  // namespace sw::providers
