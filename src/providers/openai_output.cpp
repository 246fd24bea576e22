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
    if (u.cached_tokens > 0) {
        w.key("prompt_tokens_details").begin_object().key("cached_tokens").integer(as_int(u.cached_tokens)).end_object();
    }
    w.end_object();
}

// Opens the answer and its one choice, up to the choice's message or delta.
void open_choice(JsonWriter& w, std::string_view id, std::string_view object, std::int64_t created,
                 std::string_view model) {
    w.begin_object();
    w.key("id").string(id).key("object").string(object).key("created").integer(created).key("model").string(model);
    w.key("choices").begin_array().begin_object().key("index").integer(0);
}

// Closes the message or delta, then the choice with its finish reason, then the answer with
// its usage.
std::string close_choice(JsonWriter& w, std::string_view finish_reason, const std::optional<OpenAiUsage>& usage) {
    w.end_object().key("finish_reason");
    if (finish_reason.empty()) w.null();
    else w.string(finish_reason);
    w.end_object().end_array();
    if (usage) write_usage(w, *usage);
    w.end_object();
    return w.take();
}

}  // namespace

std::string write_chat_completion(const OpenAiCompletion& c) {
    JsonWriter w;
    open_choice(w, c.id, "chat.completion", c.created, c.model);
    w.key("message").begin_object().key("role").string("assistant").key("content");
    // OpenAI sends null content beside tool calls, and "" for an empty answer.
    if (c.content.empty() && !c.tool_calls.empty()) w.null();
    else w.string(c.content);
    if (!c.reasoning.empty()) w.key("reasoning_content").string(c.reasoning);
    if (!c.tool_calls.empty()) {
        w.key("tool_calls").begin_array();
        for (const OpenAiToolCall& t : c.tool_calls) {
            w.begin_object().key("id").string(t.id).key("type").string("function");
            w.key("function").begin_object().key("name").string(t.name).key("arguments").string(t.arguments);
            w.end_object().end_object();
        }
        w.end_array();
    }
    return close_choice(w, c.finish_reason, c.usage);
}

std::string write_chat_chunk(const OpenAiChunk& c) {
    JsonWriter w;
    open_choice(w, c.id, "chat.completion.chunk", c.created, c.model);
    w.key("delta").begin_object();
    if (c.role) w.key("role").string("assistant");
    if (!c.content.empty() || (c.role && !c.tool_call)) w.key("content").string(c.content);
    if (!c.reasoning.empty()) w.key("reasoning_content").string(c.reasoning);
    if (c.tool_call) {
        const OpenAiToolCallDelta& t = *c.tool_call;
        w.key("tool_calls").begin_array().begin_object().key("index").integer(t.index);
        if (!t.id.empty()) w.key("id").string(t.id).key("type").string("function");
        w.key("function").begin_object();
        if (!t.name.empty()) w.key("name").string(t.name);
        w.key("arguments").string(t.arguments);
        w.end_object().end_object().end_array();
    }
    return close_choice(w, c.finish_reason, c.usage);
}

}  // namespace sw::providers
