// embedder.hpp — text to a vector, for the semantic router. Implementations: the built-in hashed
// bag of words (builtin_embedder.hpp), an application's callback (RouterOptions::embedder), and
// a bounded cache in front of either (embedding_cache.hpp).
#pragma once

#include <switch/router.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sw::prompt {

class Embedder {
public:
    virtual ~Embedder() = default;
    // `text`'s embedding in `out` (resized), or false with `error` saying why. Thread-safe.
    virtual bool embed(std::string_view text, std::vector<float>& out, std::string& error) const = 0;
};

// An application's function (RouterOptions::embedder): an exception, an empty vector or a value
// that is not finite is a failure, reported with the exception's message.
std::unique_ptr<Embedder> callback_embedder(EmbedFunction function);

// Why a router cannot be built for `model`, whose config embeds with a callback, without one.
std::string missing_callback_message(const std::string& model);

}  // namespace sw::prompt
