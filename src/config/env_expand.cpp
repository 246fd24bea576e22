// env_expand.cpp — ${VAR} and ${VAR:-default} expansion.
#include "config/env_expand.hpp"

#include <fmt/format.h>

namespace sw::config {

namespace {
bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
}  // namespace

Expansion expand_env(std::string_view text, const EnvLookup& env) {
    Expansion out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, 3, "$${") == 0) {
            out.value += "${";
            i += 3;
            continue;
        }
        if (text.compare(i, 2, "${") != 0) {
            out.value.push_back(text[i++]);
            continue;
        }
        const std::size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            out.error = "unterminated \"${\"; write \"$${\" for a literal \"${\"";
            return out;
        }
        std::string_view body = text.substr(i + 2, close - i - 2);
        std::string_view name = body, fallback;
        bool has_default = false;
        if (auto sep = body.find(":-"); sep != std::string_view::npos) {
            name = body.substr(0, sep);
            fallback = body.substr(sep + 2);
            has_default = true;
        }
        bool valid = !name.empty() && is_name_start(name[0]);
        for (char c : name) valid = valid && is_name_char(c);
        if (!valid) {
            out.error = "invalid variable reference \"${...}\": expected ${NAME} or ${NAME:-default}";
            return out;
        }
        out.used_environment = true;
        auto value = env(std::string(name));
        if (value && !(has_default && value->empty())) {
            out.value += *value;
        } else if (has_default) {
            out.value += fallback;
        } else {
            out.error = fmt::format("environment variable {} is not set", name);
            return out;
        }
        i = close + 1;
    }
    return out;
}

}  // namespace sw::config
