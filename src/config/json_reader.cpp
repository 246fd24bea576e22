// json_reader.cpp — JSON text to a document tree, with simdjson.
#include "config/document.hpp"

#include <simdjson.h>

#include <fmt/format.h>

namespace sw::config {

namespace {
Node convert(simdjson::dom::element element) {
    Node node;
    switch (element.type()) {
        case simdjson::dom::element_type::ARRAY:
            node.kind = Node::Kind::array;
        {
            // Bound to a local: iterating the temporary result dangles (GCC warns rightly).
            simdjson::dom::array array;
            if (element.get_array().get(array)) break;
            for (auto child : array) node.items.push_back(convert(child));
        }
            break;
        case simdjson::dom::element_type::OBJECT:
            node.kind = Node::Kind::object;
        {
            simdjson::dom::object object;
            if (element.get_object().get(object)) break;
            for (auto field : object) node.members.emplace_back(std::string(field.key), convert(field.value));
        }
            break;
        case simdjson::dom::element_type::INT64:
            node.kind = Node::Kind::integer;
            node.integer = element.get_int64().value_unsafe();
            break;
        case simdjson::dom::element_type::UINT64:
            // Beyond int64: kept as a number so that bounds checks report it as out of range.
            node.kind = Node::Kind::number;
            node.number = static_cast<double>(element.get_uint64().value_unsafe());
            break;
        case simdjson::dom::element_type::DOUBLE:
            node.kind = Node::Kind::number;
            node.number = element.get_double().value_unsafe();
            break;
        case simdjson::dom::element_type::STRING:
            node.kind = Node::Kind::string;
            node.string = std::string(element.get_string().value_unsafe());
            break;
        case simdjson::dom::element_type::BOOL:
            node.kind = Node::Kind::boolean;
            node.boolean = element.get_bool().value_unsafe();
            break;
        case simdjson::dom::element_type::NULL_VALUE:
            node.kind = Node::Kind::null;
            break;
    }
    return node;
}
}  // namespace

ParsedDocument parse_json(std::string_view text) {
    ParsedDocument out;
    simdjson::dom::parser parser;
    // The depth limit makes the conversion above safe; simdjson checks it while parsing.
    if (auto err = parser.allocate(text.size() + 1, kMaxDepth); err) {
        out.error = fmt::format("cannot parse JSON: {}", simdjson::error_message(err));
        return out;
    }
    simdjson::padded_string padded(text);
    auto result = parser.parse(padded);
    if (result.error()) {
        auto err = result.error();
        out.error = err == simdjson::DEPTH_ERROR
                        ? fmt::format("invalid JSON: nested deeper than {} levels", kMaxDepth)
                        : fmt::format("invalid JSON: {}", simdjson::error_message(err));
        return out;
    }
    out.root = convert(result.value_unsafe());
    return out;
}

}  // namespace sw::config
