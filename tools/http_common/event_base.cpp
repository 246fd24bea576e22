// event_base.cpp — see event_base.hpp.
#include "http_common/event_base.hpp"

#include <event2/event.h>

namespace http_common {

event_base* new_event_base(int flags) {
    event_config* config = event_config_new();
    if (config == nullptr) return nullptr;
    event_config_set_flag(config, flags);
    event_base* base = event_base_new_with_config(config);
    event_config_free(config);
    return base;
}

}  // namespace http_common
