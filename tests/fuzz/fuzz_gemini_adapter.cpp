// fuzz_gemini_adapter.cpp — the Gemini (and Vertex AI) adapter: its response parser
// (generateContent answers, blocked prompts, Google error bodies: translate_response,
// read_error), its stream decoder (streamGenerateContent?alt=sse behind the real SSE parser)
// and its request translation (translate_request, with JSON-schema conversion for tools). One
// byte picks the Gemini API or Vertex AI, then fuzz_adapter.hpp's format.
#include "fuzz_adapter.hpp"

namespace {

sw::ProviderConfig make_provider(std::string_view kind) {
    sw::ProviderConfig p;
    p.name = "gemini";
    p.type = kind;
    p.api_base = kind == "vertex" ? "" : "https://generativelanguage.googleapis.com";
    p.model_name = "gemini-2.0-flash";
    p.provider_params = {{"temperature", "0.2"}};
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sw;
    using namespace sw::providers;
    static const ProviderConfig providers[] = {make_provider("google"), make_provider("vertex")};
    static const ModelConfig model{"chat", "pool", {{"max_tokens", "256"}}, std::nullopt};
    if (size == 0) return 0;
    const ProviderConfig& provider = providers[data[0] % 2];
    credentials::CredentialView credentials;
    credentials.kind = provider.type == "vertex" ? credentials::CredentialView::Kind::bearer_token
                                                             : credentials::CredentialView::Kind::api_key;
    credentials.secret = "fuzz-token";
    credentials.project = "fuzz-project";
    credentials.location = "us-central1";
    const AttemptContext attempt{provider, &model, credentials, swfuzz::fuzz_time()};
    swfuzz::run_adapter(adapter_for(provider), attempt, data + 1, size - 1);
    return 0;
}
