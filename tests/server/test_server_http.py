"""switch-server over plain HTTP: errors, limits, the budget and trace headers, health."""
import http.client
import json
import socket
import time

from conftest import error_of, standard_config

CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}


def test_malformed_json_gets_400_naming_the_problem(mock, start_server):
    server = start_server(standard_config(mock))
    status, _, body = server.request("POST", "/v1/chat/completions", b'{"model": "chat", "messages": [')
    assert status == 400
    error = error_of(body)
    assert error["type"] == "bad_request"
    assert "JSON" in error["message"] or "json" in error["message"]
    status, _, body = server.request("POST", "/v1/chat/completions", {"model": "chat"})
    assert status == 400
    assert "messages" in error_of(body)["message"]
    assert mock.stats()["total"] == 0


def test_unknown_model_gets_the_library_status(mock, start_server):
    server = start_server(standard_config(mock))
    status, headers, body = server.request("POST", "/v1/chat/completions", dict(CHAT, model="nope"))
    assert status == 404
    assert error_of(body)["type"] == "not_found"
    assert "nope" in error_of(body)["message"]
    assert int(headers["x-switch-overhead-us"]) >= 0


def test_oversized_body_gets_413(mock, start_server):
    server = start_server(standard_config(mock), "--max-body-bytes", "2048")
    big = dict(CHAT, messages=[{"role": "user", "content": "x" * 4096}])
    status, _, _ = server.request("POST", "/v1/chat/completions", big)
    assert status == 413
    status, _, _ = server.request("POST", "/v1/chat/completions", CHAT)
    assert status == 200
    assert mock.stats()["total"] == 1


def test_oversized_headers_are_refused(mock, start_server):
    server = start_server(standard_config(mock), "--max-header-bytes", "4096")
    try:
        status, _, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"x-big": "y" * 8192})
    except (ConnectionError, OSError):
        status = None  # closed without an answer: refused all the same
    assert status != 200
    assert mock.stats()["total"] == 0


def test_a_slow_client_is_cut_off(mock, start_server):
    server = start_server(standard_config(mock), "--read-timeout", "1")
    with socket.create_connection((server.host, server.port), timeout=10) as s:
        s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        started = time.monotonic()
        try:
            data = s.recv(4096)
            while data and b"\r\n\r\n" not in data:
                data += s.recv(4096)
        except ConnectionResetError:
            data = b""
        assert time.monotonic() - started < 5
    assert not data.startswith(b"HTTP/1.1 200")


def test_budget_header(mock, start_server):
    server = start_server(standard_config(mock))
    status, _, body = server.request("POST", "/v1/chat/completions", CHAT, headers={"x-switch-max-cost-usd": "1e-12"})
    assert status == 400
    assert "m1" in error_of(body)["message"]
    status, _, body = server.request("POST", "/v1/chat/completions", CHAT, headers={"x-switch-max-cost-usd": "cheap"})
    assert status == 400
    assert "x-switch-max-cost-usd" in error_of(body)["message"]
    status, _, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"x-switch-max-cost-usd": "10"})
    assert status == 200
    assert mock.stats()["attempts"] == {"m1": 1}


def test_trace_and_overhead_headers(mock, start_server):
    server = start_server(standard_config(mock))
    status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT)
    assert status == 200
    assert int(headers["x-switch-overhead-us"]) >= 0
    assert headers["x-switch-provider"] == "m1" and headers["x-switch-pool"] == "main"
    assert int(headers["x-switch-request-id"]) > 0
    assert "x-switch-trace" not in headers
    status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"x-switch-trace": "1"})
    trace = json.loads(headers["x-switch-trace"])
    assert trace["provider"] == "m1" and trace["attempts"][0]["status"] == 200


def test_legacy_completions_refuse_what_chat_models_cannot_do(mock, start_server):
    server = start_server(standard_config(mock))
    for extra, says in [({"echo": True}, "echo"), ({"suffix": "end"}, "suffix"), ({"logprobs": 2}, "logprobs"),
                        ({"best_of": 3}, "best_of"), ({"prompt": ["a", "b"]}, "one request per prompt"),
                        ({"prompt": [1, 2, 3]}, "token arrays"), ({"prompt": None}, "prompt")]:
        status, _, body = server.request("POST", "/v1/completions", dict({"model": "chat", "prompt": "hi"}, **extra))
        assert status == 400, extra
        assert says in error_of(body)["message"], extra
    # Off or neutral values of those members are accepted.
    status, _, body = server.request("POST", "/v1/completions",
                                     {"model": "chat", "prompt": "hi", "echo": False, "suffix": None, "best_of": 1})
    assert status == 200
    assert json.loads(body)["choices"][0]["text"] == "Hello from the mock (m1)."
    assert mock.stats()["total"] == 1
    status, headers, body = server.request("GET", "/v1/chat/completions")
    assert status == 405 and headers["allow"] == "POST"
    status, _, body = server.request("GET", "/nowhere")
    assert status == 404 and error_of(body)


def test_health_follows_the_pools(mock, start_server):
    config = standard_config(mock)
    config["pools"].append({"id": "down", "providers": [mock.provider("bad", "bad@status=503")],
                            "circuitBreaker": {"enabled": True, "failureThreshold": 1, "resetTimeout": 600000}})
    config["models"]["flaky"] = {"primaryPoolId": "down"}
    server = start_server(config)
    status, _, body = server.request("GET", "/health")
    assert status == 200
    report = json.loads(body)
    assert report["ready"] is True and report["live"] is True
    assert {p["id"] for p in report["router"]["pools"]} >= {"main", "down"}
    status, _, _ = server.request("POST", "/v1/chat/completions", dict(CHAT, model="flaky"))
    assert status == 502
    status, _, body = server.request("GET", "/health")
    assert status == 503
    assert json.loads(body)["unready_models"] == ["flaky"]


def stream_config(mock):
    config = standard_config(mock)
    config["pools"] += [{"id": "cut", "providers": [mock.provider("cut", "cut@chunks=5,cut_after=2")]},
                        {"id": "refused", "providers": [mock.provider("refused", "refused@status=503")]}]
    config["models"].update({"cut": {"primaryPoolId": "cut"}, "refused": {"primaryPoolId": "refused"}})
    return config


def test_a_stream_that_fails_before_content_is_a_whole_error(mock, start_server):
    server = start_server(stream_config(mock))
    status, headers, body = server.request("POST", "/v1/chat/completions", dict(CHAT, model="refused", stream=True))
    assert status == 502
    assert headers["content-type"] == "application/json"
    assert error_of(body)["type"] == "all_providers_failed"


def test_a_stream_that_breaks_after_content_ends_with_the_error_chunk(mock, start_server):
    server = start_server(stream_config(mock))
    status, headers, body = server.request("POST", "/v1/chat/completions", dict(CHAT, model="cut", stream=True))
    assert status == 200 and headers["content-type"] == "text/event-stream"
    events = [line[len(b"data: "):] for line in body.split(b"\n") if line.startswith(b"data: ")]
    assert b"tok1" in events[0]
    assert json.loads(events[-1])["error"]["type"] == "stream_interrupted"
    assert b"[DONE]" not in body


def test_many_requests_at_once(mock, start_server):
    import concurrent.futures

    server = start_server(standard_config(mock), "--threads", "2")
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        results = list(pool.map(lambda i: server.request("POST", "/v1/chat/completions",
                                                         dict(CHAT, stream=bool(i % 2))), range(200)))
    assert [status for status, _, _ in results] == [200] * 200
    assert all(body.rstrip().endswith(b"data: [DONE]") for _, _, body in results[1::2])
    assert mock.stats()["attempts"] == {"m1": 200}


def test_the_read_timeout_does_not_cut_slow_answers(mock, start_server):
    # The timeout bounds how long a client takes to send; a slow upstream is the router's business.
    config = standard_config(mock)
    config["pools"] += [{"id": "late", "providers": [mock.provider("late", "late@latency_ms=2500")]},
                        {"id": "drip", "providers": [mock.provider("drip", "drip@chunks=3,chunk_delay_ms=1200")]}]
    config["models"].update({"late": {"primaryPoolId": "late"}, "drip": {"primaryPoolId": "drip"}})
    server = start_server(config, "--read-timeout", "1")
    status, _, body = server.request("POST", "/v1/chat/completions", dict(CHAT, model="late"))
    assert status == 200, body
    status, _, body = server.request("POST", "/v1/chat/completions", dict(CHAT, model="drip", stream=True))
    assert status == 200 and body.rstrip().endswith(b"data: [DONE]"), body


def test_metrics_endpoint(mock, start_server):
    """GET /metrics: the router's metrics in the Prometheus text format, as prometheus_client
    parses them; PROMETHEUS_PATH and PROMETHEUS_PORT (or the config's keys) move it, and metrics
    turned off answer 404."""
    from prometheus_client.parser import text_string_to_metric_families

    server = start_server(standard_config(mock))
    for _ in range(2):
        assert server.request("POST", "/v1/chat/completions", CHAT)[0] == 200
    status, headers, body = server.request("GET", "/metrics")
    assert status == 200
    assert headers["content-type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(body.decode())}
    served = [s for s in families["switch_requests"].samples
              if s.labels == {"model": "chat", "pool": "main", "provider": "m1", "outcome": "success"}]
    assert [s.value for s in served] == [2]
    assert families["gen_ai_client_operation_duration_seconds"].type == "histogram"
    assert server.request("POST", "/metrics", CHAT)[0] == 405

    moved = start_server(standard_config(mock), env={"PROMETHEUS_PATH": "/internal/metrics"})
    assert moved.request("GET", "/internal/metrics")[0] == 200
    assert moved.request("GET", "/metrics")[0] == 404

    # A port of their own: the gateway's port no longer serves them, and theirs serves nothing else.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = standard_config(mock)
    config["monitoring"] = {"metrics": {"prometheus_port": port, "prometheus_path": "/scrape"}}
    own = start_server(config, env={"PROMETHEUS_PORT": "1", "PROMETHEUS_PATH": "/ignored"})  # the keys win
    assert own.request("POST", "/v1/chat/completions", CHAT)[0] == 200
    assert own.request("GET", "/scrape")[0] == 404
    scrape = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    scrape.request("GET", "/scrape")
    answer = scrape.getresponse()
    assert answer.status == 200 and b"switch_requests" in answer.read()
    scrape.request("GET", "/v1/models")
    answer = scrape.getresponse()
    assert answer.status == 404 and b"metrics only" in answer.read()
    scrape.close()

    off = start_server(standard_config(mock), env={"METRICS_ENABLED": "false"})
    status, _, body = off.request("GET", "/metrics")
    assert status == 404
    assert "metrics are turned off" in error_of(body)["message"]


def test_correlation_id_is_kept_when_sane_and_made_otherwise(mock, start_server):
    server = start_server(standard_config(mock))
    _, headers, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"x-correlation-id": "order-42:a_b.c"})
    assert headers["x-correlation-id"] == "order-42:a_b.c"
    _, headers, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"x-request-id": "req-7"})
    assert headers["x-correlation-id"] == "req-7"
    # Made when absent, and when the client's is not a sane token (never echoed into a header).
    _, first, _ = server.request("POST", "/v1/chat/completions", CHAT)
    _, second, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"x-correlation-id": "a b<script>"})
    for made in (first["x-correlation-id"], second["x-correlation-id"]):
        assert len(made) == 32 and all(c in "0123456789abcdef" for c in made)
    assert first["x-correlation-id"] != second["x-correlation-id"]
    # An error carries it too.
    status, headers, _ = server.request("POST", "/v1/chat/completions", dict(CHAT, model="nope"),
                                        headers={"x-correlation-id": "lost-1"})
    assert status == 404 and headers["x-correlation-id"] == "lost-1"


def test_traceparent_is_passed_on_upstream_and_can_be_turned_off(mock, start_server):
    caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    server = start_server(standard_config(mock))
    status, _, _ = server.request("POST", "/v1/chat/completions", CHAT,
                                  headers={"traceparent": caller, "tracestate": "vendor=abc"})
    assert status == 200
    # switch-server records no spans of its own, so the caller's context goes on as it came.
    sent = mock.stats()["last_headers"]["m1"]
    assert sent["traceparent"] == caller and sent["tracestate"] == "vendor=abc"
    # A malformed one is ignored, and nothing is sent.
    mock.reset()
    status, _, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"traceparent": "00-zz"})
    assert status == 200 and "traceparent" not in mock.stats()["last_headers"]["m1"]
    # monitoring.tracing.propagate: false keeps it from the providers.
    config = standard_config(mock)
    config["monitoring"] = {"tracing": {"propagate": False}}
    quiet = start_server(config)
    mock.reset()
    status, _, _ = quiet.request("POST", "/v1/chat/completions", CHAT, headers={"traceparent": caller})
    assert status == 200 and "traceparent" not in mock.stats()["last_headers"]["m1"]
