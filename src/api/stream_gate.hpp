// stream_gate.hpp — what of a streamed answer reaches the caller, and when.
//
// The contract's streaming rule: until the first content byte, a stream may still fail over, so
// the chunks before it (a role-only chunk, say) are held back and dropped if their attempt fails.
// From the first content byte on, chunks pass at once and the request can no longer fail over;
// if it then fails, the caller gets an explicit error chunk, never a silently truncated answer.
// One gate serves a request across all its attempts, on its I/O thread.
#pragma once

#include <switch/clock.hpp>
#include <switch/router.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw::api {

class StreamGate {
public:
    // `clock` is read once, at the first content byte, and only when non-null (someone listens
    // for the time to first token).
    StreamGate(ChunkCallback on_chunk, const Clock* clock) : on_chunk_(std::move(on_chunk)), clock_(clock) {}

    // A chunk of the current attempt, in OpenAI form; `has_content` when it carries content.
    void offer(std::string_view chunk_json, bool has_content);
    // The current attempt ended well: what it held back (a stream with no content at all, an
    // empty answer) is the caller's now.
    void attempt_succeeded();
    // The current attempt failed: what it held back is dropped, unseen.
    void attempt_failed() { held_.clear(); }
    // The request failed after content reached the caller: tells the caller, with `message`.
    void interrupt(std::string_view message);

    bool content_delivered() const { return content_delivered_; }
    std::optional<TimePoint> first_content() const { return first_content_; }

private:
    void deliver(std::string_view chunk_json) {
        if (on_chunk_) on_chunk_(chunk_json);
    }

    ChunkCallback on_chunk_;
    const Clock* clock_;
    bool content_delivered_ = false;
    std::optional<TimePoint> first_content_;
    std::vector<std::string> held_;
};

}  // namespace sw::api
