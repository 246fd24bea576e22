// status_json.hpp — a router status snapshot as JSON, for the C ABI and the bindings.
#pragma once

#include <switch/router_core.hpp>

#include <string>

namespace sw::capi {

// The shape is documented at sw_router_status_json in switch.h.
std::string status_json(const RouterStatus& status);

}  // namespace sw::capi
