// trace_json.hpp — the JSON form of a request's trace, shared by the `switch` trace object and
// the router events, so that an attempt reads the same wherever it appears.
#pragma once

#include "common/json_writer.hpp"

#include <switch/trace.hpp>

namespace sw::routing {

// {"provider","pool","status","error_class"[,"transport_error"],"latency_ms","backoff_ms"[,"cost_usd"]}
void write_attempt(JsonWriter& w, const AttemptRecord& attempt);

// {"strategy","rules","label","scores":[{"label","score","threshold","signals"}],"target","reason",
//  "estimated_cost_usd","decision_us"}: how a prompt-routed model chose (docs/prompt-routing.md).
void write_route(JsonWriter& w, const PromptRoute& route);

}  // namespace sw::routing
