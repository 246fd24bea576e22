// yaml_reader.cpp — YAML text to a document tree, with yaml-cpp and YAML 1.2 core-schema scalars.
#include "config/document.hpp"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <regex>

namespace sw::config {

namespace {

// Aliases let a short YAML file expand into an enormous tree ("billion laughs"). Without
// aliases every value takes at least one byte of text, so a document that expands to more
// values than it has bytes is refused.
std::size_t max_values(std::string_view text) { return text.size() + 16; }

// Bracket nesting is checked before yaml-cpp sees the text, because yaml-cpp's own guard
// allows far deeper recursion than small thread stacks survive.
bool flow_nesting_too_deep(std::string_view text) {
    int depth = 0;
    for (char c : text) {
        if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

bool is_plain_integer(std::string_view s) {
    std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool is_plain_float(std::string_view s) {
    static const std::regex pattern(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    return std::regex_match(s.begin(), s.end(), pattern);
}

// Resolves an unquoted scalar as the YAML 1.2 core schema does (null, bool, int, float),
// except that .inf and .nan stay strings: no setting accepts them.
Node resolve_plain_scalar(const std::string& text) {
    Node node;
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return node;
    if (text == "true" || text == "True" || text == "TRUE" || text == "false" || text == "False" ||
        text == "FALSE") {
        node.kind = Node::Kind::boolean;
        node.boolean = text[0] == 't' || text[0] == 'T';
        return node;
    }
    std::string_view digits = text;
    if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
    if (is_plain_integer(text)) {
        std::int64_t value = 0;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec == std::errc() && ptr == digits.data() + digits.size()) {
            node.kind = Node::Kind::integer;
            node.integer = value;
            return node;
        }
        // Too large for 64 bits: fall through to a floating-point value.
    }
    if (is_plain_float(text)) {
        double value = 0;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ptr == digits.data() + digits.size() &&
            (ec == std::errc() || ec == std::errc::result_out_of_range)) {
            node.kind = Node::Kind::number;
            node.number = ec == std::errc() ? value : HUGE_VAL;
            return node;
        }
    }
    node.kind = Node::Kind::string;
    node.string = text;
    return node;
}

struct Converter {
    std::size_t limit;
    std::size_t values = 0;
    std::string error;

    Node convert(const YAML::Node& yaml, int depth) {
        Node node;
        if (!error.empty()) return node;
        if (++values > limit) {
            error = fmt::format("YAML document expands to more values than it has bytes ({}); check its aliases",
                                limit);
            return node;
        }
        if (depth > kMaxDepth) {
            error = fmt::format("invalid YAML: nested deeper than {} levels", kMaxDepth);
            return node;
        }
        switch (yaml.Type()) {
            case YAML::NodeType::Undefined:
            case YAML::NodeType::Null:
                break;
            case YAML::NodeType::Scalar:
                // A quoted scalar carries the non-specific tag "!" and is always a string.
                if (yaml.Tag() == "?") return resolve_plain_scalar(yaml.Scalar());
                node.kind = Node::Kind::string;
                node.string = yaml.Scalar();
                break;
            case YAML::NodeType::Sequence:
                node.kind = Node::Kind::array;
                for (const auto& item : yaml) node.items.push_back(convert(item, depth + 1));
                break;
            case YAML::NodeType::Map:
                node.kind = Node::Kind::object;
                for (const auto& pair : yaml) {
                    if (!pair.first.IsScalar()) {
                        if (error.empty())
                            error = fmt::format("invalid YAML at line {}: mapping keys must be plain text",
                                                pair.first.Mark().line + 1);
                        return node;
                    }
                    node.members.emplace_back(pair.first.Scalar(), convert(pair.second, depth + 1));
                }
                break;
        }
        return node;
    }
};

}  // namespace

ParsedDocument parse_yaml(std::string_view text) {
    ParsedDocument out;
    if (flow_nesting_too_deep(text)) {
        out.error = fmt::format("invalid YAML: nested deeper than {} levels", kMaxDepth);
        return out;
    }
    try {
        YAML::Node yaml = YAML::Load(std::string(text));
        Converter converter{max_values(text), 0, {}};
        Node root = converter.convert(yaml, 0);
        if (!converter.error.empty()) out.error = std::move(converter.error);
        else out.root = std::move(root);
    } catch (const YAML::Exception& e) {
        // e.msg is yaml-cpp's reason without the input text; the mark gives the place.
        if (e.mark.is_null()) out.error = fmt::format("invalid YAML: {}", e.msg);
        else out.error = fmt::format("invalid YAML at line {}, column {}: {}", e.mark.line + 1,
                                     e.mark.column + 1, e.msg);
    } catch (const std::exception& e) {
        out.error = fmt::format("cannot parse YAML: {}", e.what());
    }
    return out;
}

}  // namespace sw::config
