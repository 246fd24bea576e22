// document.hpp — a parsed JSON or YAML document, independent of the parser that read it.
//
// Both formats are read into this one tree so that one schema walker serves both, and so that
// limits (depth, duplicate keys) are enforced in one place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sw::config {

// Deeper documents are rejected: no libswitch setting nests more than a few levels, and the
// bound keeps every recursive walk over the tree safe on small thread stacks.
inline constexpr int kMaxDepth = 64;

struct Node {
    enum class Kind { null, boolean, integer, number, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    std::int64_t integer = 0;
    double number = 0;
    std::string string;
    std::vector<Node> items;                            // array
    std::vector<std::pair<std::string, Node>> members;  // object, in document order

    // Declared here and defaulted in document.cpp, where Node is complete: clang 14 with
    // libstdc++ 12 in C++20 otherwise instantiates ~vector<pair<string, Node>> inside this class
    // and rejects the incomplete pair (the clang fuzz build, tools/fuzz.sh, needs this).
    Node();
    Node(const Node&);
    Node(Node&&) noexcept;
    Node& operator=(const Node&);
    Node& operator=(Node&&) noexcept;
    ~Node();

    bool is_object() const { return kind == Kind::object; }
    bool is_array() const { return kind == Kind::array; }
    bool is_string() const { return kind == Kind::string; }
    bool is_numeric() const { return kind == Kind::integer || kind == Kind::number; }
    double as_double() const { return kind == Kind::integer ? static_cast<double>(integer) : number; }
    // The first member with this key, or nullptr.
    const Node* find(std::string_view key) const;
};

// "an object", "a string", ... for messages.
std::string_view describe(Node::Kind kind);

// A document, or the reason it could not be read. The error never quotes the input, which may
// hold secrets.
struct ParsedDocument {
    std::optional<Node> root;
    std::string error;
};

ParsedDocument parse_json(std::string_view text);
ParsedDocument parse_yaml(std::string_view text);

// Compact JSON text of a node, for JsonMember values.
std::string to_json(const Node& node);

}  // namespace sw::config
