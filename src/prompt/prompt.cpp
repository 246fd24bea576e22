// prompt.cpp — reading a chat request's messages with simdjson.
#include "prompt/prompt.hpp"

#include <simdjson.h>

namespace sw::prompt {

std::string_view Prompt::last_user() const {
    for (auto it = messages.rbegin(); it != messages.rend(); ++it)
        if (it->role == "user") return it->text;
    return {};
}

std::string Prompt::joined() const {
    std::string out;
    out.reserve(joined_length());
    for (const auto& m : messages) {
        if (m.text.empty()) continue;
        if (!out.empty()) out += ' ';
        out += m.text;
    }
    return out;
}

std::size_t Prompt::joined_length() const {
    std::size_t n = 0, parts = 0;
    for (const auto& m : messages) {
        if (m.text.empty()) continue;
        n += m.text.size();
        ++parts;
    }
    return parts ? n + parts - 1 : 0;
}

namespace {

// A message's content: a string, or an array of parts whose `text` parts are kept.
simdjson::error_code read_content(simdjson::dom::element content, std::string& text) {
    if (content.is_string()) {
        text = std::string(content.get_string().value_unsafe());
        return simdjson::SUCCESS;
    }
    if (content.is_null()) return simdjson::SUCCESS;
    simdjson::dom::array parts;
    if (auto err = content.get_array().get(parts)) return err;
    for (simdjson::dom::element part : parts) {
        std::string_view type, part_text;
        if (part["type"].get(type) || type != "text") continue;
        if (part["text"].get(part_text)) continue;
        if (!text.empty()) text += '\n';
        text += part_text;
    }
    return simdjson::SUCCESS;
}

}  // namespace

bool read_prompt(std::string_view request_json, Prompt& out, std::string& error) {
    out.messages.clear();
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(request_json.data(), request_json.size(), true).get(root)) {
        error = "the request is not valid JSON";
        return false;
    }
    simdjson::dom::array messages;
    if (root["messages"].get_array().get(messages)) {
        error = "the request has no \"messages\" array";
        return false;
    }
    for (simdjson::dom::element m : messages) {
        Message message;
        std::string_view role;
        if (m["role"].get(role)) {
            error = "a message has no \"role\"";
            return false;
        }
        message.role = std::string(role);
        simdjson::dom::element content;
        if (!m["content"].get(content) && read_content(content, message.text)) {
            error = "a message's \"content\" is neither a string nor an array of parts";
            return false;
        }
        out.messages.push_back(std::move(message));
    }
    return true;
}

}  // namespace sw::prompt
