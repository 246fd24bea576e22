// gemini_schema.cpp — JSON Schema (OpenAI tools, response formats) as Gemini's Schema subset.
#include "providers/gemini/gemini_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace sw::providers::gemini::detail {

namespace {

// Schema fields Gemini knows and takes as JSON Schema writes them.
constexpr std::array<std::string_view, 18> kKept{
    "format",    "title",     "description",   "nullable",      "enum",      "maxItems",
    "minItems",  "required",  "minProperties", "maxProperties", "minLength", "maxLength",
    "pattern",   "example",   "propertyOrdering", "default",    "minimum",   "maximum"};

// JSON Schema that points elsewhere or intersects: Gemini's subset has no way to say it.
constexpr std::array<std::string_view, 4> kInexpressible{"$ref", "$defs", "definitions", "allOf"};

// "type": a name, or a union with "null" (["string","null"]), which Gemini writes as nullable.
bool write_type(Element value, JsonWriter& out, std::string_view where, std::string& error) {
    std::string_view name;
    if (!value.get(name)) {
        out.key("type").string(name);
        return true;
    }
    simdjson::dom::array names;
    std::string_view chosen;
    bool nullable = false;
    if (!value.get(names)) {
        for (Element item : names) {
            std::string_view n;
            if (item.get(n)) chosen = "?";
            else if (n == "null") nullable = true;
            else if (chosen.empty()) chosen = n;
            else chosen = "?";
        }
    }
    if (chosen.empty() || chosen == "?") {
        error = fmt::format("{}: a type union other than one type with \"null\" cannot be expressed in Gemini's "
                            "schema",
                            where);
        return false;
    }
    out.key("type").string(chosen);
    if (nullable) out.key("nullable").boolean(true);
    return true;
}

}  // namespace

bool write_schema(Element schema, JsonWriter& out, std::string_view where, std::string& error) {
    simdjson::dom::object object;
    if (schema.get(object)) {
        out.raw(minified(schema));  // a boolean schema: Gemini decides
        return true;
    }
    out.begin_object();
    for (auto [key, value] : object) {
        if (key == "type") {
            if (!write_type(value, out, where, error)) return false;
        } else if (key == "properties") {
            simdjson::dom::object properties;
            if (value.get(properties)) {
                error = fmt::format("{}.properties must be an object", where);
                return false;
            }
            out.key("properties").begin_object();
            for (auto [name, property] : properties) {
                out.key(name);
                if (!write_schema(property, out, fmt::format("{}.properties.{}", where, name), error)) return false;
            }
            out.end_object();
        } else if (key == "items") {
            out.key("items");
            if (!write_schema(value, out, fmt::format("{}.items", where), error)) return false;
        } else if (key == "anyOf" || key == "oneOf") {
            simdjson::dom::array options;
            if (value.get(options)) {
                error = fmt::format("{}.{} must be an array", where, key);
                return false;
            }
            out.key("anyOf").begin_array();
            std::size_t i = 0;
            for (Element option : options)
                if (!write_schema(option, out, fmt::format("{}.{}[{}]", where, key, i++), error)) return false;
            out.end_array();
        } else if (key == "const") {
            out.key("enum").begin_array().raw(minified(value)).end_array();
        } else if (std::find(kInexpressible.begin(), kInexpressible.end(), key) != kInexpressible.end()) {
            error = fmt::format("{}: JSON Schema \"{}\" cannot be expressed in Gemini's schema; inline the "
                                "definitions",
                                where, key);
            return false;
        } else if (std::find(kKept.begin(), kKept.end(), key) != kKept.end()) {
            out.key(key).raw(minified(value));
        }
        // Anything else (additionalProperties, $schema, strict, examples, ...) is dropped:
        // Gemini refuses fields it does not know, and these only narrow what is valid.
    }
    out.end_object();
    return true;
}

bool is_empty_object_schema(Element schema) {
    std::string_view type;
    simdjson::dom::object properties;
    if (schema["type"].get(type) || type != "object") return false;
    return schema["properties"].get(properties) || properties.size() == 0;
}

}  // namespace sw::providers::gemini::detail
