// connection.cpp — hiredis's asynchronous API on our EventLoop: its five event hooks become
// watch_fd/unwatch_fd calls, and our timers bound the connect and every call (hiredis 0.14 has
// no timeouts of its own in the asynchronous API).
#include "redis/connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>

namespace sw::redis {

namespace {

Reply copy_reply(const redisReply* r) {
    Reply out;
    switch (r->type) {
        case REDIS_REPLY_INTEGER:
            out.type = Reply::Type::integer;
            out.integer = r->integer;
            break;
        case REDIS_REPLY_STRING:
            out.type = Reply::Type::string;
            out.text.assign(r->str, r->len);
            break;
        case REDIS_REPLY_STATUS:
            out.type = Reply::Type::status;
            out.text.assign(r->str, r->len);
            break;
        case REDIS_REPLY_ERROR:
            out.type = Reply::Type::error;
            out.text.assign(r->str, r->len);
            break;
        case REDIS_REPLY_ARRAY:
            out.type = Reply::Type::array;
            out.elements.reserve(r->elements);
            for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(copy_reply(r->element[i]));
            break;
        default: out.type = Reply::Type::nil; break;
    }
    return out;
}

Connection* owner(const redisAsyncContext* ac) { return static_cast<Connection*>(ac->data); }

}  // namespace

std::string_view to_string(CallStatus status) noexcept {
    switch (status) {
        case CallStatus::ok: return "ok";
        case CallStatus::timeout: return "timeout";
        case CallStatus::unavailable: return "unavailable";
    }
    return "unavailable";
}

std::shared_ptr<Connection> Connection::create(transport::EventLoop& loop,
                                               std::shared_ptr<const ConnectionOptions> options,
                                               std::function<void(bool)> changed) {
    return std::shared_ptr<Connection>(new Connection(loop, std::move(options), std::move(changed)));
}

Connection::Connection(transport::EventLoop& loop, std::shared_ptr<const ConnectionOptions> options,
                       std::function<void(bool)> changed)
    : loop_(loop), options_(std::move(options)), changed_(std::move(changed)), backoff_(options_->backoff_first) {}

void Connection::set_up(bool up) {
    if (up_.exchange(up, std::memory_order_acq_rel) != up && changed_) changed_(up);
}

Connection::~Connection() {
    // close() ran on the loop; a context still here would be freed off its thread.
    closed_ = true;
    if (ctx_) redisAsyncFree(ctx_);
}

void Connection::start() {
    // A loop without sockets (the tests' simulated one) answers any watch with false: never dial
    // there, rather than find out only when a connect is in progress (a refused one would redial
    // forever).
    can_watch_ = loop_.watch_fd(-1, false, false, {});
    dial();
}

void Connection::dial() {
    if (closed_ || !can_watch_) return;
    ++generation_;
    redisAsyncContext* ac = redisAsyncConnect(options_->url.host.c_str(), options_->url.port);
    if (!ac) return lost();  // out of memory: try again later
    if (ac->err) {
        // Refused at once, or an address hiredis cannot read: the same as a drop.
        redisAsyncFree(ac);
        return lost();
    }
    ctx_ = ac;
    fd_ = ac->c.fd;
    ac->data = this;
    ac->ev.data = this;
    ac->ev.addRead = &Connection::add_read;
    ac->ev.delRead = &Connection::del_read;
    ac->ev.addWrite = &Connection::add_write;
    ac->ev.delWrite = &Connection::del_write;
    ac->ev.cleanup = &Connection::cleanup;
    redisAsyncSetConnectCallback(ac, &Connection::on_connect);
    redisAsyncSetDisconnectCallback(ac, &Connection::on_disconnect);
    // The connect completes when the socket turns writable: watch it now.
    add_write(this);
    if (!can_watch_) {
        drop();
        return;
    }
    handshake();
    const std::uint64_t gen = generation_;
    loop_.post_at(loop_.clock().now() + options_->connect_timeout, [weak = weak_from_this(), gen] {
        auto self = weak.lock();
        if (!self || self->generation_ != gen || self->up() || !self->ctx_) return;
        self->drop();  // no PING answer in time: a server that accepts but never answers
    });
}

// Queued before the connect completes; hiredis sends them, in order, once it does. Any error
// (a wrong password, a database number the server does not have) leaves the PING unanswered
// with PONG, and the connection is dropped: a misconfigured server counts as unavailable.
void Connection::handshake() {
    const RedisUrl& url = options_->url;
    if (!url.password.empty()) {
        std::vector<std::string> auth{"AUTH"};
        if (!url.user.empty()) auth.push_back(url.user);
        auth.emplace_back(url.password.reveal());
        send(auth, [](Result) {});
    }
    if (url.db != 0) send({"SELECT", std::to_string(url.db)}, [](Result) {});
    const std::uint64_t gen = generation_;
    send({"PING"}, [this, gen](Result r) {
        // Unavailable: the context is being freed already, and its cleanup redials.
        if (generation_ != gen || !r.ok()) return;
        if (r.reply.type == Reply::Type::status && r.reply.text == "PONG") {
            backoff_ = options_->backoff_first;
            connects_.fetch_add(1, std::memory_order_relaxed);
            set_up(true);
        } else if (ctx_) {
            drop();  // NOAUTH, WRONGPASS...: never the password, which nothing here prints
        }
    });
}

std::uint64_t Connection::send(const std::vector<std::string>& args, Callback done) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    argv.reserve(args.size());
    lens.reserve(args.size());
    for (const std::string& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    const std::uint64_t id = next_id_++;
    pending_.emplace(id, std::move(done));
    // The privdata is the call's id, not a pointer: a call that timed out is forgotten here,
    // and hiredis's late callback then finds nothing to deliver to.
    const int rc = redisAsyncCommandArgv(ctx_, &Connection::on_reply, reinterpret_cast<void*>(static_cast<std::uintptr_t>(id)),
                                         static_cast<int>(argv.size()), argv.data(), lens.data());
    if (rc != REDIS_OK) deliver(id, Result{CallStatus::unavailable, {}});
    return id;
}

void Connection::command(const std::vector<std::string>& args, Callback done) {
    if (!ctx_ || !up()) {
        done(Result{CallStatus::unavailable, {}});
        return;
    }
    const std::uint64_t id = send(args, std::move(done));
    const std::uint64_t gen = generation_;
    loop_.post_at(loop_.clock().now() + options_->call_timeout, [weak = weak_from_this(), id, gen] {
        auto self = weak.lock();
        if (!self || !self->pending_.count(id)) return;
        self->deliver(id, Result{CallStatus::timeout, {}});
        // A server this slow is dropped, so calls do not pile up behind it; the redial's backoff
        // keeps it from being hammered. (The engine fires timers early when it stops: the same.)
        if (self->generation_ == gen && self->ctx_) self->drop();
    });
}

void Connection::deliver(std::uint64_t id, Result result) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    Callback done = std::move(it->second);
    pending_.erase(it);
    done(std::move(result));
}

void Connection::close() {
    closed_ = true;
    if (ctx_) drop();
    // Calls hiredis had not taken (none, normally) hear too.
    std::vector<std::uint64_t> ids;
    for (const auto& [id, cb] : pending_) ids.push_back(id);
    for (std::uint64_t id : ids) deliver(id, Result{CallStatus::unavailable, {}});
}

void Connection::drop() {
    set_up(false);
    redisAsyncContext* ac = ctx_;
    // Inside a hiredis callback this only marks the context, and hiredis frees it on the way out;
    // either way the cleanup hook (lost()) runs once it is freed.
    if (ac) redisAsyncFree(ac);
}

void Connection::lost() {
    set_up(false);
    if (fd_ >= 0) loop_.unwatch_fd(fd_);
    fd_ = -1;
    reading_ = writing_ = false;
    ctx_ = nullptr;
    ++generation_;
    if (closed_ || !can_watch_ || loop_.stopping()) return;
    const Millis wait = backoff_;
    backoff_ = std::min(options_->backoff_cap, backoff_ * 2);
    loop_.post_at(loop_.clock().now() + wait, [weak = weak_from_this()] {
        auto self = weak.lock();
        if (!self || self->ctx_ || self->closed_ || self->loop_.stopping()) return;
        self->dial();
    });
}

void Connection::watch() {
    if (fd_ < 0) return;
    if (!reading_ && !writing_) {
        loop_.unwatch_fd(fd_);
        return;
    }
    const bool ok = loop_.watch_fd(fd_, reading_, writing_, [weak = weak_from_this()](bool r, bool w) {
        if (auto self = weak.lock()) self->on_ready(r, w);
    });
    if (!ok) can_watch_ = false;
}

void Connection::on_ready(bool readable, bool writable) {
    // Either call may free the context (an EOF, an error): look again before the second.
    if (readable && ctx_) redisAsyncHandleRead(ctx_);
    if (writable && ctx_) redisAsyncHandleWrite(ctx_);
}

void Connection::add_read(void* self) {
    auto* c = static_cast<Connection*>(self);
    if (c->reading_) return;
    c->reading_ = true;
    c->watch();
}
void Connection::del_read(void* self) {
    auto* c = static_cast<Connection*>(self);
    if (!c->reading_) return;
    c->reading_ = false;
    c->watch();
}
void Connection::add_write(void* self) {
    auto* c = static_cast<Connection*>(self);
    if (c->writing_) return;
    c->writing_ = true;
    c->watch();
}
void Connection::del_write(void* self) {
    auto* c = static_cast<Connection*>(self);
    if (!c->writing_) return;
    c->writing_ = false;
    c->watch();
}

// hiredis calls this as it frees a context, whichever path freed it: an error, an EOF, a failed
// connect, our drop(). Its pending calls have heard (NULL replies) by then.
void Connection::cleanup(void* self) { static_cast<Connection*>(self)->lost(); }

void Connection::on_connect(const redisAsyncContext*, int) {
    // Success is judged by the handshake's PING; a failure frees the context, and cleanup follows.
}

void Connection::on_disconnect(const redisAsyncContext*, int) {
    // The cleanup hook does the work, for this path and for the others alike.
}

void Connection::on_reply(redisAsyncContext* ac, void* reply, void* privdata) {
    Connection* c = owner(ac);
    const auto id = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(privdata));
    if (!reply) {
        // The context is being freed: nothing may be sent on it from the callbacks that follow.
        c->set_up(false);
        c->deliver(id, Result{CallStatus::unavailable, {}});  // the context is being freed
        return;
    }
    c->deliver(id, Result{CallStatus::ok, copy_reply(static_cast<const redisReply*>(reply))});
}

}  // namespace sw::redis
