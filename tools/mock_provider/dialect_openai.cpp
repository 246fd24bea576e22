// dialect_openai.cpp — OpenAI's chat completions and embeddings, the mock's first dialect.
#include "dialect.hpp"

#include <fmt/format.h>

#include <iterator>

namespace mock {

namespace {

std::string openai_error_body(std::string_view message, std::string_view type, std::string_view code) {
    std::string out = R"({"error":{"message":)";
    append_json_string(out, message);
    out += R"(,"type":)";
    append_json_string(out, type);
    out += R"(,"param":null,"code":)";
    append_json_string(out, code);
    out += "}}";
    return out;
}

void append_openai_completion(std::string& out, const Completion& c, std::int64_t completion_tokens) {
    fmt::format_to(std::back_inserter(out), R"({{"id":"chatcmpl-mock-{}","object":"chat.completion","created":{},"model":)",
                   c.n, c.created);
    append_json_string(out, c.model);
    out += R"(,"choices":[{"index":0,"message":{"role":"assistant","content":)";
    std::string content = "Hello from the mock (";
    content.append(c.model).append(").");
    append_json_string(out, content);
    if (!c.tool_call.empty()) {
        fmt::format_to(std::back_inserter(out), R"(,"tool_calls":[{{"id":"call_mock_{}","type":"function","function":{{"name":)", c.n);
        append_json_string(out, c.tool_call);
        out += R"(,"arguments":"{\"query\":\"mock\"}"}}])";
    }
    fmt::format_to(std::back_inserter(out),
                   R"(}},"finish_reason":"{}"}}],"usage":{{"prompt_tokens":{},"completion_tokens":{},"total_tokens":{}}}}})",
                   c.tool_call.empty() ? "stop" : "tool_calls", c.prompt_tokens, completion_tokens,
                   c.prompt_tokens + completion_tokens);
}

void append_chunk_head(std::string& out, const Completion& c) {
    fmt::format_to(std::back_inserter(out),
                   R"(data: {{"id":"chatcmpl-mock-{}","object":"chat.completion.chunk","created":{},"model":)", c.n,
                   c.created);
    append_json_string(out, c.model);
}

void append_chunk_event(std::string& out, const Completion& c, std::int64_t index, bool malformed,
                        std::string_view eol) {
    append_chunk_head(out, c);
    if (malformed) {
        // Cut inside the choices array: a parser must reject this line, not guess.
        out += R"(,"choices":[{"index":0,"delta":{"content":"tok)";
    } else {
        out += R"(,"choices":[{"index":0,"delta":{)";
        if (index == 1) out += R"("role":"assistant",)";
        fmt::format_to(std::back_inserter(out), R"("content":"tok{} "}},"finish_reason":null}}]}})", index);
    }
    out.append(eol).append(eol);
}

void append_final_event(std::string& out, const Completion& c, std::int64_t completion_tokens,
                        std::string_view eol) {
    if (!c.tool_call.empty()) {
        // The tool call, its arguments cut in two as a model streams them.
        append_chunk_head(out, c);
        fmt::format_to(std::back_inserter(out),
                       R"(,"choices":[{{"index":0,"delta":{{"tool_calls":[{{"index":0,"id":"call_mock_{}","type":"function","function":{{"name":)",
                       c.n);
        append_json_string(out, c.tool_call);
        out += R"(,"arguments":"{\"query\":"}}]},"finish_reason":null}]})";
        out.append(eol).append(eol);
        append_chunk_head(out, c);
        out += R"(,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"mock\"}"}}]},"finish_reason":null}]})";
        out.append(eol).append(eol);
    }
    append_chunk_head(out, c);
    fmt::format_to(std::back_inserter(out),
                   R"(,"choices":[{{"index":0,"delta":{{}},"finish_reason":"{}"}}],"usage":{{"prompt_tokens":{},"completion_tokens":{},"total_tokens":{}}}}})",
                   c.tool_call.empty() ? "stop" : "tool_calls", c.prompt_tokens, completion_tokens,
                   c.prompt_tokens + completion_tokens);
    out.append(eol).append(eol);
}

void append_openai_embeddings(std::string& out, std::string_view model, std::int64_t prompt_tokens,
                              std::size_t inputs) {
    out += R"({"object":"list","data":[)";
    for (std::size_t i = 0; i < inputs; ++i) {
        // A fixed unit-length-ish vector: tests compare it exactly, so it never depends on the input.
        fmt::format_to(std::back_inserter(out), R"({}{{"object":"embedding","index":{},"embedding":[)", i ? "," : "", i);
        out += "0.125,-0.25,0.375,-0.5,0.0625,0.75,-0.0625,0.1]}";
    }
    out += R"(],"model":)";
    append_json_string(out, model);
    fmt::format_to(std::back_inserter(out), R"(,"usage":{{"prompt_tokens":{},"total_tokens":{}}}}})", prompt_tokens,
                   prompt_tokens);
}


class OpenAiDialect final : public Dialect {
public:
    std::string_view name() const override { return "openai"; }

    bool match(std::string_view path, std::string_view, RouteMatch& out) const override {
        out.embeddings = path == "/v1/embeddings";
        return out.embeddings || path == "/v1/chat/completions";
    }

    void error_reply(const ScriptedError& e, Reply& r) const override {
        ErrorKind kind;
        std::string message;
        r.status = e.status;
        switch (e.fault) {
            case Fault::redirect: kind = {"redirect", "redirect", ""}; message = "Moved (mock)."; break;
            case Fault::context_length:
                kind = {"invalid_request_error", "context_length_exceeded", ""};
                message = "This model's maximum context length is 8192 tokens. However, your messages resulted in "
                          "9000 tokens. Please reduce the length of the messages.";
                break;
            case Fault::content_policy:
                kind = {"invalid_request_error", "content_policy_violation", ""};
                message = "Your request was rejected as a result of our safety system: the prompt was flagged "
                          "for violence (mock).";
                break;
            case Fault::quota:
                kind = {"insufficient_quota", "insufficient_quota", ""};
                message = "You exceeded your current quota, please check your plan and billing details (mock).";
                break;
            case Fault::status:
                kind = default_error(e.status);
                message = kind.message;
                break;
        }
        r.body = openai_error_body(e.message.empty() ? std::string_view(message) : e.message,
                                   e.type.empty() ? kind.type : e.type, e.code.empty() ? kind.code : e.code);
    }

    void append_completion(std::string& out, const Completion& c, std::int64_t completion_tokens) const override {
        append_openai_completion(out, c, completion_tokens);
    }
    void append_embeddings(std::string& out, const Completion& c) const override {
        append_openai_embeddings(out, c.model, c.prompt_tokens, c.inputs);
    }
    void append_stream_chunk(std::string& out, const Completion& c, std::int64_t index, bool malformed,
                             std::string_view eol) const override {
        append_chunk_event(out, c, index, malformed, eol);
    }
    void append_stream_close(std::string& out, const Completion& c, std::int64_t completion_tokens, bool end_marker,
                             std::string_view eol) const override {
        append_final_event(out, c, completion_tokens, eol);
        if (end_marker) out.append("data: [DONE]").append(eol).append(eol);
    }
};

}  // namespace

const Dialect& openai_dialect() {
    static const OpenAiDialect dialect;
    return dialect;
}

}  // namespace mock
