// legacy_completions.cpp — see legacy_completions.hpp.
#include "legacy_completions.hpp"

#include "common/json_writer.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace server {

namespace {

// Members of a completions request that a chat model has no equivalent for, and why. They are
// never sent on, and refused unless they ask for nothing.
struct Unsupported {
    std::string_view member;
    std::string_view why;
};
constexpr std::array<Unsupported, 4> kUnsupported = {{
    {"echo", "echoing the prompt back is not supported: chat models answer without repeating it"},
    {"suffix", "\"suffix\" (insertion) is not supported by chat models"},
    {"logprobs", "\"logprobs\" is not supported on /v1/completions; use /v1/chat/completions with \"logprobs\""},
    {"best_of", "\"best_of\" above 1 is not supported: ask for \"n\" answers instead"},
}};

// null, false, or best_of 1: what a client sends when it wants none of it.
bool asks_for_nothing(std::string_view member, simdjson::dom::element value) {
    bool b = false;
    std::int64_t n = 0;
    return value.is_null() || (!value.get(b) && !b) || (member == "best_of" && !value.get(n) && n == 1);
}

template <class Parent>
std::string_view string_or_empty(Parent parent, std::string_view key) {
    std::string_view s;
    if (parent[key].get(s)) return {};
    return s;
}

}  // namespace

std::string chat_request_from_completion(std::string_view body, std::string& error) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::object request;
    if (parser.parse(body.data(), body.size()).get(request)) {
        error = "the request body is not a JSON object";
        return {};
    }
    simdjson::dom::element prompt;
    if (request["prompt"].get(prompt)) {
        error = "\"prompt\" is required";
        return {};
    }
    std::string_view text;
    if (prompt.is_array()) {
        simdjson::dom::array prompts = prompt.get_array();
        if (prompts.size() != 1 || prompts.at(0).get(text)) {
            error = "\"prompt\" must be a string or an array of one string: several prompts and token arrays are "
                    "not supported; send one request per prompt";
            return {};
        }
    } else if (prompt.get(text)) {
        error = "\"prompt\" must be a string";
        return {};
    }
    sw::JsonWriter w;
    w.begin_object();
    for (auto [key, value] : request) {
        if (key == "prompt") continue;
        const auto unsupported = std::find_if(kUnsupported.begin(), kUnsupported.end(),
                                              [key = key](const Unsupported& u) { return u.member == key; });
        if (unsupported == kUnsupported.end()) {
            w.key(key).raw(simdjson::minify(value));
        } else if (!asks_for_nothing(key, value)) {
            error = std::string(unsupported->why);
            return {};
        }
    }
    w.key("messages").begin_array().begin_object().key("role").string("user").key("content").string(text);
    w.end_object().end_array().end_object();
    return w.take();
}

std::string completion_from_chat(std::string_view chat_json) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::object chat;
    simdjson::dom::array choices;
    if (parser.parse(chat_json.data(), chat_json.size()).get(chat) || chat["choices"].get(choices))
        return std::string(chat_json);
    sw::JsonWriter w;
    w.begin_object();
    w.key("id").string(string_or_empty(chat, "id")).key("object").string("text_completion");
    std::int64_t created = 0;
    if (!chat["created"].get(created)) w.key("created").integer(created);
    w.key("model").string(string_or_empty(chat, "model"));
    w.key("choices").begin_array();
    std::int64_t position = 0;
    for (simdjson::dom::element choice : choices) {
        std::int64_t index = position++;
        if (choice["index"].get(index)) index = position - 1;  // absent: its place in the list
        simdjson::dom::element message;
        std::string_view text;
        if (!choice["message"].get(message) || !choice["delta"].get(message)) text = string_or_empty(message, "content");
        w.begin_object().key("text").string(text).key("index").integer(index).key("logprobs").null();
        w.key("finish_reason");
        std::string_view finish;
        if (!choice["finish_reason"].get(finish)) w.string(finish);
        else w.null();
        w.end_object();
    }
    w.end_array();
    simdjson::dom::element usage;
    if (!chat["usage"].get(usage) && !usage.is_null()) w.key("usage").raw(simdjson::minify(usage));
    return w.end_object().take();
}

}  // namespace server
