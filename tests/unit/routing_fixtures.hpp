// routing_fixtures.hpp — config builders, outcomes, and provider answers scripted as outcomes for
// routing tests, which run the real request path on a simulated I/O thread.
#pragma once

// GCC 12 at -O3 reports false -Wrestrict warnings inside std::string assignments (GCC bug
// 105329); they would break Release builds with SWITCH_WERROR in these tests.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include "routing/core_state.hpp"
#include "sim_io.hpp"

#include <switch/events.hpp>
#include <switch/testing/fake_clock.hpp>
#include <switch/sys/router_core.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace swtest {

using namespace std::chrono_literals;

inline sw::ProviderConfig provider(std::string name, int priority = 1, double weight = 1) {
    sw::ProviderConfig p;
    p.name = std::move(name);
    p.model_name = p.name + "-model";
    p.api_base = "https://" + p.name + ".example.invalid/v1";  // ScriptedTransport tells providers apart by it
    p.priority = priority;
    p.weight = weight;
    return p;
}

inline sw::ProviderConfig no_retry(std::string name) {
    auto p = provider(std::move(name));
    p.max_retries = 0;
    return p;
}

inline sw::PoolConfig pool(std::string id, std::vector<sw::ProviderConfig> providers,
                           sw::Strategy strategy = sw::Strategy::round_robin,
                           std::vector<std::string> fallbacks = {}) {
    sw::PoolConfig p;
    p.id = std::move(id);
    p.name = p.id;
    p.providers = std::move(providers);
    p.strategy = strategy;
    p.fallback_pool_ids = std::move(fallbacks);
    return p;
}

inline sw::Outcome ok(sw::Millis latency = 100ms) {
    sw::Outcome o;
    o.http_status = 200;
    o.latency = latency;
    return o;
}

inline sw::Outcome http(int status, std::string code = {}, std::string message = {},
                        sw::Millis latency = 50ms) {
    sw::Outcome o;
    o.http_status = status;
    o.error_code = std::move(code);
    o.error_message = std::move(message);
    o.latency = latency;
    return o;
}

inline sw::Outcome net(sw::TransportError e, sw::Millis latency = 10ms) {
    sw::Outcome o;
    o.transport = e;
    o.latency = latency;
    return o;
}

// A router over a hand-built config, on a fake clock and a seeded random source.
struct Harness {
    std::shared_ptr<sw::FakeClock> clock = std::make_shared<sw::FakeClock>();
    std::shared_ptr<sw::SplitMixRandom> random = std::make_shared<sw::SplitMixRandom>(42);
    std::shared_ptr<sw::Config> config = std::make_shared<sw::Config>();
    std::shared_ptr<sw::RouterObserver> observer;  // set before build() to hear events
    std::shared_ptr<sw::RouterCore> core;

    sw::RouterCore& build() {
        if (config->models.empty() && !config->pools.empty()) {
            sw::ModelConfig m;
            m.name = "m";
            m.primary_pool_id = config->pools.front().id;
            config->models.push_back(m);
        }
        core = std::make_shared<sw::RouterCore>(config, clock, random, observer);
        return *core;
    }
    sw::TimePoint now() const { return clock->now(); }
    sw::health::ProviderState& state(const std::string& pool_id, const std::string& name) {
        auto& impl = core->impl();
        for (std::size_t i = 0; i < impl.pool_count; ++i) {
            auto& p = impl.pools[i];
            if (p.config->id != pool_id) continue;
            for (std::uint32_t j = 0; j < p.count; ++j)
                if (impl.provider(p, j).config().name == name) return impl.provider(p, j);
        }
        throw std::runtime_error("no such provider " + pool_id + "/" + name);
    }
    sw::routing::PoolRuntime& pool_rt(const std::string& pool_id) {
        auto& impl = core->impl();
        for (std::size_t i = 0; i < impl.pool_count; ++i)
            if (impl.pools[i].config->id == pool_id) return impl.pools[i];
        throw std::runtime_error("no such pool " + pool_id);
    }
};

// Acquires one attempt on `p` and reports `o` right away. False if not admitted.
inline bool attempt(sw::health::ProviderState& p, sw::TimePoint now, const sw::Outcome& o,
                    sw::Nanos timeout = 30s) {
    sw::detail::ProviderTicket t;
    if (!p.try_acquire(now, timeout, 0, t)) return false;
    p.record(t, now, o, sw::classify(o));
    return true;
}

// Each provider's answers, scripted as outcomes: the i-th request to a provider gets its i-th
// outcome (the last one repeats; no script means 200 OK in 100 ms), sent as the HTTP answer an
// OpenAI-compatible server would give for it, after the outcome's latency, through a simulated
// I/O thread (sim_io.hpp). An outcome slower than the attempt's timeout becomes that timeout,
// as with a real server. Providers are told apart by their api_base host (see provider()).
class ScriptedTransport {
public:
    struct Call {
        std::string provider;
        sw::TimePoint at;
        sw::Millis timeout;  // the attempt's: the total timeout, or a stream's first-byte one
    };

    // Decides each outcome from the provider's name and the time, instead of scripts.
    using Decide = std::function<sw::Outcome(const std::string& provider, sw::TimePoint now)>;

    explicit ScriptedTransport(sw::FakeClock& clock, Decide decide = nullptr) : io(clock), decide_(std::move(decide)) {
        io.respond_with([this](const sw::transport::HttpRequest& r) { return answer(r); });
    }
    ScriptedTransport(const ScriptedTransport&) = delete;
    ScriptedTransport& operator=(const ScriptedTransport&) = delete;

    void script(const std::string& provider, std::vector<sw::Outcome> outcomes) {
        scripts_[provider] = std::move(outcomes);
    }

    std::vector<std::string> providers_called() const {
        std::vector<std::string> out;
        for (const auto& c : calls) out.push_back(c.provider);
        return out;
    }

    std::vector<Call> calls;
    SimIo io;

private:
    SimAnswer answer(const sw::transport::HttpRequest& r);
    Decide decide_;
    std::map<std::string, std::vector<sw::Outcome>> scripts_;
    std::map<std::string, int> count_;
};

// Runs `loop`, begun on `h.core`, to its end through the real request driver (sim_router.hpp)
// over `t`'s simulated I/O thread, and returns its trace. `stream` sends it as a stream.
sw::RouteResult route(Harness& h, ScriptedTransport& t, sw::AttemptLoop loop, bool stream = false);

}  // namespace swtest
