// prompt.hpp — a chat request's messages as the prompt routers read them: role and plain text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sw::prompt {

struct Message {
    std::string role;  // system, user, assistant, tool, ...
    std::string text;  // a string content, or its text parts joined by a newline
};

struct Prompt {
    std::vector<Message> messages;

    // The last user message's text; empty when there is none.
    std::string_view last_user() const;
    // Every message's text, joined by a space (ModelMuxer's "full text").
    std::string joined() const;
    // The length of joined(), without building it.
    std::size_t joined_length() const;
};

// Reads the `messages` of an OpenAI chat request. Images, audio and other non-text parts are
// skipped. False, with `error` naming the problem, when `request_json` is not a chat request.
bool read_prompt(std::string_view request_json, Prompt& out, std::string& error);

}  // namespace sw::prompt
