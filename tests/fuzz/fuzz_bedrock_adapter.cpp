// fuzz_bedrock_adapter.cpp — the Bedrock Converse adapter: its response parser (Converse
// answers and Bedrock error bodies, parse_converse_response), its ConverseStream decoder (behind
// the real AWS event-stream framer in mode 1, directly in mode 2, since mutated bytes rarely pass
// the framer's CRCs) and its request translation with SigV4 signing (prepare). Input:
// fuzz_adapter.hpp's format.
#include "fuzz_adapter.hpp"

#include "credentials/resolver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sw;
    using namespace sw::providers;
    static const ProviderConfig provider = [] {
        ProviderConfig p;
        p.name = "bedrock";
        p.type = "bedrock";
        p.model_name = "anthropic.claude-3-5-sonnet-20241022-v2:0";
        p.provider_params = {{"temperature", "0.2"}};
        return p;
    }();
    static const ModelConfig model{"chat", "pool", {{"max_tokens", "256"}}, std::nullopt};
    static const credentials::AwsKeys keys = [] {
        credentials::AwsKeys k;
        k.region = "us-east-1";
        k.access_key_id = Secret("AKIDEXAMPLE");
        k.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        return k;
    }();
    credentials::CredentialView credentials;
    credentials.kind = credentials::CredentialView::Kind::aws;
    credentials.aws = &keys;
    const AttemptContext attempt{provider, &model, credentials, swfuzz::fuzz_time()};
    swfuzz::run_adapter(adapter_for(provider), attempt, data, size);
    return 0;
}
