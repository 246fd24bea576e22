// gemini_messages.cpp — OpenAI's messages as Gemini's contents and systemInstruction.
#include "providers/gemini/gemini_detail.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>
#include <vector>

namespace sw::providers::gemini::detail {

namespace {

// One Gemini turn. Consecutive messages that become the same role share a turn: Gemini expects
// the roles to alternate, and the answers to parallel tool calls to arrive together.
struct Turn {
    std::string_view role;  // "user" or "model"
    std::string parts;      // comma-separated part objects
};

void append_part(std::string& parts, std::string_view part) {
    if (!parts.empty()) parts += ',';
    parts += part;
}

std::string text_part(std::string_view text) {
    std::string part = R"({"text":)";
    append_json_string(part, text);
    part += '}';
    return part;
}

std::string inline_data_part(std::string_view mime_type, std::string_view base64) {
    std::string part = R"({"inlineData":{"mimeType":)";
    append_json_string(part, mime_type);
    part += R"(,"data":)";
    append_json_string(part, base64);
    part += "}}";
    return part;
}

// "data:<mime>;base64,<data>" into its MIME type and data; false for any other form.
bool split_data_url(std::string_view url, std::string_view& mime_type, std::string_view& data) {
    constexpr std::string_view prefix = "data:", marker = ";base64,";
    if (!url.starts_with(prefix)) return false;
    const std::size_t at = url.find(marker);
    if (at == std::string_view::npos || at == prefix.size()) return false;
    mime_type = url.substr(prefix.size(), at - prefix.size());
    data = url.substr(at + marker.size());
    return true;
}

// The MIME type of a remote file from its extension, which Gemini's fileData requires.
std::string_view mime_type_of(std::string_view url) {
    url = url.substr(0, url.find_first_of("?#"));
    const std::size_t dot = url.rfind('.');
    std::string ext(dot == std::string_view::npos ? std::string_view() : url.substr(dot + 1));
    for (char& c : ext) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTypes{{
        {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"webp", "image/webp"},
        {"gif", "image/gif"}, {"heic", "image/heic"}, {"heif", "image/heif"}, {"pdf", "application/pdf"},
    }};
    for (const auto& [e, type] : kTypes)
        if (e == ext) return type;
    return {};
}

class ContentsBuilder {
public:
    bool add(Element message, const std::string& where, std::string& error);
    bool empty() const { return turns_.empty(); }
    void write(JsonWriter& out) const;

private:
    Turn& turn(std::string_view role);
    bool add_content(Element content, std::string& parts, bool media, const std::string& where, std::string& error);
    bool add_media(std::string_view type, Element item, std::string& parts, const std::string& where,
                   std::string& error);
    bool add_tool_calls(Element calls, std::string& parts, const std::string& where, std::string& error);
    bool add_tool_result(Element message, const std::string& where, std::string& error);

    std::vector<Turn> turns_;
    std::string system_parts_;
    // Each tool call's id and function name, in order: a tool message names only the id, while
    // Gemini's functionResponse needs the name. Ids repeat across turns ("call_0" in each), so
    // the latest one wins.
    std::vector<std::pair<std::string, std::string>> calls_;
};

Turn& ContentsBuilder::turn(std::string_view role) {
    if (turns_.empty() || turns_.back().role != role) turns_.push_back(Turn{role, {}});
    return turns_.back();
}

bool ContentsBuilder::add(Element message, const std::string& where, std::string& error) {
    std::string_view role;
    if (message["role"].get(role)) {
        error = where + " needs a string \"role\"";
        return false;
    }
    Element content;
    const bool has_content = !message["content"].get(content) && !content.is_null();
    if (role == "system" || role == "developer") {
        return !has_content || add_content(content, system_parts_, false, where + ".content", error);
    }
    if (role == "user") {
        std::string parts;
        if (has_content && !add_content(content, parts, true, where + ".content", error)) return false;
        append_part(turn("user").parts, parts.empty() ? text_part("") : parts);
        return true;
    }
    if (role == "assistant") {
        std::string parts;
        if (has_content && !add_content(content, parts, false, where + ".content", error)) return false;
        Element calls;
        if (!message["tool_calls"].get(calls) && !calls.is_null() &&
            !add_tool_calls(calls, parts, where + ".tool_calls", error))
            return false;
        if (!parts.empty()) append_part(turn("model").parts, parts);  // an empty turn is refused
        return true;
    }
    if (role == "tool") return add_tool_result(message, where, error);
    if (role == "function") {
        error = where + ": legacy function messages are not translated; use tools and tool messages";
        return false;
    }
    error = fmt::format("{}: role {} has no Gemini equivalent", where, quoted(role));
    return false;
}

bool ContentsBuilder::add_content(Element content, std::string& parts, bool media, const std::string& where,
                                  std::string& error) {
    std::string_view text;
    if (!content.get(text)) {
        if (!text.empty()) append_part(parts, text_part(text));
        return true;
    }
    simdjson::dom::array items;
    if (content.get(items)) {
        error = where + " must be a string or an array of parts";
        return false;
    }
    std::size_t i = 0;
    for (Element item : items) {
        const std::string at = fmt::format("{}[{}]", where, i++);
        std::string_view type;
        if (item["type"].get(type)) {
            error = at + " needs a \"type\"";
            return false;
        }
        if (type == "text" || type == "refusal") {
            if (item[type].get(text)) {
                error = fmt::format("{} needs a string \"{}\"", at, type);
                return false;
            }
            append_part(parts, text_part(text));
        } else if (!media) {
            error = fmt::format("{}: a part of type {} is allowed only in user messages", at, quoted(type));
            return false;
        } else if (!add_media(type, item, parts, at, error)) {
            return false;
        }
    }
    return true;
}

bool ContentsBuilder::add_media(std::string_view type, Element item, std::string& parts, const std::string& where,
                                std::string& error) {
    std::string_view url, mime_type, data;
    if (type == "image_url") {
        if (item["image_url"]["url"].get(url) && item["image_url"].get(url)) {
            error = where + " needs image_url.url";
            return false;
        }
        if (split_data_url(url, mime_type, data)) {
            append_part(parts, inline_data_part(mime_type, data));
            return true;
        }
        mime_type = mime_type_of(url);
        if (mime_type.empty()) {
            // The URL itself is not quoted: it may carry a signed token.
            error = where + ": the MIME type of a remote image_url cannot be told from its name, which Gemini "
                            "needs; send it as a data: URL";
            return false;
        }
        std::string part = R"({"fileData":{"mimeType":)";
        append_json_string(part, mime_type);
        part += R"(,"fileUri":)";
        append_json_string(part, url);
        part += "}}";
        append_part(parts, part);
        return true;
    }
    if (type == "input_audio") {
        std::string_view format;
        if (item["input_audio"]["data"].get(data) || item["input_audio"]["format"].get(format)) {
            error = where + " needs input_audio.data and input_audio.format";
            return false;
        }
        append_part(parts, inline_data_part(format == "mp3" ? "audio/mp3" : "audio/wav", data));
        return true;
    }
    if (type == "file") {
        if (item["file"]["file_data"].get(url) || !split_data_url(url, mime_type, data)) {
            error = where + ": only files sent inline as file.file_data (a data: URL) reach Gemini; an OpenAI "
                            "file_id means nothing there";
            return false;
        }
        append_part(parts, inline_data_part(mime_type, data));
        return true;
    }
    error = fmt::format("{}: a part of type {} has no Gemini equivalent", where, quoted(type));
    return false;
}

bool ContentsBuilder::add_tool_calls(Element calls, std::string& parts, const std::string& where, std::string& error) {
    simdjson::dom::array list;
    if (calls.get(list)) {
        error = where + " must be an array";
        return false;
    }
    std::size_t i = 0;
    for (Element call : list) {
        const std::string at = fmt::format("{}[{}]", where, i++);
        std::string_view id, name, arguments;
        if (call["function"]["name"].get(name)) {
            error = at + " needs function.name";
            return false;
        }
        if (call["function"]["arguments"].get(arguments)) arguments = {};
        std::string args = "{}";
        if (arguments.find_first_not_of(" \t\r\n") != std::string_view::npos) {
            simdjson::dom::object object;
            std::string ignored;
            if (!parse_object(arguments, 1, object, ignored)) {
                error = at + ".function.arguments must be a JSON object";
                return false;
            }
            args = minified(object);
        }
        if (!call["id"].get(id)) calls_.emplace_back(id, name);
        std::string part = R"({"functionCall":{"name":)";
        append_json_string(part, name);
        part += R"(,"args":)";
        part += args;
        part += "}}";
        append_part(parts, part);
    }
    return true;
}

bool ContentsBuilder::add_tool_result(Element message, const std::string& where, std::string& error) {
    std::string_view id, name;
    if (!message["tool_call_id"].get(id)) {
        for (auto it = calls_.rbegin(); it != calls_.rend() && name.empty(); ++it)
            if (it->first == id) name = it->second;
    }
    if (name.empty() && message["name"].get(name)) {
        error = where + ": its tool_call_id matches no tool call of an earlier assistant message, and Gemini "
                        "needs the function's name";
        return false;
    }
    // Gemini wants an object: a JSON object result is passed as is, anything else is wrapped.
    std::string text;
    Element content;
    if (!message["content"].get(content)) {
        std::string_view s;
        simdjson::dom::array items;
        if (!content.get(s)) {
            text = s;
        } else if (!content.get(items)) {
            for (Element item : items)
                if (!item["text"].get(s)) text += s;
        }
    }
    std::string response;
    simdjson::dom::object object;
    std::string ignored;
    if (!text.empty() && text.front() == '{' && parse_object(text, 1, object, ignored)) {
        response = minified(object);
    } else {
        response = R"({"content":)";
        append_json_string(response, text);
        response += '}';
    }
    std::string part = R"({"functionResponse":{"name":)";
    append_json_string(part, name);
    part += R"(,"response":)";
    part += response;
    part += "}}";
    append_part(turn("user").parts, part);
    return true;
}

void ContentsBuilder::write(JsonWriter& out) const {
    out.key("contents").begin_array();
    for (const Turn& t : turns_) {
        out.begin_object().key("role").string(t.role).key("parts").raw("[" + t.parts + "]").end_object();
    }
    out.end_array();
    if (!system_parts_.empty())
        out.key("systemInstruction").begin_object().key("parts").raw("[" + system_parts_ + "]").end_object();
}

}  // namespace

bool write_messages(Element messages, JsonWriter& out, std::string& error) {
    simdjson::dom::array list;
    if (messages.get(list) || list.size() == 0) {
        error = "the request needs a non-empty \"messages\" array";
        return false;
    }
    ContentsBuilder builder;
    std::size_t i = 0;
    for (Element message : list)
        if (!builder.add(message, fmt::format("messages[{}]", i++), error)) return false;
    if (builder.empty()) {
        error = "the request has no user, assistant or tool message; Gemini needs at least one";
        return false;
    }
    builder.write(out);
    return true;
}

}  // namespace sw::providers::gemini::detail
