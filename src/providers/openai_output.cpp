// openai_output.cpp — OpenAI-shaped answers and stream chunks, written with JsonWriter.
#include "providers/openai_output.hpp"

#include "common/json_writer.hpp"

namespace sw::providers {

namespace {

std::int64_t as_int(std::uint64_t n) { return static_cast<std::int64_t>(n); }

void write_usage(JsonWriter& w, const OpenAiUsage& u) {
    w.key("usage").begin_object();
    w.key("prompt_tokens").integer(as_int(u.tokens.input_tokens));
    w.key("completion_tokens").integer(as_int(u.tokens.output_tokens));
    w.key("total_tokens").integer(as_int(u.tokens.total()));
    if (u.cached_tokens > 0)
        w.key("prompt_tokens_details").begin_object().key("cached_tokens").integer(as_int(u.cached_tokens)).end_object();
    if (u.reasoning_tokens > 0) {
        w.key("completion_tokens_details").begin_object();
        w.key("reasoning_tokens").integer(as_int(u.reasoning_tokens)).end_object();
    }
    w.end_object();
}

void write_tool_calls(JsonWriter& w, std::span<const OpenAiToolCall> calls, bool fragments) {
    w.key("tool_calls").begin_array();
    for (const OpenAiToolCall& t : calls) {
        w.begin_object();
        if (fragments) w.key("index").integer(t.index);
        if (t.id) w.key("id").string(*t.id).key("type").string("function");
        w.key("function").begin_object();
        if (t.name) w.key("name").string(*t.name);
        w.key("arguments").string(t.arguments).end_object().end_object();
    }
    w.end_array();
}

// The whole object: its head, each choice's message or delta between `index` and
// `finish_reason`, then the usage.
template <typename Body>
std::string write(const OpenAiHead& head, std::string_view object, std::span<const OpenAiChoice> choices,
                  const std::optional<OpenAiUsage>& usage, std::string_view body_key, Body body) {
    JsonWriter w;
    w.begin_object();
    w.key("id").string(head.id).key("object").string(object).key("created").integer(head.created);
    w.key("model").string(head.model).key("choices").begin_array();
    for (const OpenAiChoice& c : choices) {
        w.begin_object().key("index").integer(c.index).key(body_key).begin_object();
        body(w, c);
        w.end_object().key("finish_reason");
        if (c.finish_reason.empty()) w.null();
        else w.string(c.finish_reason);
        w.end_object();
    }
    w.end_array();
    if (usage) write_usage(w, *usage);
    w.end_object();
    return w.take();
}

}  // namespace

std::string write_chat_completion(const OpenAiHead& head, std::span<const OpenAiChoice> choices,
                                  const std::optional<OpenAiUsage>& usage) {
    return write(head, "chat.completion", choices, usage, "message", [](JsonWriter& w, const OpenAiChoice& c) {
        w.key("role").string("assistant").key("content");
        if (c.content) w.string(*c.content);
        else w.null();
        if (c.reasoning && !c.reasoning->empty()) w.key("reasoning_content").string(*c.reasoning);
        if (!c.tool_calls.empty()) write_tool_calls(w, c.tool_calls, false);
    });
}

std::string write_chat_chunk(const OpenAiHead& head, std::span<const OpenAiChoice> choices,
                             const std::optional<OpenAiUsage>& usage) {
    return write(head, "chat.completion.chunk", choices, usage, "delta", [](JsonWriter& w, const OpenAiChoice& c) {
        if (c.role) w.key("role").string(*c.role);
        if (c.content) w.key("content").string(*c.content);
        if (c.reasoning) w.key("reasoning_content").string(*c.reasoning);
        if (!c.tool_calls.empty()) write_tool_calls(w, c.tool_calls, true);
    });
}

}  // namespace sw::providers
