// dialect.cpp — the dialects' shared defaults, and the table of which dialect serves a path.
#include "dialect.hpp"

#include <algorithm>

namespace mock {

void Dialect::append_embeddings(std::string& out, const Completion& c) const {
    (void)c;
    out += R"x({"error":"this dialect has no embeddings endpoint (mock)"})x";
}

bool Dialect::authorize(const IncomingRequest& request, Reply& r) const {
    (void)request;
    (void)r;
    return true;
}

void Dialect::append_stream_error(std::string& out, const Completion& c, const ScriptedError& error,
                                  std::string_view eol) const {
    (void)c;
    out += R"(data: {"error":{"message":)";
    append_json_string(out, error.message.empty() ? std::string_view("The stream failed (mock).") : error.message);
    out += R"(,"type":)";
    append_json_string(out, error.type.empty() ? std::string_view("server_error") : error.type);
    out += R"(,"code":)";
    append_json_string(out, error.code.empty() ? std::string_view("stream_error") : error.code);
    out.append("}}").append(eol).append(eol);
}

void Dialect::append_keep_alive(std::string& out, std::string_view eol) const {
    out.append(": mock keep-alive").append(eol).append(eol);
}

void Dialect::append_stream_open(std::string& out, const Completion& c, std::string_view eol) const {
    (void)out;
    (void)c;
    (void)eol;
}

std::optional<std::string_view> find_header(const HeaderView& headers, std::string_view name, std::size_t* count) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    std::optional<std::string_view> first;
    std::size_t n = 0;
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [&](char a, char b) { return lower(a) == lower(b); })) {
            if (!first) first = value;
            ++n;
        }
    }
    if (count != nullptr) *count = n;
    return first;
}

const Dialect* dialect_for(std::string_view path, std::string_view query, RouteMatch& out) {
    static const Dialect* const dialects[] = {&openai_dialect(), &bedrock_dialect(), &gemini_dialect(),
                                              &anthropic_dialect(), &azure_dialect()};
    for (const Dialect* d : dialects)
        if (d->match(path, query, out)) return d;
    return nullptr;
}

}  // namespace mock
