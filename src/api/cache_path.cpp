// cache_path.cpp — replaying a hit, and recording a miss's answer.
#include "api/cache_path.hpp"

#include <utility>
#include <vector>

namespace sw::api {

ChatResponse hit_response(const cache::CachedAnswer& hit, std::string model) {
    ChatResponse r;
    r.status = 200;
    r.error_class = ErrorClass::success;
    r.body = hit.body;
    r.text = hit.text;
    r.finish_reason = hit.finish_reason;
    r.usage = hit.usage;
    r.cost_usd = 0.0;  // nobody was paid for it
    r.trace.ok = true;
    r.trace.model = std::move(model);
    r.trace.pool_id = hit.pool_id;
    r.trace.provider = hit.provider;
    r.trace.usage = hit.usage;
    r.trace.cache_hit = true;
    return r;
}

void replay_hit(DriverHost& host, RequestId id, std::shared_ptr<const cache::CachedAnswer> hit, std::string model,
                RequestOrigin origin, bool stream, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted) {
    // On the request's own thread, where its callbacks always run, in one turn: nothing can come
    // between the chunks, so a cancel finds the request already finished.
    host.io().loop.post([&host, id, hit = std::move(hit), model = std::move(model), origin = std::move(origin), stream,
                         on_chunk = std::move(on_chunk), done = std::move(done), submitted]() mutable {
        if (on_chunk)
            for (const std::string& chunk : hit->chunks) on_chunk(chunk);
        ChatResponse response = hit_response(*hit, std::move(model));
        if (RouterObserver* o = host.observer()) {
            const TimePoint now = host.io().loop.clock().now();
            std::optional<TimePoint> first_content;
            if (stream && !hit->chunks.empty()) first_content = now;
            report_request_finished(*o, id, origin, providers::Endpoint::chat_completions, stream, response, submitted,
                                    first_content, now);
        }
        if (done) done(std::move(response));
    });
}

void record_answer(std::shared_ptr<const cache::ResponseCache> cache, const cache::CachePlan& plan, bool stream,
                   ChunkCallback& on_chunk, DoneCallback& done) {
    // Both callbacks run on the request's one I/O thread, in order: the recording needs no lock.
    auto chunks = std::make_shared<std::vector<std::string>>();
    if (stream)
        on_chunk = [chunks, inner = std::move(on_chunk)](std::string_view chunk) {
            chunks->emplace_back(chunk);
            if (inner) inner(chunk);
        };
    done = [cache = std::move(cache), plan, stream, chunks, inner = std::move(done)](ChatResponse response) {
        cache->store(plan, response, stream, std::move(*chunks));
        if (inner) inner(std::move(response));
    };
}

}  // namespace sw::api
