// sub_request_host.hpp — the host of a request made on behalf of another (a cascade's step, a
// pool embedder's embedding): it runs on that request's thread and id, and its end is not that
// request's end, so it reports no events and never tells the thread it finished.
#pragma once

#include "api/request_driver.hpp"

namespace sw::api {

class SubRequestHost final : public DriverHost {
public:
    explicit SubRequestHost(DriverHost& host) : host_(host) {}
    transport::Io io() override { return host_.io(); }
    const RouterOptions& options() const override { return host_.options(); }
    RouterObserver* observer() const override { return nullptr; }
    std::size_t io_thread_index() const override { return host_.io_thread_index(); }
    void finished(RequestId) override {}

private:
    DriverHost& host_;
};

}  // namespace sw::api
