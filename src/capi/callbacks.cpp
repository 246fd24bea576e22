// callbacks.cpp — trampolines from the router's C++ callbacks to the user's C callbacks.
#include "capi/callbacks.hpp"

#include "capi/errors.hpp"
#include "capi/handles.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace sw::capi {

namespace {

thread_local int t_callback_depth = 0;

// Marks the thread as inside a callback for its lifetime; nests.
class CallbackScope {
public:
    CallbackScope() noexcept { ++t_callback_depth; }
    ~CallbackScope() { --t_callback_depth; }
    CallbackScope(const CallbackScope&) = delete;
    CallbackScope& operator=(const CallbackScope&) = delete;
};

}  // namespace

bool in_callback() noexcept { return t_callback_depth > 0; }

int refuse_in_callback(const char* function) {
    return fail(SW_ERR_WOULD_DEADLOCK,
                std::string(function) +
                    " was called from a callback, on a router's I/O thread, and would wait for that thread; "
                    "use the asynchronous form, or a timeout of 0");
}

DoneCallback done_callback(sw_response_cb done, void* user_data) {
    return [done, user_data](ChatResponse r) {
        sw_response* response = new_response(std::move(r));
        CallbackScope scope;
        done(response, user_data);
    };
}

ChunkCallback chunk_callback(sw_chunk_cb on_chunk, void* user_data) {
    if (!on_chunk) return nullptr;
    return [on_chunk, user_data](std::string_view chunk) {
        CallbackScope scope;
        on_chunk(chunk.data(), chunk.size(), user_data);
    };
}

namespace {

class EventTrampoline final : public RouterObserver {
public:
    EventTrampoline(sw_event_cb on_event, void* user_data) : on_event_(on_event), user_data_(user_data) {}

    void on_route_decision(const RouteDecisionEvent& e) override { deliver(SW_EVENT_ROUTE_DECISION, e.request, e); }
    void on_attempt_started(const AttemptStartedEvent& e) override { deliver(SW_EVENT_ATTEMPT_STARTED, e.request, e); }
    void on_attempt_finished(const AttemptFinishedEvent& e) override {
        deliver(SW_EVENT_ATTEMPT_FINISHED, e.request, e);
    }
    void on_breaker_transition(const BreakerTransitionEvent& e) override {
        deliver(SW_EVENT_BREAKER_TRANSITION, 0, e);
    }
    void on_cooldown(const CooldownEvent& e) override { deliver(SW_EVENT_COOLDOWN, 0, e); }
    void on_request_finished(const RequestFinishedEvent& e) override {
        deliver(SW_EVENT_REQUEST_FINISHED, e.request, e);
    }

private:
    template <class Event>
    void deliver(sw_event_kind kind, RequestId request, const Event& e) {
        const std::string json = to_json(e);
        const sw_event event{kind, request, json.c_str(), json.size()};
        CallbackScope scope;
        on_event_(&event, user_data_);
    }
    sw_event_cb on_event_;
    void* user_data_;
};

}  // namespace

std::shared_ptr<RouterObserver> event_observer(sw_event_cb on_event, void* user_data) {
    return std::make_shared<EventTrampoline>(on_event, user_data);
}

static_assert(static_cast<int>(LogLevel::debug) == SW_LOG_DEBUG && static_cast<int>(LogLevel::error) == SW_LOG_ERROR,
              "sw_log_level mirrors LogLevel");

LogSink log_sink(sw_log_cb on_log, void* user_data) {
    return [on_log, user_data](LogLevel level, std::string_view line) {
        const std::string text(line);  // NUL-terminated for C
        CallbackScope scope;
        on_log(static_cast<int>(level), text.c_str(), text.size(), user_data);
    };
}

SpanSink span_sink(sw_span_cb on_span, void* user_data) {
    return [on_span, user_data](const Span& span) {
        const std::string json = to_json(span);
        CallbackScope scope;
        on_span(json.c_str(), json.size(), user_data);
    };
}

JudgeFunction judge_function(sw_judge_cb judge, void* user_data) {
    return [judge, user_data](std::string_view prompt, std::string_view answer) {
        JudgeScores scores;
        int rc = 0;
        {
            CallbackScope scope;
            rc = judge(prompt.data(), prompt.size(), answer.data(), answer.size(), &scores.quality,
                       &scores.confidence, user_data);
        }
        if (rc != 0) throw std::runtime_error("it returned " + std::to_string(rc));
        return scores;
    };
}

EmbedFunction embed_function(sw_embed_cb embed, void* user_data, std::size_t dimensions) {
    return [embed, user_data, dimensions](std::string_view text) {
        std::vector<float> out(dimensions);
        int rc = 0;
        {
            CallbackScope scope;
            rc = embed(text.data(), text.size(), out.data(), dimensions, user_data);
        }
        if (rc != 0) throw std::runtime_error("it returned " + std::to_string(rc));
        return out;
    };
}

}  // namespace sw::capi
