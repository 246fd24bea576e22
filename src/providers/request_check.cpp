// request_check.cpp — the check of the caller's request, which is always OpenAI's format.
#include "providers/adapter.hpp"
#include "providers/json_scratch.hpp"

namespace sw::providers {

RequestCheck check_request(Endpoint endpoint, std::string_view request_json) {
    RequestCheck check;
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (thread_scratch(2).iterate(request_json, doc) || doc.get_object().get(object)) {
        check.error = "the request body must be a JSON object";
        return check;
    }
    bool has_messages = false, has_input = false;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key)) {
            check.error = "the request body is not valid JSON";
            return check;
        }
        auto value = field.value();
        if (key == "model") {
            std::string_view model;
            if (value.get_string().get(model)) {
                check.error = "\"model\" must be a string";
                return check;
            }
            check.model = std::string(model);
        } else if (key == "stream") {
            bool stream = false;
            if (!value.get_bool().get(stream)) check.stream = stream;
        } else if (key == "messages") {
            simdjson::ondemand::array messages;
            if (!value.get_array().get(messages)) {
                std::size_t count = 0;
                if (!messages.count_elements().get(count)) has_messages = count > 0;
            }
        } else if (key == "input") {
            has_input = true;
        } else if (key == kBudgetMember) {
            double usd = 0;
            bool null = false;
            if (!value.is_null().get(null) && null) continue;  // null: no budget, as when absent
            if (value.get_double().get(usd) || !(usd >= 0) || usd > 1e9) {  // !(>=) also refuses NaN
                check.error = "\"max_cost_usd\" must be a number of USD from 0 to 1e9, or null";
                return check;
            }
            check.max_cost_usd = usd;
        } else if (key == "max_tokens" || key == "max_completion_tokens") {
            std::uint64_t n = 0;
            if (!value.get_uint64().get(n)) check.max_tokens = n;
        }
    }
    if (check.model.empty()) check.error = "the request has no \"model\"";
    else if (endpoint == Endpoint::chat_completions && !has_messages)
        check.error = "the request needs a non-empty \"messages\" array";
    else if (endpoint == Endpoint::embeddings && !has_input)
        check.error = "the request needs \"input\"";
    // About four bytes of JSON per prompt token; a conservative estimate is enough for the
    // token bucket, which is corrected from the reported usage afterwards.
    check.prompt_tokens = request_json.size() / 4;
    // An embedding's answer has no tokens of its own: a budget's estimate counts the input alone.
    if (endpoint == Endpoint::embeddings) check.max_tokens = 0;
    check.estimated_tokens = check.prompt_tokens + check.max_tokens.value_or(0);
    return check;
}

}  // namespace sw::providers
