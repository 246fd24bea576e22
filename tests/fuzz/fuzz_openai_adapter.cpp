// fuzz_openai_adapter.cpp — the OpenAI-compatible family's response parser (chat completions,
// embeddings, error bodies: parse_chat_response, parse_embeddings_response, parse_error_body),
// its stream decoder (parse_stream_chunk behind the real SSE parser) and its request builder
// (build_request), for the kinds openai, vllm (chat_template_kwargs merging) and azure (its
// content-filter wrapper). Every upstream byte is untrusted: a gateway or a broken proxy can
// send anything. Input: one byte picks the kind, then fuzz_adapter.hpp's format.
#include "fuzz_adapter.hpp"

namespace {

using namespace sw;
using namespace sw::providers;

ProviderConfig make_provider(std::string_view kind) {
    ProviderConfig p;
    p.name = "fuzz";
    p.type = kind;
    p.api_base = kind == "azure" ? "https://fuzz.openai.azure.com" : "https://api.openai.com/v1";
    p.model_name = "gpt-4o-mini";
    p.api_version = kind == "azure" ? "2024-10-21" : "";
    p.provider_params = {{"temperature", "0.2"}};
    if (kind == "vllm") p.provider_params.push_back({"enable_thinking", "false"});
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const ProviderConfig providers[] = {make_provider("openai"), make_provider("vllm"),
                                               make_provider("azure")};
    static const ModelConfig model{"chat", "pool", {{"max_tokens", "256"}, {"stream_options", R"({"include_usage":true})"}}, std::nullopt};
    if (size == 0) return 0;
    const ProviderConfig& provider = providers[data[0] % 3];
    credentials::CredentialView credentials;
    credentials.kind = credentials::CredentialView::Kind::api_key;
    credentials.secret = "sk-fuzz";
    const AttemptContext attempt{provider, &model, credentials, swfuzz::fuzz_time()};
    swfuzz::run_adapter(adapter_for(provider), attempt, data + 1, size - 1);
    return 0;
}
