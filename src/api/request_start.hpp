// request_start.hpp — a checked request, begun on a generation as the driver its model needs: a
// cascade's, a pool embedder's (which embeds the prompt before it routes), or the plain one
// (begin_request: its prompt route and its routing loop). Router and
// the tests' SimRouter both start requests here.
#pragma once

#include "api/live_request.hpp"
#include "api/request_driver.hpp"

#include <memory>
#include <string>

namespace sw::api {

// Not started yet: the caller starts it on `host`'s I/O thread. `origin` is the request's (who
// asked, its trace), made when it was submitted. The request's budget is the tighter
// of `chat.max_cost_usd` and the request's own "max_cost_usd" member (check.max_cost_usd).
std::shared_ptr<LiveRequest> start_request(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                                           providers::Endpoint endpoint, std::string request_json,
                                           providers::RequestCheck check, const ChatOptions& chat,
                                           RequestOrigin origin, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted,
                                           Clock& clock);

}  // namespace sw::api
