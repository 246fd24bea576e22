// response_builder.hpp — the ChatResponse a request ends with. It gathers, over the request's
// attempts, what the routing trace does not hold (the serving answer, reasons libswitch failed
// an attempt itself, whether an attempt used up the deadline), then decides the status: the one
// place the status of a failed request is decided (see docs/architecture.md, "Rules").
#pragma once

#include "api/attempt_outcome.hpp"

#include <switch/config.hpp>
#include <switch/router.hpp>

#include <optional>
#include <string>

namespace sw::api {

// The status a request whose routing ended as `r` reports to its caller, before the deadline's
// own rule (see build()).
int status_for(const RouteResult& r);

class ResponseBuilder {
public:
    // libswitch failed an attempt on `provider` before any network call, for `reason` (its own
    // words, never a provider's, so never a secret): the caller reads it in the error.
    void local_failure(std::string_view provider, std::string_view reason);
    // The last attempt ended; `spent_deadline` when its timers were the time the request had
    // left and one of them ran out.
    void attempt_ended(bool spent_deadline) { deadline_spent_ = spent_deadline; }
    // The attempt on `provider` served `answer`.
    void served(const ProviderConfig& provider, Answer answer) {
        serving_ = &provider;
        answer_ = std::move(answer);
    }

    // The response for a request whose routing ended as `trace`. `past_deadline`: the clock
    // says the request's deadline has come.
    ChatResponse build(RouteResult trace, bool past_deadline);
    // The response for a request cancelled by its caller or by the router's shutdown.
    ChatResponse cancelled(RouteResult trace, bool shutting_down);
    // The request's model routes by prompt, and sent it where `route` says: the trace says so.
    void routed_by(PromptRoute route) { route_ = std::move(route); }

private:
    const ProviderConfig* serving_ = nullptr;
    std::optional<Answer> answer_;
    std::string local_failures_;  // "; provider "a": reason" for each distinct local failure
    bool deadline_spent_ = false;
    std::optional<PromptRoute> route_;
};

}  // namespace sw::api
