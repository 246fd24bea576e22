// curl_load.hpp — the load generator over raw libcurl multi. Pointed at the mock it is the floor:
// what the same requests cost with nothing in between. Pointed at a gateway (Portkey) it is the
// driver of an HTTP contender, and then the gateway's process is measured, not this one.
#pragma once

#include "measure.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace bench {

struct HttpTarget {
    std::string url;                   // http://127.0.0.1:PORT/v1/chat/completions
    std::vector<std::string> headers;  // extra request headers, "Name: value"
    std::string model;                 // the model each request names
    // When set, each request whose answer is 503 is followed by a second one naming this model,
    // and the pair is one logical request: the floor of a failover (no routing, just two calls).
    std::string then_model;
    pid_t measured_pid = 0;  // 0: this process; otherwise the CPU and RSS of that process
};

// `spec.workload` chat, stream or failover. Streams are asked for with "stream":true; their time to
// first token is when the first `"content"` member arrives.
Measurement run_curl(const HttpTarget& target, const LoadSpec& spec);

struct OpenStreams {
    int streams = 0;
    int opened = 0;  // streams whose first content chunk arrived
    double open_seconds = 0;  // until the last one did
    double rss_mib = 0;       // peak RSS with them all open
    int failures = 0;
};

// Opens `streams` streams at once, waits until each has delivered its first chunk (at most
// `max_seconds`), reads the peak RSS, then closes them all.
OpenStreams open_streams_curl(const HttpTarget& target, int streams, double max_seconds);

std::string request_body(const std::string& model, bool stream);

}  // namespace bench
