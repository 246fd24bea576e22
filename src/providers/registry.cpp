// registry.cpp — which adapter speaks each protocol, and the framer for each stream framing.
#include "providers/registry.hpp"

#include "transport/aws_event_stream.hpp"
#include "transport/sse_parser.hpp"

#include <array>

namespace sw::providers {

namespace {

// In the order of the Protocol enumerators, so that an entry is found by index.
const std::array<ProtocolEntry, 6> kProtocols = {{
    {Protocol::openai, openai_adapter},
    {Protocol::azure, azure_adapter},
    {Protocol::anthropic, anthropic_adapter},
    {Protocol::bedrock, bedrock_adapter},
    {Protocol::gemini, gemini_adapter},
    {Protocol::vertex, vertex_adapter},
}};

}  // namespace

const ProtocolEntry& protocol_entry(Protocol protocol) noexcept {
    return kProtocols[static_cast<std::size_t>(protocol)];
}

const Adapter& adapter_for(std::string_view type) noexcept {
    const ProviderSpec* spec = find_provider_spec(type);
    return protocol_entry(spec ? spec->protocol : Protocol::openai).adapter();
}

const Adapter& adapter_for(const ProviderConfig& provider) noexcept { return adapter_for(provider.type); }

std::unique_ptr<transport::EventFramer> make_framer(StreamFraming framing, transport::EventFramer::EventCallback on_event) {
    switch (framing) {
        case StreamFraming::sse: return std::make_unique<transport::SseParser>(std::move(on_event));
        case StreamFraming::aws_event_stream: return std::make_unique<transport::AwsEventStreamParser>(std::move(on_event));
    }
    return nullptr;
}

}  // namespace sw::providers
