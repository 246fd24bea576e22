// chat.cpp — `switchctl chat`: one routed request, printed as text or as OpenAI JSON with a
// `switch` object that shows how it was served.
#include "args.hpp"
#include "commands.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include "common/json_writer.hpp"

#include <simdjson.h>

#include <cstdio>
#include <optional>

namespace switchctl {

namespace {

constexpr const char* kChatUsage = "usage: switchctl chat [-c FILE] -m MODEL [--stream] [--json] MESSAGE\n";

// A string member of one chunk: `choices[0].delta.content` or the top-level `model`; "" if absent.
std::string chunk_string(std::string_view chunk, std::string_view member) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(chunk.data(), chunk.size()).get(root)) return {};
    std::string_view text;
    const auto found = member == "model" ? root["model"].get(text)
                                         : root["choices"].at(0)["delta"]["content"].get(text);
    return found ? std::string() : std::string(text);
}

// The whole answer as one OpenAI chat.completion object plus the `switch` trace. `served_model`
// is the model the chunks name: the one that served, never the virtual model asked for.
std::string json_answer(const sw::ChatResponse& r, bool streamed, const std::string& served_model) {
    std::string trace = r.trace_json();
    if (!streamed && !r.body.empty() && r.body.back() == '}') {
        // The provider's own body, verbatim, with the trace added as one more member.
        std::string body = r.body;
        body.pop_back();
        return body + ",\"switch\":" + trace + "}";
    }
    sw::JsonWriter w;
    w.begin_object().key("object").string("chat.completion").key("model").string(served_model);
    w.key("choices").begin_array().begin_object().key("index").integer(0);
    w.key("message").begin_object().key("role").string("assistant").key("content").string(r.text).end_object();
    w.key("finish_reason").string(r.finish_reason).end_object().end_array();
    w.key("usage").begin_object();
    w.key("prompt_tokens").integer(static_cast<std::int64_t>(r.usage.input_tokens));
    w.key("completion_tokens").integer(static_cast<std::int64_t>(r.usage.output_tokens));
    w.key("total_tokens").integer(static_cast<std::int64_t>(r.usage.total())).end_object();
    w.key("switch").raw(trace).end_object();
    return w.take();
}

}  // namespace

int run_chat(const std::vector<std::string>& args) {
    int exit_code = kExitUsage;
    auto parsed = parse_model_message("chat", args, kChatUsage, {"--stream"}, exit_code);
    if (!parsed) return exit_code;
    const std::string& file = parsed->file;
    const std::string& model = parsed->model;
    const std::string& message = parsed->message;
    const bool stream = parsed->flags.count("--stream") > 0, json = parsed->json;
    sw::LoadResult loaded = file.empty() ? sw::load_config_default() : sw::load_config_file(file);
    if (!loaded.ok()) {
        std::fputs(sw::format_diagnostics_text(loaded).c_str(), stderr);
        return kExitFailure;
    }

    sw::JsonWriter request;
    request.begin_object().key("model").string(model).key("stream").boolean(stream);
    request.key("messages").begin_array().begin_object().key("role").string("user");
    request.key("content").string(message).end_object().end_array().end_object();

    sw::Router router(loaded.config);
    sw::ChatResponse r;
    std::string served_model;
    if (stream) {
        // Text mode prints each delta as it arrives; JSON mode prints the whole answer at the end.
        r = router.chat_stream(request.str(), [json, &served_model](std::string_view chunk) {
            if (json) {
                if (served_model.empty()) served_model = chunk_string(chunk, "model");
                return;
            }
            std::string text = chunk_string(chunk, "content");
            std::fwrite(text.data(), 1, text.size(), stdout);
            std::fflush(stdout);
        });
        if (!json && r.ok()) std::fputc('\n', stdout);
    } else {
        r = router.chat(request.str());
    }
    if (!r.ok()) {
        if (stream && !json) std::fputc('\n', stdout);
        std::fprintf(stderr, "switchctl chat: %s (status %d, class %s)\n", r.error.c_str(), r.status,
                     std::string(sw::to_string(r.error_class)).c_str());
        if (json) std::puts(r.trace_json().c_str());
        return kExitFailure;
    }
    if (json) std::puts(json_answer(r, stream, served_model).c_str());
    else if (!stream) std::puts(r.text.c_str());
    return kExitOk;
}

}  // namespace switchctl
