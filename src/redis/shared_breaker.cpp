// shared_breaker.cpp — the breaker scripts' arguments and the reading of their answers.
#include "redis/shared_breaker.hpp"

#include "redis/breaker_scripts.hpp"
#include "redis/script_call.hpp"

namespace sw::redis {

namespace {

SharedBreakerState read_state(const Result& r) {
    SharedBreakerState s;
    const Reply& reply = r.reply;
    if (!r.ok() || reply.type != Reply::Type::array || reply.elements.size() != 4) return s;
    for (const Reply& e : reply.elements)
        if (e.type != Reply::Type::integer) return s;
    s.available = true;
    s.open = reply.elements[0].integer == 1;
    s.open_left = std::chrono::microseconds{reply.elements[1].integer};
    s.trips = static_cast<int>(reply.elements[2].integer);
    s.epoch = reply.elements[3].integer;
    return s;
}

}  // namespace

SharedBreaker::SharedBreaker(Client& client, std::string owner, std::string_view pool, std::string_view provider)
    : client_(client), owner_(std::move(owner)), key_(breaker_key(pool, provider)), probe_key_(probe_key(pool, provider)) {}

void SharedBreaker::state_call(const Script& script, std::vector<std::string> args,
                               std::function<void(SharedBreakerState)> done) {
    run_script(client_, script, {key_, probe_key_}, args,
               [done = std::move(done)](Result r) { done(read_state(r)); });
}

void SharedBreaker::publish_open(std::chrono::microseconds open_for, int trips,
                                 std::function<void(SharedBreakerState)> done) {
    state_call(breaker_publish_script(), {"open", std::to_string(open_for.count()), std::to_string(trips), owner_, ""},
               std::move(done));
}

void SharedBreaker::publish_close(bool manual, std::function<void(SharedBreakerState)> done) {
    state_call(breaker_publish_script(), {"close", "0", "0", owner_, manual ? "manual" : ""}, std::move(done));
}

void SharedBreaker::read(std::function<void(SharedBreakerState)> done) {
    state_call(breaker_read_script(), {}, std::move(done));
}

void SharedBreaker::claim_probe(std::chrono::milliseconds timeout, std::function<void(ProbeClaim)> done) {
    run_script(client_, breaker_claim_probe_script(), {key_, probe_key_}, {owner_, std::to_string(timeout.count())},
               [done = std::move(done)](Result r) {
                   if (!r.ok() || r.reply.type != Reply::Type::integer) return done(ProbeClaim::unavailable);
                   switch (r.reply.integer) {
                       case 1: return done(ProbeClaim::claimed);
                       case 2: return done(ProbeClaim::closed);
                       default: return done(ProbeClaim::not_yet);
                   }
               });
}

}  // namespace sw::redis
