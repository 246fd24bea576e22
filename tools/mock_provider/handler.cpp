// handler.cpp — routes each request and answers it, or hands it to a Pending when it must wait.
#include "bodies.hpp"
#include "dialect.hpp"
#include "pending.hpp"
#include "scenario.hpp"
#include "token_endpoint.hpp"
#include "worker.hpp"

#include "http_common/reason_phrase.hpp"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <algorithm>
#include <ctime>

namespace mock {

namespace {

constexpr std::string_view kScenarioHeader = "x-mock-scenario";

void send_json(evhttp_request* req, int status, const std::string& body) {
    Reply r;
    r.status = status;
    r.body = body;
    send_reply(req, r);
}

// The mock's own errors (a bad scenario, an unknown URL) take OpenAI's shape in every dialect.
void send_error(evhttp_request* req, int status, std::string_view message, std::string_view type,
                std::string_view code) {
    Reply r;
    openai_dialect().error_reply(ScriptedError{status, Fault::status, type, code, message}, r);
    send_reply(req, r);
}

std::string_view method_name(evhttp_cmd_type m) {
    switch (m) {
        case EVHTTP_REQ_GET: return "GET";
        case EVHTTP_REQ_POST: return "POST";
        case EVHTTP_REQ_HEAD: return "HEAD";
        case EVHTTP_REQ_PUT: return "PUT";
        case EVHTTP_REQ_DELETE: return "DELETE";
        case EVHTTP_REQ_OPTIONS: return "OPTIONS";
        case EVHTTP_REQ_PATCH: return "PATCH";
        default: return "OTHER";
    }
}

// Fills r with the error answer the scenario asks for, in the dialect's shape; returns false
// when it asks for none.
bool scripted_error(const Scenario& s, const Dialect& dialect, std::string_view path, bool stream, Reply& r) {
    ScriptedError e{s.status, Fault::status, s.error_type, s.error_code, s.error_message, stream};
    if (s.redirect_port >= 0) {
        e.status = 307;
        e.fault = Fault::redirect;
        r.location = "http://127.0.0.1:" + std::to_string(s.redirect_port) + std::string(path);
    } else if (s.context_length) {
        e.status = 400;
        e.fault = Fault::context_length;
    } else if (s.content_policy) {
        e.status = 400;
        e.fault = Fault::content_policy;
    } else if (s.quota) {
        e.status = 429;
        e.fault = Fault::quota;
    } else if (s.status == 0) {
        return false;
    }
    dialect.error_reply(e, r);
    return true;
}

}  // namespace

void send_reply(evhttp_request* req, const Reply& reply) {
    evkeyvalq* out = evhttp_request_get_output_headers(req);
    evhttp_add_header(out, "Content-Type", "application/json");
    if (!reply.location.empty()) evhttp_add_header(out, "Location", reply.location.c_str());
    if (!reply.retry_after.empty()) evhttp_add_header(out, "Retry-After", reply.retry_after.c_str());
    if (!reply.retry_after_ms.empty()) evhttp_add_header(out, "retry-after-ms", reply.retry_after_ms.c_str());
    evbuffer_add(evhttp_request_get_output_buffer(req), reply.body.data(), reply.body.size());
    evhttp_send_reply(req, reply.status, http_common::reason_phrase(reply.status), nullptr);
}

Worker::Worker(Stats& shared_stats, event_base* worker_base, evhttp* worker_http)
    : stats(shared_stats), base(worker_base), http(worker_http) {}

Worker::~Worker() {
    // The loop has stopped: cancel every pending answer, then let evhttp close the connections.
    for (Pending* p : std::unordered_set<Pending*>(pending)) delete p;
    pending.clear();
    if (stop_event != nullptr) event_free(stop_event);
    evhttp_free(http);
    event_base_free(base);
}

void Worker::handle(evhttp_request* req) {
    std::string_view path = evhttp_request_get_uri(req);
    path = path.substr(0, path.find('?'));
    const evhttp_cmd_type method = evhttp_request_get_command(req);

    std::string_view query = evhttp_request_get_uri(req);
    query = query.find('?') == std::string_view::npos ? std::string_view() : query.substr(query.find('?') + 1);
    RouteMatch match;
    if (const Dialect* dialect = dialect_for(path, query, match)) {
        if (method == EVHTTP_REQ_POST) return handle_api(req, *dialect, std::move(match), path, query);
    } else if (is_token_path(path)) {
        if (method == EVHTTP_REQ_POST) return handle_token(*this, req, path);
    } else if (path == "/__stats") {
        if (method == EVHTTP_REQ_GET) return send_json(req, 200, stats.to_json());
    } else if (path == "/__reset") {
        if (method == EVHTTP_REQ_POST) {
            stats.reset();
            return send_json(req, 200, R"({"ok":true})");
        }
    } else {
        std::string message = "Unknown request URL: ";
        message.append(method_name(method)).append(" ").append(path).append(" (mock).");
        return send_error(req, 404, message, "invalid_request_error", "unknown_url");
    }
    std::string message = "Method ";
    message.append(method_name(method)).append(" is not allowed on ").append(path).append(" (mock).");
    send_error(req, 405, message, "invalid_request_error", "method_not_allowed");
}

void Worker::handle_api(evhttp_request* req, const Dialect& dialect, RouteMatch match, std::string_view path,
                        std::string_view query) {
    const bool embeddings = match.embeddings;
    const std::uint64_t n = stats.count_request();

    // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy. The DOM
    // parser validates the whole document, so any non-JSON body is refused.
    evbuffer* in = evhttp_request_get_input_buffer(req);
    const std::size_t length = evbuffer_get_length(in);
    body_.resize(length + simdjson::SIMDJSON_PADDING);
    evbuffer_copyout(in, body_.data(), length);
    simdjson::dom::element doc;
    if (auto error = parser_.parse(body_.data(), length, false).get(doc); error || !doc.is_object()) {
        std::string message = "The request body is not a JSON object";
        if (error) message.append(": ").append(simdjson::error_message(error));
        return send_error(req, 400, message, "invalid_request_error", "invalid_json");
    }
    std::string_view model = match.model;
    if (!model.empty()) {
        // The path names the model (Bedrock, Gemini).
    } else if (auto error = doc["model"].get(model)) {
        return send_error(req, 400,
                          error == simdjson::NO_SUCH_FIELD ? "You must provide a model parameter."
                                                           : "\"model\" must be a string.",
                          "invalid_request_error", "invalid_request");
    }
    bool stream = match.stream.value_or(false);
    if (auto field = doc["stream"]; !match.stream && field.error() != simdjson::NO_SUCH_FIELD && !field.is_null()) {
        if (field.get(stream)) return send_error(req, 400, "\"stream\" must be a boolean.", "invalid_request_error", "invalid_request");
    }

    // The scenario: the x-mock-scenario header, else what follows '@' in the model name.
    evkeyvalq* headers = evhttp_request_get_input_headers(req);
    const char* header_spec = evhttp_find_header(headers, kScenarioHeader.data());
    std::string_view spec;
    key_.assign(model);
    if (header_spec != nullptr) {
        spec = header_spec;
        key_.append("#").append(spec);
    } else if (std::size_t at = model.find('@'); at != std::string_view::npos) {
        spec = model.substr(at + 1);
    }
    headers_.clear();
    for (evkeyval* h = headers->tqh_first; h != nullptr; h = h->next.tqe_next) headers_.emplace_back(h->key, h->value);
    const Stats::Attempt attempt = stats.record_attempt(key_, headers_);
    // The dialect's authentication check (Bedrock's SigV4) comes before any scripted behaviour.
    if (Reply denied; !dialect.authorize({path, query, std::string_view(body_.data(), length), headers_}, denied))
        return send_reply(req, denied);

    std::string spec_error;
    std::optional<Scenario> scenario = parse_scenario(spec, &spec_error);
    if (!scenario) return send_error(req, 400, spec_error, "invalid_request_error", "invalid_scenario");
    Scenario& s = *scenario;
    s.filter_faults(attempt.number, attempt.ms_since_first);

    if (s.hang) return Pending::hang(*this, req);
    if (s.reset) return Pending::reset_later(*this, req, s.latency_ms);

    Completion c{n, static_cast<std::int64_t>(std::time(nullptr)), model,
                 std::max<std::int64_t>(1, static_cast<std::int64_t>(length / 4)), s.tool_call};
    // An array of texts (or of token arrays) is that many inputs; an array of numbers is one.
    if (simdjson::dom::array texts; embeddings && !doc["input"].get_array().get(texts) && texts.size() > 0 &&
                                    !texts.at(0).is_number())
        c.inputs = texts.size();
    Reply& r = reply_;
    r.status = 200;
    r.body.clear();
    r.location.clear();
    r.retry_after = s.retry_after;
    r.retry_after_ms = s.retry_after_ms;
    if (s.garbage) {
        r.body = "<html>this is not the API's JSON (mock)</html>";
    } else if (!scripted_error(s, dialect, path, stream, r)) {
        if (stream && !embeddings) {
            StreamPlan plan{std::move(s), &dialect, std::string(model), c.n, c.created, c.prompt_tokens};
            return Pending::stream(*this, req, std::move(plan));
        }
        if (embeddings) dialect.append_embeddings(r.body, c);
        else dialect.append_completion(r.body, c, 7);
    }
    if (s.latency_ms > 0) return Pending::reply_later(*this, req, r, s.latency_ms);
    send_reply(req, r);
}

}  // namespace mock
