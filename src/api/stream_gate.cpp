// stream_gate.cpp — hold back, release, interrupt.
#include "api/stream_gate.hpp"

#include "common/json_writer.hpp"

namespace sw::api {

void StreamGate::offer(std::string_view chunk_json, bool has_content) {
    if (content_delivered_) {
        deliver(chunk_json);
        return;
    }
    if (!has_content) {
        held_.emplace_back(chunk_json);
        return;
    }
    // The first content byte: from here on the caller has part of the answer.
    content_delivered_ = true;
    if (clock_) first_content_ = clock_->now();
    for (const auto& h : held_) deliver(h);
    held_.clear();
    deliver(chunk_json);
}

void StreamGate::attempt_succeeded() {
    for (const auto& h : held_) deliver(h);
    held_.clear();
}

void StreamGate::interrupt(std::string_view message) {
    if (!content_delivered_ || !on_chunk_) return;
    JsonWriter w;
    w.begin_object().key("error").begin_object();
    w.key("type").string("stream_interrupted").key("message").string(message);
    w.end_object().end_object();
    on_chunk_(w.take());
}

}  // namespace sw::api
