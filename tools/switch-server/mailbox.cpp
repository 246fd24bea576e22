// mailbox.cpp — a locked queue and a libevent event that is activated from other threads.
#include "mailbox.hpp"

#include <event2/event.h>

namespace server {

Mailbox::Mailbox(event_base* base) : wake_(event_new(base, -1, 0, &Mailbox::on_wake, this)) {}

Mailbox::~Mailbox() { event_free(wake_); }

void Mailbox::post(std::function<void()> work) {
    bool was_empty = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        was_empty = queue_.empty();
        queue_.push_back(std::move(work));
    }
    // One activation per batch: the loop takes the whole queue when it wakes.
    if (was_empty) event_active(wake_, EV_READ, 0);
}

void Mailbox::drop_all() {
    std::deque<std::function<void()>> dropped;
    std::lock_guard<std::mutex> lock(mutex_);
    dropped.swap(queue_);
}

void Mailbox::on_wake(int, short, void* self) { static_cast<Mailbox*>(self)->run_queued(); }

void Mailbox::run_queued() {
    std::deque<std::function<void()>> batch;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        batch.swap(queue_);
    }
    for (auto& work : batch) work();
}

}  // namespace server
