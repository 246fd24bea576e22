// attempt_outcome.hpp — what one attempt's result means: the Outcome the routing core is told
// (status, transport error, the provider's error, rate-limit headers, usage), and, for an
// attempt that served, its answer.
#pragma once

#include "api/attempt_exchange.hpp"
#include "providers/adapter.hpp"

#include <switch/outcome.hpp>

#include <optional>
#include <string>

namespace sw::api {

// A served attempt's answer, in OpenAI form.
struct Answer {
    std::string body;  // a whole answer's JSON; empty for a stream, whose chunks went out already
    std::string text;
    std::string finish_reason;
};

struct AttemptVerdict {
    Outcome outcome;
    std::optional<Answer> answer;  // set exactly when the attempt served
};

// `streaming`: the request streams. `content_delivered`: content of this request has reached the
// caller, so a failure now cannot fail over.
AttemptVerdict judge_attempt(AttemptResult result, const providers::Adapter& adapter,
                             const providers::AnswerContext& context, providers::Endpoint endpoint, bool streaming,
                             bool content_delivered);

}  // namespace sw::api
