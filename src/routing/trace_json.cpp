// trace_json.cpp — the JSON form of one attempt of a trace, and of a prompt route.
#include "routing/trace_json.hpp"

namespace sw::routing {

void write_attempt(JsonWriter& w, const AttemptRecord& a) {
    w.begin_object().key("provider").string(a.provider).key("pool").string(a.pool_id);
    w.key("status").integer(a.http_status).key("error_class").string(to_string(a.error_class));
    if (a.transport != TransportError::none) w.key("transport_error").string(to_string(a.transport));
    w.key("latency_ms").integer(std::chrono::duration_cast<Millis>(a.latency).count()).key("backoff_ms").integer(a.backoff_waited.count());
    if (a.cost_usd) w.key("cost_usd").number(*a.cost_usd);
    w.end_object();
}

void write_route(JsonWriter& w, const PromptRoute& r) {
    w.begin_object().key("strategy").string(r.strategy).key("rules").string(r.rules);
    if (!r.embedder.empty()) w.key("embedder").string(r.embedder);
    w.key("label").string(r.label).key("scores").begin_array();
    for (const RouteScore& s : r.scores) {
        w.begin_object().key("router").string(s.router).key("label").string(s.label).key("score").number(s.score);
        w.key("threshold").number(s.threshold).key("signals").begin_array();
        for (const auto& signal : s.signals) w.string(signal);
        w.end_array().end_object();
    }
    w.end_array();
    if (!r.votes.empty()) {
        w.key("votes").begin_array();
        for (const RouteVote& v : r.votes) {
            w.begin_object().key("router").string(v.router).key("label");
            if (v.label.empty()) w.null();
            else w.string(v.label);
            w.key("confidence").number(v.confidence).key("weight").number(v.weight).end_object();
        }
        w.end_array();
    }
    if (!r.fallback.empty()) w.key("fallback").string(r.fallback);
    if (r.strategy == "cascade") {
        auto optional = [&](const char* key, const std::optional<double>& v) {
            w.key(key);
            if (v) w.number(*v);
            else w.null();
        };
        w.key("steps").begin_array();
        for (const CascadeStep& step : r.steps) {
            w.begin_object().key("pool").string(step.pool).key("provider").string(step.provider);
            w.key("status").integer(step.status);
            optional("estimated_cost_usd", step.estimated_cost_usd);
            optional("cost_usd", step.cost_usd);
            optional("quality", step.quality);
            optional("confidence", step.confidence);
            w.key("accepted").boolean(step.accepted).key("note").string(step.note).end_object();
        }
        w.end_array();
        optional("budget_usd", r.budget_usd);
        w.key("spent_usd").number(r.spent_usd);
    }
    w.key("target").string(r.target).key("reason").string(r.reason).key("estimated_cost_usd");
    if (r.estimated_cost_usd) w.number(*r.estimated_cost_usd);
    else w.null();
    w.key("decision_us").number(static_cast<double>(r.decision_time.count()) / 1000.0);
    w.end_object();
}

}  // namespace sw::routing
