// client.cpp — choosing a connection, and starting and closing them on their own threads.
#include "redis/client.hpp"

#include <chrono>
#include <future>

namespace sw::redis {

void Client::Shared::changed(bool now_up) {
    std::lock_guard lock(mu);
    const bool was = up > 0;
    up += now_up ? 1 : -1;
    // Under the lock, so that two loops' changes reach the listener in the order they happened.
    if (listener && was != (up > 0)) listener(up > 0);
}

void Client::Shared::count(CallStatus status) noexcept {
    switch (status) {
        case CallStatus::ok: ok.fetch_add(1, std::memory_order_relaxed); break;
        case CallStatus::timeout: timeout.fetch_add(1, std::memory_order_relaxed); break;
        case CallStatus::unavailable: unavailable.fetch_add(1, std::memory_order_relaxed); break;
    }
}

Client::Client(std::vector<transport::EventLoop*> loops, ConnectionOptions options, int pool_size,
               AvailabilityListener listener)
    : shared_(std::make_shared<Shared>()), options_(std::make_shared<const ConnectionOptions>(std::move(options))) {
    shared_->listener = std::move(listener);
    const std::size_t n = static_cast<std::size_t>(std::max(1, pool_size));
    connections_.reserve(n);
    for (std::size_t i = 0; i < n && !loops.empty(); ++i) {
        auto conn = Connection::create(*loops[i % loops.size()], options_,
                                       [shared = shared_](bool up) { shared->changed(up); });
        connections_.push_back(conn);
        // hiredis and the fd watches are the loop's alone: the dial happens there too.
        conn->loop().post([conn] { conn->start(); });
    }
}

Client::~Client() {
    {
        // Closing is not an outage: the listener hears nothing of it.
        std::lock_guard lock(shared_->mu);
        shared_->listener = nullptr;
    }
    std::vector<std::future<void>> closed;
    for (auto& conn : connections_) {
        // Already on its thread (the simulated loop's case): no post, no wait.
        if (conn->loop().on_io_thread()) {
            conn->close();
            continue;
        }
        auto done = std::make_shared<std::promise<void>>();
        closed.push_back(done->get_future());
        conn->loop().post([conn, done] {
            conn->close();
            done->set_value();
        });
    }
    // A loop that no longer runs posts cannot be waited for; the post keeps its connection
    // alive until it runs (an engine runs what is left as it is destroyed).
    for (auto& f : closed) f.wait_for(std::chrono::seconds(1));
}

void Client::call(std::vector<std::string> args, Connection::Callback user_done) {
    Connection::Callback done = [shared = shared_, user_done = std::move(user_done)](Result r) {
        shared->count(r.status);
        user_done(std::move(r));
    };
    const std::size_t n = connections_.size();
    // On an I/O thread that has an up connection of its own: use it, with no post.
    for (const auto& conn : connections_) {
        if (conn->up() && conn->loop().on_io_thread()) {
            conn->command(args, std::move(done));
            return;
        }
    }
    const std::uint64_t start = next_.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& conn = connections_[(start + i) % n];
        if (!conn->up()) continue;
        // It may go down before the post runs: command() then answers `unavailable`.
        conn->loop().post([conn, args = std::move(args), done = std::move(done)]() mutable {
            conn->command(args, std::move(done));
        });
        return;
    }
    done(Result{CallStatus::unavailable, {}});
}

bool Client::available() const noexcept {
    for (const auto& conn : connections_)
        if (conn->up()) return true;
    return false;
}

std::size_t Client::up_count() const noexcept {
    std::size_t n = 0;
    for (const auto& conn : connections_) n += conn->up() ? 1 : 0;
    return n;
}

std::uint64_t Client::connects() const noexcept {
    std::uint64_t n = 0;
    for (const auto& conn : connections_) n += conn->connects();
    return n;
}

CallCounts Client::counts() const noexcept {
    return {shared_->ok.load(std::memory_order_relaxed), shared_->timeout.load(std::memory_order_relaxed),
            shared_->unavailable.load(std::memory_order_relaxed)};
}

}  // namespace sw::redis
