// openai_compat.cpp — OpenAI-compatible URLs, request bodies and headers.
#include "providers/openai/openai_compat.hpp"

#include "common/json_writer.hpp"
#include "providers/json_scratch.hpp"
#include "providers/specs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace sw::providers {

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view first_token(std::string_view json) noexcept {
    while (!json.empty() && is_space(json.front())) json.remove_prefix(1);
    return json;
}

// `raw` is the JSON text of an array or object: is it empty?
bool empty_container(std::string_view raw) noexcept {
    const std::string_view rest = first_token(raw.substr(1));
    return !rest.empty() && (rest.front() == ']' || rest.front() == '}');
}

struct Member {
    std::string_view raw_key;  // the key's bytes between its quotes
    std::string_view key;      // decoded, for comparison
    std::string_view value;    // the value's JSON text
};

const Member* find(const std::vector<Member>& members, std::string_view key) noexcept {
    for (const Member& m : members) {
        if (m.key == key) return &m;
    }
    return nullptr;
}

const JsonMember* find(const std::vector<JsonMember>& members, std::string_view key) noexcept {
    for (const JsonMember& m : members) {
        if (m.key == key) return &m;
    }
    return nullptr;
}

// Appends a member whose key comes from the config and may need escaping.
void append_param(std::string& out, std::string_view key, std::string_view value, bool& first) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, key);
    out.push_back(':');
    out.append(value);
}

// Appends `,"key":value` or `"key":value` for the first member.
void append_member(std::string& out, std::string_view quoted_key_body, std::string_view value,
                   bool& first) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out.append(quoted_key_body);
    out.append("\":");
    out.append(value);
}

// Appends the model member: its value is the provider's model name, quoted straight into the
// body.
void append_model(std::string& out, std::string_view quoted_key_body, std::string_view model,
                  bool& first) {
    append_member(out, quoted_key_body, {}, first);
    append_json_string(out, model);
}

// chat_template_kwargs with enable_thinking merged in, or an error message.
bool merge_thinking(std::string_view kwargs, std::string_view thinking, std::string& out,
                    std::string& error) {
    kwargs = first_token(kwargs);
    while (!kwargs.empty() && is_space(kwargs.back())) kwargs.remove_suffix(1);
    if (kwargs.empty() || kwargs == "null") {
        out.append("{\"enable_thinking\":").append(thinking).push_back('}');
        return true;
    }
    if (kwargs.front() != '{') {
        error = "chat_template_kwargs must be an object";
        return false;
    }
    // The request's own enable_thinking inside chat_template_kwargs is the more specific one.
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (thread_scratch(1).iterate(kwargs, doc) || doc.get_object().get(object)) {
        error = "chat_template_kwargs is not a valid JSON object";
        return false;
    }
    for (auto result : object) {
        simdjson::ondemand::field field;
        std::string_view raw, key;
        if (std::move(result).get(field) || field_key(field, raw, key)) {
            error = "chat_template_kwargs is not a valid JSON object";
            return false;
        }
        if (key == "enable_thinking") {
            out.append(kwargs);
            return true;
        }
    }
    out.append("{\"enable_thinking\":").append(thinking);
    if (!empty_container(kwargs)) out.append(",").append(kwargs.substr(1));
    else out.push_back('}');
    return true;
}

bool validate_members(Endpoint endpoint, const std::vector<Member>& members,
                      UpstreamRequest& out) {
    if (const Member* stream = find(members, "stream")) {
        if (stream->value == "true") out.stream = true;
        else if (stream->value != "false" && stream->value != "null") {
            out.error = "stream must be a boolean";
            return false;
        }
    }
    if (endpoint == Endpoint::chat_completions) {
        const Member* messages = find(members, "messages");
        if (messages == nullptr) {
            out.error = "messages is required";
        } else if (messages->value.front() != '[') {
            out.error = "messages must be an array";
        } else if (empty_container(messages->value)) {
            out.error = "messages must contain at least one message";
        }
    } else {
        out.stream = false;  // embeddings never stream
        const Member* input = find(members, "input");
        if (input == nullptr) {
            out.error = "input is required";
        } else if (input->value.front() != '[' && input->value.front() != '"') {
            out.error = "input must be a string or an array";
        } else if (input->value == "\"\"" || empty_container(input->value)) {
            out.error = "input must not be empty";
        }
    }
    return out.error.empty();
}

}  // namespace

bool is_version_segment(std::string_view s) noexcept {
    if (s.size() < 2 || s[0] != 'v' || !std::isdigit(static_cast<unsigned char>(s[1]))) {
        return false;
    }
    return std::all_of(s.begin() + 2, s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'z');
    });
}

bool is_openai_compatible(std::string_view type) noexcept {
    const ProviderSpec* spec = find_provider_spec(type);
    return spec && spec->protocol == Protocol::openai;
}

std::string_view endpoint_path(Endpoint endpoint) noexcept {
    return endpoint == Endpoint::embeddings ? "embeddings" : "chat/completions";
}

std::string join_url(std::string_view api_base, std::string_view endpoint_path) {
    while (!api_base.empty() && api_base.back() == '/') api_base.remove_suffix(1);
    while (!endpoint_path.empty() && endpoint_path.front() == '/') endpoint_path.remove_prefix(1);
    // The path starts at the first '/' after the scheme's "//" (or the start, without one).
    const std::size_t scheme = api_base.find("://");
    const std::size_t host = scheme == std::string_view::npos ? 0 : scheme + 3;
    const std::size_t path_start = std::min(api_base.find('/', host), api_base.size());
    const std::string_view path = api_base.substr(path_start);

    std::string url;
    url.reserve(api_base.size() + 4 + endpoint_path.size());  // one allocation: "/v1/" at most
    url.append(api_base);
    if (path.size() > endpoint_path.size() && path.ends_with(endpoint_path) &&
        path[path.size() - endpoint_path.size() - 1] == '/') {
        return url;  // already the endpoint's URL
    }
    const std::string_view last = path.substr(path.rfind('/') + 1);
    url.append(is_version_segment(last) ? "/" : "/v1/");
    url.append(endpoint_path);
    return url;
}

UpstreamRequest build_request(Endpoint endpoint, std::string_view request_json,
                              const ProviderConfig& provider, const ModelConfig* model) {
    UpstreamRequest out;
    JsonScratch& scratch = thread_scratch(0);
    simdjson::ondemand::document doc;
    if (auto err = scratch.iterate(request_json, doc)) {
        out.error = fmt::format("request body is not valid JSON: {}", simdjson::error_message(err));
        return out;
    }
    simdjson::ondemand::json_type root_type;
    if (auto err = doc.type().get(root_type)) {
        out.error = fmt::format("request body is not valid JSON: {}", simdjson::error_message(err));
        return out;
    }
    if (root_type != simdjson::ondemand::json_type::object) {
        out.error = "request body must be a JSON object";
        return out;
    }
    simdjson::ondemand::object root;
    if (auto err = doc.get_object().get(root)) {  // e.g. an unbalanced object
        out.error = fmt::format("request body is not valid JSON: {}", simdjson::error_message(err));
        return out;
    }

    // One pass collects the members; the views point into the scratch buffers.
    thread_local std::vector<Member> members;
    members.clear();
    for (auto result : root) {
        simdjson::ondemand::field field;
        Member m;
        simdjson::error_code err = std::move(result).get(field);
        if (!err) err = field_key(field, m.raw_key, m.key);
        if (!err) err = raw_value(field.value(), m.value);
        if (err) {
            out.error =
                fmt::format("request body is not valid JSON: {}", simdjson::error_message(err));
            return out;
        }
        members.push_back(m);
    }
    if (!at_document_end(doc)) {
        out.error = "request body is not valid JSON: content after the top-level object";
        return out;
    }
    if (!validate_members(endpoint, members, out)) return out;

    const bool chat = endpoint == Endpoint::chat_completions;
    const bool vllm = chat && spec_of(provider).thinking_in_template_kwargs;
    static const std::vector<JsonMember> no_parameters;
    const std::vector<JsonMember>& defaults = (chat && model) ? model->default_parameters
                                                              : no_parameters;
    const std::vector<JsonMember>& params = chat ? provider.provider_params : no_parameters;

    // vLLM takes enable_thinking as a chat-template argument; its spec says so.
    std::string_view thinking;
    std::string_view kwargs;
    bool kwargs_from_request = false;
    if (vllm) {
        if (const Member* m = find(members, "enable_thinking")) thinking = m->value;
        else if (const JsonMember* p = find(params, "enable_thinking")) thinking = p->json;
        else if (const JsonMember* d = find(defaults, "enable_thinking")) thinking = d->json;
        if (const Member* m = find(members, "chat_template_kwargs")) {
            kwargs = m->value;
            kwargs_from_request = true;
        } else if (const JsonMember* p = find(params, "chat_template_kwargs")) {
            kwargs = p->json;
        } else if (const JsonMember* d = find(defaults, "chat_template_kwargs")) {
            kwargs = d->json;
        }
    }
    std::string merged_kwargs;
    if (!thinking.empty() && !merge_thinking(kwargs, thinking, merged_kwargs, out.error)) {
        return out;
    }

    std::string& body = out.body;
    // One allocation in the common case: the request, the model name, the parameters and room
    // for stream_options.
    std::size_t size = request_json.size() + provider.model_name.size() + 64;
    for (const JsonMember& d : defaults) size += d.key.size() + d.json.size() + 4;
    for (const JsonMember& p : params) size += p.key.size() + p.json.size() + 4;
    body.reserve(size + merged_kwargs.size());
    body.push_back('{');
    bool first = true;
    const bool request_has_model = find(members, "model") != nullptr;
    if (!request_has_model) append_model(body, "model", provider.model_name, first);

    bool model_written = false;
    for (const Member& m : members) {
        if (m.key == "model") {
            if (!model_written) append_model(body, m.raw_key, provider.model_name, first);
            model_written = true;  // a duplicate model key is dropped
        } else if (m.key == kBudgetMember) {
            continue;  // libswitch's, read by check_request: no upstream knows it
        } else if (vllm && m.key == "enable_thinking") {
            continue;  // moved into chat_template_kwargs
        } else if (vllm && m.key == "chat_template_kwargs" && !thinking.empty()) {
            append_member(body, m.raw_key, merged_kwargs, first);
        } else {
            append_member(body, m.raw_key, m.value, first);
        }
    }

    // Parameters the request does not set: a default only when providerParams lacks it too.
    const bool has_stream_options = find(members, "stream_options") != nullptr ||
                                    (out.stream && (find(params, "stream_options") != nullptr ||
                                                    find(defaults, "stream_options") != nullptr));
    auto skipped = [&](std::string_view key) {
        return key == "model" || key == "stream" || find(members, key) != nullptr ||
               (key == "stream_options" && !out.stream) ||
               (vllm && (key == "enable_thinking" || key == "chat_template_kwargs"));
    };
    for (const JsonMember& d : defaults) {
        if (!skipped(d.key) && find(params, d.key) == nullptr) {
            append_param(body, d.key, d.json, first);
        }
    }
    for (const JsonMember& p : params) {
        if (!skipped(p.key)) append_param(body, p.key, p.json, first);
    }
    if (vllm && !kwargs_from_request) {
        if (!thinking.empty()) append_member(body, "chat_template_kwargs", merged_kwargs, first);
        else if (!kwargs.empty()) append_member(body, "chat_template_kwargs", kwargs, first);
    }
    if (out.stream && !has_stream_options) {
        append_member(body, "stream_options", "{\"include_usage\":true}", first);
    }
    body.push_back('}');
    return out;
}

std::vector<std::string> request_headers(const ProviderConfig& provider,
                                         std::string_view api_key) {
    auto configured = [&](std::string_view name) {
        return std::any_of(provider.headers.begin(), provider.headers.end(),
                           [&](const auto& h) { return iequals(h.first, name); });
    };
    std::vector<std::string> headers;
    headers.reserve(provider.headers.size() + 2);
    if (!configured("Content-Type")) headers.emplace_back("Content-Type: application/json");
    if (!api_key.empty() && !configured("Authorization")) {
        std::string auth;
        auth.reserve(22 + api_key.size());
        auth.append("Authorization: Bearer ").append(api_key);
        headers.push_back(std::move(auth));
    }
    for (const auto& [name, value] : provider.headers) {
        std::string line;
        line.reserve(name.size() + 2 + value.size());
        line.append(name).append(": ").append(value);
        headers.push_back(std::move(line));
    }
    return headers;
}

}  // namespace sw::providers
