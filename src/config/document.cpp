// document.cpp — helpers on the parser-independent document tree.
#include "config/document.hpp"

#include "common/json_writer.hpp"

namespace sw::config {

Node::Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;
Node::~Node() = default;

const Node* Node::find(std::string_view key) const {
    for (const auto& [k, v] : members)
        if (k == key) return &v;
    return nullptr;
}

std::string_view describe(Node::Kind kind) {
    switch (kind) {
        case Node::Kind::null: return "null";
        case Node::Kind::boolean: return "a boolean";
        case Node::Kind::integer: return "an integer";
        case Node::Kind::number: return "a number";
        case Node::Kind::string: return "a string";
        case Node::Kind::array: return "an array";
        case Node::Kind::object: return "an object";
    }
    return "a value";
}

namespace {
void write(JsonWriter& w, const Node& node) {
    switch (node.kind) {
        case Node::Kind::null: w.null(); break;
        case Node::Kind::boolean: w.boolean(node.boolean); break;
        case Node::Kind::integer: w.integer(node.integer); break;
        case Node::Kind::number: w.number(node.number); break;
        case Node::Kind::string: w.string(node.string); break;
        case Node::Kind::array:
            w.begin_array();
            for (const auto& item : node.items) write(w, item);
            w.end_array();
            break;
        case Node::Kind::object:
            w.begin_object();
            for (const auto& [key, value] : node.members) {
                w.key(key);
                write(w, value);
            }
            w.end_object();
            break;
    }
}
}  // namespace

std::string to_json(const Node& node) {
    JsonWriter w;
    write(w, node);
    return w.take();
}

}  // namespace sw::config
