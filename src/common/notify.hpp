// notify.hpp — delivering one event to a router's observer (events.hpp).
#pragma once

#include <switch/events.hpp>

namespace sw {

// An exception from an observer is dropped: an observer must never lose or change a request.
template <class Event>
void notify(RouterObserver& observer, void (RouterObserver::*member)(const Event&), const Event& event) noexcept {
    try {
        (observer.*member)(event);
    } catch (...) {
    }
}

}  // namespace sw
