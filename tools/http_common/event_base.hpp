// event_base.hpp — an event loop made with the libevent flags its server needs: the mock a
// precise timer, switch-server epoll's changelist.
#pragma once

struct event_base;

namespace http_common {

// A new event base with `flags` (libevent's EVENT_BASE_FLAG_*) set; null when it cannot be made.
event_base* new_event_base(int flags);

}  // namespace http_common
