// observer_list.hpp — RouterOptions::observers as the one observer the routing core calls.
#pragma once

#include "common/notify.hpp"

#include <memory>
#include <vector>

namespace sw::api {

// Passes each event to every observer in order; one that throws does not stop the others.
class ObserverList final : public RouterObserver {
public:
    explicit ObserverList(std::vector<std::shared_ptr<RouterObserver>> observers) : observers_(std::move(observers)) {}

    void on_route_decision(const RouteDecisionEvent& e) override { each(&RouterObserver::on_route_decision, e); }
    void on_attempt_started(const AttemptStartedEvent& e) override { each(&RouterObserver::on_attempt_started, e); }
    void on_attempt_finished(const AttemptFinishedEvent& e) override { each(&RouterObserver::on_attempt_finished, e); }
    void on_breaker_transition(const BreakerTransitionEvent& e) override {
        each(&RouterObserver::on_breaker_transition, e);
    }
    void on_cooldown(const CooldownEvent& e) override { each(&RouterObserver::on_cooldown, e); }
    void on_request_finished(const RequestFinishedEvent& e) override { each(&RouterObserver::on_request_finished, e); }

private:
    template <class Event>
    void each(void (RouterObserver::*member)(const Event&), const Event& e) {
        for (const auto& o : observers_) notify(*o, member, e);
    }
    std::vector<std::shared_ptr<RouterObserver>> observers_;
};

// The observer the core calls: null for none, the one itself, or a list of several.
inline std::shared_ptr<RouterObserver> combine(std::vector<std::shared_ptr<RouterObserver>> observers) {
    std::erase(observers, nullptr);
    if (observers.empty()) return nullptr;
    if (observers.size() == 1) return observers.front();
    return std::make_shared<ObserverList>(std::move(observers));
}

}  // namespace sw::api
