// bedrock_request.cpp — an OpenAI chat request as a Bedrock Converse body.
#include "providers/bedrock/bedrock_converse.hpp"

#include "common/json_writer.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace sw::providers::bedrock {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Converse request members a caller may set through providerParams or defaultParameters (or the
// request itself): they are copied as they are.
constexpr std::string_view kNativeMembers[] = {"additionalModelRequestFields", "additionalModelResponseFieldPaths",
                                               "guardrailConfig", "performanceConfig", "promptVariables",
                                               "requestMetadata"};

// OpenAI members that do not change the answer and have no Converse counterpart.
constexpr std::string_view kIgnoredMembers[] = {"model", "stream", "stream_options", "user", "metadata", "store",
                                                "service_tier", "parallel_tool_calls"};

bool is_one_of(std::string_view key, const auto& list) {
    return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

bool is_null(element e) { return e.type() == element_type::NULL_VALUE; }

// A member that only has a neutral value here (0, false, null, 1, an empty object, "text"...),
// or else an error naming the feature that Converse cannot express.
struct Unsupported {
    std::string_view key;
    std::string_view feature;
};
constexpr Unsupported kUnsupported[] = {
    {"n", "several choices (n > 1)"},
    {"logprobs", "log probabilities (logprobs)"},
    {"top_logprobs", "log probabilities (top_logprobs)"},
    {"logit_bias", "token biases (logit_bias)"},
    {"presence_penalty", "presence_penalty"},
    {"frequency_penalty", "frequency_penalty"},
    {"seed", "deterministic sampling (seed)"},
    {"response_format", "structured output (response_format other than text)"},
    {"functions", "legacy function calling (functions; use tools)"},
    {"function_call", "legacy function calling (function_call; use tool_choice)"},
    {"audio", "audio output (audio)"},
    {"modalities", "output modalities other than text"},
    {"prediction", "predicted outputs (prediction)"},
    {"reasoning_effort", "reasoning_effort (set additionalModelRequestFields in providerParams instead)"},
    {"web_search_options", "web search (web_search_options)"},
};

bool neutral(std::string_view key, element value) {
    if (is_null(value)) return true;
    if (key == "n") return value.is_int64() && int64_t(value) == 1;
    if (key == "logprobs") return value.is_bool() && !bool(value);
    if (key == "presence_penalty" || key == "frequency_penalty") return value.is_number() && double(value) == 0;
    if (key == "logit_bias") return value.is_object() && object(value).size() == 0;
    if (key == "response_format") {
        std::string_view type;
        return value.is_object() && !value["type"].get(type) && type == "text";
    }
    if (key == "modalities") {
        if (!value.is_array()) return false;
        for (element m : array(value)) {
            std::string_view s;
            if (m.get(s) || s != "text") return false;
        }
        return true;
    }
    return false;
}

// The text of a string, or of an array of {"type":"text","text"} parts; null is "".
bool plain_text(element content, std::string& out, std::string_view where, std::string& error) {
    out.clear();
    if (is_null(content)) return true;
    std::string_view s;
    if (!content.get(s)) {
        out.assign(s);
        return true;
    }
    array parts;
    if (content.get(parts)) {
        error = std::string(where) + " content must be a string or an array of parts";
        return false;
    }
    for (element part : parts) {
        std::string_view type, text;
        if (part["type"].get(type) || (type != "text" && type != "refusal")) {
            error = std::string(where) + " content may hold text parts only; Bedrock Converse cannot take " +
                    (type.empty() ? std::string("this part") : "a \"" + std::string(type) + "\" part") + " there";
            return false;
        }
        if (part[type].get(text)) {
            error = std::string(where) + " content part has no text";
            return false;
        }
        out.append(text);
    }
    return true;
}

std::string text_block(std::string_view text) {
    JsonWriter w;
    w.begin_object().key("text").string(text).end_object();
    return w.take();
}

// data:image/png;base64,.... as a Converse image block.
bool image_block(element part, std::string& block, std::string& error) {
    std::string_view url;
    if (part["image_url"]["url"].get(url) && part["image_url"].get(url)) {
        error = "an image_url part has no url";
        return false;
    }
    constexpr std::string_view prefix = "data:image/";
    const std::size_t marker = url.find(";base64,");
    if (url.substr(0, prefix.size()) != prefix || marker == std::string_view::npos) {
        error = "image_url with a remote URL: Bedrock Converse takes images inline only (a data:image/...;base64 URL)";
        return false;
    }
    std::string format(url.substr(prefix.size(), marker - prefix.size()));
    if (format == "jpg") format = "jpeg";
    if (format != "png" && format != "jpeg" && format != "gif" && format != "webp") {
        error = "image_url of type image/" + format + ": Bedrock Converse takes png, jpeg, gif and webp";
        return false;
    }
    JsonWriter w;
    w.begin_object().key("image").begin_object().key("format").string(format);
    w.key("source").begin_object().key("bytes").string(url.substr(marker + 8)).end_object();
    w.end_object().end_object();
    block = w.take();
    return true;
}

// One Converse message under construction; consecutive OpenAI messages of the same Converse
// role are merged into one, as Converse wants roles to alternate (tool results, one OpenAI
// message each, all belong in one user turn).
struct Turn {
    std::string_view role;
    std::vector<std::string> blocks;
};

void add_blocks(std::vector<Turn>& turns, std::string_view role, std::vector<std::string>&& blocks) {
    if (blocks.empty()) return;  // Converse rejects blank content; an empty message says nothing
    if (turns.empty() || turns.back().role != role) turns.push_back({role, {}});
    for (std::string& b : blocks) turns.back().blocks.push_back(std::move(b));
}

bool user_blocks(element content, std::vector<std::string>& blocks, std::string& error) {
    std::string_view s;
    if (!content.get(s)) {
        if (!s.empty()) blocks.push_back(text_block(s));
        return true;
    }
    array parts;
    if (content.get(parts)) {
        error = "user content must be a string or an array of parts";
        return false;
    }
    for (element part : parts) {
        std::string_view type, text;
        if (part["type"].get(type)) type = {};
        if (type == "text") {
            if (part["text"].get(text)) {
                error = "a text content part has no text";
                return false;
            }
            if (!text.empty()) blocks.push_back(text_block(text));
        } else if (type == "image_url") {
            std::string block;
            if (!image_block(part, block, error)) return false;
            blocks.push_back(std::move(block));
        } else {
            error = "a \"" + std::string(type) + "\" content part: Bedrock Converse (through this adapter) takes text and inline images";
            return false;
        }
    }
    return true;
}

bool tool_use_blocks(element tool_calls, std::vector<std::string>& blocks, std::string& error) {
    array calls;
    if (tool_calls.get(calls)) {
        error = "tool_calls must be an array";
        return false;
    }
    thread_local simdjson::dom::parser arguments_parser;
    for (element call : calls) {
        std::string_view id, name, arguments;
        if (call["id"].get(id) || call["function"]["name"].get(name)) {
            error = "every tool call needs an id and a function name";
            return false;
        }
        if (call["function"]["arguments"].get(arguments)) arguments = "";
        std::string input = "{}";
        if (!arguments.empty()) {
            element parsed;
            if (arguments_parser.parse(arguments.data(), arguments.size()).get(parsed)) {
                error = "the arguments of tool call \"" + std::string(id) + "\" are not valid JSON";
                return false;
            }
            input = simdjson::minify(parsed);
        }
        JsonWriter w;
        w.begin_object().key("toolUse").begin_object().key("toolUseId").string(id).key("name").string(name);
        w.key("input").raw(input).end_object().end_object();
        blocks.push_back(w.take());
    }
    return true;
}

struct Conversation {
    std::vector<Turn> turns;
    std::vector<std::string> system;
    bool has_tool_blocks = false;
};

bool translate_message(element message, Conversation& c, std::string& error) {
    std::string_view role;
    if (message["role"].get(role)) {
        error = "every message needs a role";
        return false;
    }
    element content;
    const bool has_content = !message["content"].get(content);
    std::vector<std::string> blocks;
    std::string text;
    if (role == "system" || role == "developer") {
        if (!has_content || !plain_text(content, text, role, error)) {
            if (error.empty()) error = std::string(role) + " message has no content";
            return false;
        }
        if (!text.empty()) c.system.push_back(text_block(text));
        return true;
    }
    if (role == "user") {
        if (!has_content) {
            error = "a user message has no content";
            return false;
        }
        if (!user_blocks(content, blocks, error)) return false;
        add_blocks(c.turns, "user", std::move(blocks));
        return true;
    }
    if (role == "assistant") {
        if (has_content && !plain_text(content, text, "assistant", error)) return false;
        if (!text.empty()) blocks.push_back(text_block(text));
        element calls;
        const std::size_t text_blocks = blocks.size();
        if (!message["tool_calls"].get(calls) && !is_null(calls) && !tool_use_blocks(calls, blocks, error)) return false;
        if (blocks.size() > text_blocks) c.has_tool_blocks = true;
        element legacy;
        if (!message["function_call"].get(legacy) && !is_null(legacy)) {
            error = "legacy function calling (an assistant function_call; use tool_calls)";
            return false;
        }
        add_blocks(c.turns, "assistant", std::move(blocks));
        return true;
    }
    if (role == "tool") {
        std::string_view id;
        if (message["tool_call_id"].get(id)) {
            error = "a tool message has no tool_call_id";
            return false;
        }
        if (has_content && !plain_text(content, text, "tool", error)) return false;
        JsonWriter w;
        w.begin_object().key("toolResult").begin_object().key("toolUseId").string(id);
        w.key("content").begin_array().begin_object().key("text").string(text).end_object().end_array();
        w.end_object().end_object();
        blocks.push_back(w.take());
        c.has_tool_blocks = true;
        add_blocks(c.turns, "user", std::move(blocks));
        return true;
    }
    error = role == "function" ? std::string("legacy function messages (role \"function\"; use tool messages)")
                               : "unknown message role \"" + std::string(role) + "\"";
    return false;
}

bool write_tools(JsonWriter& w, element tools, element choice, bool has_choice, bool has_tool_blocks,
                 std::string& error) {
    std::string_view choice_name;
    if (has_choice && !choice.get(choice_name) && choice_name == "none") {
        // Converse cannot forbid tool use; without the tools the model cannot call any. But a
        // conversation that holds tool calls must come with its tools.
        if (has_tool_blocks) {
            error = "tool_choice \"none\" in a conversation that holds tool calls: Bedrock Converse needs the "
                    "tools then, and has no way to forbid calling them";
            return false;
        }
        return true;
    }
    array list;
    if (tools.get(list)) {
        error = "tools must be an array";
        return false;
    }
    w.key("toolConfig").begin_object().key("tools").begin_array();
    for (element tool : list) {
        std::string_view type = "function", name, description;
        if (tool["type"].get(type)) type = "function";  // OpenAI's only tool type, when absent
        if (type != "function" || tool["function"]["name"].get(name)) {
            error = type != "function" ? "a tool of type \"" + std::string(type) + "\": Bedrock Converse takes functions only"
                                       : std::string("every tool needs a function name");
            return false;
        }
        w.begin_object().key("toolSpec").begin_object().key("name").string(name);
        if (!tool["function"]["description"].get(description) && !description.empty())
            w.key("description").string(description);
        element parameters;
        w.key("inputSchema").begin_object().key("json");
        if (!tool["function"]["parameters"].get(parameters) && parameters.is_object())
            w.raw(simdjson::minify(parameters));
        else
            w.raw(R"({"type":"object","properties":{}})");
        w.end_object().end_object().end_object();
    }
    w.end_array();
    if (has_choice && !is_null(choice)) {
        std::string_view forced;
        if (choice_name == "auto") {
            w.key("toolChoice").raw(R"({"auto":{}})");
        } else if (choice_name == "required") {
            w.key("toolChoice").raw(R"({"any":{}})");
        } else if (!choice["function"]["name"].get(forced)) {
            w.key("toolChoice").begin_object().key("tool").begin_object().key("name").string(forced).end_object().end_object();
        } else {
            error = "tool_choice must be \"auto\", \"required\", \"none\" or a function";
            return false;
        }
    }
    w.end_object();
    return true;
}

bool write_inference_config(JsonWriter& w, const object& root, std::string& error) {
    element max_tokens, temperature, top_p, stop;
    const bool has_max = (!root["max_completion_tokens"].get(max_tokens) && !is_null(max_tokens)) ||
                         (!root["max_tokens"].get(max_tokens) && !is_null(max_tokens));
    const bool has_temperature = !root["temperature"].get(temperature) && !is_null(temperature);
    const bool has_top_p = !root["top_p"].get(top_p) && !is_null(top_p);
    const bool has_stop = !root["stop"].get(stop) && !is_null(stop);
    if (!(has_max || has_temperature || has_top_p || has_stop)) return true;
    w.key("inferenceConfig").begin_object();
    if (has_max) {
        double v = 0;
        if (max_tokens.get(v) || v < 1 || v != std::floor(v) || v > 2147483647.0) {
            error = "max_tokens must be a positive whole number";
            return false;
        }
        w.key("maxTokens").integer(static_cast<std::int64_t>(v));
    }
    for (auto [present, value, name, converse] : {std::tuple{has_temperature, temperature, "temperature", "temperature"},
                                                  std::tuple{has_top_p, top_p, "top_p", "topP"}}) {
        double v = 0;
        if (!present) continue;
        if (value.get(v)) {
            error = std::string(name) + " must be a number";
            return false;
        }
        w.key(converse).number(v);
    }
    if (has_stop) {
        w.key("stopSequences").begin_array();
        std::string_view one;
        array many;
        if (!stop.get(one)) {
            w.string(one);
        } else if (!stop.get(many)) {
            for (element s : many) {
                if (s.get(one)) {
                    error = "stop must be a string or an array of strings";
                    return false;
                }
                w.string(one);
            }
        } else {
            error = "stop must be a string or an array of strings";
            return false;
        }
        w.end_array();
    }
    w.end_object();
    return true;
}

// The request with the parameters it does not set added: defaults, then providerParams (the
// later wins); the request's own members always win.
std::string merged_request(std::string_view request_json, const object& request, const ProviderConfig& provider,
                           const ModelConfig* model) {
    std::string extra;
    std::vector<std::string_view> taken;
    auto add = [&](const std::vector<JsonMember>& members) {
        for (const JsonMember& m : members) {
            if (request[m.key].error() != simdjson::NO_SUCH_FIELD) continue;
            if (std::find(taken.begin(), taken.end(), m.key) != taken.end()) continue;
            taken.push_back(m.key);
            append_json_string(extra, m.key);
            extra.append(":").append(m.json).append(",");
        }
    };
    add(provider.provider_params);
    if (model) add(model->default_parameters);
    if (extra.empty()) return std::string(request_json);
    const std::size_t open = request_json.find('{');
    std::string merged = "{" + extra;
    if (request.size() == 0) merged.back() = '}';
    else merged.append(request_json.substr(open + 1));
    return merged;
}

}  // namespace

ConverseRequest build_converse_request(std::string_view request_json, const ProviderConfig& provider,
                                       const ModelConfig* model) {
    ConverseRequest out;
    thread_local simdjson::dom::parser parser;
    element doc;
    object root;
    if (parser.parse(request_json.data(), request_json.size()).get(doc) || doc.get(root)) {
        out.error = "the request body is not a JSON object";
        return out;
    }
    std::string merged;
    if (!provider.provider_params.empty() || (model && !model->default_parameters.empty())) {
        merged = merged_request(request_json, root, provider, model);
        if (parser.parse(merged.data(), merged.size()).get(doc) || doc.get(root)) {
            out.error = "providerParams or defaultParameters do not form a valid request";
            return out;
        }
    }
    bool stream = false;
    if (!root["stream"].get(stream)) out.stream = stream;

    std::vector<std::string_view> native;
    for (auto [key, value] : root) {
        if (key == "messages" || key == "tools" || key == "tool_choice" || key == "max_tokens" ||
            key == "max_completion_tokens" || key == "temperature" || key == "top_p" || key == "stop" ||
            is_one_of(key, kIgnoredMembers))
            continue;
        if (is_one_of(key, kNativeMembers)) {
            native.push_back(key);
            continue;
        }
        const auto* u = std::find_if(std::begin(kUnsupported), std::end(kUnsupported),
                                     // An init-capture: clang 14 (the fuzz build) cannot capture a structured binding.
                                     [&name = key](const Unsupported& x) { return x.key == name; });
        if (u == std::end(kUnsupported)) {
            out.error = "the parameter \"" + std::string(key) + "\" has no Bedrock Converse counterpart";
            return out;
        }
        if (!neutral(key, value)) {
            out.error = std::string(u->feature) + " cannot be expressed in Bedrock Converse";
            return out;
        }
    }

    array messages;
    if (root["messages"].get(messages) || messages.size() == 0) {
        out.error = "messages must be a non-empty array";
        return out;
    }
    Conversation conversation;
    for (element message : messages)
        if (!translate_message(message, conversation, out.error)) return out;
    if (conversation.turns.empty()) {
        out.error = "the conversation has no message with content (Converse rejects blank messages)";
        return out;
    }

    JsonWriter w;
    w.begin_object().key("messages").begin_array();
    for (const Turn& turn : conversation.turns) {
        w.begin_object().key("role").string(turn.role).key("content").begin_array();
        for (const std::string& block : turn.blocks) w.raw(block);
        w.end_array().end_object();
    }
    w.end_array();
    if (!conversation.system.empty()) {
        w.key("system").begin_array();
        for (const std::string& block : conversation.system) w.raw(block);
        w.end_array();
    }
    if (!write_inference_config(w, root, out.error)) return out;
    element tools, choice;
    const bool has_tools = !root["tools"].get(tools) && !is_null(tools) && !(tools.is_array() && array(tools).size() == 0);
    const bool has_choice = !root["tool_choice"].get(choice);
    if (has_tools) {
        if (!write_tools(w, tools, choice, has_choice, conversation.has_tool_blocks, out.error)) return out;
    } else if (conversation.has_tool_blocks) {
        out.error = "the conversation holds tool calls or results but the request defines no tools; Bedrock "
                    "Converse needs them (send tools)";
        return out;
    }
    for (std::string_view key : native) w.key(key).raw(simdjson::minify(root[key].value_unsafe()));
    w.end_object();
    out.body = w.take();
    return out;
}

}  // namespace sw::providers::bedrock
