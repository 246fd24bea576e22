// test_legacy_completions.cpp — /v1/completions as a chat completion, and the answers back.
#include "legacy_completions.hpp"

#include <catch2/catch.hpp>

using server::chat_request_from_completion;
using server::completion_from_chat;

TEST_CASE("a completions request becomes a chat request with the prompt as the user message", "[server][legacy]") {
    std::string error;
    CHECK(chat_request_from_completion(R"({"model":"m","prompt":"Say \"hi\"","max_tokens":5,"stream":true,)"
                                       R"("echo":false,"best_of":1,"suffix":null,"stop":["\n"]})",
                                       error) ==
          R"({"model":"m","max_tokens":5,"stream":true,"stop":["\n"],)"
          R"("messages":[{"role":"user","content":"Say \"hi\""}]})");
    CHECK(error.empty());
    CHECK(chat_request_from_completion(R"({"model":"m","prompt":["only one"]})", error) ==
          R"({"model":"m","messages":[{"role":"user","content":"only one"}]})");
}

TEST_CASE("what a chat model cannot give is refused, naming it", "[server][legacy]") {
    const std::pair<const char*, const char*> cases[] = {
        {R"({"model":"m","prompt":"x","echo":true})", "echo"},
        {R"({"model":"m","prompt":"x","suffix":"end"})", "suffix"},
        {R"({"model":"m","prompt":"x","logprobs":3})", "logprobs"},
        {R"({"model":"m","prompt":"x","logprobs":1})", "logprobs"},  // 1 is a count here, not "none"
        {R"({"model":"m","prompt":"x","best_of":2})", "best_of"},
        {R"({"model":"m","prompt":["a","b"]})", "one request per prompt"},
        {R"({"model":"m","prompt":[[1,2]]})", "token arrays"},
        {R"({"model":"m"})", "\"prompt\" is required"},
        {R"({"model":"m","prompt":7})", "\"prompt\" must be a string"},
        {R"([1])", "not a JSON object"},
    };
    for (const auto& [body, says] : cases) {
        std::string error;
        INFO(body);
        CHECK(chat_request_from_completion(body, error).empty());
        CHECK_THAT(error, Catch::Contains(says));
    }
}

TEST_CASE("a chat answer and a stream chunk come back as text_completion objects", "[server][legacy]") {
    CHECK(completion_from_chat(R"({"id":"c1","object":"chat.completion","created":7,"model":"m1",)"
                               R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},)"
                               R"("finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}})") ==
          R"({"id":"c1","object":"text_completion","created":7,"model":"m1","choices":[{"text":"Hello","index":0,)"
          R"("logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}})");
    CHECK(completion_from_chat(R"({"id":"c2","object":"chat.completion.chunk","created":8,"model":"m1",)"
                               R"("choices":[{"index":0,"delta":{"content":"tok"},"finish_reason":null}]})") ==
          R"({"id":"c2","object":"text_completion","created":8,"model":"m1","choices":[{"text":"tok","index":0,)"
          R"("logprobs":null,"finish_reason":null}]})");
    // A stream's error chunk is not an answer: it goes through as it is.
    const std::string error = R"({"error":{"type":"stream_interrupted","message":"cut"}})";
    CHECK(completion_from_chat(error) == error);
}
