// response_builder.cpp — a request's final response and its status.
#include "api/response_builder.hpp"

#include "routing/cost.hpp"

#include <fmt/format.h>

namespace sw::api {

int status_for(const RouteResult& r) {
    switch (r.error) {
        case RouteError::none: return 200;
        case RouteError::unknown_model: return 404;
        case RouteError::deadline_exceeded: return 504;
        case RouteError::rejected: {
            for (auto it = r.attempts.rbegin(); it != r.attempts.rend(); ++it)
                if (it->http_status >= 400 && it->http_status < 500) return it->http_status;
            return 400;
        }
        case RouteError::exhausted:
        case RouteError::attempts_exceeded:
            return r.error_class == ErrorClass::rate_limited ? 429 : 502;
        case RouteError::stream_interrupted: return 502;
        case RouteError::cancelled: return 499;
        case RouteError::would_deadlock: return 400;
    }
    return 502;
}

void ResponseBuilder::local_failure(std::string_view provider, std::string_view reason) {
    std::string line = fmt::format("; provider \"{}\": {}", provider, reason);
    if (local_failures_.find(line) == std::string::npos) local_failures_ += line;
}

ChatResponse ResponseBuilder::build(RouteResult trace, bool past_deadline) {
    ChatResponse r;
    r.trace = std::move(trace);
    r.trace.route = std::move(route_);
    const RouteResult& result = r.trace;
    r.status = status_for(result);
    r.error_class = result.error_class;
    if (result.ok) {
        r.error_class = ErrorClass::success;
        if (answer_) {
            r.body = std::move(answer_->body);
            r.text = std::move(answer_->text);
            r.finish_reason = std::move(answer_->finish_reason);
        }
        r.usage = result.usage;
        if (serving_) r.cost_usd = routing::cost_of(*serving_, result.usage);
    } else {
        r.error = result.message.empty() ? std::string(to_string(result.error)) : result.message;
        r.error += local_failures_;
        // However the last attempt ended, a request that used up its deadline timed out.
        if (result.error != RouteError::rejected && (deadline_spent_ || past_deadline)) {
            r.status = 504;
            r.error = "deadline exceeded; " + r.error;
        }
    }
    return r;
}

ChatResponse ResponseBuilder::cancelled(RouteResult trace, bool shutting_down) {
    ChatResponse r;
    r.status = 499;
    r.error = shutting_down ? "the router is shutting down" : "cancelled";
    r.error_class = ErrorClass::cancelled;
    r.trace = std::move(trace);
    r.trace.route = std::move(route_);
    r.trace.ok = false;
    r.trace.error = RouteError::cancelled;
    r.trace.error_class = ErrorClass::cancelled;
    return r;
}

}  // namespace sw::api
