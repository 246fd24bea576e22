// sim_io.hpp — a simulated I/O thread for tests: the transport seam's EventLoop and HttpClient
// (src/transport/io.hpp) on a FakeClock, with scripted HTTP answers and no socket.
//
// Time moves only when run() takes the next timer, and then straight to that timer's instant,
// so a scenario that waits for seconds runs in microseconds and every time it asserts is exact.
// Each exchange honours its request's first-byte, idle and total timeouts as HttpEngine does:
// a timeout fires at its exact instant unless the answer's next piece comes at or before it.
#pragma once

#include "transport/io.hpp"

#include <switch/testing/fake_clock.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace swtest {

// The first label of a URL's host ("https://NAME.example.invalid/v1/..." -> NAME), by which the
// scripted tests tell their upstreams apart; empty when `url` has no scheme.
inline std::string host_label(const std::string& url) {
    const std::size_t begin = url.find("://");
    if (begin == std::string::npos) return {};
    const std::size_t start = begin + 3;
    return url.substr(start, url.find_first_of("./:", start) - start);
}

// One scripted answer. Times count from the exchange's start.
struct SimAnswer {
    int status = 200;                                         // 0: no HTTP response at all
    std::vector<std::pair<std::string, std::string>> headers;
    sw::Millis headers_at{0};                                 // when the status and headers arrive
    struct Piece {
        sw::Millis at;
        std::string bytes;
    };
    std::vector<Piece> body;                                  // in time order
    sw::Millis end{0};                                        // when the exchange completes
    sw::TransportError error = sw::TransportError::none;      // how it completes
    // Never completes (a hung server): only a timeout or a cancel ends it.
    bool hang = false;
};

class SimIo final : public sw::transport::EventLoop, public sw::transport::HttpClient {
public:
    using Responder = std::function<SimAnswer(const sw::transport::HttpRequest&)>;

    // `clock` must outlive the SimIo.
    explicit SimIo(sw::FakeClock& clock);
    ~SimIo() override;

    // Decides every request's answer. Default: 200 with an empty body, at once.
    void respond_with(Responder responder) { responder_ = std::move(responder); }

    // Runs posted work, then timers in time order, moving the clock to each, until nothing is
    // left. A hung exchange without a timeout would never end: run() then throws.
    void run();
    // Begins shutdown as HttpEngine::stop() does: stopping() turns true, and run() then fires
    // the timers left at once.
    void begin_stop() { stopping_ = true; }

    sw::transport::Io io() { return {*this, *this}; }

    // Every request submitted, with its start time, in order.
    struct Sent {
        sw::transport::HttpRequest request;
        sw::TimePoint at;
    };
    std::vector<Sent> sent;

    // EventLoop and HttpClient.
    void post(std::function<void()> fn) override { posted_.push_back(std::move(fn)); }
    void post_at(sw::TimePoint when, std::function<void()> fn) override;
    sw::Clock& clock() const override { return clock_; }
    bool stopping() const override { return stopping_; }
    bool on_io_thread() const override { return true; }
    Id submit(sw::transport::HttpRequest request, std::shared_ptr<sw::transport::HttpHandler> handler) override;
    void cancel(Id id) override;

private:
    struct Exchange;
    void step(Id id);
    void schedule(Exchange& ex);
    void complete(Id id, sw::transport::HttpResult result);

    sw::FakeClock& clock_;
    Responder responder_;
    bool stopping_ = false;
    std::deque<std::function<void()>> posted_;
    // Ordered by time, then by posting order.
    std::multimap<std::pair<sw::TimePoint, std::uint64_t>, std::function<void()>> timers_;
    std::uint64_t sequence_ = 0;
    Id next_id_ = 1;
    std::unordered_map<Id, std::unique_ptr<Exchange>> live_;
};

}  // namespace swtest
