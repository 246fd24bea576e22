// sim_io.cpp — the simulated I/O thread: timers in time order on a FakeClock, and scripted
// exchanges that keep HttpEngine's timeout rules.
#include "sim_io.hpp"

#include <algorithm>
#include <stdexcept>

namespace swtest {

using sw::TimePoint;
using sw::transport::HttpResult;

struct SimIo::Exchange {
    Id id = 0;
    sw::transport::HttpRequest request;
    std::shared_ptr<sw::transport::HttpHandler> handler;
    SimAnswer answer;
    TimePoint started{};
    TimePoint last_byte{};
    bool headers_sent = false;
    bool body_started = false;
    int status = 0;
    std::size_t next_piece = 0;
    std::uint64_t schedule = 0;  // bumped per scheduling, so that an outdated timer is ignored

    TimePoint next_event() const {
        if (answer.status != 0 && !headers_sent) return started + answer.headers_at;
        if (next_piece < answer.body.size()) return started + answer.body[next_piece].at;
        return answer.hang ? TimePoint::max() : started + answer.end;
    }
    // HttpEngine's rules: the total timeout always; the first-byte one until the response has
    // started; the idle one after.
    TimePoint deadline() const {
        TimePoint d = started + request.total_timeout;
        if (!body_started && request.first_byte_timeout.count() > 0) d = std::min(d, started + request.first_byte_timeout);
        if (body_started && request.idle_timeout.count() > 0) d = std::min(d, last_byte + request.idle_timeout);
        return d;
    }
};

SimIo::SimIo(sw::FakeClock& clock)
    : clock_(clock), responder_([](const sw::transport::HttpRequest&) { return SimAnswer{}; }) {}

SimIo::~SimIo() = default;

void SimIo::post_at(TimePoint when, std::function<void()> fn) {
    timers_.emplace(std::make_pair(when, sequence_++), std::move(fn));
}

SimIo::Id SimIo::submit(sw::transport::HttpRequest request, std::shared_ptr<sw::transport::HttpHandler> handler) {
    auto ex = std::make_unique<Exchange>();
    ex->id = next_id_++;
    ex->started = clock_.now();
    ex->last_byte = ex->started;
    ex->answer = responder_(request);
    sent.push_back({request, ex->started});
    ex->request = std::move(request);
    ex->handler = std::move(handler);
    const Id id = ex->id;
    Exchange& e = *ex;
    live_.emplace(id, std::move(ex));
    schedule(e);
    return id;
}

void SimIo::cancel(Id id) {
    // As HttpEngine does: the cancel is queued, and the handler hears of it on the loop.
    post([this, id] {
        auto it = live_.find(id);
        if (it == live_.end()) return;
        HttpResult r;
        r.status = it->second->status;
        r.cancelled = true;
        r.detail = "cancelled";
        complete(id, std::move(r));
    });
}

void SimIo::schedule(Exchange& ex) {
    const std::uint64_t mine = ++ex.schedule;
    const TimePoint at = std::min(ex.next_event(), ex.deadline());
    post_at(at, [this, id = ex.id, mine] {
        auto it = live_.find(id);
        if (it != live_.end() && it->second->schedule == mine) step(id);
    });
}

void SimIo::step(Id id) {
    Exchange& ex = *live_.at(id);
    const TimePoint now = clock_.now();
    const TimePoint event = ex.next_event();
    if (ex.deadline() <= now && ex.deadline() < event) {
        HttpResult r;
        r.status = ex.status;
        r.error = ex.body_started ? sw::TransportError::idle_timeout : sw::TransportError::first_byte_timeout;
        r.detail = std::string(sw::to_string(r.error));
        complete(id, std::move(r));
        return;
    }
    if (ex.answer.status != 0 && !ex.headers_sent) {
        ex.headers_sent = true;
        ex.status = ex.answer.status;
        ex.handler->on_status(ex.status);
        for (const auto& [name, value] : ex.answer.headers) ex.handler->on_header(name, value);
    } else if (ex.next_piece < ex.answer.body.size()) {
        const std::string& bytes = ex.answer.body[ex.next_piece++].bytes;
        ex.last_byte = now;
        if (!ex.handler->on_body(bytes)) {
            HttpResult r;
            r.status = ex.status;
            r.cancelled = true;
            r.detail = "cancelled";
            complete(id, std::move(r));
            return;
        }
        if (!ex.body_started) ex.body_started = ex.handler->response_started();
    } else {
        HttpResult r;
        r.status = ex.status;
        r.error = ex.answer.error;
        if (r.error != sw::TransportError::none) r.detail = std::string(sw::to_string(r.error));
        complete(id, std::move(r));
        return;
    }
    schedule(ex);
}

void SimIo::complete(Id id, HttpResult result) {
    auto it = live_.find(id);
    std::unique_ptr<Exchange> ex = std::move(it->second);
    live_.erase(it);
    result.elapsed = clock_.now() - ex->started;
    ex->handler->on_complete(result);
}

void SimIo::run() {
    for (;;) {
        if (!posted_.empty()) {
            auto fn = std::move(posted_.front());
            posted_.pop_front();
            fn();
            continue;
        }
        if (timers_.empty()) break;
        auto first = timers_.begin();
        auto fn = std::move(first->second);
        const TimePoint when = first->first.first;
        timers_.erase(first);
        // Shutting down fires timers early, as HttpEngine does; otherwise time moves to the
        // timer, never backwards (other threads may share the clock).
        if (!stopping_ && when != TimePoint::max()) clock_.sleep_until(when);
        fn();
    }
    if (!live_.empty()) throw std::logic_error("SimIo::run: an exchange hangs with no timeout to end it");
}

}  // namespace swtest
