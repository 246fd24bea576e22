// schema.cpp — typed reads, paths and diagnostics shared by every config section.
#include "config/schema.hpp"

#include "common/suggest.hpp"
#include "config/env_expand.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sw::config {

void Context::error(std::string path, std::string message, std::string suggestion) {
    diagnostics.push_back({Severity::error, std::move(path), std::move(message), std::move(suggestion)});
}
void Context::warning(std::string path, std::string message, std::string suggestion) {
    diagnostics.push_back({Severity::warning, std::move(path), std::move(message), std::move(suggestion)});
}
bool Context::has_errors() const {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

namespace {
bool is_plain_key(std::string_view key) {
    if (key.empty()) return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-';
    });
}
}  // namespace

std::string child_path(std::string_view parent, std::string_view key) {
    std::string out(parent);
    if (is_plain_key(key)) {
        if (!out.empty()) out.push_back('.');
        out.append(key);
    } else {
        out += "[" + quote(key) + "]";
    }
    return out;
}

std::string index_path(std::string_view parent, std::size_t i) {
    return fmt::format("{}[{}]", parent, i);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::string s = closest_match(word, candidates);
    return s.empty() ? std::string() : fmt::format("did you mean \"{}\"?", s);
}

std::string regex_error(const std::string& pattern) {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    RE2 re(pattern, options);
    return re.ok() ? std::string() : re.error();
}

void check_duplicate_keys(Context& ctx, const Node& node, const std::string& path, int depth) {
    if (depth > kMaxDepth) return;
    if (node.is_array()) {
        for (std::size_t i = 0; i < node.items.size(); ++i)
            check_duplicate_keys(ctx, node.items[i], index_path(path, i), depth + 1);
        return;
    }
    if (!node.is_object()) return;
    for (std::size_t i = 0; i < node.members.size(); ++i) {
        const auto& key = node.members[i].first;
        for (std::size_t j = 0; j < i; ++j)
            if (node.members[j].first == key) {
                ctx.error(child_path(path, key), "duplicate key; only one value is allowed");
                break;
            }
        check_duplicate_keys(ctx, node.members[i].second, child_path(path, key), depth + 1);
    }
}

namespace {
// ${VAR} expansion over every string inside a free-form value (parameters, headers).
bool expand_strings(Context& ctx, Node& node, const std::string& path, int depth) {
    if (depth > kMaxDepth) return false;
    bool ok = true;
    if (node.is_string()) {
        Expansion expansion = expand_env(node.string, ctx.env);
        if (!expansion.error.empty()) {
            ctx.error(path, expansion.error);
            return false;
        }
        node.string = std::move(expansion.value);
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.items.size(); ++i)
            ok = expand_strings(ctx, node.items[i], index_path(path, i), depth + 1) && ok;
    } else if (node.is_object()) {
        for (auto& [k, v] : node.members) ok = expand_strings(ctx, v, child_path(path, k), depth + 1) && ok;
    }
    return ok;
}
}  // namespace

// ---- ObjectReader ----------------------------------------------------------------------------

ObjectReader::ObjectReader(Context& ctx, const Node& node, std::string path,
                           std::vector<std::string_view> known)
    : ctx_(ctx), path_(std::move(path)), known_(std::move(known)) {
    if (node.is_object()) node_ = &node;
    else ctx_.error(path_, fmt::format("expected an object, got {}", describe(node.kind)));
}

const Node* ObjectReader::get(std::string_view key) const { return node_ ? node_->find(key) : nullptr; }

void ObjectReader::require(std::string_view key) {
    if (valid() && !has(key)) ctx_.error(path_of(key), "required, but missing");
}

void ObjectReader::finish() {
    if (finished_ || !node_) return;
    finished_ = true;
    for (const auto& [key, value] : node_->members) {
        if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
        ctx_.warning(child_path(path_, key), "unknown key, ignored", did_you_mean(key, known_));
    }
}

std::optional<std::string> read_string(Context& ctx, const Node& value, const std::string& path) {
    if (!value.is_string()) {
        ctx.error(path, fmt::format("expected a string, got {}", describe(value.kind)));
        return std::nullopt;
    }
    Expansion expansion = expand_env(value.string, ctx.env);
    if (!expansion.error.empty()) {
        ctx.error(path, expansion.error,
                  expansion.error.find("is not set") != std::string::npos ? "set it, or give a default with ${NAME:-default}"
                                                                          : "");
        return std::nullopt;
    }
    if (has_line_break_or_nul(expansion.value)) {
        ctx.error(path, expansion.used_environment ? "contains CR, LF or NUL after ${VAR} expansion; these are not allowed"
                                                   : "contains CR, LF or NUL; these are not allowed");
        return std::nullopt;
    }
    return std::move(expansion.value);
}

std::optional<std::string> ObjectReader::string(std::string_view key, bool required) {
    const Node* value = get(key);
    if (!value) {
        if (required) require(key);
        return std::nullopt;
    }
    return read_string(ctx_, *value, path_of(key));
}

std::optional<Secret> ObjectReader::secret(std::string_view key, bool required) {
    const Node* value = get(key);
    if (!value) {
        if (required) require(key);
        return std::nullopt;
    }
    auto text = read_string(ctx_, *value, path_of(key));
    if (!text) return std::nullopt;
    return Secret(std::move(*text));
}

std::optional<bool> ObjectReader::boolean(std::string_view key) {
    const Node* value = get(key);
    if (!value) return std::nullopt;
    if (value->kind == Node::Kind::boolean) return value->boolean;
    if (value->is_string()) {
        // "${FLAG:-true}" style values expand first.
        auto text = read_string(ctx_, *value, path_of(key));
        if (!text) return std::nullopt;
        if (*text == "true") return true;
        if (*text == "false") return false;
        ctx_.error(path_of(key), fmt::format("expected true or false, got {}", quote(*text)));
        return std::nullopt;
    }
    ctx_.error(path_of(key), fmt::format("expected a boolean, got {}", describe(value->kind)));
    return std::nullopt;
}

std::optional<double> ObjectReader::numeric(std::string_view key, const Node& value) {
    if (value.is_numeric()) return value.as_double();
    if (value.is_string() && value.string.find("${") != std::string::npos) {
        auto text = read_string(ctx_, value, path_of(key));
        if (!text) return std::nullopt;
        double parsed = 0;
        auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), parsed);
        if (ec == std::errc() && ptr == text->data() + text->size() && !text->empty()) return parsed;
        ctx_.error(path_of(key), fmt::format("expected a number after ${{VAR}} expansion, got {}", quote(*text)));
        return std::nullopt;
    }
    double ignored = 0;
    bool quoted_number = value.is_string() && !value.string.empty() &&
                         std::from_chars(value.string.data(), value.string.data() + value.string.size(), ignored).ptr ==
                             value.string.data() + value.string.size();
    ctx_.error(path_of(key), fmt::format("expected a number, got {}", describe(value.kind)),
               quoted_number ? "remove the quotes around the number" : "");
    return std::nullopt;
}

std::optional<double> ObjectReader::number(std::string_view key, double min, double max) {
    const Node* value = get(key);
    if (!value) return std::nullopt;
    auto n = numeric(key, *value);
    if (!n) return std::nullopt;
    if (!std::isfinite(*n) || *n < min || *n > max) {
        ctx_.error(path_of(key), fmt::format("must be between {} and {}, got {}", min, max, *n));
        return std::nullopt;
    }
    return n;
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const Node* value = get(key);
    if (!value) return std::nullopt;
    auto n = numeric(key, *value);
    if (!n) return std::nullopt;
    if (!std::isfinite(*n) || *n < static_cast<double>(min) || *n > static_cast<double>(max)) {
        ctx_.error(path_of(key), fmt::format("must be between {} and {}, got {}", min, max, *n));
        return std::nullopt;
    }
    if (std::floor(*n) != *n) {
        ctx_.error(path_of(key), fmt::format("must be a whole number, got {}", *n));
        return std::nullopt;
    }
    return static_cast<std::int64_t>(*n);
}

std::optional<Millis> ObjectReader::millis(std::string_view key, std::int64_t min, std::int64_t max) {
    auto n = integer(key, min, max);
    if (!n) return std::nullopt;
    return Millis(*n);
}

std::optional<std::size_t> ObjectReader::choice(std::string_view key, const std::vector<std::string_view>& names,
                                                bool required) {
    auto text = string(key, required);
    if (!text) return std::nullopt;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == *text) return i;
    std::string all;
    for (auto name : names) all += (all.empty() ? "" : ", ") + std::string(name);
    ctx_.error(path_of(key), fmt::format("unknown value {}; expected one of: {}", quote(*text), all),
               did_you_mean(*text, names));
    return std::nullopt;
}

std::optional<std::vector<std::string>> ObjectReader::string_list(std::string_view key) {
    const Node* value = get(key);
    if (!value) return std::nullopt;
    if (!value->is_array()) {
        ctx_.error(path_of(key), fmt::format("expected an array of strings, got {}", describe(value->kind)));
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < value->items.size(); ++i) {
        if (auto item = read_string(ctx_, value->items[i], index_path(path_of(key), i))) out.push_back(std::move(*item));
        else ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::vector<JsonMember>> ObjectReader::json_members(std::string_view key) {
    const Node* value = get(key);
    if (!value) return std::nullopt;
    if (!value->is_object()) {
        ctx_.error(path_of(key), fmt::format("expected an object, got {}", describe(value->kind)));
        return std::nullopt;
    }
    std::vector<JsonMember> out;
    bool ok = true;
    for (const auto& [k, v] : value->members) {
        Node expanded = v;
        ok = expand_strings(ctx_, expanded, child_path(path_of(key), k), 0) && ok;
        out.push_back({k, to_json(expanded)});
    }
    if (!ok) return std::nullopt;
    return out;
}

}  // namespace sw::config
