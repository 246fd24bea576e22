// routing_fixtures.cpp — outcomes as HTTP answers, and routing a loop through the real driver.
#include "routing_fixtures.hpp"

#include "common/json_writer.hpp"
#include "sim_router.hpp"

#include <stdexcept>

namespace swtest {

namespace {

// What an OpenAI-compatible server answers for `o`.
SimAnswer http_answer_for(const sw::Outcome& o, bool stream) {
    SimAnswer a;
    const auto latency = std::chrono::duration_cast<sw::Millis>(o.latency);  // the simulation's unit
    a.end = latency;
    if (o.transport != sw::TransportError::none && !o.content_delivered) {
        a.status = 0;  // no HTTP response at all
        a.error = o.transport;
        return a;
    }
    a.headers_at = o.content_delivered ? sw::Millis(0) : latency;
    a.status = o.transport != sw::TransportError::none ? 200 : o.http_status;
    if (!o.retry_after.empty()) a.headers.emplace_back("Retry-After", o.retry_after);
    if (!o.retry_after_ms.empty()) a.headers.emplace_back("retry-after-ms", o.retry_after_ms);
    sw::JsonWriter w;
    if (o.content_delivered) {
        // A stream that delivers content at once, then ends as the outcome says.
        a.headers.emplace_back("Content-Type", "text/event-stream");
        a.body.push_back({sw::Millis(0), R"(data: {"choices":[{"index":0,"delta":{"content":"partial"}}]})"
                                         "\n\n"});
        a.error = o.transport;
        return a;
    }
    if (a.status < 200 || a.status >= 300) {
        w.begin_object().key("error").begin_object();
        if (!o.error_message.empty()) w.key("message").string(o.error_message);
        if (!o.error_type.empty()) w.key("type").string(o.error_type);
        if (!o.error_code.empty()) w.key("code").string(o.error_code);
        w.end_object().end_object();
        a.body.push_back({latency, w.take()});
        return a;
    }
    w.begin_object().key("prompt_tokens").integer(static_cast<std::int64_t>(o.usage.input_tokens));
    w.key("completion_tokens").integer(static_cast<std::int64_t>(o.usage.output_tokens)).end_object();
    const std::string usage = w.take();
    if (stream) {
        a.headers.emplace_back("Content-Type", "text/event-stream");
        a.body.push_back({latency, R"(data: {"choices":[{"index":0,"delta":{"content":"ok"}}]})"
                                     "\n\n"
                                     R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":)" +
                                         usage + "}\n\ndata: [DONE]\n\n"});
    } else {
        a.body.push_back({latency, R"({"object":"chat.completion","choices":[{"index":0,"message":{"role":)"
                                     R"("assistant","content":"ok"},"finish_reason":"stop"}],"usage":)" +
                                         usage + "}"});
    }
    return a;
}

// The provider a request goes to, from the api_base provider() gives it.
std::string provider_of(const std::string& url) {
    if (url.find(".example.invalid") == std::string::npos)
        throw std::invalid_argument("ScriptedTransport: not a provider() URL: " + url);
    return host_label(url);
}

}  // namespace

SimAnswer ScriptedTransport::answer(const sw::transport::HttpRequest& r) {
    const std::string name = provider_of(r.url);
    const bool stream = r.first_byte_timeout.count() > 0;
    calls.push_back({name, io.clock().now(), stream ? r.first_byte_timeout : r.total_timeout});
    const int n = count_[name]++;
    if (decide_) return http_answer_for(decide_(name, io.clock().now()), stream);
    sw::Outcome o = ok();
    auto it = scripts_.find(name);
    if (it != scripts_.end() && !it->second.empty())
        o = it->second[std::min<std::size_t>(static_cast<std::size_t>(n), it->second.size() - 1)];
    return http_answer_for(o, stream);
}

sw::RouteResult route(Harness& h, ScriptedTransport& t, sw::AttemptLoop loop, bool stream) {
    sw::RouterOptions options;
    options.clock = h.clock;
    SimRouter router(t.io, h.config, h.core, options);
    SimResult out;
    router.start(std::move(loop),
                 stream ? R"({"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]})"
                        : R"({"model":"m","messages":[{"role":"user","content":"hi"}]})",
                 out);
    t.io.run();
    if (!out.done) throw std::logic_error("route: the request never finished");
    return std::move(out.response.trace);
}

}  // namespace swtest
