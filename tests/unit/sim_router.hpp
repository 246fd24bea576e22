// sim_router.hpp — the router's real request path (RequestDriver: credentials, adapters,
// timeouts, the stream gate, failover, the response) on a simulated I/O thread (SimIo), so that
// scenario tests run on exact simulated time with no socket.
#pragma once

#include "sim_io.hpp"

#include "api/request_driver.hpp"

#include <switch/router.hpp>
#include <switch/sys/router_core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace swtest {

// What a request gave its caller.
struct SimResult {
    sw::ChatResponse response;
    std::vector<std::string> chunks;
    bool done = false;  // the done callback ran
    std::string joined() const {
        std::string all;
        for (const auto& c : chunks) all += c;
        return all;
    }
};

class SimRouter final : public sw::api::DriverHost {
public:
    // Routes over `core`, built from `config`, with `options` (their clock should be the
    // SimIo's; unset clock and random are the SimIo's clock and a seeded SplitMixRandom).
    SimRouter(SimIo& io, std::shared_ptr<const sw::Config> config, std::shared_ptr<sw::RouterCore> core,
              sw::RouterOptions options = {});

    // Checks `request_json` and begins it (api::start_request: a cascade, or its prompt route and
    // its loop), as Router does, then starts it on the real driver; io.run() then
    // drives it. `out` receives its chunks and its response and must outlive the request.
    // Returns the driver, which cancel() reaches.
    std::shared_ptr<sw::api::LiveRequest> start(std::string request_json, SimResult& out,
                                                const sw::ChatOptions& chat = {});
    // Starts `loop` (begun on this router's core) with `request_json` on the real driver.
    std::shared_ptr<sw::api::RequestDriver> start(sw::AttemptLoop loop, std::string request_json, SimResult& out);
    // Starts a request and runs the simulation until everything has ended.
    SimResult chat(std::string request_json, const sw::ChatOptions& chat = {});

    // DriverHost.
    sw::transport::Io io() override { return io_.io(); }
    const sw::RouterOptions& options() const override { return options_; }
    sw::RouterObserver* observer() const override { return observer_.get(); }
    std::size_t io_thread_index() const override { return 0; }
    void finished(sw::RequestId) override {}

private:
    static sw::providers::RequestCheck checked(const std::string& request_json);  // throws if malformed
    // Callbacks that fill `out`.
    static sw::ChunkCallback chunks_into(SimResult& out);
    static sw::DoneCallback done_into(SimResult& out);
    std::shared_ptr<sw::api::RequestDriver> start(sw::RequestId id, sw::api::BegunRequest begun,
                                                  std::string request_json, sw::providers::RequestCheck check,
                                                  SimResult& out);

    SimIo& io_;
    sw::RouterOptions options_;
    std::shared_ptr<sw::RouterObserver> observer_;
    std::shared_ptr<const sw::api::Generation> generation_;
    sw::RequestId next_id_ = 1;
};

}  // namespace swtest
