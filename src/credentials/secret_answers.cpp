// secret_answers.cpp — the JSON answers of Vault, Secrets Manager and the metadata service.
#include "credentials/secret_answers.hpp"

#include "common/text.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdio>

namespace sw::credentials {

namespace {

// A value that ends up in a header must not be able to split it.
std::optional<Secret> header_safe(std::string_view value, std::string_view what, std::string& error) {
    if (value.empty()) {
        error = fmt::format("{} is empty", what);
        return std::nullopt;
    }
    if (has_line_break_or_nul(value)) {
        error = fmt::format("{} contains CR, LF or NUL", what);
        return std::nullopt;
    }
    return Secret(std::string(value));
}

bool parse_object(simdjson::dom::parser& parser, std::string_view body, simdjson::dom::object& out) {
    simdjson::padded_string padded(body);
    simdjson::dom::element root;
    return !parser.parse(padded).get(root) && !root.get_object().get(out);
}

// The string field `key` of a secret's JSON object (Vault's data.data, a Secrets Manager
// SecretString), header-safe.
std::optional<Secret> string_field(simdjson::dom::object& fields, const std::string& key, std::string& error) {
    simdjson::dom::element element;
    std::string_view value;
    if (fields[key].get(element)) {
        error = fmt::format("the secret has no field \"{}\"", key);
        return std::nullopt;
    }
    if (element.get_string().get(value)) {
        error = fmt::format("the secret's field \"{}\" is not a string", key);
        return std::nullopt;
    }
    return header_safe(value, "the secret's value", error);
}

}  // namespace

std::string kv2_api_path(const ExternalSecretRef& ref) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && s.front() == '/') s.remove_prefix(1);
        while (!s.empty() && s.back() == '/') s.remove_suffix(1);
        return s;
    };
    const std::string_view path = trim(ref.path);
    if (!ref.mount.empty()) return fmt::format("{}/data/{}", trim(ref.mount), path);
    const auto slash = path.find('/');
    if (slash == std::string_view::npos) return std::string(path);  // refused by the caller: no mount
    const std::string_view mount = path.substr(0, slash), rest = path.substr(slash + 1);
    if (rest.rfind("data/", 0) == 0) return std::string(path);
    return fmt::format("{}/data/{}", mount, rest);
}

std::optional<Secret> vault_secret_value(std::string_view body, const std::string& key, std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::object root, fields;
    if (!parse_object(parser, body, root) || root["data"]["data"].get_object().get(fields)) {
        error = "Vault's answer has no data.data object (is the path on a KV version 2 mount?)";
        return std::nullopt;
    }
    if (key.empty()) {
        std::string_view value;
        if (fields.size() != 1) {
            error = fmt::format("the secret has {} fields; set config.key to pick one", fields.size());
            return std::nullopt;
        }
        for (auto field : fields)
            if (field.value.get_string().get(value)) {
                error = "the secret's field is not a string";
                return std::nullopt;
            }
        return header_safe(value, "the secret's value", error);
    }
    return string_field(fields, key, error);
}

std::optional<Secret> vault_client_token(std::string_view body, std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::object root;
    std::string_view token;
    if (!parse_object(parser, body, root) || root["auth"]["client_token"].get_string().get(token)) {
        error = "the AppRole login's answer has no auth.client_token";
        return std::nullopt;
    }
    return header_safe(token, "the AppRole login's client token", error);
}

std::optional<Secret> aws_secret_value(std::string_view body, const std::string& key, std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::object root;
    std::string_view text;
    if (!parse_object(parser, body, root)) {
        error = "Secrets Manager's answer is not a JSON object";
        return std::nullopt;
    }
    if (root["SecretString"].get_string().get(text)) {
        error = root["SecretBinary"].error() ? "Secrets Manager's answer has no SecretString"
                                             : "the secret is binary (SecretBinary); only SecretString is supported";
        return std::nullopt;
    }
    if (key.empty()) return header_safe(text, "the secret's value", error);
    // The secret's own JSON; a second parser, since `text` views the first one's buffer.
    simdjson::dom::parser inner;
    simdjson::dom::object fields;
    if (!parse_object(inner, text, fields)) {
        error = fmt::format("config.key is \"{}\", but the secret is not a JSON object", key);
        return std::nullopt;
    }
    return string_field(fields, key, error);
}

std::string aws_error_type(std::string_view body) {
    simdjson::dom::parser parser;
    simdjson::dom::object root;
    std::string_view type;
    if (!parse_object(parser, body, root) || root["__type"].get_string().get(type)) return {};
    // "com.amazonaws...#ResourceNotFoundException" in some answers: the name after '#'.
    if (auto hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
    // A type name is short and plain; anything else is not repeated.
    if (type.size() > 64 || has_line_break_or_nul(type)) return {};
    return std::string(type);
}

std::optional<InstanceCredentials> instance_credentials(std::string_view body, std::string region,
                                                        std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::object root;
    if (!parse_object(parser, body, root)) {
        error = "the credentials answer is not a JSON object";
        return std::nullopt;
    }
    std::string_view code;
    if (!root["Code"].get_string().get(code) && code != "Success") {
        error = "the metadata service says the credentials are not available (Code is not Success)";
        return std::nullopt;
    }
    auto field = [&](const char* name) -> std::optional<Secret> {
        std::string_view v;
        if (root[name].get_string().get(v)) {
            error = fmt::format("the credentials answer has no {}", name);
            return std::nullopt;
        }
        return header_safe(v, name, error);
    };
    InstanceCredentials out;
    auto id = field("AccessKeyId");
    if (!id) return std::nullopt;
    auto secret = field("SecretAccessKey");
    if (!secret) return std::nullopt;
    out.keys.region = std::move(region);
    out.keys.access_key_id = std::move(*id);
    out.keys.secret_access_key = std::move(*secret);
    std::string_view token;
    if (!root["Token"].get_string().get(token) && !token.empty()) {
        auto checked = header_safe(token, "Token", error);
        if (!checked) return std::nullopt;
        out.keys.session_token = std::move(*checked);
    }
    std::string_view expiration;
    if (!root["Expiration"].get_string().get(expiration)) {
        out.expiration = parse_utc_timestamp(expiration);
        if (!out.expiration) {
            error = "the credentials answer's Expiration is not a UTC timestamp";
            return std::nullopt;
        }
    }
    return out;
}

std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS, then optional fractional seconds, then Z (or +00:00).
    if (text.size() < 20 || text.size() > 40) return std::nullopt;
    const std::string s(text);
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, used = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second, &used) != 6 ||
        used != 19)
        return std::nullopt;
    std::string_view rest = text.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        rest.remove_prefix(1);
        while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
    }
    if (rest != "Z" && rest != "+00:00") return std::nullopt;
    using namespace std::chrono;
    const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 || second < 0)
        return std::nullopt;
    return sys_days(date) + hours(hour) + minutes(minute) + seconds(second);
}

}  // namespace sw::credentials
