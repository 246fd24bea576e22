// adapter_registry.cpp — which Adapter speaks each provider kind's protocol.
#include "providers/adapter.hpp"
#include "transport/aws_event_stream.hpp"
#include "transport/sse_parser.hpp"

namespace sw::providers {

namespace {

// The kinds whose native protocol is not implemented yet: every attempt fails with a plain
// reason (a protocol failure, so the request fails over to a provider that works).
class NotYetSupported final : public Adapter {
public:
    std::optional<PreparedRequest> prepare(Endpoint, std::string_view, const AttemptContext& attempt,
                                           std::string& error) const override {
        error = "provider \"" + std::string(to_string(attempt.provider.kind)) +
                "\" needs its native protocol adapter, which this build does not have yet";
        return std::nullopt;
    }
    ParsedResponse parse_response(Endpoint, int, std::string_view) const override { return {}; }
    std::unique_ptr<StreamDecoder> open_stream(const AttemptContext&) const override { return nullptr; }
};

}  // namespace

const Adapter& adapter_for(ProviderKind kind) {
    static const NotYetSupported not_yet;
    switch (kind) {
        case ProviderKind::anthropic: return not_yet;
        case ProviderKind::bedrock: return bedrock_adapter();
        case ProviderKind::google: return gemini_adapter();
        case ProviderKind::vertex: return vertex_adapter();
        case ProviderKind::azure: return not_yet;
        case ProviderKind::openai:
        case ProviderKind::together:
        case ProviderKind::groq:
        case ProviderKind::mistral:
        case ProviderKind::runpod:
        case ProviderKind::alibaba:
        case ProviderKind::vllm:
        case ProviderKind::ollama:
        case ProviderKind::custom: return openai_adapter();
    }
    return openai_adapter();
}

std::unique_ptr<transport::EventFramer> make_framer(StreamFraming framing, transport::EventFramer::EventCallback on_event) {
    switch (framing) {
        case StreamFraming::sse: return std::make_unique<transport::SseParser>(std::move(on_event));
        case StreamFraming::aws_event_stream: return std::make_unique<transport::AwsEventStreamParser>(std::move(on_event));
    }
    return nullptr;
}

}  // namespace sw::providers
