// core.cpp — libswitch._core: the pybind11 module over the config loader and sw::Router. The
// Python package (libswitch/__init__.py and friends) builds the OpenAI-style API on top of it.
//
// Threading contract: the router's I/O threads never touch Python. Their callbacks copy each chunk
// and each final response into an EventQueue (a mutex, a condition variable and, when
// asyncio watches it, a pipe). Python takes the events on its own thread: a blocking wait
// releases the GIL, and an event loop wakes on the pipe through loop.add_reader. So no I/O
// thread can ever wait for the GIL, and no interpreter state is needed at shutdown.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "json_convert.hpp"
#include "prompt/bpe_tokenizer.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace {

// Text from the library as str; invalid UTF-8 (a provider's bytes) is replaced, never raised.
py::str text(std::string_view s) {
    PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
    if (!o) throw py::error_already_set();
    return py::reinterpret_steal<py::str>(o);
}

py::bytes bytes(std::string_view s) { return py::bytes(s.data(), s.size()); }

// LoadOptions whose environment is the process's with `overlay` on top: the package supplies
// defaults (wordllama's files for SWITCH_EMBEDDING_MODEL/TOKENIZER) without setting os.environ.
sw::LoadOptions load_options(std::optional<std::map<std::string, std::string>> overlay) {
    sw::LoadOptions options;
    if (overlay && !overlay->empty())
        options.env = [vars = std::move(*overlay), process = options.env](const std::string& name) {
            auto it = vars.find(name);
            return it != vars.end() ? std::optional<std::string>(it->second) : process(name);
        };
    return options;
}

// Runs f() without the GIL. Not py::gil_scoped_release: at interpreter shutdown, a daemon thread
// that takes the GIL back is ended by a forced unwind (pthread_exit), which must not cross a
// destructor (noexcept: std::terminate). Here the GIL is retaken in plain code, and pybind11's
// dispatcher lets the unwind through.
template <class F>
auto without_gil(F&& f) -> decltype(f()) {
    using R = decltype(f());
    std::exception_ptr error;
    PyThreadState* state = PyEval_SaveThread();
    if constexpr (std::is_void_v<R>) {
        try {
            f();
        } catch (...) {
            error = std::current_exception();
        }
        PyEval_RestoreThread(state);
        if (error) std::rethrow_exception(error);
    } else {
        std::optional<R> result;
        try {
            result.emplace(f());
        } catch (...) {
            error = std::current_exception();
        }
        PyEval_RestoreThread(state);
        if (error) std::rethrow_exception(error);
        return std::move(*result);
    }
}

// Seconds (Python's unit) to the library's milliseconds, at least 1 ms.
sw::Millis to_millis(double seconds, const char* what) {
    if (!std::isfinite(seconds) || seconds <= 0) throw py::value_error(std::string(what) + " must be a positive number of seconds");
    const double ms = std::ceil(seconds * 1000.0);
    if (ms > 1e12) throw py::value_error(std::string(what) + " is too large");
    return sw::Millis(static_cast<std::int64_t>(ms));
}

// The enumerator of E named `name` (as sw::to_string spells it), from 0 to `last`.
template <class E>
E enum_named(std::string_view name, E last) {
    for (int i = 0; i <= static_cast<int>(last); ++i)
        if (sw::to_string(static_cast<E>(i)) == name) return static_cast<E>(i);
    throw py::value_error("unknown name " + std::string(name));
}

// ---- Config ----------------------------------------------------------------------------------

struct LoadedConfig {
    sw::LoadResult result;
};

py::list diagnostics_list(const sw::LoadResult& r) {
    py::list out;
    for (const sw::Diagnostic& d : r.diagnostics) {
        py::dict item;
        item["severity"] = d.severity == sw::Severity::error ? "error" : "warning";
        item["path"] = text(d.path);
        item["message"] = text(d.message);
        item["suggestion"] = text(d.suggestion);
        out.append(std::move(item));
    }
    return out;
}

std::optional<sw::ConfigFormat> parse_format(const std::optional<std::string>& format) {
    if (!format || format->empty()) return sw::ConfigFormat::detect;
    if (*format == "json") return sw::ConfigFormat::json;
    if (*format == "yaml" || *format == "yml") return sw::ConfigFormat::yaml;
    return std::nullopt;
}

// The trace as the dict SwitchTrace wraps: the library's own JSON of it (one serializer for C,
// Python and the server), read back as Python objects.
py::object trace_dict(const sw::ChatResponse& r) { return swpy::from_json(r.trace_json()); }

// ---- EventQueue ------------------------------------------------------------------------------

// Events of one or more requests, pushed by the router's I/O threads (one request's events all
// by the same thread, in order) and taken by Python.
class EventQueue {
public:
    EventQueue() = default;
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;
    ~EventQueue() {
        if (read_fd_ >= 0) ::close(read_fd_);
        if (write_fd_ >= 0) ::close(write_fd_);
    }

    // An I/O thread. Never blocks on Python; the pipe is non-blocking and holds at most one byte
    // per wake-up, since `signalled_` suppresses further writes until Python drains it.
    void push_chunk(std::uint64_t token, std::string_view chunk) {
        Event e;
        e.token = token;
        e.chunk.assign(chunk);
        push(std::move(e));
    }
    void push_done(std::uint64_t token, sw::ChatResponse response) {
        Event e;
        e.token = token;
        e.done = true;
        e.response = std::move(response);
        push(std::move(e));
    }

    // Python thread, GIL held: every event so far as (token, chunk bytes | None, Response | None).
    py::list take() {
        std::vector<Event> events;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            events.swap(events_);
            if (signalled_) {
                char buf[64];
                while (::read(read_fd_, buf, sizeof buf) > 0) {
                }
                signalled_ = false;
            }
        }
        py::list out;
        for (Event& e : events) {
            if (e.done)
                out.append(py::make_tuple(e.token, py::none(), py::cast(std::move(e.response))));
            else
                out.append(py::make_tuple(e.token, bytes(e.chunk), py::none()));
        }
        return out;
    }

    // Waits up to `timeout` seconds for an event, without the GIL. True when one is there.
    bool wait(double timeout) {
        const auto limit = std::chrono::duration<double>(std::max(0.0, timeout));
        return without_gil([&] {
            std::unique_lock<std::mutex> lock(mutex_);
            return cv_.wait_for(lock, limit, [this] { return !events_.empty(); });
        });
    }

    // A descriptor that becomes readable when events are waiting (for loop.add_reader).
    int fileno() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (read_fd_ < 0) {
            int fds[2];
            if (::pipe(fds) != 0) throw std::runtime_error("libswitch: cannot create a pipe");
            for (int fd : fds) {
                ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
                ::fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
            read_fd_ = fds[0];
            write_fd_ = fds[1];
            if (!events_.empty()) signal_locked();
        }
        return read_fd_;
    }

private:
    struct Event {
        std::uint64_t token = 0;
        bool done = false;
        std::string chunk;
        sw::ChatResponse response;
    };

    void push(Event e) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            events_.push_back(std::move(e));
            if (write_fd_ >= 0 && !signalled_) signal_locked();
        }
        cv_.notify_all();
    }

    void signal_locked() {
        signalled_ = true;
        const char byte = 1;
        ssize_t n;
        do {
            n = ::write(write_fd_, &byte, 1);
        } while (n < 0 && errno == EINTR);
        // EAGAIN: the pipe is full, so the reader is woken anyway.
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<Event> events_;
    int read_fd_ = -1;
    int write_fd_ = -1;
    bool signalled_ = false;
};

// ---- Router ----------------------------------------------------------------------------------

enum class Kind { chat = 0, stream = 1, embeddings = 2 };

// Puts each router event's JSON in a queue (token 0), which the Python hook's thread drains: the
// I/O thread never runs Python here either.
class EventFeed final : public sw::RouterObserver {
public:
    explicit EventFeed(std::shared_ptr<EventQueue> queue) : queue_(std::move(queue)) {}
    void on_route_decision(const sw::RouteDecisionEvent& e) override { queue_->push_chunk(0, sw::to_json(e)); }
    void on_attempt_started(const sw::AttemptStartedEvent& e) override { queue_->push_chunk(0, sw::to_json(e)); }
    void on_attempt_finished(const sw::AttemptFinishedEvent& e) override { queue_->push_chunk(0, sw::to_json(e)); }
    void on_breaker_transition(const sw::BreakerTransitionEvent& e) override {
        queue_->push_chunk(0, sw::to_json(e));
    }
    void on_cooldown(const sw::CooldownEvent& e) override { queue_->push_chunk(0, sw::to_json(e)); }
    void on_request_finished(const sw::RequestFinishedEvent& e) override { queue_->push_chunk(0, sw::to_json(e)); }

private:
    std::shared_ptr<EventQueue> queue_;
};

// A Python exception as one line, "TypeError: message", without pybind11's traceback. The GIL
// is held.
std::string python_error(const py::error_already_set& e) {
    return py::str(e.type().attr("__name__")).cast<std::string>() + ": " + py::str(e.value()).cast<std::string>();
}

// A Python callable that C++ callbacks hold: released with the GIL, whichever thread drops the
// last reference.
std::shared_ptr<py::object> held_callable(py::object function) {
    return std::shared_ptr<py::object>(new py::object(std::move(function)), [](py::object* o) {
        py::gil_scoped_acquire gil;
        delete o;
    });
}

// An application's Python embedding function (Router's embedder=), called with the GIL from
// whichever thread routes. Its Python errors become C++ ones while the GIL is held.
sw::EmbedFunction python_embedder(py::object function) {
    std::shared_ptr<py::object> held = held_callable(std::move(function));
    return [held](std::string_view text) {
        py::gil_scoped_acquire gil;
        try {
            const py::object result = (*held)(py::str(text.data(), text.size()));
            std::vector<float> out;
            for (py::handle v : result) out.push_back(v.cast<float>());
            return out;
        } catch (py::error_already_set& e) {
            throw std::runtime_error(python_error(e));
        } catch (const py::cast_error&) {
            throw std::runtime_error("it returned something other than a sequence of numbers");
        }
    };
}

// An application's Python cascade judge (Router's judge=): (prompt, answer) -> (quality,
// confidence), called with the GIL on an I/O thread.
sw::JudgeFunction python_judge(py::object function) {
    std::shared_ptr<py::object> held = held_callable(std::move(function));
    return [held](std::string_view prompt, std::string_view answer) {
        py::gil_scoped_acquire gil;
        try {
            const py::tuple scores = (*held)(py::str(prompt.data(), prompt.size()), py::str(answer.data(), answer.size()));
            if (scores.size() != 2) throw std::runtime_error("it returned other than (quality, confidence)");
            return sw::JudgeScores{scores[0].cast<double>(), scores[1].cast<double>()};
        } catch (py::error_already_set& e) {
            throw std::runtime_error(python_error(e));
        } catch (const py::cast_error&) {
            throw std::runtime_error("it returned other than (quality, confidence)");
        }
    };
}

class PyRouter {
public:
    // `events`, if given, receives every router event as JSON; `log_lines` each log line, under
    // its level as the token; `spans` each span as JSON.
    PyRouter(const LoadedConfig& config, double connect_timeout, double stream_idle_timeout, long io_threads,
             std::shared_ptr<EventQueue> events, py::object embedder, py::object judge,
             std::shared_ptr<EventQueue> log_lines, std::shared_ptr<EventQueue> spans) {
        if (!config.result.ok()) throw py::value_error("the configuration has errors");
        if (io_threads < 0) throw py::value_error("io_threads must be 0 (the default) or more");
        sw::RouterOptions options;
        options.connect_timeout = to_millis(connect_timeout, "connect_timeout");
        options.stream_idle_timeout = to_millis(stream_idle_timeout, "stream_idle_timeout");
        options.io_threads = static_cast<std::size_t>(io_threads);
        if (events) options.observers.push_back(std::make_shared<EventFeed>(std::move(events)));
        if (log_lines)
            options.log_sink = [q = std::move(log_lines)](sw::LogLevel level, std::string_view line) {
                q->push_chunk(static_cast<std::uint64_t>(level), line);
            };
        if (spans)
            options.span_sink = [q = std::move(spans)](const sw::Span& span) { q->push_chunk(0, sw::to_json(span)); };
        if (!embedder.is_none()) options.embedder = python_embedder(std::move(embedder));
        if (!judge.is_none()) options.judge = python_judge(std::move(judge));
        router_ = std::make_shared<sw::Router>(config.result.config, std::move(options));
        io_threads_ = router_->io_threads();
    }
    PyRouter(const PyRouter&) = delete;
    PyRouter& operator=(const PyRouter&) = delete;

    // Destroying sw::Router cancels what runs and joins the I/O threads, which never need the GIL,
    // so this cannot deadlock. The Python wrapper's close() and __del__ release the GIL for it; a
    // destructor does not (see without_gil), so here it is held for that short join.
    ~PyRouter() = default;

    // Starts a request; its events go to `queue` under `token`. Returns the request id.
    std::uint64_t submit(const std::shared_ptr<EventQueue>& queue, std::uint64_t token, int kind,
                         std::string request_json, std::optional<double> timeout,
                         std::optional<double> max_cost_usd, std::optional<std::string> correlation_id,
                         std::optional<std::string> client_id, std::optional<std::string> traceparent,
                         std::optional<std::string> tracestate, bool no_cache, bool no_store,
                         std::optional<std::int64_t> cache_ttl, std::optional<std::string> cache_partition) {
        if (kind < static_cast<int>(Kind::chat) || kind > static_cast<int>(Kind::embeddings))
            throw py::value_error("unknown request kind");
        if (!queue) throw py::value_error("queue must be an EventQueue");
        sw::ChatOptions options;
        if (timeout) options.deadline = to_millis(*timeout, "timeout");
        if (max_cost_usd) {
            if (!(*max_cost_usd > 0) || *max_cost_usd > 1e9)  // also refuses NaN
                throw py::value_error("max_cost_usd must be a positive number of USD, at most 1e9");
            options.max_cost_usd = *max_cost_usd;
        }
        if (correlation_id) options.correlation_id = std::move(*correlation_id);
        if (client_id) options.client_id = std::move(*client_id);
        if (traceparent) options.traceparent = std::move(*traceparent);
        if (tracestate) options.tracestate = std::move(*tracestate);
        // The response cache's controls (docs/cache.md); the Python side checked their ranges.
        options.cache.no_cache = no_cache;
        options.cache.no_store = no_store;
        if (cache_ttl) options.cache.ttl = std::chrono::seconds(*cache_ttl);
        if (cache_partition) options.cache.partition = std::move(*cache_partition);
        std::shared_ptr<sw::Router> router = get();
        return without_gil([&] {
            auto done = [q = queue, token](sw::ChatResponse r) { q->push_done(token, std::move(r)); };
            sw::RequestId id = 0;
            switch (static_cast<Kind>(kind)) {
                case Kind::chat: id = router->chat_async(request_json, std::move(done), options); break;
                case Kind::stream:
                    id = router->chat_stream_async(
                        request_json, [q = queue, token](std::string_view chunk) { q->push_chunk(token, chunk); },
                        std::move(done), options);
                    break;
                case Kind::embeddings: id = router->embeddings_async(request_json, std::move(done), options); break;
            }
            // A close() from another thread meanwhile leaves this the last owner: the router is
            // then destroyed here, still without the GIL.
            router.reset();
            return id;
        });
    }

    void cancel(std::uint64_t id) {
        if (router_) router_->cancel(id);  // closed: every request has finished already
    }

    // The library's status JSON (sw::to_json), read back as Python objects.
    py::object status() const { return swpy::from_json(sw::to_json(get()->status())); }
    std::string metrics_text() const { return get()->metrics_text(); }

    bool reset_breaker(const std::string& pool, const std::string& provider) { return get()->reset_breaker(pool, provider); }

    void close() {
        std::shared_ptr<sw::Router> router = std::move(router_);
        without_gil([&] { router.reset(); });
    }

    bool closed() const { return router_ == nullptr; }
    std::size_t io_threads() const { return io_threads_; }

private:
    // The GIL guards router_: it is read and reset only with the GIL held.
    std::shared_ptr<sw::Router> get() const {
        if (!router_) throw std::runtime_error("the router is closed");
        return router_;
    }

    std::shared_ptr<sw::Router> router_;
    std::size_t io_threads_ = 0;  // kept past close(), for the property
};

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "libswitch._core: the compiled part of libswitch; use the libswitch package instead";
    m.attr("version") = SW_VERSION_STRING;

    py::class_<LoadedConfig>(m, "LoadedConfig")
        .def_property_readonly("ok", [](const LoadedConfig& c) { return c.result.ok(); })
        .def_property_readonly("origin", [](const LoadedConfig& c) { return text(c.result.origin); })
        .def_property_readonly("diagnostics", [](const LoadedConfig& c) { return diagnostics_list(c.result); })
        .def_property_readonly("text", [](const LoadedConfig& c) { return text(sw::format_diagnostics_text(c.result)); })
        .def_property_readonly("json", [](const LoadedConfig& c) { return text(sw::format_diagnostics_json(c.result)); })
        .def_property_readonly("summary", [](const LoadedConfig& c) {
            py::dict d;
            d["credential_stores"] = c.result.summary.credential_stores;
            d["pools"] = c.result.summary.pools;
            d["providers"] = c.result.summary.providers;
            d["models"] = c.result.summary.models;
            d["errors"] = c.result.error_count();
            d["warnings"] = c.result.warning_count();
            return d;
        })
        .def_property_readonly("models", [](const LoadedConfig& c) {
            py::list out;
            if (c.result.config)
                for (const sw::ModelConfig& model : c.result.config->models) out.append(text(model.name));
            return out;
        })
        .def_property_readonly("pools", [](const LoadedConfig& c) {
            py::list out;
            if (c.result.config)
                for (const sw::PoolConfig& pool : c.result.config->pools) out.append(text(pool.id));
            return out;
        });

    using EnvOverlay = std::optional<std::map<std::string, std::string>>;
    m.def("load_config_file", [](const std::string& path, EnvOverlay env) {
        LoadedConfig c;
        const sw::LoadOptions options = load_options(std::move(env));
        c.result = without_gil([&] { return sw::load_config_file(path, options); });  // reads a file
        return c;
    }, py::arg("path"), py::arg("env") = py::none());
    m.def("load_config_string", [](std::string_view text_, std::optional<std::string> format, std::string origin,
                                   EnvOverlay env) {
        auto f = parse_format(format);
        if (!f) throw py::value_error("format must be None, \"json\" or \"yaml\"");
        LoadedConfig c;
        c.result = sw::load_config_string(text_, *f, std::move(origin), load_options(std::move(env)));
        return c;
    }, py::arg("text"), py::arg("format") = py::none(), py::arg("origin") = "<string>", py::arg("env") = py::none());
    m.def("load_config_default", [](std::optional<std::string> working_dir, EnvOverlay env) {
        sw::LoadOptions options = load_options(std::move(env));
        if (working_dir) options.working_dir = *working_dir;
        LoadedConfig c;
        c.result = without_gil([&] { return sw::load_config_default(options); });
        return c;
    }, py::arg("working_dir") = py::none(), py::arg("env") = py::none());

    // Not API (the underscore): the file embedder's token ids for each text, for the tests that
    // compare them with the `tokenizers` library's.
    m.def("_file_embedder_tokens", [](const std::string& tokenizer_path, const std::vector<std::string>& texts) {
        std::string error;
        auto tokenizer = sw::prompt::BpeTokenizer::load(tokenizer_path, error);
        if (!tokenizer) throw py::value_error(tokenizer_path + ": " + error);
        std::vector<std::vector<std::uint32_t>> out;
        for (const std::string& t : texts) out.push_back(tokenizer->encode(t));
        return out;
    }, py::arg("tokenizer_path"), py::arg("texts"));

    py::class_<sw::ChatResponse>(m, "Response")
        .def_readonly("status", &sw::ChatResponse::status)
        .def_property_readonly("ok", &sw::ChatResponse::ok)
        .def_property_readonly("error_class", [](const sw::ChatResponse& r) { return text(sw::to_string(r.error_class)); })
        .def_property_readonly("route_error", [](const sw::ChatResponse& r) { return text(sw::to_string(r.trace.error)); })
        .def_property_readonly("failure_kind", [](const sw::ChatResponse& r) { return text(sw::to_string(r.failure_kind())); })
        .def_property_readonly("error", [](const sw::ChatResponse& r) { return text(r.error); })
        .def_property_readonly("body", [](const sw::ChatResponse& r) { return bytes(r.body); })
        // The body as Python data, parsed without first copying it into a bytes object.
        .def_property_readonly("body_json", [](const sw::ChatResponse& r) -> py::object {
            if (r.body.empty()) return py::none();
            return swpy::from_json(r.body);
        })
        .def_property_readonly("text", [](const sw::ChatResponse& r) { return text(r.text); })
        .def_property_readonly("finish_reason", [](const sw::ChatResponse& r) { return text(r.finish_reason); })
        .def_property_readonly("prompt_tokens", [](const sw::ChatResponse& r) { return r.usage.input_tokens; })
        .def_property_readonly("completion_tokens", [](const sw::ChatResponse& r) { return r.usage.output_tokens; })
        .def_readonly("cost_usd", &sw::ChatResponse::cost_usd)
        .def_property_readonly("model", [](const sw::ChatResponse& r) { return text(r.trace.model); })
        .def_property_readonly("trace", &trace_dict)
        .def("__repr__", [](const sw::ChatResponse& r) {
            return "<libswitch._core.Response status=" + std::to_string(r.status) + ">";
        });

    py::class_<EventQueue, std::shared_ptr<EventQueue>>(m, "EventQueue")
        .def(py::init<>())
        .def("take", &EventQueue::take)
        .def("wait", &EventQueue::wait, py::arg("timeout"))
        .def("fileno", &EventQueue::fileno);

    py::class_<PyRouter>(m, "Router")
        .def(py::init<const LoadedConfig&, double, double, long, std::shared_ptr<EventQueue>, py::object, py::object,
                      std::shared_ptr<EventQueue>, std::shared_ptr<EventQueue>>(),
             py::arg("config"), py::arg("connect_timeout") = 10.0, py::arg("stream_idle_timeout") = 30.0,
             py::arg("io_threads") = 0, py::arg("events") = nullptr, py::arg("embedder") = py::none(),
             py::arg("judge") = py::none(), py::arg("log_lines") = nullptr, py::arg("spans") = nullptr)
        .def("submit", &PyRouter::submit, py::arg("queue"), py::arg("token"), py::arg("kind"), py::arg("request_json"),
             py::arg("timeout") = py::none(), py::arg("max_cost_usd") = py::none(),
             py::arg("correlation_id") = py::none(), py::arg("client_id") = py::none(),
             py::arg("traceparent") = py::none(), py::arg("tracestate") = py::none(),
             py::arg("no_cache") = false, py::arg("no_store") = false, py::arg("cache_ttl") = py::none(),
             py::arg("cache_partition") = py::none())
        .def("cancel", &PyRouter::cancel, py::arg("request_id"))
        .def("status", &PyRouter::status)
        .def("metrics_text", &PyRouter::metrics_text)
        .def("reset_breaker", &PyRouter::reset_breaker, py::arg("pool"), py::arg("provider"))
        .def("close", &PyRouter::close)
        .def_property_readonly("closed", &PyRouter::closed)
        .def_property_readonly("io_threads", &PyRouter::io_threads);

    // The library's failure kind for a status, error class and route error, as a Response would
    // carry them: lets the tests check Python's exception for every kind through the real rule.
    m.def(
        "failure_kind",
        [](int status, std::string_view error_class, std::string_view route_error) {
            sw::ChatResponse r;
            r.status = status;
            r.error_class = enum_named(error_class, sw::ErrorClass::cancelled);
            r.trace.error = enum_named(route_error, sw::RouteError::would_deadlock);
            return text(sw::to_string(r.failure_kind()));
        },
        py::arg("status"), py::arg("error_class"), py::arg("route_error"));
    m.def("dumps", [](py::handle value) { return text(swpy::to_json(value)); }, py::arg("value"),
          "JSON text of a value, as json.dumps(value, allow_nan=False, ensure_ascii=False, separators=(',', ':')) gives it");
    m.def("loads", [](std::string_view data) { return swpy::from_json(data); }, py::arg("data"),
          "The value of JSON text (str or bytes), as json.loads gives it");

    m.attr("KIND_CHAT") = static_cast<int>(Kind::chat);
    m.attr("KIND_STREAM") = static_cast<int>(Kind::stream);
    m.attr("KIND_EMBEDDINGS") = static_cast<int>(Kind::embeddings);
}
