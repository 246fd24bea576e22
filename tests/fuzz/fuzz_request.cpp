// fuzz_request.cpp — a caller's request body through the request check (check_request, run on
// every request before routing) and the OpenAI request builder (build_request: the model
// rewrite, default and provider parameters, stream_options, vLLM's chat_template_kwargs), for
// chat and embeddings. The body comes from the application's users, so it is untrusted.
// If the body is valid JSON and the builder accepts it, the upstream body must be JSON too.
// Input: byte 0 (bit 0: embeddings; bit 1: provider kind vllm; bit 2: no model defaults), then
// the request body.
#include "fuzz_support.hpp"

#include "providers/adapter.hpp"
#include "providers/openai/openai_compat.hpp"

namespace {

sw::ProviderConfig make_provider(std::string_view kind) {
    sw::ProviderConfig p;
    p.name = "fuzz";
    p.type = kind;
    p.api_base = "https://api.openai.com/v1";
    p.model_name = "gpt-4o-mini";
    p.provider_params = {{"temperature", "0.2"}, {"enable_thinking", "true"},
                         {"chat_template_kwargs", R"({"x":1})"}};
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sw::providers;
    static const sw::ProviderConfig openai = make_provider("openai");
    static const sw::ProviderConfig vllm = make_provider("vllm");
    static const sw::ModelConfig model{"chat", "pool", {{"max_tokens", "256"}, {"stream_options", R"({"include_usage":false})"}}, std::nullopt};
    swfuzz::FuzzInput in(data, size);
    const std::uint8_t mode = in.byte();
    const Endpoint endpoint = (mode & 1) ? Endpoint::embeddings : Endpoint::chat_completions;
    const std::string_view body = in.rest();

    const RequestCheck check = check_request(endpoint, body);
    const UpstreamRequest upstream =
        build_request(endpoint, body, (mode & 2) ? vllm : openai, (mode & 4) ? nullptr : &model);
    if (upstream.ok() && swfuzz::is_json(body)) swfuzz::require_json(upstream.body, "build_request's body");
    // An accepted request names its model.
    if (check.error.empty() && check.model.empty()) std::abort();
    return 0;
}
