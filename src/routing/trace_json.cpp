// trace_json.cpp — the JSON form of one attempt of a trace.
#include "routing/trace_json.hpp"

namespace sw::routing {

void write_attempt(JsonWriter& w, const AttemptRecord& a) {
    w.begin_object().key("provider").string(a.provider).key("pool").string(a.pool_id);
    w.key("status").integer(a.http_status).key("error_class").string(to_string(a.error_class));
    if (a.transport != TransportError::none) w.key("transport_error").string(to_string(a.transport));
    w.key("latency_ms").integer(a.latency.count()).key("backoff_ms").integer(a.backoff_waited.count());
    w.end_object();
}

}  // namespace sw::routing
