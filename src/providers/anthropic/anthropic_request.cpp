// anthropic_request.cpp — the caller's OpenAI chat request as an Anthropic Messages request:
// system messages, content parts, tools and tool results, parameters.
#include "providers/anthropic/anthropic.hpp"

#include "common/json_writer.hpp"
#include "providers/header_lines.hpp"
#include "providers/openai/openai_compat.hpp"
#include "providers/specs.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace sw::providers::anthropic {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Why a request cannot be sent; the first reason wins. Reasons name a field by its path, never
// its content, which may be the user's data.
class Failure {
public:
    bool set(std::string reason) {
        if (reason_.empty()) reason_ = std::move(reason);
        return false;
    }
    bool failed() const { return !reason_.empty(); }
    std::string take() { return std::move(reason_); }

private:
    std::string reason_;
};

// A value quoted in an error: only a name-like value (a role, a part type) is shown, as anything
// else may be the caller's data.
std::string quoted(std::string_view value) {
    const bool name_like = !value.empty() && value.size() <= 40 &&
                           std::all_of(value.begin(), value.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                           });
    return name_like ? "\"" + std::string(value) + "\"" : std::string("(not shown)");
}

std::string_view string_or_empty(element e) {
    std::string_view s;
    if (e.get_string().get(s)) return {};
    return s;
}

bool is_null(element e) { return e.type() == element_type::NULL_VALUE; }

bool is_true(element e) {
    bool b = false;
    return !e.get_bool().get(b) && b;
}

bool is_false(element e) {
    bool b = true;
    return !e.get_bool().get(b) && !b;
}

// Whether a parameter Anthropic lacks is at the value that asks for nothing: null, false, zero,
// or an empty object.
bool is_neutral(element e) {
    double number = 1;
    object members;
    switch (e.type()) {
        case element_type::NULL_VALUE: return true;
        case element_type::BOOL: return is_false(e);
        case element_type::INT64:
        case element_type::UINT64:
        case element_type::DOUBLE: return !e.get_double().get(number) && number == 0.0;
        case element_type::OBJECT: return !e.get_object().get(members) && members.size() == 0;
        default: return false;
    }
}

void add_block(std::string& blocks, const JsonWriter& block) {
    if (!blocks.empty()) blocks.push_back(',');
    blocks.append(block.str());
}

// Anthropic's prompt-caching marker, which some OpenAI-compatible clients put on content parts.
void copy_cache_control(JsonWriter& w, element part) {
    element cache;
    if (!part["cache_control"].get(cache) && !is_null(cache)) w.key("cache_control").raw(simdjson::minify(cache));
}

// An empty text block is an error for Anthropic; an empty string says nothing, so it is left out.
void add_text_block(std::string& blocks, std::string_view text, element part) {
    if (text.empty()) return;
    JsonWriter w;
    w.begin_object().key("type").string("text").key("text").string(text);
    if (part.type() == element_type::OBJECT) copy_cache_control(w, part);
    w.end_object();
    add_block(blocks, w);
}

// image_url with a data: URL (base64) or an http(s) URL.
bool add_image_block(std::string& blocks, element part, const std::string& path, Failure& failure) {
    element image;
    std::string_view url;
    if (part["image_url"].get(image) || (image.get_string().get(url) && image["url"].get_string().get(url)))
        return failure.set(path + ".image_url.url must be a string");
    JsonWriter w;
    w.begin_object().key("type").string("image").key("source").begin_object();
    if (url.starts_with("data:")) {
        const std::size_t comma = url.find(',');
        const std::string_view meta = url.substr(5, comma == std::string_view::npos ? 0 : comma - 5);
        if (comma == std::string_view::npos || !meta.ends_with(";base64") || meta.size() == 7)
            return failure.set(path + ".image_url.url: Anthropic takes data: URLs only as data:<media type>;base64,...");
        w.key("type").string("base64").key("media_type").string(meta.substr(0, meta.size() - 7));
        w.key("data").string(url.substr(comma + 1));
    } else if (url.starts_with("https://") || url.starts_with("http://")) {
        w.key("type").string("url").key("url").string(url);
    } else {
        return failure.set(path + ".image_url.url: Anthropic takes images as data: (base64) or http(s) URLs only");
    }
    w.end_object();
    copy_cache_control(w, part);
    w.end_object();
    add_block(blocks, w);
    return true;
}

// A message's content: a string, null, or an array of parts. `images` says whether image parts
// are allowed (user messages and tool results), otherwise only text (and refusal) parts are.
bool add_content_blocks(std::string& blocks, element content, const std::string& path, bool images, Failure& failure) {
    if (is_null(content)) return true;
    std::string_view text;
    if (!content.get_string().get(text)) {
        add_text_block(blocks, text, content);
        return true;
    }
    array parts;
    if (content.get_array().get(parts)) return failure.set(path + " must be a string or an array of content parts");
    std::size_t j = 0;
    for (element part : parts) {
        const std::string part_path = fmt::format("{}[{}]", path, j++);
        std::string_view type;
        if (part["type"].get_string().get(type)) return failure.set(part_path + ".type must be a string");
        if (type == "text" || type == "refusal") {
            std::string_view part_text;
            if (part[type].get_string().get(part_text))
                return failure.set(fmt::format("{}.{} must be a string", part_path, type));
            add_text_block(blocks, part_text, part);
        } else if (type == "image_url" && images) {
            if (!add_image_block(blocks, part, part_path, failure)) return false;
        } else {
            return failure.set(fmt::format("{}: content parts of type {} are not supported by Anthropic here",
                                           part_path, quoted(type)));
        }
    }
    return true;
}

// OpenAI sends tool arguments as a JSON string; Anthropic wants the object itself.
bool add_tool_use_blocks(std::string& blocks, element tool_calls, const std::string& path, Failure& failure) {
    if (is_null(tool_calls)) return true;
    array calls;
    if (tool_calls.get_array().get(calls)) return failure.set(path + " must be an array");
    thread_local simdjson::dom::parser arguments_parser;
    std::size_t j = 0;
    for (element call : calls) {
        const std::string call_path = fmt::format("{}[{}]", path, j++);
        std::string_view type = "function", id, name, arguments;
        if (call["type"].get_string().get(type)) type = "function";  // OpenAI's only type, often omitted
        if (type != "function")
            return failure.set(
                fmt::format("{}: tool calls of type {} are not supported by Anthropic", call_path, quoted(type)));
        if (call["id"].get_string().get(id)) return failure.set(call_path + ".id must be a string");
        if (call["function"]["name"].get_string().get(name))
            return failure.set(call_path + ".function.name must be a string");
        if (call["function"]["arguments"].get_string().get(arguments)) arguments = {};
        std::string input = "{}";
        if (arguments.find_first_not_of(" \t\r\n") != std::string_view::npos) {
            element parsed;
            if (arguments_parser.parse(arguments.data(), arguments.size()).get(parsed) ||
                parsed.type() != element_type::OBJECT)
                return failure.set(call_path +
                                   ".function.arguments must hold a JSON object, as Anthropic's tool input is one");
            input = simdjson::minify(parsed);
        }
        JsonWriter w;
        w.begin_object().key("type").string("tool_use").key("id").string(id).key("name").string(name);
        w.key("input").raw(input).end_object();
        add_block(blocks, w);
    }
    return true;
}

bool add_tool_result_block(std::string& blocks, element message, const std::string& path, Failure& failure) {
    std::string_view id;
    if (message["tool_call_id"].get_string().get(id)) return failure.set(path + ".tool_call_id must be a string");
    JsonWriter w;
    w.begin_object().key("type").string("tool_result").key("tool_use_id").string(id);
    element content;
    std::string_view text;
    if (message["content"].get(content) || is_null(content)) {
        // No content: an empty result.
    } else if (!content.get_string().get(text)) {
        w.key("content").string(text);
    } else {
        std::string inner;
        if (!add_content_blocks(inner, content, path + ".content", true, failure)) return false;
        w.key("content").raw("[" + inner + "]");
    }
    w.end_object();
    add_block(blocks, w);
    return true;
}

// One Anthropic turn: consecutive OpenAI messages that map to the same role are merged, so
// that tool results, and a user message after them, form one user turn as Anthropic expects.
struct Turn {
    std::string_view role;
    std::string blocks;
};

struct Messages {
    std::vector<Turn> turns;
    std::string system;  // text blocks, comma-separated
};

bool translate_messages(element messages, Messages& out, Failure& failure) {
    array list;
    if (messages.get_array().get(list)) return failure.set("messages must be an array");
    std::size_t i = 0;
    for (element message : list) {
        const std::string path = fmt::format("messages[{}]", i++);
        std::string_view role;
        if (message.type() != element_type::OBJECT) return failure.set(path + " must be an object");
        if (message["role"].get_string().get(role)) return failure.set(path + ".role must be a string");
        element content;
        const bool has_content = !message["content"].get(content);  // absent means null
        std::string blocks;
        std::string_view anthropic_role = "user";
        if (role == "system" || role == "developer") {
            // Anthropic has one system prompt, beside the messages: system messages are moved
            // there in order, wherever they stand.
            if (has_content && !add_content_blocks(out.system, content, path + ".content", false, failure))
                return false;
            continue;
        } else if (role == "user") {
            if (has_content && !add_content_blocks(blocks, content, path + ".content", true, failure)) return false;
        } else if (role == "assistant") {
            anthropic_role = "assistant";
            if (has_content && !add_content_blocks(blocks, content, path + ".content", false, failure)) return false;
            element calls;
            if (!message["tool_calls"].get(calls) && !add_tool_use_blocks(blocks, calls, path + ".tool_calls", failure))
                return false;
            if (!message["function_call"].get(calls) && !is_null(calls))
                return failure.set(path + ".function_call: the legacy function_call is not supported; use tool_calls");
        } else if (role == "tool") {
            if (!add_tool_result_block(blocks, message, path, failure)) return false;
        } else {
            return failure.set(fmt::format("{}.role {} is not supported by Anthropic", path, quoted(role)));
        }
        if (blocks.empty()) continue;  // nothing to say (e.g. an empty string)
        if (!out.turns.empty() && out.turns.back().role == anthropic_role) {
            out.turns.back().blocks.append(",").append(blocks);
        } else {
            out.turns.push_back(Turn{anthropic_role, std::move(blocks)});
        }
    }
    if (out.turns.empty())
        return failure.set("Anthropic needs at least one non-empty user or assistant message besides system messages");
    return true;
}

bool write_tools(JsonWriter& w, element tools, Failure& failure) {
    array list;
    if (tools.get_array().get(list)) return failure.set("tools must be an array");
    w.key("tools").begin_array();
    std::size_t i = 0;
    for (element tool : list) {
        const std::string path = fmt::format("tools[{}]", i++);
        std::string_view type, name;
        if (tool["type"].get_string().get(type) || type != "function")
            return failure.set(fmt::format("{}: tools of type {} are not supported by Anthropic", path, quoted(type)));
        element function, parameters;
        if (tool["function"].get(function) || function["name"].get_string().get(name))
            return failure.set(path + ".function.name must be a string");
        w.begin_object().key("name").string(name);
        std::string_view description;
        if (!function["description"].get_string().get(description) && !description.empty())
            w.key("description").string(description);
        // Anthropic requires a schema; a function without parameters takes none.
        if (function["parameters"].get(parameters) || is_null(parameters))
            w.key("input_schema").raw(R"({"type":"object","properties":{}})");
        else
            w.key("input_schema").raw(simdjson::minify(parameters));
        w.end_object();
    }
    w.end_array();
    return true;
}

// tool_choice: auto, none, required (any) or one named function (tool); parallel_tool_calls
// false becomes disable_parallel_tool_use.
bool write_tool_choice(JsonWriter& w, std::optional<element> choice, bool no_parallel, Failure& failure) {
    std::string_view mode, name;
    if (choice) {
        if (!choice->get_string().get(mode)) {
            if (mode == "required") mode = "any";
            else if (mode != "auto" && mode != "none")
                return failure.set(fmt::format("tool_choice {} is not supported by Anthropic", quoted(mode)));
        } else if ((*choice)["function"]["name"].get_string().get(name)) {
            return failure.set(
                "tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":...}}");
        } else {
            mode = "tool";
        }
    } else if (no_parallel) {
        mode = "auto";
    } else {
        return true;
    }
    w.key("tool_choice").begin_object().key("type").string(mode);
    if (mode == "tool") w.key("name").string(name);
    if (no_parallel && mode != "none") w.key("disable_parallel_tool_use").boolean(true);
    w.end_object();
    return true;
}

// The parameters OpenAI has and Anthropic lacks, accepted at their neutral value only.
constexpr std::string_view kNeutralOnly[] = {"n",        "presence_penalty", "frequency_penalty", "logprobs",
                                              "top_logprobs", "logit_bias",  "audio"};

bool check_unsupported(std::string_view key, element value, Failure& failure) {
    for (std::string_view name : kNeutralOnly) {
        if (key != name) continue;
        std::int64_t n = 0;
        if (key == "n" ? (is_null(value) || (!value.get_int64().get(n) && n == 1)) : is_neutral(value)) return true;
        return failure.set(fmt::format("{} is not supported by Anthropic (only its neutral value is accepted)", key));
    }
    if (key == "response_format") {
        std::string_view type;
        if (is_null(value) || (!value["type"].get_string().get(type) && type == "text")) return true;
        return failure.set("response_format other than {\"type\":\"text\"} is not supported by Anthropic");
    }
    if (key == "modalities") {
        array list;
        if (is_null(value)) return true;
        if (!value.get_array().get(list))
            for (element m : list)
                if (string_or_empty(m) != "text")
                    return failure.set("modalities other than \"text\" are not supported by Anthropic");
        return true;
    }
    if ((key == "functions" || key == "function_call") && !is_null(value))
        return failure.set(fmt::format("the legacy {} parameter is not supported; use tools and tool_choice", key));
    return true;
}

}  // namespace

std::string messages_url(std::string_view api_base) { return join_url(api_base, "messages"); }

std::vector<std::string> request_headers(const ProviderConfig& provider, std::string_view api_key) {
    // Content-Type and the configured headers; Anthropic takes the key in x-api-key, not as a
    // bearer token.
    std::vector<std::string> headers = providers::request_headers(provider, {});
    if (!api_key.empty()) add_header_unless_configured(headers, provider, "x-api-key", api_key);
    const std::string_view version = provider.api_version.empty()
                                         ? default_api_version(Protocol::anthropic)
                                         : std::string_view(provider.api_version);
    add_header_unless_configured(headers, provider, "anthropic-version", version);
    return headers;
}

bool build_messages_body(std::string_view request_json, const ProviderConfig& provider, const ModelConfig* model,
                         std::string& body, std::string& error) {
    // The shared builder applies defaults and parameters exactly as for every other provider
    // and validates the basics; its OpenAI body is then translated.
    UpstreamRequest merged = build_request(Endpoint::chat_completions, request_json, provider, model);
    if (!merged.ok()) {
        error = std::move(merged.error);
        return false;
    }
    thread_local simdjson::dom::parser parser;
    object root;
    if (parser.parse(merged.body).get_object().get(root)) {
        error = "request body is not valid JSON";
        return false;
    }

    Failure failure;
    Messages messages;
    std::optional<element> max_tokens, max_completion_tokens, tool_choice, tools;
    bool no_parallel = false, stream = false;
    JsonWriter extras;  // the members after the messages, in request order
    extras.begin_object();
    for (auto [key, value] : root) {
        if (key == "messages") {
            translate_messages(value, messages, failure);
        } else if (key == "max_tokens") {
            max_tokens = value;
        } else if (key == "max_completion_tokens") {
            max_completion_tokens = value;
        } else if (key == "temperature" || key == "top_p" || key == "top_k" || key == "thinking") {
            if (!is_null(value)) extras.key(key).raw(simdjson::minify(value));
        } else if (key == "stop") {
            std::string_view one;
            if (!value.get_string().get(one)) extras.key("stop_sequences").begin_array().string(one).end_array();
            else if (value.type() == element_type::ARRAY) extras.key("stop_sequences").raw(simdjson::minify(value));
            else if (!is_null(value)) failure.set("stop must be a string or an array of strings");
        } else if (key == "stream") {
            stream = is_true(value);
        } else if (key == "user") {
            std::string_view user;
            if (!value.get_string().get(user))
                extras.key("metadata").begin_object().key("user_id").string(user).end_object();
        } else if (key == "tools") {
            if (!is_null(value)) tools = value;
        } else if (key == "tool_choice") {
            if (!is_null(value)) tool_choice = value;
        } else if (key == "parallel_tool_calls") {
            no_parallel = is_false(value);
        } else {
            check_unsupported(key, value, failure);  // anything else is dropped (docs/providers/anthropic.md)
        }
        if (failure.failed()) break;
    }
    if (tools && !failure.failed()) write_tools(extras, *tools, failure);
    if (!failure.failed()) write_tool_choice(extras, tool_choice, no_parallel && tools, failure);
    if (stream) extras.key("stream").boolean(true);
    extras.end_object();

    // max_completion_tokens is OpenAI's newer name for max_tokens, and wins when both are given.
    if (max_completion_tokens && is_null(*max_completion_tokens)) max_completion_tokens.reset();
    const std::optional<element> limit = max_completion_tokens ? max_completion_tokens : max_tokens;
    std::int64_t max = kDefaultMaxTokens;
    if (limit && !is_null(*limit) && (limit->get_int64().get(max) || max < 1))
        failure.set("max_tokens must be a positive integer");
    if (failure.failed()) {
        error = failure.take();
        return false;
    }

    JsonWriter w;
    w.begin_object().key("model").string(provider.model_name).key("max_tokens").integer(max);
    if (!messages.system.empty()) w.key("system").raw("[" + messages.system + "]");
    w.key("messages").begin_array();
    for (const Turn& turn : messages.turns)
        w.begin_object().key("role").string(turn.role).key("content").raw("[" + turn.blocks + "]").end_object();
    w.end_array();
    body = w.take();
    // Splice the extras' members in after the messages.
    const std::string& rest = extras.str();
    if (rest.size() > 2) body.insert(body.size(), "," + rest.substr(1, rest.size() - 2));
    body.push_back('}');
    return true;
}

}  // namespace sw::providers::anthropic
