// http_fetch.cpp — a credential fetch's HTTP exchange, its body collected whole.
#include "credentials/http_fetch.hpp"

#include <fmt/format.h>

#include <memory>

namespace sw::credentials {

namespace {

// Keeps at most 64 KiB: far more than any token, secret or metadata answer.
class Collector final : public transport::HttpHandler {
public:
    explicit Collector(std::function<void(FetchReply)> done) : done_(std::move(done)) {}
    void on_status(int status) override { reply_.status = status; }
    bool on_body(std::string_view bytes) override {
        constexpr std::size_t cap = 64 * 1024;
        if (reply_.body.size() + bytes.size() > cap) return false;
        reply_.body.append(bytes);
        return true;
    }
    void on_complete(const transport::HttpResult& result) override {
        reply_.result = result;
        done_(std::move(reply_));
    }

private:
    std::function<void(FetchReply)> done_;
    FetchReply reply_;
};

}  // namespace

void http_fetch(transport::Io io, transport::HttpRequest request, std::function<void(FetchReply)> done) {
    io.http.submit(std::move(request), std::make_shared<Collector>(std::move(done)));
}

std::string reply_failure(const FetchReply& reply, std::string_view what) {
    if (reply.result.cancelled) return fmt::format("{} could not be reached (cancelled)", what);
    // The transport's detail (a refused connection, a certificate that does not verify) never
    // holds a header or a body.
    if (reply.result.error != TransportError::none)
        return reply.result.detail.empty()
                   ? fmt::format("{} could not be reached ({})", what, to_string(reply.result.error))
                   : fmt::format("{} could not be reached ({}: {})", what, to_string(reply.result.error),
                                 reply.result.detail);
    return fmt::format("{} answered HTTP {}", what, reply.status);
}

}  // namespace sw::credentials
