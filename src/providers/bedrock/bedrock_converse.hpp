// bedrock_converse.hpp — the pure parts of the Bedrock adapter: OpenAI chat requests to Converse
// bodies, Converse answers and ConverseStream events back to OpenAI's form, Bedrock's errors to
// OpenAI's codes, and where a Bedrock endpoint is. No I/O; docs/providers/bedrock.md has the rules.
#pragma once

#include "common/json_writer.hpp"
#include "providers/adapter.hpp"

#include <switch/config.hpp>

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sw::providers::bedrock {

// ---- Requests --------------------------------------------------------------------------------

struct ConverseRequest {
    std::string body;
    bool stream = false;  // the caller asked for a stream: ConverseStream, not Converse
    // Non-empty when the request cannot be sent to Converse; names the field or feature, never
    // quotes a value.
    std::string error;
    bool ok() const noexcept { return error.empty(); }
};

// Translates a caller's OpenAI chat request. Parameters come from `model->default_parameters`,
// then `provider.provider_params`, then the request; the later one wins.
ConverseRequest build_converse_request(std::string_view request_json, const ProviderConfig& provider,
                                       const ModelConfig* model);

// ---- Endpoints -------------------------------------------------------------------------------

// The AWS region named by a host such as bedrock-runtime.eu-west-1.amazonaws.com (or a VPC or
// FIPS endpoint); empty when the host names none.
std::string region_from_url(std::string_view url);

// https://bedrock-runtime.{region}.amazonaws.com (.com.cn in the China regions).
std::string default_api_base(std::string_view region);

// {api_base}/model/{model id, percent-encoded}/converse or /converse-stream.
std::string converse_url(std::string_view api_base, std::string_view model_id, bool stream);

// ---- Answers and errors ---------------------------------------------------------------------

// A Converse answer (2xx) as an OpenAI chat.completion named `model`; or a Bedrock error body
// (any other status) mapped to OpenAI's codes.
ParsedResponse parse_converse_response(int http_status, std::string_view body, std::string_view model,
                                       const ResponseStamp& stamp = {});

// Fills error_type (the Bedrock exception name, e.g. ThrottlingException), error_code (OpenAI's
// code where one fits, e.g. context_length_exceeded) and error_message. `exception` is the
// exception's name when the caller knows it (an event stream's :exception-type); otherwise it
// is read from the body's __type, or inferred from the status Bedrock documents for it.
void map_error(int http_status, std::string_view exception, std::string_view body, std::string& error_type,
               std::string& error_code, std::string& error_message);

// Converse's usage object ({inputTokens, outputTokens, totalTokens}); false when it is not one.
bool read_converse_usage(simdjson::dom::element usage, TokenUsage& out);

// Converse's stopReason as OpenAI's finish_reason.
std::string_view finish_reason_of(std::string_view stop_reason) noexcept;

// ---- Streams ---------------------------------------------------------------------------------

// Reads ConverseStream's events (as AwsEventStreamParser delivers them) into OpenAI
// chat.completion.chunk objects with the given id, created time and model.
std::unique_ptr<StreamDecoder> make_stream_decoder(std::string id, std::int64_t created, std::string model);

// "chatcmpl-bedrock-" and the stamp's 24 hex digits: Converse answers carry no id of their own.
std::string completion_id(const ResponseStamp& stamp);

}  // namespace sw::providers::bedrock
