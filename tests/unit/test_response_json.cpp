// test_response_json.cpp — what a response says about itself: the kind of its failure (one rule
// table, first match wins), its error in OpenAI's shape, and its trace.
#include <switch/router.hpp>

#include <catch2/catch.hpp>

namespace {

sw::ChatResponse failed(int status, sw::ErrorClass cls, sw::RouteError route) {
    sw::ChatResponse r;
    r.status = status;
    r.error_class = cls;
    r.trace.error = route;
    r.error = "failed";
    return r;
}

}  // namespace

TEST_CASE("failure_kind: the first matching rule wins") {
    using sw::ErrorClass;
    using sw::FailureKind;
    using sw::RouteError;
    sw::ChatResponse ok;
    ok.status = 200;
    CHECK(ok.failure_kind() == FailureKind::none);
    CHECK(failed(499, ErrorClass::cancelled, RouteError::cancelled).failure_kind() == FailureKind::cancelled);
    CHECK(failed(502, ErrorClass::transient, RouteError::stream_interrupted).failure_kind() ==
          FailureKind::stream_interrupted);
    CHECK(failed(504, ErrorClass::transient, RouteError::exhausted).failure_kind() == FailureKind::deadline_exceeded);
    CHECK(failed(400, ErrorClass::context_window, RouteError::rejected).failure_kind() == FailureKind::context_window);
    CHECK(failed(400, ErrorClass::content_policy, RouteError::rejected).failure_kind() == FailureKind::content_policy);
    CHECK(failed(404, ErrorClass::not_found, RouteError::unknown_model).failure_kind() == FailureKind::not_found);
    CHECK(failed(422, ErrorClass::invalid_request, RouteError::rejected).failure_kind() == FailureKind::bad_request);
    // A malformed request never reached routing: no route error, a 4xx status.
    CHECK(failed(400, ErrorClass::invalid_request, RouteError::none).failure_kind() == FailureKind::bad_request);
    CHECK(failed(400, ErrorClass::invalid_request, RouteError::would_deadlock).failure_kind() ==
          FailureKind::bad_request);
    CHECK(failed(429, ErrorClass::rate_limited, RouteError::exhausted).failure_kind() == FailureKind::rate_limited);
    CHECK(failed(502, ErrorClass::auth, RouteError::exhausted).failure_kind() == FailureKind::authentication);
    CHECK(failed(502, ErrorClass::quota, RouteError::exhausted).failure_kind() == FailureKind::quota_exceeded);
    CHECK(failed(502, ErrorClass::transient, RouteError::exhausted).failure_kind() ==
          FailureKind::all_providers_failed);
    CHECK(failed(502, ErrorClass::timeout, RouteError::attempts_exceeded).failure_kind() ==
          FailureKind::all_providers_failed);
    CHECK(failed(502, ErrorClass::protocol, RouteError::none).failure_kind() == FailureKind::other);
    // The status outranks the class: a cancelled stream is cancelled, not interrupted.
    CHECK(failed(499, ErrorClass::cancelled, RouteError::stream_interrupted).failure_kind() == FailureKind::cancelled);
}

TEST_CASE("error_json is OpenAI's error shape, escaped by the JSON writer") {
    sw::ChatResponse r = failed(502, sw::ErrorClass::transient, sw::RouteError::exhausted);
    r.error = "every provider failed for \"chat\"; a\\b\nc";
    CHECK(r.error_json() ==
          R"({"error":{"message":"every provider failed for \"chat\"; a\\b\nc","type":"all_providers_failed",)"
          R"("code":"transient","param":null}})");
    CHECK(sw::to_string(sw::FailureKind::quota_exceeded) == "quota_exceeded");
}
