// registry.hpp — the adapters attached to the provider specs (specs.hpp): for each protocol, the
// adapter that speaks it (whose stream_framing() says how its streams are framed). Lives in the
// providers layer, above the specs the config loader reads, so that config never depends on an
// adapter. adapter_for() (adapter.hpp) looks a provider's adapter up here.
#pragma once

#include "providers/adapter.hpp"
#include "providers/specs.hpp"

namespace sw::providers {

// What a protocol brings: its adapter, one static instance.
struct ProtocolEntry {
    Protocol protocol;
    const Adapter& (*adapter)();
};

// The entry of `protocol`; every Protocol has one.
const ProtocolEntry& protocol_entry(Protocol protocol) noexcept;

}  // namespace sw::providers
