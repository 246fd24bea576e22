// cache_path.hpp — a request's way through the response cache (docs/cache.md), between intake
// and its driver: a hit is replayed on the request's I/O thread without routing; a miss runs as
// any request, with callbacks that record its answer so that a complete one is stored.
#pragma once

#include "api/request_driver.hpp"
#include "cache/response_cache.hpp"

#include <switch/router.hpp>

#include <memory>
#include <string>

namespace sw::api {

// The response a hit answers with: the stored answer and its original usage, cost 0, and a
// trace that says cache_hit and names who first served it, with no attempt.
ChatResponse hit_response(const cache::CachedAnswer& hit, std::string model);

// Replays `hit` on `host`'s thread, as a request would have run there: each stored chunk in
// order, then the request_finished event, then `done`.
void replay_hit(DriverHost& host, RequestId id, std::shared_ptr<const cache::CachedAnswer> hit, std::string model,
                RequestOrigin origin, bool stream, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted);

// Wraps a request's callbacks so that its answer is stored in `cache` under `plan` when it ends
// complete and successful: a stream's chunks are recorded as the caller receives them (those of
// failed attempts never are), and the answer is stored before `done` runs, so that a request
// made once `done` has run finds it.
void record_answer(std::shared_ptr<const cache::ResponseCache> cache, const cache::CachePlan& plan, bool stream,
                   ChunkCallback& on_chunk, DoneCallback& done);

}  // namespace sw::api
