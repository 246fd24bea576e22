// test_concurrency.cpp — many threads routing and reporting at once (run it under TSan).
#include "routing_fixtures.hpp"
#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <thread>

using namespace swtest;

namespace {

// Outcomes drawn at random: a long script for every provider, different for every thread.
void script_at_random(ScriptedTransport& transport, std::uint32_t seed, const std::vector<std::string>& providers) {
    std::mt19937 rng(seed);
    for (const auto& name : providers) {
        std::vector<sw::Outcome> script;
        for (int i = 0; i < 1500; ++i) {
            const int r = static_cast<int>(rng() % 100);
            sw::Outcome o;
            if (r < 55) o = ok(std::chrono::milliseconds(1 + rng() % 50));
            else if (r < 70) o = http(503);
            else if (r < 78) { o = http(429); o.retry_after_ms = "20"; }
            else if (r < 84) o = net(sw::TransportError::first_byte_timeout);
            else if (r < 88) o = http(401);
            else if (r < 92) o = http(400);
            else if (r < 96) o = net(sw::TransportError::connection_reset);
            else o = http(404, "model_not_found");
            o.usage = {rng() % 100, rng() % 100};
            script.push_back(o);
        }
        transport.script(name, std::move(script));
    }
}

}  // namespace

TEST_CASE("stress: many threads route and report, counters stay consistent") {
    for (sw::Strategy strategy : {sw::Strategy::fastest_response, sw::Strategy::weighted,
                                  sw::Strategy::cost_optimized, sw::Strategy::round_robin,
                                  sw::Strategy::least_connections}) {
        Harness h;
        std::vector<sw::ProviderConfig> ps;
        for (int i = 0; i < 6; ++i) {
            auto p = provider("p" + std::to_string(i), 1 + i % 2, i == 5 ? 0 : 1 + i);
            p.retry_delay = 5ms;
            p.max_retries = 2;
            if (i % 2) p.cost_per_token = 0.001 * i;
            // Rate limits make a pool uncacheable: keep both kinds of pools in the mix.
            if (i == 3 && (strategy == sw::Strategy::weighted ||
                           strategy == sw::Strategy::least_connections))
                p.rate_limits = {600, 20000};
            ps.push_back(p);
        }
        auto a = pool("A", ps, strategy, {"B"});
        a.circuit_breaker.failure_threshold = 3;
        a.circuit_breaker.reset_timeout = 200ms;
        a.circuit_breaker.half_open_max_probes = 2;
        a.circuit_breaker.min_requests_threshold = 5;
        a.circuit_breaker.permanent.enabled = true;
        a.circuit_breaker.permanent.base_timeout = 60000ms;
        a.circuit_breaker.permanent.timeout_multiplier = 1;
        a.weighted_routing.auto_adjust = true;
        auto b = pool("B", {provider("b0"), provider("b1")}, strategy, {"A"});
        b.circuit_breaker.failure_threshold = 2;
        b.circuit_breaker.reset_timeout = 100ms;
        h.config->pools.push_back(a);
        h.config->pools.push_back(b);
        h.build();

        constexpr int kThreads = 8;
        constexpr int kRequests = 300;
        std::atomic<int> served{0};
        std::atomic<bool> stop{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                ScriptedTransport transport(*h.clock);
                script_at_random(transport, static_cast<std::uint32_t>(t + 1),
                                 {"p0", "p1", "p2", "p3", "p4", "p5", "b0", "b1"});
                for (int i = 0; i < kRequests; ++i) {
                    sw::RequestOptions o;
                    o.estimated_tokens = 50;
                    o.deadline = 2000ms;
                    auto loop = h.core->begin("m", o);
                    if (i % 7 == 0) {
                        // Abandon some requests mid-attempt.
                        auto act = loop.next(h.clock->now());
                        if (act.kind == sw::AttemptLoop::Action::Kind::attempt) continue;
                    }
                    auto r = route(h, transport, std::move(loop));
                    if (r.ok) served.fetch_add(1);
                }
            });
        }
        // An operator polls the status and resets breakers meanwhile.
        std::thread op([&] {
            int n = 0;
            while (!stop.load()) {
                auto st = h.core->status();
                for (const auto& pool_status : st.pools)
                    for (const auto& p : pool_status.providers) {
                        CHECK(p.in_flight >= 0);
                        CHECK(p.error_rate >= 0.0);
                        CHECK(p.error_rate <= 100.0);
                    }
                if (++n % 10 == 0) h.core->reset_breaker("A", "p" + std::to_string(n % 6));
                std::this_thread::yield();
            }
        });
        for (auto& th : threads) th.join();
        stop.store(true);
        op.join();

        INFO(sw::to_string(strategy));
        CHECK(served.load() > 0);
        auto& impl = h.core->impl();
        for (std::size_t i = 0; i < impl.provider_count; ++i) {
            const auto& p = impl.providers[i];
            CHECK(p.in_flight() == 0);
            CHECK(p.probes_in_flight() >= 0);
            CHECK(p.probes_in_flight() <= p.pool().circuit_breaker.half_open_max_probes);
            CHECK(p.consecutive_failures() >= 0);
            CHECK(p.permanent_trips() >= 0);
            switch (p.breaker_state()) {
                case sw::BreakerState::closed:
                    CHECK(p.probes_in_flight() == 0);
                    CHECK(p.permanent_trips() == 0);
                    break;
                case sw::BreakerState::open: CHECK(p.probes_in_flight() == 0); break;
                case sw::BreakerState::half_open: break;
            }
            const auto c = p.window_counts(h.now());
            CHECK(c.failures <= c.total);
        }
    }
}
