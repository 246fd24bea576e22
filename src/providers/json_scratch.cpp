// json_scratch.cpp — reusable padded simdjson parsing for the provider adapters.
#include "providers/json_scratch.hpp"

#include <cstring>

namespace sw::providers {

simdjson::error_code JsonScratch::iterate(std::string_view json,
                                          simdjson::ondemand::document& out) {
    const std::size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
    if (needed > capacity_) {
        // Grow geometrically so that a stream of slightly larger bodies does not reallocate
        // each time.
        const std::size_t capacity = needed > 2 * capacity_ ? needed : 2 * capacity_;
        buffer_ = std::make_unique<char[]>(capacity);
        capacity_ = capacity;
    }
    if (!json.empty()) std::memcpy(buffer_.get(), json.data(), json.size());
    std::memset(buffer_.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);
    return parser_.iterate(buffer_.get(), json.size(), capacity_).get(out);
}

JsonScratch& thread_scratch(int slot) {
    thread_local JsonScratch scratch[3];
    return scratch[slot];
}

bool at_document_end(simdjson::ondemand::document& doc) noexcept {
    const char* location = nullptr;
    return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

simdjson::error_code raw_value(simdjson::ondemand::value& value, std::string_view& out) {
    simdjson::ondemand::json_type type;
    if (auto err = value.type().get(type)) return err;
    simdjson::error_code err = simdjson::SUCCESS;
    if (type == simdjson::ondemand::json_type::object) {
        simdjson::ondemand::object object;
        err = value.get_object().get(object);
        if (!err) err = object.raw_json().get(out);
    } else if (type == simdjson::ondemand::json_type::array) {
        simdjson::ondemand::array array;
        err = value.get_array().get(array);
        if (!err) err = array.raw_json().get(out);
    } else {
        out = value.raw_json_token();
    }
    // Every form runs up to the next structural character, so whitespace before it is included.
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\n' ||
                            out.back() == '\r')) {
        out.remove_suffix(1);
    }
    return err;
}

simdjson::error_code field_key(simdjson::ondemand::field& field, std::string_view& raw,
                               std::string_view& unescaped) {
    // raw() points just past the opening quote; stage 1 has already matched the quotes, so the
    // closing one is the first quote not escaped by a backslash.
    const char* start = field.key().raw();
    std::size_t n = 0;
    bool escaped = false;
    while (start[n] != '"') {
        if (start[n] == '\\') {
            escaped = true;
            ++n;
        }
        ++n;
    }
    raw = std::string_view(start, n);
    if (!escaped) {
        unescaped = raw;
        return simdjson::SUCCESS;
    }
    return field.unescaped_key().get(unescaped);
}

}  // namespace sw::providers
