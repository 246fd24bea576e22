// cache_key.cpp — normalising a chat request and hashing it with its partition.
#include "cache/cache_key.hpp"

#include <openssl/evp.h>
#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace sw::cache {

namespace {

// A JSON string literal of `s`, which simdjson has already checked is valid UTF-8: only quotes,
// backslashes and control characters need escaping, so runs between them are copied whole (the
// general writer, append_json_string, validates UTF-8 byte by byte, ten times slower on a prompt).
void append_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

// Members that name who asked or how libswitch bills, never what the model is asked.
bool ignored_member(std::string_view key) {
    return key == "user" || key == "metadata" || key == "store" || key == "max_cost_usd" || key == "stream";
}

void write(std::string& out, simdjson::dom::element e) {
    using simdjson::dom::element_type;
    switch (e.type()) {
        case element_type::OBJECT: {
            // Sorted, so that {"a":1,"b":2} and {"b":2,"a":1} are one request.
            std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
            const simdjson::dom::object object = e.get_object().value_unsafe();  // named: the loop borrows it
            for (auto field : object) members.emplace_back(field.key, field.value);
            std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            out += '{';
            for (std::size_t i = 0; i < members.size(); ++i) {
                if (i) out += ',';
                append_string(out, members[i].first);
                out += ':';
                write(out, members[i].second);
            }
            out += '}';
            break;
        }
        case element_type::ARRAY: {
            out += '[';
            bool first = true;
            const simdjson::dom::array array = e.get_array().value_unsafe();
            for (auto item : array) {
                if (!first) out += ',';
                first = false;
                write(out, item);
            }
            out += ']';
            break;
        }
        case element_type::STRING: append_string(out, e.get_string().value_unsafe()); break;
        case element_type::INT64: out += fmt::format("{}", e.get_int64().value_unsafe()); break;
        case element_type::UINT64: out += fmt::format("{}", e.get_uint64().value_unsafe()); break;
        case element_type::DOUBLE: out += fmt::format("{}", e.get_double().value_unsafe()); break;
        case element_type::BOOL: out += e.get_bool().value_unsafe() ? "true" : "false"; break;
        case element_type::NULL_VALUE: out += "null"; break;
        default: out += "null"; break;  // BIGINT: beyond every parameter's range
    }
}

}  // namespace

std::string CacheKey::hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (unsigned char b : digest) {
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
    }
    return out;
}

std::optional<std::string> normalised_request(std::string_view request_json, bool stream) {
    // One parser per thread: requests are keyed on every thread that submits them.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(request_json.data(), request_json.size(), true).get(root) != simdjson::SUCCESS) return std::nullopt;
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
    std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
    for (auto field : object)
        if (!ignored_member(field.key)) members.emplace_back(field.key, field.value);
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    out.reserve(request_json.size() + 16);
    out += '{';
    for (const auto& [key, value] : members) {
        append_string(out, key);
        out += ':';
        write(out, value);
        out += ',';
    }
    out += stream ? "\"stream\":true}" : "\"stream\":false}";
    return out;
}

CacheKey make_key(std::string_view normalised, std::string_view partition) {
    // The partition's length first: ("ab", "c...") and ("a", "bc...") are different keys.
    const std::string prefix = fmt::format("libswitch-cache-v1\n{}\n", partition.size());
    CacheKey key;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned int size = 0;
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    EVP_DigestUpdate(ctx, prefix.data(), prefix.size());
    EVP_DigestUpdate(ctx, partition.data(), partition.size());
    EVP_DigestUpdate(ctx, normalised.data(), normalised.size());
    EVP_DigestFinal_ex(ctx, key.digest.data(), &size);
    EVP_MD_CTX_free(ctx);
    return key;
}

}  // namespace sw::cache
