// gemini_request.cpp — an OpenAI chat request as a generateContent body: parameters, tools and
// the generation config. The messages are translated by gemini_messages.cpp.
#include "providers/gemini/gemini.hpp"
#include "providers/gemini/gemini_detail.hpp"

#include "common/json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace sw::providers::gemini {

namespace {

using detail::Element;
using detail::minified;
using simdjson::dom::element_type;

// OpenAI sampling parameters that map one to one onto generationConfig fields.
struct Mapped {
    std::string_view openai, gemini;
    bool integer;
};
constexpr std::array kMapped{
    Mapped{"max_tokens", "maxOutputTokens", true},   Mapped{"temperature", "temperature", false},
    Mapped{"top_p", "topP", false},                  Mapped{"top_k", "topK", true},
    Mapped{"n", "candidateCount", true},             Mapped{"presence_penalty", "presencePenalty", false},
    Mapped{"frequency_penalty", "frequencyPenalty", false}, Mapped{"seed", "seed", true},
};

// Fields that say nothing Gemini needs: the model is in the URL, streaming in the method, and
// Gemini always reports usage and may call functions in parallel.
constexpr std::array<std::string_view, 8> kIgnored{"model",         "user", "store", "metadata", "service_tier",
                                                  "parallel_tool_calls", "stream_options", "stream"};

// Gemini's own top-level fields, passed through verbatim from providerParams or the request.
constexpr std::array<std::string_view, 3> kNative{"safetySettings", "cachedContent", "labels"};

// OpenAI features Gemini's protocol cannot express here, with the reason the caller reads.
struct Rejected {
    std::string_view key, reason;
};
constexpr std::array kRejected{
    Rejected{"logit_bias", "Gemini has no token biases"},
    Rejected{"logprobs", "the google adapter does not translate Gemini's log probabilities"},
    Rejected{"top_logprobs", "the google adapter does not translate Gemini's log probabilities"},
    Rejected{"audio", "the google adapter does not produce audio output"},
    Rejected{"prediction", "Gemini has no predicted outputs"},
    Rejected{"web_search_options", "the google adapter does not map web search to Gemini's grounding tools"},
    Rejected{"functions", "legacy functions are not translated; use tools"},
    Rejected{"function_call", "legacy function_call is not translated; use tool_choice"},
};

template <typename Array>
bool contains(const Array& keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// A value a caller leaves unset by sending its zero form: false, null, {} or [].
bool is_unset(Element value) {
    bool b = true;
    if (!value.get(b)) return !b;
    if (value.is_null()) return true;
    simdjson::dom::object o;
    if (!value.get(o)) return o.size() == 0;
    simdjson::dom::array a;
    if (!value.get(a)) return a.size() == 0;
    return false;
}

bool is_number(Element v) {
    const auto t = v.type();
    return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

// The request with the parameters it does not set itself appended: providerParams first, then
// the model's defaults, so that one parse sees every source. Keys only the model's defaults
// supply are returned in `defaults_only`: they are ignored when Gemini has no use for them,
// since a model's defaults are shared by every provider in its pools.
bool merge_parameters(std::string_view request_json, const ProviderConfig& provider, const ModelConfig* model,
                      std::string& merged, std::vector<std::string>& defaults_only, std::string& error) {
    simdjson::dom::object request;
    if (!detail::parse_object(request_json, 0, request, error)) return false;
    std::vector<std::string_view> keys;
    for (auto [key, value] : request) keys.push_back(key);
    auto known = [&](std::string_view key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };

    merged.assign(request_json);
    while (!merged.empty() && merged.back() != '}') merged.pop_back();
    merged.pop_back();  // the object's closing brace; parsing proved there is one
    bool empty = keys.empty();
    auto append = [&](const JsonMember& m) {
        if (!empty) merged += ',';
        empty = false;
        append_json_string(merged, m.key);
        merged += ':';
        merged += m.json;
    };
    // Parameters never supply the model or streaming: whether the caller reads a stream is the
    // caller's choice, as for the OpenAI adapter.
    std::vector<std::string> added = {"model", "stream"};
    for (const JsonMember& p : provider.provider_params)
        if (!known(p.key) && std::find(added.begin(), added.end(), p.key) == added.end()) {
            append(p);
            added.push_back(p.key);
        }
    if (model)
        for (const JsonMember& d : model->default_parameters)
            if (!known(d.key) && std::find(added.begin(), added.end(), d.key) == added.end()) {
                append(d);
                added.push_back(d.key);
                defaults_only.push_back(d.key);
            }
    merged += '}';
    return true;
}

// stop: a string or an array of strings -> stopSequences.
bool write_stop(Element value, JsonWriter& out, std::string& error) {
    std::string_view one;
    if (!value.get(one)) {
        out.key("stopSequences").begin_array().string(one).end_array();
        return true;
    }
    simdjson::dom::array list;
    if (!value.get(list)) {
        for (Element item : list)
            if (item.type() != element_type::STRING) {
                error = "\"stop\" must be a string or an array of strings";
                return false;
            }
        out.key("stopSequences").raw(minified(value));
        return true;
    }
    error = "\"stop\" must be a string or an array of strings";
    return false;
}

// reasoning_effort -> thinkingConfig.thinkingBudget, with the budgets Google's OpenAI
// compatibility layer uses for the same names.
bool write_thinking(Element value, JsonWriter& out, std::string& error) {
    std::string_view effort;
    if (value.get(effort)) effort = {};
    int budget = -1;
    if (effort == "none" || effort == "minimal") budget = 0;
    else if (effort == "low") budget = 1024;
    else if (effort == "medium") budget = 8192;
    else if (effort == "high") budget = 24576;
    if (budget < 0) {
        error = "\"reasoning_effort\" must be none, minimal, low, medium or high";
        return false;
    }
    out.key("thinkingConfig").begin_object().key("thinkingBudget").integer(budget).end_object();
    return true;
}

// response_format -> responseMimeType (and responseSchema for json_schema).
bool write_response_format(Element value, JsonWriter& out, std::string& error) {
    std::string_view type;
    if (value["type"].get(type)) {
        error = "\"response_format\" needs a \"type\"";
        return false;
    }
    if (type == "text") return true;
    if (type == "json_object") {
        out.key("responseMimeType").string("application/json");
        return true;
    }
    if (type == "json_schema") {
        Element schema;
        if (value["json_schema"]["schema"].get(schema)) {
            error = "\"response_format\" of type json_schema needs json_schema.schema";
            return false;
        }
        out.key("responseMimeType").string("application/json");
        out.key("responseSchema");
        return detail::write_schema(schema, out, "response_format.json_schema.schema", error);
    }
    error = fmt::format("response_format type {} has no Gemini equivalent", detail::quoted(type));
    return false;
}

// tools -> [{"functionDeclarations":[...]}].
bool write_tools(Element value, JsonWriter& out, std::string& error) {
    simdjson::dom::array tools;
    if (value.get(tools)) {
        error = "\"tools\" must be an array";
        return false;
    }
    out.key("tools").begin_array().begin_object().key("functionDeclarations").begin_array();
    std::size_t i = 0;
    for (Element tool : tools) {
        const std::string where = fmt::format("tools[{}]", i++);
        std::string_view type, name;
        if (!tool["type"].get(type) && type != "function") {
            error = fmt::format("{}: tool type {} has no Gemini equivalent; only function tools do", where,
                                detail::quoted(type));
            return false;
        }
        Element function;
        if (tool["function"].get(function) || function["name"].get(name)) {
            error = where + ": a function tool needs function.name";
            return false;
        }
        out.begin_object().key("name").string(name);
        std::string_view description;
        if (!function["description"].get(description)) out.key("description").string(description);
        Element parameters;
        if (!function["parameters"].get(parameters) && !detail::is_empty_object_schema(parameters)) {
            // Gemini rejects an OBJECT schema without properties: a function without
            // parameters simply has none.
            out.key("parameters");
            if (!detail::write_schema(parameters, out, where + ".function.parameters", error)) return false;
        }
        out.end_object();
    }
    out.end_array().end_object().end_array();
    return true;
}

// tool_choice -> toolConfig.functionCallingConfig.
bool write_tool_choice(Element value, JsonWriter& out, std::string& error) {
    std::string_view mode, name;
    if (!value.get(mode)) {
        std::string_view gemini = mode == "auto" ? "AUTO" : mode == "none" ? "NONE" : mode == "required" ? "ANY" : "";
        if (gemini.empty()) {
            error = "\"tool_choice\" must be auto, none, required or a function";
            return false;
        }
        out.key("toolConfig").begin_object().key("functionCallingConfig").begin_object().key("mode").string(gemini);
        out.end_object().end_object();
        return true;
    }
    std::string_view type;
    if (value["type"].get(type) || type != "function" || value["function"]["name"].get(name)) {
        error = "\"tool_choice\" must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":...}}";
        return false;
    }
    out.key("toolConfig").begin_object().key("functionCallingConfig").begin_object().key("mode").string("ANY");
    out.key("allowedFunctionNames").begin_array().string(name).end_array();
    out.end_object().end_object();
    return true;
}

// The request's top-level fields, sorted by what becomes of them.
struct Fields {
    std::optional<Element> messages, tools, tool_choice, response_format, stop, reasoning, native_config;
    std::vector<std::pair<std::string_view, Element>> native;
    std::array<std::optional<Element>, kMapped.size()> mapped;
    std::optional<Element> max_completion_tokens;
};

// Fields translated once all are known, by their key.
constexpr std::array<std::pair<std::string_view, std::optional<Element> Fields::*>, 8> kDeferred{{
    {"messages", &Fields::messages},
    {"tools", &Fields::tools},
    {"tool_choice", &Fields::tool_choice},
    {"response_format", &Fields::response_format},
    {"stop", &Fields::stop},
    {"reasoning_effort", &Fields::reasoning},
    {"generationConfig", &Fields::native_config},
    {"max_completion_tokens", &Fields::max_completion_tokens},
}};

bool sort_field(std::string_view key, Element value, const std::vector<std::string>& defaults_only, Fields& f,
                bool& stream, std::string& error) {
    if (key == "stream") {
        bool b = false;
        if (value.get(b) && !value.is_null()) {
            error = "\"stream\" must be a boolean";
            return false;
        }
        stream = b;
        return true;
    }
    if (value.is_null() || contains(kIgnored, key)) return true;
    for (std::size_t i = 0; i < kMapped.size(); ++i) {
        if (key != kMapped[i].openai) continue;
        const bool integral = value.type() == element_type::INT64 || value.type() == element_type::UINT64;
        if (kMapped[i].integer ? !integral : !is_number(value)) {
            error = fmt::format("\"{}\" must be {}", key, kMapped[i].integer ? "an integer" : "a number");
            return false;
        }
        f.mapped[i] = value;
        return true;
    }
    if (auto deferred = std::find_if(kDeferred.begin(), kDeferred.end(), [&](const auto& d) { return d.first == key; });
        deferred != kDeferred.end()) {
        const auto type = value.type();
        if (key == "max_completion_tokens" && type != element_type::INT64 && type != element_type::UINT64) {
            error = "\"max_completion_tokens\" must be an integer";
            return false;
        }
        if (key == "generationConfig" && type != element_type::OBJECT) {
            error = "\"generationConfig\" must be an object";
            return false;
        }
        if (key != "tools" || !is_unset(value)) f.*(deferred->second) = value;  // "tools": [] means none
    } else if (contains(kNative, key)) {
        f.native.emplace_back(key, value);
    } else if (key == "modalities") {
        simdjson::dom::array list;
        std::string_view m;
        if (!value.get(list))
            for (Element item : list)
                if (item.get(m) || m != "text") {
                    error = "\"modalities\": the google adapter produces text only";
                    return false;
                }
    } else if (auto it = std::find_if(kRejected.begin(), kRejected.end(), [&](const Rejected& r) { return r.key == key; });
               it != kRejected.end()) {
        if (is_unset(value)) return true;
        error = fmt::format("\"{}\" cannot be sent to Gemini: {}", key, it->reason);
        return false;
    } else if (std::find(defaults_only.begin(), defaults_only.end(), key) == defaults_only.end()) {
        error = fmt::format("the google adapter does not know the request field {}", detail::quoted(key));
        return false;
    }
    return true;
}

bool write_generation_config(const Fields& f, JsonWriter& out, std::string& error) {
    JsonWriter config;
    config.begin_object();
    std::vector<std::string_view> written;
    for (std::size_t i = 0; i < kMapped.size(); ++i) {
        std::optional<Element> value = f.mapped[i];
        if (kMapped[i].gemini == "maxOutputTokens" && f.max_completion_tokens) value = f.max_completion_tokens;
        if (!value) continue;
        config.key(kMapped[i].gemini).raw(minified(*value));
        written.push_back(kMapped[i].gemini);
    }
    if (f.stop && !write_stop(*f.stop, config, error)) return false;
    if (f.stop) written.emplace_back("stopSequences");
    if (f.response_format && !write_response_format(*f.response_format, config, error)) return false;
    if (f.response_format) written.insert(written.end(), {"responseMimeType", "responseSchema"});
    if (f.reasoning && !write_thinking(*f.reasoning, config, error)) return false;
    if (f.reasoning) written.emplace_back("thinkingConfig");
    if (f.native_config) {
        // A native generationConfig fills in what the OpenAI fields leave unset.
        simdjson::dom::object native;
        if (f.native_config->get(native)) return true;  // sort_field checked that it is an object
        for (auto [key, value] : native)
            if (std::find(written.begin(), written.end(), key) == written.end())
                config.key(key).raw(minified(value));
    }
    config.end_object();
    if (config.str() != "{}") out.key("generationConfig").raw(config.str());
    return true;
}

}  // namespace

Translation translate_request(std::string_view request_json, const ProviderConfig& provider, const ModelConfig* model) {
    Translation t;
    std::string merged;
    std::vector<std::string> defaults_only;
    if (!merge_parameters(request_json, provider, model, merged, defaults_only, t.error)) return t;
    simdjson::dom::object root;
    if (!detail::parse_object(merged, 0, root, t.error)) {
        t.error = "a providerParams or defaultParameters value is not valid JSON";
        return t;
    }
    Fields f;
    for (auto [key, value] : root)
        if (!sort_field(key, value, defaults_only, f, t.stream, t.error)) return t;
    if (!f.messages) {
        t.error = "the request needs a non-empty \"messages\" array";
        return t;
    }
    JsonWriter out;
    out.begin_object();
    if (!detail::write_messages(*f.messages, out, t.error)) return t;
    if (f.tools && !write_tools(*f.tools, out, t.error)) return t;
    if (f.tool_choice && !write_tool_choice(*f.tool_choice, out, t.error)) return t;
    if (!write_generation_config(f, out, t.error)) return t;
    for (auto& [key, value] : f.native) out.key(key).raw(minified(value));
    out.end_object();
    t.body = out.take();
    return t;
}

}  // namespace sw::providers::gemini
