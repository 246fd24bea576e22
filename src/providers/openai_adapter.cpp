// openai_adapter.cpp — the Adapter for every OpenAI-compatible provider, on the functions of
// openai_compat.hpp, and the check of the caller's request (which is always OpenAI's format).
#include "providers/adapter.hpp"
#include "providers/openai_compat.hpp"

#include <simdjson.h>

namespace sw::providers {

namespace {

class OpenAiAdapter final : public Adapter {
public:
    std::optional<PreparedRequest> prepare(Endpoint endpoint, std::string_view request_json,
                                           const ProviderConfig& provider, const ModelConfig* model,
                                           std::string_view api_key, std::string& error) const override {
        UpstreamRequest upstream = build_request(endpoint, request_json, provider, model);
        if (!upstream.ok()) {
            error = std::move(upstream.error);
            return std::nullopt;
        }
        return PreparedRequest{join_url(provider.api_base, endpoint), request_headers(provider, api_key),
                               std::move(upstream.body)};
    }

    ParsedResponse parse_response(Endpoint endpoint, int http_status, std::string_view body) const override {
        ParsedResponse out;
        if (http_status < 200 || http_status >= 300) {
            Outcome outcome;
            parse_error_body(body, outcome);
            out.error_type = std::move(outcome.error_type);
            out.error_code = std::move(outcome.error_code);
            out.error_message = std::move(outcome.error_message);
            return out;
        }
        std::string error;
        if (endpoint == Endpoint::embeddings) {
            EmbeddingsResponse r;
            out.parsed = parse_embeddings_response(body, r, error);
            out.usage = r.usage;
            return out;
        }
        ChatResponse r;
        out.parsed = parse_chat_response(body, r, error);
        // A 200 that carries an error object is not an answer.
        if (r.error.present) {
            out.parsed = false;
            out.error_type = r.error.type;
            out.error_code = r.error.code;
            out.error_message = r.error.message;
        }
        out.text = std::move(r.content);
        out.finish_reason = std::move(r.finish_reason);
        out.usage = r.usage;
        return out;
    }

    ParsedChunk parse_chunk(std::string_view event_type, std::string_view data) const override {
        ParsedChunk out;
        (void)event_type;  // OpenAI-compatible streams use only the default event type
        StreamChunk chunk;
        std::string error;
        if (!parse_stream_chunk(data, chunk, error)) {
            out.malformed = true;
            return out;
        }
        out.done = chunk.done;
        out.has_content = chunk.has_content;
        out.content = std::move(chunk.content);
        out.finish_reason = std::move(chunk.finish_reason);
        if (chunk.has_usage) out.usage = chunk.usage;
        if (chunk.error.present) {
            out.has_error = true;
            out.error_type = chunk.error.type;
            out.error_code = chunk.error.code;
            out.error_message = chunk.error.message;
        }
        return out;
    }
};

// The kinds whose native protocol is not implemented yet: every attempt fails with a plain
// reason (a protocol failure, so the request fails over to a provider that works).
class NotYetSupported final : public Adapter {
public:
    std::optional<PreparedRequest> prepare(Endpoint, std::string_view, const ProviderConfig& provider, const ModelConfig*,
                                           std::string_view, std::string& error) const override {
        error = "provider \"" + std::string(to_string(provider.kind)) +
                "\" needs its native protocol adapter, which this build does not have yet";
        return std::nullopt;
    }
    ParsedResponse parse_response(Endpoint, int, std::string_view) const override { return {}; }
    ParsedChunk parse_chunk(std::string_view, std::string_view) const override { return {}; }
};

}  // namespace

const Adapter& adapter_for(ProviderKind kind) {
    static const OpenAiAdapter openai;
    static const NotYetSupported not_yet;
    if (is_openai_compatible(kind)) return openai;
    return not_yet;
}

RequestCheck check_request(Endpoint endpoint, std::string_view request_json) {
    RequestCheck check;
    thread_local simdjson::ondemand::parser parser;
    simdjson::padded_string padded(request_json);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) {
        check.error = "the request body must be a JSON object";
        return check;
    }
    bool has_messages = false, has_input = false;
    std::uint64_t max_tokens = 0;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key)) {
            check.error = "the request body is not valid JSON";
            return check;
        }
        auto value = field.value();
        if (key == "model") {
            std::string_view model;
            if (value.get_string().get(model)) {
                check.error = "\"model\" must be a string";
                return check;
            }
            check.model = std::string(model);
        } else if (key == "stream") {
            bool stream = false;
            if (!value.get_bool().get(stream)) check.stream = stream;
        } else if (key == "messages") {
            simdjson::ondemand::array messages;
            if (!value.get_array().get(messages)) {
                std::size_t count = 0;
                if (!messages.count_elements().get(count)) has_messages = count > 0;
            }
        } else if (key == "input") {
            has_input = true;
        } else if (key == "max_tokens" || key == "max_completion_tokens") {
            std::uint64_t n = 0;
            if (!value.get_uint64().get(n)) max_tokens = n;
        }
    }
    if (check.model.empty()) check.error = "the request has no \"model\"";
    else if (endpoint == Endpoint::chat_completions && !has_messages)
        check.error = "the request needs a non-empty \"messages\" array";
    else if (endpoint == Endpoint::embeddings && !has_input)
        check.error = "the request needs \"input\"";
    // About four bytes of JSON per prompt token; a conservative estimate is enough for the
    // token bucket, which is corrected from the reported usage afterwards.
    check.estimated_tokens = request_json.size() / 4 + max_tokens;
    return check;
}

}  // namespace sw::providers
