// main.cpp — switch-server: an OpenAI-compatible HTTP gateway over sw::Router (docs/server.md).
#include "gateway.hpp"
#include "config_state.hpp"
#include "listener.hpp"
#include "log_file.hpp"
#include "settings.hpp"
#include "shared_rate_limit.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <event2/event.h>
#include <event2/thread.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>

namespace {

void on_signal(evutil_socket_t, short, void* base) { event_base_loopbreak(static_cast<event_base*>(base)); }

struct Reload {
    server::ConfigState& state;
    sw::Router& router;
};

// SIGHUP, on the main thread's loop: the workers go on serving while the file is read and
// checked, and Router::reload lets every request in flight finish on the old configuration.
void on_sighup(evutil_socket_t, short, void* reload) {
    auto* r = static_cast<Reload*>(reload);
    r->state.reload_from_source(r->router);
}

std::optional<std::string> process_env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
}

// Waits until every request handed to the router has been answered, or `limit` has passed.
void drain(const server::Gateway& gateway, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (gateway.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (const int left = gateway.in_flight.load(); left > 0)
        std::fprintf(stderr, "switch-server: drain time is over; cancelling %d request(s)\n", left);
}

}  // namespace

int main(int argc, char** argv) {
    server::ParsedSettings parsed = server::parse_settings({argv + 1, argv + argc}, &process_env);
    for (const std::string& note : parsed.notes) std::fprintf(stderr, "switch-server: %s\n", note.c_str());
    if (!parsed.settings) return parsed.exit_code;

    server::ConfigState config_state(parsed.settings->config_file, &process_env);
    sw::LoadResult loaded = config_state.load_initial();
    // Diagnostics (the library's, and the server's own sections') name the key and the reason,
    // never a key, header value or expanded variable.
    std::fputs(sw::format_diagnostics_text(loaded).c_str(), stderr);
    if (!loaded.ok()) return 1;
    const server::ServerConfig initial = config_state.server_config();
    server::apply_listen_settings(initial.server, *parsed.settings);
    parsed.settings->metrics_path = loaded.config->monitoring.metrics_path;
    parsed.settings->metrics_port = loaded.config->monitoring.metrics_port;
    const server::Settings settings = std::move(*parsed.settings);
    std::string cors_error;
    std::optional<server::CorsPolicy> cors = server::read_cors(&process_env, cors_error);
    if (!cors_error.empty()) {
        std::fprintf(stderr, "switch-server: error: %s\n", cors_error.c_str());
        return 1;
    }

    // A client that leaves mid-answer must not kill the server with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    // Before any event_base exists: the router's I/O threads wake the workers' loops.
    evthread_use_pthreads();

    // The router's log lines (docs/logging.md): their level and form come from the config.
    std::string log_error;
    std::shared_ptr<server::LogFile> log = server::LogFile::open(process_env("LOG_FILE_PATH").value_or(""), log_error);
    if (!log) {
        std::fprintf(stderr, "switch-server: error: %s\n", log_error.c_str());
        return 1;
    }
    sw::RouterOptions router_options;
    router_options.log_sink = server::LogFile::sink(log);
    auto router = std::make_unique<sw::Router>(loaded.config, std::move(router_options));
    server::Gateway gateway(*router, settings);
    gateway.correlation_ids = loaded.config->monitoring.logging.correlation_id;
    // Only the digest is kept; the key itself is not copied out of the environment.
    if (const char* admin = std::getenv("ADMIN_API_KEY"); admin != nullptr && *admin != '\0')
        gateway.admin_key = server::SecretDigest::of(admin);
    gateway.config = &config_state;
    gateway.set_auth(initial.auth);
    gateway.cors = std::move(cors);
    gateway.limiter.set_limits(initial.server.rate_limits);
    // With `redis.url`, the per-client limits are shared by every server on that Redis. A
    // changed redis section takes effect at the next start; changed limits at once (their
    // numbers are in the keys).
    std::string redis_error;
    std::unique_ptr<server::SharedRateLimit> shared_limits =
        server::SharedRateLimit::from_config(*loaded.config, redis_error);
    if (!redis_error.empty()) {
        std::fprintf(stderr, "switch-server: error: %s\n", redis_error.c_str());
        return 1;
    }
    gateway.shared_limits = shared_limits.get();
    // SIGHUP and the config endpoints change who may call and the limits at once; where to
    // listen and how many loops only at the next start.
    config_state.on_server_config([&gateway, listen = initial.server](const server::ServerConfig& changed) {
        gateway.set_auth(changed.auth);
        gateway.limiter.set_limits(changed.server.rate_limits);
        if (changed.server.host != listen.host || changed.server.port != listen.port ||
            changed.server.workers != listen.workers)
            std::fputs("switch-server: server.host, server.port and server.workers take effect at the next start\n",
                       stderr);
    });
    std::string error;
    std::unique_ptr<server::Listener> listener = server::Listener::bind(gateway, settings, &error);
    if (!listener) {
        std::fprintf(stderr, "switch-server: %s\n", error.c_str());
        return 1;
    }

    event_base* base = event_base_new();
    event* sigint = evsignal_new(base, SIGINT, &on_signal, base);
    event* sigterm = evsignal_new(base, SIGTERM, &on_signal, base);
    event_add(sigint, nullptr);
    event_add(sigterm, nullptr);
    Reload reload{config_state, *router};
    event* sighup = evsignal_new(base, SIGHUP, &on_sighup, &reload);
    event_add(sighup, nullptr);

    listener->start();
    const bool v6 = settings.host.find(':') != std::string::npos;
    std::printf("listening on http://%s%s%s:%u\n", v6 ? "[" : "", settings.host.c_str(), v6 ? "]" : "",
                static_cast<unsigned>(listener->port()));
    std::fflush(stdout);

    event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);

    // SIGTERM or SIGINT: refuse new work, let what is in flight finish, then stop.
    gateway.draining = true;
    listener->stop_accepting();
    drain(gateway, std::chrono::seconds(settings.drain_seconds));
    // While the workers' loops still run: a request still waiting for Redis hears "no answer"
    // and its worker decides locally.
    if (shared_limits) shared_limits->close();
    listener->stop();
    router.reset();  // cancels what the drain left; its last callbacks only post to the mailboxes
    listener.reset();
    event_free(sigint);
    event_free(sigterm);
    event_free(sighup);
    event_base_free(base);
    libevent_global_shutdown();
    return 0;
}
