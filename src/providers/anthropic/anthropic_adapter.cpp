// anthropic_adapter.cpp — the Adapter for provider type "anthropic" (the Messages API), on the
// functions of anthropic.hpp.
#include "providers/adapter.hpp"
#include "providers/anthropic/anthropic.hpp"

namespace sw::providers {

namespace {

class AnthropicAdapter final : public Adapter {
public:
    std::optional<PreparedRequest> prepare(Endpoint endpoint, std::string_view request_json,
                                           const AttemptContext& attempt, std::string& error) const override {
        if (endpoint == Endpoint::embeddings) {
            error = "Anthropic has no embeddings endpoint";
            return std::nullopt;
        }
        PreparedRequest out;
        if (!anthropic::build_messages_body(request_json, attempt.provider, attempt.model, out.body, error))
            return std::nullopt;
        out.url = anthropic::messages_url(attempt.provider.api_base);
        out.headers = anthropic::request_headers(attempt.provider, attempt.credentials.secret);
        return out;
    }

    ParsedResponse parse_response_from(const AnswerContext& answer, Endpoint, int http_status,
                                       std::string_view body) const override {
        // Anthropic's answers carry no timestamp: the attempt's stamp gives it.
        return anthropic::parse_messages_response(http_status, body, answer.stamp.created);
    }

    std::unique_ptr<StreamDecoder> open_stream(const AttemptContext& attempt) const override {
        return anthropic::make_stream_decoder(attempt.stamp.created);
    }
};

}  // namespace

const Adapter& anthropic_adapter() {
    static const AnthropicAdapter adapter;
    return adapter;
}

}  // namespace sw::providers
