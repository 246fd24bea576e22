// embedder.cpp — an application's embedding function behind the Embedder interface.
#include "prompt/embedder.hpp"

#include <cmath>
#include <exception>

namespace sw::prompt {

namespace {

class CallbackEmbedder final : public Embedder {
public:
    explicit CallbackEmbedder(EmbedFunction function) : function_(std::move(function)) {}

    bool embed(std::string_view text, std::vector<float>& out, std::string& error) const override {
        try {
            out = function_(text);
        } catch (const std::exception& e) {
            error = std::string("the embedder callback failed: ") + e.what();
            return false;
        } catch (...) {
            error = "the embedder callback failed";
            return false;
        }
        if (out.empty()) {
            error = "the embedder callback returned no values";
            return false;
        }
        for (float v : out)
            if (!std::isfinite(v)) {
                error = "the embedder callback returned a value that is not a finite number";
                return false;
            }
        return true;
    }

private:
    EmbedFunction function_;
};

}  // namespace

std::string missing_callback_message(const std::string& model) {
    return "model \"" + model +
           "\" embeds with a callback, and the router was given none (RouterOptions::embedder in C++, "
           "sw_router_options.embed in C, embedder= in Python)";
}

std::unique_ptr<Embedder> callback_embedder(EmbedFunction function) {
    return std::make_unique<CallbackEmbedder>(std::move(function));
}

}  // namespace sw::prompt
