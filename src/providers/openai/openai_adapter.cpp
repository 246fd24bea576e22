// openai_adapter.cpp — the Adapter for every OpenAI-compatible provider, on the functions of
// openai_compat.hpp.
#include "providers/adapter.hpp"
#include "providers/openai/openai_compat.hpp"

namespace sw::providers {

namespace {

// OpenAI-compatible streams need no state between events: each chunk is complete.
class OpenAiStreamDecoder final : public StreamDecoder {
public:
    ParsedChunk next(std::string_view event_type, std::string_view data) override {
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

class OpenAiAdapter final : public Adapter {
public:
    std::optional<PreparedRequest> prepare(Endpoint endpoint, std::string_view request_json,
                                           const AttemptContext& attempt, std::string& error) const override {
        const ProviderConfig& provider = attempt.provider;
        UpstreamRequest upstream = build_request(endpoint, request_json, provider, attempt.model);
        if (!upstream.ok()) {
            error = std::move(upstream.error);
            return std::nullopt;
        }
        // An API key and an OAuth access token both travel as a bearer token.
        return PreparedRequest{join_url(provider.api_base, endpoint),
                               request_headers(provider, attempt.credentials.secret), std::move(upstream.body)};
    }

    ParsedResponse parse_response_from(const AnswerContext&, Endpoint endpoint, int http_status,
                                       std::string_view body) const override {
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

    std::unique_ptr<StreamDecoder> open_stream(const AttemptContext&) const override {
        return std::make_unique<OpenAiStreamDecoder>();
    }
};

}  // namespace

const Adapter& openai_adapter() {
    static const OpenAiAdapter adapter;
    return adapter;
}

}  // namespace sw::providers
