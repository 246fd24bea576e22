// mailbox.hpp — hands work from any thread to one event loop's thread. The router's callbacks
// run on its I/O threads, but a request's evhttp objects may only be touched on the loop that
// owns its connection: the callbacks post closures here, and the loop runs them in order.
#pragma once

#include <deque>
#include <functional>
#include <mutex>

struct event;
struct event_base;

namespace server {

class Mailbox {
public:
    // libevent's pthreads support must be on (evthread_use_pthreads) before `base` was made.
    explicit Mailbox(event_base* base);
    ~Mailbox();
    Mailbox(const Mailbox&) = delete;
    Mailbox& operator=(const Mailbox&) = delete;

    // Thread-safe. `work` runs on the loop's thread, after the work posted before it.
    void post(std::function<void()> work);
    // Forgets what is queued and not run, for a loop that has stopped for good.
    void drop_all();

private:
    static void on_wake(int fd, short what, void* self);
    void run_queued();

    std::mutex mutex_;
    std::deque<std::function<void()>> queue_;
    event* wake_ = nullptr;
};

}  // namespace server
