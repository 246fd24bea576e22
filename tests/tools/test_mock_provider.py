"""switch-mock-provider: every endpoint and every scenario key, over real loopback HTTP."""
import http.client
import json
import signal
import socket
import subprocess
import time

import pytest

from conftest import MockProvider, mock_provider_path


# --- helpers --------------------------------------------------------------------------------------

def request(mp, path, body=None, headers=None, method="POST", timeout=10):
    """One request on a fresh connection; returns (status, headers as a lowercase dict, body bytes)."""
    conn = http.client.HTTPConnection(mp.host, mp.port, timeout=timeout)
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    conn.request(method, path, body=data, headers=headers or {})
    resp = conn.getresponse()
    payload = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload


def chat(mp, model, stream=False, headers=None, timeout=10):
    body = {"model": model, "messages": [{"role": "user", "content": "hi"}]}
    if stream:
        body["stream"] = True
    return request(mp, "/v1/chat/completions", body, headers, timeout=timeout)


def error_of(payload):
    err = json.loads(payload)["error"]
    assert set(err) >= {"message", "type", "code"}
    return err


def sse_events(text):
    """The SSE events of a body: (comments, data payloads), for LF or CRLF line endings."""
    text = text.replace("\r\n", "\n")
    comments, data = [], []
    for block in text.split("\n\n"):
        for line in block.split("\n"):
            if line.startswith(":"):
                comments.append(line)
            elif line.startswith("data: "):
                data.append(line[len("data: "):])
    return comments, data


def stats(mp):
    status, _, payload = request(mp, "/__stats", method="GET")
    assert status == 200
    return json.loads(payload)


def raw_socket(mp, model, stream=False, timeout=2.0):
    """Sends one chat request on a bare socket and returns the socket, for faults http.client hides."""
    body = json.dumps({"model": model, "stream": stream}).encode()
    sock = socket.create_connection((mp.host, mp.port), timeout=timeout)
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    return sock


def read_until_timeout(sock):
    received = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return received, "closed"
            received += chunk
    except socket.timeout:
        return received, "timeout"


# --- successful answers ---------------------------------------------------------------------------

def test_chat_completion_shape(mock_provider):
    status, headers, payload = chat(mock_provider, "gpt-test")
    assert status == 200
    assert headers["content-type"] == "application/json"
    body = json.loads(payload)
    assert body["id"].startswith("chatcmpl-mock-")
    assert body["object"] == "chat.completion"
    assert isinstance(body["created"], int) and abs(body["created"] - time.time()) < 600
    assert body["model"] == "gpt-test"
    assert body["choices"] == [{"index": 0, "message": {"role": "assistant",
                                                        "content": "Hello from the mock (gpt-test)."},
                                "finish_reason": "stop"}]
    usage = body["usage"]
    assert usage["completion_tokens"] == 7 and usage["prompt_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_model_is_echoed_exactly_with_its_spec(mock_provider):
    status, _, payload = chat(mock_provider, "primary@latency_ms=1")
    assert status == 200
    assert json.loads(payload)["model"] == "primary@latency_ms=1"


def test_embeddings_shape(mock_provider):
    status, _, payload = request(mock_provider, "/v1/embeddings", {"model": "emb", "input": "hello world"})
    assert status == 200
    body = json.loads(payload)
    assert body["object"] == "list" and body["model"] == "emb"
    assert len(body["data"]) == 1
    item = body["data"][0]
    assert item["object"] == "embedding" and item["index"] == 0
    assert len(item["embedding"]) == 8 and all(isinstance(x, float) for x in item["embedding"])
    assert body["usage"]["prompt_tokens"] == body["usage"]["total_tokens"] > 0


def test_embeddings_take_scenarios_too(mock_provider):
    status, _, payload = request(mock_provider, "/v1/embeddings", {"model": "emb@status=500", "input": "x"})
    assert status == 500 and error_of(payload)["code"] == "server_error"


def test_keep_alive_serves_many_requests_on_one_connection(mock_provider):
    conn = http.client.HTTPConnection(mock_provider.host, mock_provider.port, timeout=10)
    for _ in range(50):
        conn.request("POST", "/v1/chat/completions", body=b'{"model":"ka"}')
        resp = conn.getresponse()
        assert resp.status == 200
        resp.read()
    conn.close()
    assert stats(mock_provider)["attempts"]["ka"] == 50


# --- request errors -------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [b"not json", b"", b"[1,2]", b'{"model": "x",'])
def test_body_that_is_not_a_json_object_is_400(mock_provider, body):
    status, _, payload = request(mock_provider, "/v1/chat/completions", body)
    assert status == 400 and error_of(payload)["type"] == "invalid_request_error"


def test_missing_model_is_400(mock_provider):
    status, _, payload = request(mock_provider, "/v1/chat/completions", {"messages": []})
    assert status == 400 and "model" in error_of(payload)["message"]


def test_unknown_path_is_404_openai_shaped(mock_provider):
    status, _, payload = request(mock_provider, "/v1/nothing", {"model": "x"})
    assert status == 404
    err = error_of(payload)
    assert err["type"] == "invalid_request_error" and "/v1/nothing" in err["message"]


def test_wrong_method_is_405(mock_provider):
    status, _, payload = request(mock_provider, "/v1/chat/completions", method="GET")
    assert status == 405 and error_of(payload)


def test_unknown_spec_key_is_400_naming_it(mock_provider):
    status, _, payload = chat(mock_provider, "m@status=503,stauts=500")
    assert status == 400
    err = error_of(payload)
    assert "stauts" in err["message"] and err["type"] == "invalid_request_error"


@pytest.mark.parametrize("spec", ["status=abc", "status=302", "latency_ms=-1", "hang=1", "error_code="])
def test_bad_spec_values_are_400(mock_provider, spec):
    status, _, payload = chat(mock_provider, "m@" + spec)
    assert status == 400 and error_of(payload)["code"] == "invalid_scenario"


# --- scripted errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("code,err_type,err_code", [
    (429, "requests", "rate_limit_exceeded"),
    (500, "server_error", "server_error"),
    (503, "server_error", "service_unavailable"),
    (401, "invalid_request_error", "invalid_api_key"),
    (404, "invalid_request_error", "model_not_found"),
    (418, "invalid_request_error", "invalid_request"),
])
def test_status_answers_with_openai_error(mock_provider, code, err_type, err_code):
    status, headers, payload = chat(mock_provider, f"m@status={code}")
    assert status == code
    assert headers["content-type"] == "application/json"
    err = error_of(payload)
    assert (err["type"], err["code"]) == (err_type, err_code)
    assert err["message"]


def test_error_fields_can_be_overridden(mock_provider):
    spec = "status=503,error_type=overloaded_error,error_code=engine_overloaded,error_message=Try later please"
    status, _, payload = chat(mock_provider, "m@" + spec)
    assert status == 503
    assert error_of(payload) == {"message": "Try later please", "type": "overloaded_error",
                                 "param": None, "code": "engine_overloaded"}


def test_retry_after_headers(mock_provider):
    status, headers, _ = chat(mock_provider, "m@status=429,retry_after=7,retry_after_ms=1500")
    assert status == 429
    assert headers["retry-after"] == "7"
    assert headers["retry-after-ms"] == "1500"


def test_context_length(mock_provider):
    status, _, payload = chat(mock_provider, "m@context_length")
    assert status == 400
    err = error_of(payload)
    assert (err["type"], err["code"]) == ("invalid_request_error", "context_length_exceeded")
    assert "maximum context length is 8192 tokens" in err["message"]


def test_content_policy(mock_provider):
    status, _, payload = chat(mock_provider, "m@content_policy")
    assert status == 400
    err = error_of(payload)
    assert err["code"] == "content_policy_violation" and "flagged" in err["message"]


def test_quota(mock_provider):
    status, _, payload = chat(mock_provider, "m@quota")
    assert status == 429 and error_of(payload)["code"] == "insufficient_quota"


def test_redirect(mock_provider):
    status, headers, _ = chat(mock_provider, "m@redirect=4321")
    assert status == 307
    assert headers["location"] == "http://127.0.0.1:4321/v1/chat/completions"


def test_header_scenario_wins_and_keys_the_counters(mock_provider):
    status, _, payload = chat(mock_provider, "plain", headers={"X-Mock-Scenario": "status=502"})
    assert status == 502 and error_of(payload)["code"] == "bad_gateway"
    # The header overrides a spec in the model name.
    status, _, _ = chat(mock_provider, "named@status=500", headers={"x-mock-scenario": "latency_ms=0"})
    assert status == 200
    attempts = stats(mock_provider)["attempts"]
    assert attempts == {"plain#status=502": 1, "named@status=500#latency_ms=0": 1}


# --- attempts, stats and reset ---------------------------------------------------------------------

def test_fail_first_then_success_and_reset(mock_provider):
    model = "flaky@status=503,fail_first=2"
    assert [chat(mock_provider, model)[0] for _ in range(4)] == [503, 503, 200, 200]
    s = stats(mock_provider)
    assert s["attempts"][model] == 4 and s["total"] == 4
    status, _, payload = request(mock_provider, "/__reset", b"")
    assert status == 200 and json.loads(payload) == {"ok": True}
    assert stats(mock_provider) == {"total": 0, "attempts": {}, "last_headers": {}}
    assert chat(mock_provider, model)[0] == 503


def test_fail_first_counts_across_server_threads(mock_provider):
    # Fresh connections land on both threads (SO_REUSEPORT); the count is still exact.
    model = "shared@status=500,fail_first=10"
    statuses = [chat(mock_provider, model)[0] for _ in range(30)]
    assert statuses == [500] * 10 + [200] * 20


def test_fail_first_applies_to_stream_faults(mock_provider):
    model = "sflaky@cut_after=1,fail_first=1"
    with pytest.raises(http.client.IncompleteRead):
        chat(mock_provider, model, stream=True)
    status, _, payload = chat(mock_provider, model, stream=True)
    assert status == 200 and sse_events(payload.decode())[1][-1] == "[DONE]"


def test_stats_keep_last_headers_lowercased(mock_provider):
    chat(mock_provider, "h1", headers={"Authorization": "Bearer sk-first"})
    chat(mock_provider, "h1", headers={"Authorization": "Bearer sk-second", "X-Custom-Thing": "42"})
    s = stats(mock_provider)
    last = s["last_headers"]["h1"]
    assert last["authorization"] == "Bearer sk-second"
    assert last["x-custom-thing"] == "42"
    assert s["attempts"]["h1"] == 2


# --- timing ---------------------------------------------------------------------------------------

def test_latency_delays_the_answer(mock_provider):
    start = time.monotonic()
    status, _, _ = chat(mock_provider, "slow@latency_ms=300")
    assert status == 200 and time.monotonic() - start >= 0.29


def test_latency_does_not_block_other_requests(mock_provider):
    # Timers, not sleeping threads: many slow requests at once still finish in about one delay.
    # The delay is long, so that a loaded machine still has ample margin below it.
    socks = [raw_socket(mock_provider, "slow@latency_ms=2000", timeout=5) for _ in range(8)]
    start = time.monotonic()
    assert chat(mock_provider, "fast")[0] == 200
    assert time.monotonic() - start < 1.5
    for s in socks:
        assert s.recv(65536).startswith(b"HTTP/1.1 200")
        s.close()


def test_stream_latency_delays_the_headers(mock_provider):
    conn = http.client.HTTPConnection(mock_provider.host, mock_provider.port, timeout=10)
    start = time.monotonic()
    conn.request("POST", "/v1/chat/completions", body=b'{"model":"sl@latency_ms=300","stream":true}')
    resp = conn.getresponse()
    assert time.monotonic() - start >= 0.29
    assert resp.status == 200
    resp.read()
    conn.close()


def test_ttft_sends_headers_at_once_then_waits(mock_provider):
    conn = http.client.HTTPConnection(mock_provider.host, mock_provider.port, timeout=10)
    start = time.monotonic()
    conn.request("POST", "/v1/chat/completions", body=b'{"model":"t@ttft_ms=1500","stream":true}')
    resp = conn.getresponse()
    headers_at = time.monotonic() - start
    body = resp.read().decode()
    done_at = time.monotonic() - start
    assert headers_at < 1.0 and done_at >= 1.49
    assert sse_events(body)[1][-1] == "[DONE]"
    conn.close()


def test_chunk_delay(mock_provider):
    start = time.monotonic()
    status, _, payload = chat(mock_provider, "cd@chunks=4,chunk_delay_ms=100", stream=True)
    # Three gaps between four chunks.
    assert status == 200 and time.monotonic() - start >= 0.29
    assert len(sse_events(payload.decode())[1]) == 4 + 2


# --- streams --------------------------------------------------------------------------------------

def test_stream_shape(mock_provider):
    status, headers, payload = chat(mock_provider, "s1", stream=True)
    assert status == 200
    assert headers["content-type"] == "text/event-stream"
    assert headers["transfer-encoding"] == "chunked"
    text = payload.decode()
    assert text.startswith(": mock keep-alive\n\n")
    assert "\r" not in text
    comments, data = sse_events(text)
    assert comments == [": mock keep-alive"]
    assert data[-1] == "[DONE]"
    events = [json.loads(d) for d in data[:-1]]
    assert len(events) == 5 + 1
    ids = {e["id"] for e in events}
    assert len(ids) == 1 and ids.pop().startswith("chatcmpl-mock-")
    for i, e in enumerate(events[:-1], start=1):
        assert e["object"] == "chat.completion.chunk" and e["model"] == "s1"
        choice = e["choices"][0]
        assert choice["finish_reason"] is None
        assert choice["delta"]["content"] == f"tok{i} "
        assert ("role" in choice["delta"]) == (i == 1)
    assert events[0]["choices"][0]["delta"]["role"] == "assistant"
    final = events[-1]
    assert final["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}
    assert final["usage"]["completion_tokens"] == 5


def test_chunks(mock_provider):
    _, _, payload = chat(mock_provider, "s@chunks=12", stream=True)
    data = sse_events(payload.decode())[1]
    assert len(data) == 12 + 2 and json.loads(data[11])["choices"][0]["delta"]["content"] == "tok12 "


def test_crlf(mock_provider):
    _, _, payload = chat(mock_provider, "s@crlf,chunks=2", stream=True)
    text = payload.decode()
    assert text.startswith(": mock keep-alive\r\n\r\n")
    assert text.count("\n") == text.count("\r\n") > 0
    assert sse_events(text)[1][-1] == "[DONE]"


def test_no_done(mock_provider):
    status, _, payload = chat(mock_provider, "s@no_done,chunks=2", stream=True)
    assert status == 200  # the body ended properly: http.client read it whole
    data = sse_events(payload.decode())[1]
    assert "[DONE]" not in data
    final = json.loads(data[-1])
    assert final["choices"][0]["finish_reason"] == "stop" and "usage" in final


def test_malformed_at(mock_provider):
    _, _, payload = chat(mock_provider, "s@malformed_at=2,chunks=3", stream=True)
    data = sse_events(payload.decode())[1]
    assert len(data) == 3 + 2
    json.loads(data[0])
    with pytest.raises(json.JSONDecodeError):
        json.loads(data[1])
    json.loads(data[2])
    assert data[-1] == "[DONE]"


def test_cut_after_truncates_the_chunked_body(mock_provider):
    with pytest.raises(http.client.IncompleteRead) as caught:
        chat(mock_provider, "s@cut_after=2,chunks=5", stream=True)
    data = sse_events(caught.value.partial.decode())[1]
    assert len(data) == 2 and all(json.loads(d) for d in data)


def test_cut_after_zero_sends_only_headers_and_comment(mock_provider):
    sock = raw_socket(mock_provider, "s@cut_after=0", stream=True)
    received, how = read_until_timeout(sock)
    sock.close()
    assert how == "closed" and received.startswith(b"HTTP/1.1 200")
    assert b"mock keep-alive" in received and b"data:" not in received and not received.endswith(b"0\r\n\r\n")


def test_stall_after_keeps_the_connection_silent(mock_provider):
    sock = raw_socket(mock_provider, "s@stall_after=2", stream=True, timeout=0.8)
    received, how = read_until_timeout(sock)
    sock.close()
    assert how == "timeout"
    assert received.count(b"data: {") == 2 and b"[DONE]" not in received


def test_reset_sends_rst_before_any_header(mock_provider):
    sock = raw_socket(mock_provider, "r@reset")
    with pytest.raises(ConnectionResetError):
        while sock.recv(65536):
            pass
    sock.close()
    assert stats(mock_provider)["attempts"]["r@reset"] == 1


def test_hang_never_answers_and_closes_when_the_client_leaves(mock_provider):
    sock = raw_socket(mock_provider, "h@hang", timeout=0.5)
    received, how = read_until_timeout(sock)
    assert (received, how) == (b"", "timeout")
    # Half-close: the server sees the client go and closes its side too.
    sock.shutdown(socket.SHUT_WR)
    sock.settimeout(5)
    assert sock.recv(65536) == b""
    sock.close()
    assert chat(mock_provider, "after-hang")[0] == 200


def test_clients_leaving_mid_answer_do_not_disturb_the_server(mock_provider):
    # Under ASan this also proves that abandoned answers are freed (the session mock must exit clean).
    models = [("g@latency_ms=300", False), ("g@ttft_ms=300", True), ("g@chunks=50,chunk_delay_ms=20", True),
              ("g@stall_after=1", True), ("g@latency_ms=200,stall_after=0", True)]
    socks = [raw_socket(mock_provider, m, stream=st) for m, st in models]
    time.sleep(0.1)
    for s in socks:
        s.close()
    time.sleep(0.5)
    assert chat(mock_provider, "still-there")[0] == 200
    assert stats(mock_provider)["total"] == len(models) + 1


# --- the command line -----------------------------------------------------------------------------

def test_refuses_non_loopback_host():
    result = subprocess.run([mock_provider_path(), "--host", "0.0.0.0", "--port", "0"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "loopback" in result.stderr and result.stdout == ""


def test_refuses_unknown_argument():
    result = subprocess.run([mock_provider_path(), "--prot", "1"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "--prot" in result.stderr


def test_exits_when_stdin_closes():
    provider = MockProvider("--threads", "3")
    assert chat(provider, "x")[0] == 200
    provider.process.stdin.close()
    assert provider.process.wait(timeout=10) == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_exits_cleanly_on_signal_with_open_streams(sig):
    provider = MockProvider()
    sock = raw_socket(provider, "s@stall_after=1", stream=True)
    sock.recv(65536)
    provider.process.send_signal(sig)
    assert provider.process.wait(timeout=10) == 0
    sock.close()
    provider.stop()
