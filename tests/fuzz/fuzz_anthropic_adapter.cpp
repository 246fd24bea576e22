// fuzz_anthropic_adapter.cpp — the Anthropic Messages adapter: its response parser (answers and
// error bodies, parse_messages_response), its stateful stream decoder (message_start,
// content_block_*, message_delta, errors, behind the real SSE parser) and its request
// translation (build_messages_body). Upstream bytes are untrusted, and the decoder keeps state
// across events (tool calls, usage), which is where mistakes hide. Input: fuzz_adapter.hpp.
#include "fuzz_adapter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sw;
    using namespace sw::providers;
    static const ProviderConfig provider = [] {
        ProviderConfig p;
        p.name = "claude";
        p.type = "anthropic";
        p.api_base = "https://api.anthropic.com";
        p.model_name = "claude-3-5-haiku-20241022";
        p.api_version = "2023-06-01";
        p.provider_params = {{"temperature", "0.2"}};
        return p;
    }();
    static const ModelConfig model{"chat", "pool", {{"max_tokens", "256"}}, std::nullopt};
    credentials::CredentialView credentials;
    credentials.kind = credentials::CredentialView::Kind::api_key;
    credentials.secret = "sk-ant-fuzz";
    const AttemptContext attempt{provider, &model, credentials, swfuzz::fuzz_time()};
    swfuzz::run_adapter(adapter_for(provider), attempt, data, size);
    return 0;
}
