// http_engine.cpp — the curl multi loop: queues from other threads, easy-handle reuse,
// per-exchange first-byte and idle timers, timers for the router, and cancellation.
#include "transport/http_engine.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <queue>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace sw::transport {

namespace {

void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

struct Exchange {
    HttpEngine::Id id = 0;
    const Clock* clock = nullptr;
    HttpRequest request;
    std::shared_ptr<HttpHandler> handler;
    CURL* easy = nullptr;
    // The header list curl reads, as nodes over request.headers' own strings: curl only reads
    // a CURLOPT_HTTPHEADER list, so it needs no copy of each line (curl_slist_append's).
    std::vector<curl_slist> header_nodes;
    TimePoint started{};
    TimePoint last_byte{};
    bool body_started = false;
    std::size_t received = 0;
    int status = 0;
    bool stopped_by_handler = false;
    bool oversize = false;
    char error_buffer[CURL_ERROR_SIZE] = {};

    // When this exchange must be stopped by our own timers, or TimePoint::max().
    TimePoint timer_deadline() const {
        if (!body_started && request.first_byte_timeout.count() > 0) return started + request.first_byte_timeout;
        if (body_started && request.idle_timeout.count() > 0) return last_byte + request.idle_timeout;
        return TimePoint::max();
    }
};

struct Timer {
    TimePoint when;
    std::uint64_t sequence;  // keeps equal times in posting order
    std::function<void()> fn;
    bool operator>(const Timer& other) const {
        return when != other.when ? when > other.when : sequence > other.sequence;
    }
};

TransportError map_curl_error(CURLcode code, const Exchange& ex, CURL* easy) {
    switch (code) {
        case CURLE_OK: return TransportError::none;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY: return TransportError::dns;
        case CURLE_COULDNT_CONNECT: return TransportError::connect_refused;
        case CURLE_OPERATION_TIMEDOUT: {
            curl_off_t connected = 0;
            curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connected);
            if (connected == 0) return TransportError::connect_timeout;
            return ex.body_started ? TransportError::idle_timeout : TransportError::first_byte_timeout;
        }
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CLIENTCERT: return TransportError::tls;
        case CURLE_GOT_NOTHING:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
            // Before any response byte this is a reset connection; mid-body it is a cut body.
            return ex.status == 0 ? TransportError::connection_reset : TransportError::protocol;
        default: return TransportError::protocol;  // partial file, bad content, size cap, ...
    }
}

}  // namespace

struct HttpEngine::Impl {
    std::shared_ptr<Clock> clock;
    CURLM* multi = nullptr;
    CURLSH* share = nullptr;
    std::thread thread;
    std::atomic<Id> next_id{1};

    std::mutex mutex;  // guards the four queues, `stopping` and `wake_pending`
    std::vector<std::unique_ptr<Exchange>> submitted;
    std::vector<Id> cancelled;
    std::vector<std::function<void()>> posted;
    std::vector<std::pair<TimePoint, std::function<void()>>> timed;
    bool stopping = false;
    // A wake-up was sent that the I/O thread has not yet answered by taking the queues.
    bool wake_pending = false;
    std::atomic<bool> stopping_flag{false};  // `stopping`, readable without the lock

    // I/O thread only.
    std::unordered_map<Id, std::unique_ptr<Exchange>> active;
    std::vector<CURL*> idle_handles;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
    std::uint64_t timer_sequence = 0;
    // Sockets other clients own (watch_fd), waited on with curl's own: `waitfds` is what
    // curl_multi_poll is given, `watchers` the function of each, in the same order.
    std::vector<curl_waitfd> waitfds;
    std::vector<std::function<void(bool, bool)>> watchers;

    // Runs `add` (which fills a queue) under the lock, then wakes the I/O thread unless a wake-up
    // is already on its way: that one's queue swap takes this item too. A burst of submissions
    // from other threads thus costs one wake-up (a syscall on each side), not one per request.
    // The I/O thread itself needs none: run() looks at the queues before it waits.
    template <class Add>
    void enqueue(Add&& add) {
        bool wake_now;
        {
            std::lock_guard<std::mutex> lock(mutex);
            add();
            wake_now = !wake_pending;
            wake_pending = true;
        }
        if (wake_now && std::this_thread::get_id() != thread.get_id()) curl_multi_wakeup(multi);
    }

    static std::size_t on_header_line(char* data, std::size_t size, std::size_t count, void* user) {
        auto* ex = static_cast<Exchange*>(user);
        std::string_view line(data, size * count);
        if (line.rfind("HTTP/", 0) == 0) {
            // A new status line (interim 1xx responses come first).
            auto space = line.find(' ');
            int status = 0;
            if (space != std::string_view::npos)
                for (std::size_t i = space + 1; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i)
                    status = status * 10 + (line[i] - '0');
            ex->status = status;
            ex->handler->on_status(status);
        } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
            ex->handler->on_header(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
        }
        return size * count;
    }

    static std::size_t on_body_bytes(char* data, std::size_t size, std::size_t count, void* user) {
        auto* ex = static_cast<Exchange*>(user);
        const std::size_t n = size * count;
        ex->received += n;
        if (ex->received > ex->request.max_response_bytes) {
            ex->oversize = true;
            return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
        }
        ex->last_byte = ex->clock->now();
        if (!ex->handler->on_body(std::string_view(data, n))) {
            ex->stopped_by_handler = true;
            return 0;
        }
        if (!ex->body_started) ex->body_started = ex->handler->response_started();
        return n;
    }

    // A finished exchange's handle, or a new one. Handles are reused without curl_easy_reset:
    // the options that are the same for every exchange are set once, here, and start() sets
    // every other option on every exchange, so nothing of the previous one carries over. (A
    // reset and a full set of options cost more per request than anything else in this file.)
    CURL* take_handle() {
        if (!idle_handles.empty()) {
            CURL* easy = idle_handles.back();
            idle_handles.pop_back();
            return easy;
        }
        CURL* easy = curl_easy_init();
        if (!easy) return nullptr;
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Impl::on_header_line);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Impl::on_body_bytes);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
        curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(easy, CURLOPT_SHARE, share);
        return easy;
    }

    void start(std::unique_ptr<Exchange> ex) {
        ex->clock = clock.get();
        ex->started = clock->now();
        ex->last_byte = ex->started;
        CURL* easy = take_handle();
        if (!easy) throw std::bad_alloc();
        ex->easy = easy;
        const HttpRequest& r = ex->request;
        // No "Expect: 100-continue" round trip before larger bodies.
        static char no_expect[] = "Expect:";
        const std::size_t n = r.headers.size();
        ex->header_nodes.resize(n + 1);
        for (std::size_t i = 0; i <= n; ++i) {
            ex->header_nodes[i].data = i < n ? const_cast<char*>(r.headers[i].c_str()) : no_expect;
            ex->header_nodes[i].next = i < n ? &ex->header_nodes[i + 1] : nullptr;
        }
        // Every option that may differ between exchanges; the fixed ones are in take_handle().
        curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
        // Handles are reused, so the method is set on every exchange.
        if (r.method == HttpRequest::Method::get) {
            curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        } else {
            curl_easy_setopt(easy, CURLOPT_POST, 1L);
            curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.data());
            curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        }
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method == HttpRequest::Method::put ? "PUT" : nullptr);
        if (!r.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, r.ca_file.c_str());
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, ex->header_nodes.data());
        curl_easy_setopt(easy, CURLOPT_HEADERDATA, ex.get());
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, ex.get());
        curl_easy_setopt(easy, CURLOPT_PRIVATE, ex.get());
        curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, ex->error_buffer);
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<std::int64_t>(1, r.total_timeout.count())));
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, r.verify_tls ? 1L : 0L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, r.verify_tls ? 2L : 0L);
        curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_response_bytes));
        const Id id = ex->id;
        curl_multi_add_handle(multi, easy);
        active.emplace(id, std::move(ex));
    }

    // Detaches an exchange and tells its handler. `forced` is set when our timers or a cancel
    // stopped it, rather than curl finishing it.
    void finish(Id id, CURLcode code, std::optional<TransportError> forced, bool cancel) {
        auto it = active.find(id);
        if (it == active.end()) return;
        std::unique_ptr<Exchange> ex = std::move(it->second);
        active.erase(it);
        curl_multi_remove_handle(multi, ex->easy);
        HttpResult result;
        result.status = ex->status;
        result.elapsed = clock->now() - ex->started;
        if (cancel || ex->stopped_by_handler) {
            result.cancelled = true;
            result.detail = "cancelled";
        } else if (forced) {
            result.error = *forced;
            result.detail = std::string(to_string(*forced));
        } else if (ex->oversize) {
            result.error = TransportError::protocol;
            result.detail = fmt::format("response larger than {} bytes", ex->request.max_response_bytes);
        } else {
            result.error = map_curl_error(code, *ex, ex->easy);
            if (code != CURLE_OK)
                result.detail = ex->error_buffer[0] ? ex->error_buffer : curl_easy_strerror(code);
        }
        // A handle given its own CA bundle is not reused: curl has no way back to the default.
        if (ex->request.ca_file.empty()) idle_handles.push_back(ex->easy);
        else curl_easy_cleanup(ex->easy);
        ex->handler->on_complete(result);
    }

    void drain_completions() {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            Exchange* ex = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &ex);
            finish(ex->id, msg->data.result, std::nullopt, false);
        }
    }

    // Stops exchanges whose first-byte or idle timer ran out; returns the next such deadline.
    TimePoint enforce_exchange_timers(TimePoint now) {
        TimePoint next = TimePoint::max();
        std::vector<std::pair<Id, TransportError>> expired;
        for (auto& [id, ex] : active) {
            TimePoint deadline = ex->timer_deadline();
            if (deadline <= now)
                expired.emplace_back(id, ex->body_started ? TransportError::idle_timeout : TransportError::first_byte_timeout);
            else
                next = std::min(next, deadline);
        }
        for (auto [id, error] : expired) finish(id, CURLE_OK, error, false);
        return next;
    }

    TimePoint run_due_timers(TimePoint now) {
        while (!timers.empty() && timers.top().when <= now) {
            auto fn = std::move(const_cast<Timer&>(timers.top()).fn);
            timers.pop();
            fn();
        }
        return timers.empty() ? TimePoint::max() : timers.top().when;
    }

    // After the I/O thread has ended, on the destroying thread: what other threads queued since.
    // A router's I/O threads post to each other (a token exchange's answer goes to every thread
    // that waits for it), and they stop one after another, so a post can land here after this
    // loop ended; running it lets its owner finish instead of holding its request forever.
    void run_leftovers() {
        for (;;) {
            std::vector<std::unique_ptr<Exchange>> new_exchanges;
            std::vector<std::function<void()>> new_posts;
            std::vector<std::pair<TimePoint, std::function<void()>>> new_timers;
            {
                std::lock_guard<std::mutex> lock(mutex);
                new_exchanges.swap(submitted);
                new_posts.swap(posted);
                new_timers.swap(timed);
                cancelled.clear();  // nothing runs that they could stop
            }
            if (new_exchanges.empty() && new_posts.empty() && new_timers.empty()) return;
            for (auto& ex : new_exchanges) {
                HttpResult result;
                result.cancelled = true;
                result.detail = "engine stopped";
                ex->handler->on_complete(result);
            }
            for (auto& fn : new_posts) fn();
            for (auto& timer : new_timers) timer.second();  // early, as stop() fires every timer
        }
    }

    void run() {
        for (;;) {
            std::vector<std::unique_ptr<Exchange>> new_exchanges;
            std::vector<Id> new_cancels;
            std::vector<std::function<void()>> new_posts;
            std::vector<std::pair<TimePoint, std::function<void()>>> new_timers;
            bool stop;
            {
                std::lock_guard<std::mutex> lock(mutex);
                new_exchanges.swap(submitted);
                new_cancels.swap(cancelled);
                new_posts.swap(posted);
                new_timers.swap(timed);
                stop = stopping;
                wake_pending = false;
            }
            for (auto& [when, fn] : new_timers) timers.push(Timer{when, timer_sequence++, std::move(fn)});
            for (auto& ex : new_exchanges) {
                if (stop) {
                    // Shutting down: the exchange never starts, but its handler still hears.
                    HttpResult result;
                    result.cancelled = true;
                    result.detail = "engine stopped";
                    ex->handler->on_complete(result);
                } else {
                    start(std::move(ex));
                }
            }
            for (Id id : new_cancels) finish(id, CURLE_OK, std::nullopt, true);
            for (auto& fn : new_posts) fn();
            if (stop) {
                // Cancel what runs, then fire every timer now so that each owner can finish;
                // repeat until nothing is queued.
                std::vector<Id> ids;
                for (auto& [id, ex] : active) ids.push_back(id);
                for (Id id : ids) finish(id, CURLE_OK, std::nullopt, true);
                while (!timers.empty()) {
                    auto fn = std::move(const_cast<Timer&>(timers.top()).fn);
                    timers.pop();
                    fn();
                }
                std::lock_guard<std::mutex> lock(mutex);
                if (active.empty() && submitted.empty() && cancelled.empty() && posted.empty() && timed.empty()) return;
                continue;
            }
            int running = 0;
            curl_multi_perform(multi, &running);
            drain_completions();
            TimePoint now = clock->now();
            TimePoint next = std::min(enforce_exchange_timers(now), run_due_timers(now));
            // curl's own timeouts need the loop to come round; 1 s is a backstop only.
            long wait_ms = 1000;
            if (next != TimePoint::max()) {
                auto until = std::chrono::duration_cast<Millis>(next - clock->now()).count() + 1;
                wait_ms = std::clamp<long>(static_cast<long>(until), 0L, wait_ms);
            }
            long curl_wait = -1;
            curl_multi_timeout(multi, &curl_wait);
            if (curl_wait >= 0) wait_ms = std::min(wait_ms, curl_wait);
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (!submitted.empty() || !cancelled.empty() || !posted.empty() || !timed.empty() || stopping)
                    wait_ms = 0;
            }
            for (curl_waitfd& w : waitfds) w.revents = 0;
            curl_multi_poll(multi, waitfds.data(), static_cast<unsigned>(waitfds.size()), static_cast<int>(wait_ms), nullptr);
            dispatch_ready_fds();
        }
    }

    void watch(int fd, bool read, bool write, std::function<void(bool, bool)> ready) {
        // Asking for nothing is not watching: poll() would still report a hang-up, at once, forever.
        if (!read && !write) return unwatch(fd);
        short events = 0;
        if (read) events |= CURL_WAIT_POLLIN;
        if (write) events |= CURL_WAIT_POLLOUT;
        for (std::size_t i = 0; i < waitfds.size(); ++i) {
            if (waitfds[i].fd != fd) continue;
            waitfds[i].events = events;
            watchers[i] = std::move(ready);
            return;
        }
        waitfds.push_back(curl_waitfd{fd, events, 0});
        watchers.push_back(std::move(ready));
    }

    void unwatch(int fd) {
        for (std::size_t i = 0; i < waitfds.size(); ++i) {
            if (waitfds[i].fd != fd) continue;
            waitfds.erase(waitfds.begin() + static_cast<std::ptrdiff_t>(i));
            watchers.erase(watchers.begin() + static_cast<std::ptrdiff_t>(i));
            return;
        }
    }

    // Calls the watcher of each ready socket. A watcher may watch or unwatch any socket (its
    // own included, as hiredis does when its write buffer empties), so the ready set is taken
    // first and each fd is looked up again, still watched and still asking, before its call.
    void dispatch_ready_fds() {
        std::vector<std::pair<int, short>> ready;
        for (const curl_waitfd& w : waitfds)
            if (w.revents) ready.emplace_back(w.fd, w.revents);
        for (auto [fd, revents] : ready) {
            for (std::size_t i = 0; i < waitfds.size(); ++i) {
                if (waitfds[i].fd != fd) continue;
                // poll() reports an error or hang-up whatever was asked: the owner's read sees it.
                const bool failed = (revents & ~(CURL_WAIT_POLLIN | CURL_WAIT_POLLOUT | CURL_WAIT_POLLPRI)) != 0;
                const bool readable = (waitfds[i].events & CURL_WAIT_POLLIN) && ((revents & CURL_WAIT_POLLIN) || failed);
                const bool writable = (waitfds[i].events & CURL_WAIT_POLLOUT) && ((revents & CURL_WAIT_POLLOUT) || failed);
                if (readable || writable) {
                    auto fn = watchers[i];  // a copy: the call may replace or drop the watch
                    fn(readable, writable);
                }
                break;
            }
        }
    }
};

HttpEngine::HttpEngine(EngineOptions options) : impl_(std::make_unique<Impl>()) {
    global_init_once();
    impl_->clock = options.clock ? options.clock : std::make_shared<SteadyClock>();
    impl_->multi = curl_multi_init();
    impl_->share = curl_share_init();
    if (!impl_->multi || !impl_->share) throw std::runtime_error("curl: cannot create the multi or share handle");
    // One thread uses the share, so it needs no lock callbacks.
    curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_multi_setopt(impl_->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    if (options.max_connections_per_host > 0)
        curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_connections_per_host);
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

HttpEngine::~HttpEngine() {
    stop();
    impl_->run_leftovers();
    for (CURL* easy : impl_->idle_handles) curl_easy_cleanup(easy);
    curl_multi_cleanup(impl_->multi);
    curl_share_cleanup(impl_->share);
}

void HttpEngine::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->enqueue([&] {
        impl_->stopping = true;
        impl_->stopping_flag = true;
    });
    impl_->thread.join();
}

HttpEngine::Id HttpEngine::submit(HttpRequest request, std::shared_ptr<HttpHandler> handler) {
    auto ex = std::make_unique<Exchange>();
    ex->id = impl_->next_id.fetch_add(1, std::memory_order_relaxed);
    ex->request = std::move(request);
    ex->handler = std::move(handler);
    const Id id = ex->id;
    // On the I/O thread (a handler or timer starting the next attempt) the exchange starts at
    // once: no queue, no wake-up. Handlers never run inside a curl callback, so adding a
    // handle here is allowed.
    if (on_io_thread() && !stopping()) {
        impl_->start(std::move(ex));
        return id;
    }
    impl_->enqueue([&] { impl_->submitted.push_back(std::move(ex)); });
    return id;
}

void HttpEngine::cancel(Id id) {
    impl_->enqueue([&] { impl_->cancelled.push_back(id); });
}

void HttpEngine::post(std::function<void()> fn) {
    impl_->enqueue([&] { impl_->posted.push_back(std::move(fn)); });
}

void HttpEngine::post_at(TimePoint when, std::function<void()> fn) {
    impl_->enqueue([&] { impl_->timed.emplace_back(when, std::move(fn)); });
}

Clock& HttpEngine::clock() const { return *impl_->clock; }

bool HttpEngine::stopping() const { return impl_->stopping_flag.load(std::memory_order_acquire); }

bool HttpEngine::on_io_thread() const { return std::this_thread::get_id() == impl_->thread.get_id(); }

bool HttpEngine::watch_fd(int fd, bool read, bool write, std::function<void(bool, bool)> ready) {
    impl_->watch(fd, read, write, std::move(ready));
    return true;
}

void HttpEngine::unwatch_fd(int fd) { impl_->unwatch(fd); }

}  // namespace sw::transport
