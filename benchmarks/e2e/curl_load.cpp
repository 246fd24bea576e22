// curl_load.cpp — raw libcurl multi: `concurrency` handles, each sending its next request as soon as
// its answer is complete, on one thread.
#include "curl_load.hpp"

#include "measure.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <stdexcept>
#include <thread>

namespace bench {

std::string request_body(const std::string& model, bool stream) {
    return fmt::format(R"({{"model":{},"messages":[{{"role":"user","content":"hello"}}]{}}})", json_string(model),
                       stream ? R"(,"stream":true)" : "");
}

namespace {

Clock::duration seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

struct Slot {
    CURL* easy = nullptr;
    Clock::time_point started;
    double ttft_us = -1;
    bool second = false;  // the follow-up request of a failover pair
    std::string body;     // what arrived
};

std::size_t on_data(char* data, std::size_t size, std::size_t n, void* user) {
    auto* slot = static_cast<Slot*>(user);
    const std::size_t before = slot->body.size();
    slot->body.append(data, size * n);
    if (slot->ttft_us < 0) {
        // Search from a little before the new bytes: the member may straddle two writes.
        const std::size_t from = before > 16 ? before - 16 : 0;
        if (slot->body.find("\"content\"", from) != std::string::npos)
            slot->ttft_us = std::chrono::duration<double, std::micro>(Clock::now() - slot->started).count();
    }
    return size * n;
}

// The handles, the bodies they post and the bookkeeping of one run, on one thread.
class Driver {
public:
    Driver(const HttpTarget& target, bool stream, int handles)
        : stream_(stream), first_(request_body(target.model, stream)),
          then_(target.then_model.empty() ? "" : request_body(target.then_model, stream)) {
        multi_ = curl_multi_init();
        headers_ = curl_slist_append(nullptr, "Content-Type: application/json");
        headers_ = curl_slist_append(headers_, "Expect:");
        for (const std::string& h : target.headers) headers_ = curl_slist_append(headers_, h.c_str());
        slots_.resize(static_cast<std::size_t>(handles));
        for (Slot& s : slots_) {
            CURL* e = s.easy = curl_easy_init();
            curl_easy_setopt(e, CURLOPT_URL, target.url.c_str());
            curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers_);
            curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &on_data);
            curl_easy_setopt(e, CURLOPT_WRITEDATA, &s);
            curl_easy_setopt(e, CURLOPT_PRIVATE, &s);
            curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
            s.body.reserve(stream ? 16384 : 1024);
        }
    }
    ~Driver() {
        for (Slot& s : slots_) {
            curl_multi_remove_handle(multi_, s.easy);
            curl_easy_cleanup(s.easy);
        }
        curl_slist_free_all(headers_);
        curl_multi_cleanup(multi_);
    }
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;

    // Runs `count` logical requests; records them into `m` when it is not null. Returns when all
    // are answered, or stops issuing at `issue_until` and gives up on the rest at `give_up_at`.
    void run(int count, Measurement* m, Clock::time_point issue_until, Clock::time_point give_up_at) {
        int sent = 0, done = 0;
        std::vector<Slot*> idle;
        for (Slot& s : slots_) idle.push_back(&s);
        auto issue = [&] {
            while (!idle.empty() && sent < count && Clock::now() < issue_until) {
                Slot* s = idle.back();
                idle.pop_back();
                s->started = Clock::now();
                start(*s, false);
                ++sent;
            }
        };
        issue();
        while (done < sent) {
            int running = 0;
            curl_multi_perform(multi_, &running);
            int left = 0;
            while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
                if (msg->msg != CURLMSG_DONE) continue;
                void* p = nullptr;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
                Slot& s = *static_cast<Slot*>(p);
                long status = 0;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
                const bool transferred = msg->data.result == CURLE_OK;
                curl_multi_remove_handle(multi_, s.easy);
                if (!s.second && !then_.empty() && transferred && status == 503) {
                    start(s, true);  // the failover floor: now the fallback, same logical request
                    continue;
                }
                const bool ok = transferred && status == 200 && valid(s.body);
                if (m) {
                    m->failures += !ok;
                    if (ok) {
                        m->latencies_us.push_back(
                            std::chrono::duration<double, std::micro>(Clock::now() - s.started).count());
                        if (stream_) m->ttft_us.push_back(s.ttft_us);
                    }
                    if (s.second) ++m->fallbacks;
                }
                ++done;
                idle.push_back(&s);
            }
            const int before = sent;
            issue();
            if (Clock::now() >= give_up_at) {
                if (m) m->failures += sent - done;
                for (Slot& s : slots_) curl_multi_remove_handle(multi_, s.easy);
                return;
            }
            // A request just added is started by the next perform, without a poll in between.
            if (sent == before && done < sent) curl_multi_poll(multi_, nullptr, 0, 50, nullptr);
        }
    }

    // Adds every handle at once and waits until each has delivered its first content chunk.
    OpenStreams open_all(double max_seconds) {
        OpenStreams r;
        r.streams = static_cast<int>(slots_.size());
        const auto t0 = Clock::now();
        const auto give_up_at = t0 + seconds(max_seconds);
        for (Slot& s : slots_) {
            s.started = Clock::now();
            start(s, false);
        }
        while (Clock::now() < give_up_at) {
            int running = 0;
            curl_multi_perform(multi_, &running);
            int left = 0;
            while (CURLMsg* msg = curl_multi_info_read(multi_, &left))
                if (msg->msg == CURLMSG_DONE) ++r.failures;  // a stream must still be open when measured
            int opened = 0;
            for (const Slot& s : slots_) opened += s.ttft_us >= 0;
            r.opened = opened;
            if (opened + r.failures >= r.streams) break;
            curl_multi_poll(multi_, nullptr, 0, 50, nullptr);
        }
        r.open_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        r.rss_mib = self_peak_rss_mib();
        return r;
    }

private:
    void start(Slot& s, bool second) {
        s.second = second;
        s.ttft_us = second ? s.ttft_us : -1;
        s.body.clear();
        curl_easy_setopt(s.easy, CURLOPT_POSTFIELDS, second ? then_.c_str() : first_.c_str());
        curl_multi_add_handle(multi_, s.easy);
    }
    bool valid(const std::string& body) const {
        return stream_ ? body.find("[DONE]") != std::string::npos : body.find("\"choices\"") != std::string::npos;
    }

    bool stream_;
    std::string first_, then_;
    CURLM* multi_ = nullptr;
    curl_slist* headers_ = nullptr;
    std::vector<Slot> slots_;
};

}  // namespace

Measurement run_curl(const HttpTarget& target, const LoadSpec& spec) {
    Measurement m;
    m.workload = spec.workload;
    m.concurrency = spec.concurrency;
    m.fallbacks = target.then_model.empty() ? -1 : 0;
    Driver driver(target, spec.workload == "stream", spec.concurrency);
    const auto w0 = Clock::now();
    driver.run(spec.warmup, nullptr, w0 + seconds(spec.max_seconds),
               w0 + seconds(spec.max_seconds + spec.drain_seconds));
    const pid_t pid = target.measured_pid;
    const double cpu0 = pid ? process_cpu_seconds(pid) : self_cpu_seconds();
    const auto t0 = Clock::now();
    driver.run(spec.requests, &m, t0 + seconds(spec.max_seconds), t0 + seconds(spec.max_seconds + spec.drain_seconds));
    m.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    m.cpu_seconds = (pid ? process_cpu_seconds(pid) : self_cpu_seconds()) - cpu0;
    m.rss_mib = pid ? process_peak_rss_mib(pid) : self_peak_rss_mib();
    if (pid && (m.rss_mib < 0 || m.cpu_seconds < 0)) throw std::runtime_error(fmt::format("cannot read /proc/{}", pid));
    return m;
}

OpenStreams open_streams_curl(const HttpTarget& target, int streams, double max_seconds) {
    Driver driver(target, true, streams);
    return driver.open_all(max_seconds);
}

}  // namespace bench
