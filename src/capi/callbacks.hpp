// callbacks.hpp — calling the user's C callbacks from the I/O thread, and knowing when a thread
// is inside one, where a blocking call would wait for the very thread it runs on.
#pragma once

#include <switch/router.hpp>
#include <switch/switch.h>

namespace sw::capi {

// True while the calling thread runs a callback of any router. That thread is a router's I/O
// thread: a blocking call from it could wait for itself, directly or through another router.
bool in_callback() noexcept;

// Fails with SW_ERR_WOULD_DEADLOCK naming `function` when called from a callback.
int refuse_in_callback(const char* function);

// The C++ callbacks that call the user's C ones, marking the thread as inside a callback.
// `done` receives a response the user then owns.
DoneCallback done_callback(sw_response_cb done, void* user_data);
ChunkCallback chunk_callback(sw_chunk_cb on_chunk, void* user_data);
// An observer that gives each event to `on_event` as its JSON (events.hpp's to_json).
std::shared_ptr<RouterObserver> event_observer(sw_event_cb on_event, void* user_data);
// An embedder that calls `embed` for `dimensions` floats; a non-zero return is a failure.
EmbedFunction embed_function(sw_embed_cb embed, void* user_data, std::size_t dimensions);
// A judge that calls `judge`; a non-zero return is a failure.
JudgeFunction judge_function(sw_judge_cb judge, void* user_data);
// A log sink that gives each line to `on_log`, NUL-terminated.
LogSink log_sink(sw_log_cb on_log, void* user_data);
// Each span as JSON (tracing.hpp's to_json) to on_span.
SpanSink span_sink(sw_span_cb on_span, void* user_data);

}  // namespace sw::capi
