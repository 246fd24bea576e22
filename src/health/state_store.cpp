// state_store.cpp — the in-process state store, the default.
#include "health/state_store.hpp"

namespace sw::health {

StateStore::~StateStore() = default;

StateStore& in_process_store() noexcept {
    static InProcessStateStore store;
    return store;
}

}  // namespace sw::health
