// adapter_registry.cpp — which Adapter speaks each provider kind's protocol.
#include "providers/adapter.hpp"
#include "transport/aws_event_stream.hpp"
#include "transport/sse_parser.hpp"

namespace sw::providers {

const Adapter& adapter_for(ProviderKind kind) {
    switch (kind) {
        case ProviderKind::anthropic: return anthropic_adapter();
        case ProviderKind::bedrock: return bedrock_adapter();
        case ProviderKind::google: return gemini_adapter();
        case ProviderKind::vertex: return vertex_adapter();
        case ProviderKind::azure: return azure_adapter();
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
