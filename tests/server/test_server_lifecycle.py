"""switch-server's lifecycle: a client that leaves cancels its upstream request (and no breaker
counts it), SIGTERM drains what is in flight, and no secret reaches a client or a log."""
import hashlib
import http.client
import json
import signal
import socket
import subprocess
import threading
import time

from conftest import CANARY, standard_config, wait_until
from server_process import server_path

USER = [{"role": "user", "content": "Say hello."}]


def slow_config(mock, model):
    config = standard_config(mock)
    config["pools"].append({"id": "slow", "providers": [mock.provider("slow", model)]})
    config["models"]["slow"] = {"primaryPoolId": "slow"}
    return config


def provider_status(server, name):
    status, _, body = server.request("GET", "/health")
    for pool in json.loads(body)["router"]["pools"]:
        for p in pool["providers"]:
            if p["name"] == name:
                return p
    raise AssertionError(f"no provider {name}")


def test_disconnect_mid_stream_cancels_upstream(mock, start_server):
    # 40 chunks 100 ms apart: 4 s of stream, unless the client's leaving cuts it short.
    server = start_server(slow_config(mock, "slow@chunks=40,chunk_delay_ms=100"))
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request("POST", "/v1/chat/completions", json.dumps({"model": "slow", "messages": USER, "stream": True}),
                 {"Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("content-type") == "text/event-stream"
    first = response.readline()
    assert first.startswith(b"data: ")
    assert provider_status(server, "slow")["in_flight"] == 1
    left = time.monotonic()
    conn.sock.shutdown(socket.SHUT_RDWR)
    conn.close()
    # Cancelled at once, not after the stream's remaining 4 s.
    assert wait_until(lambda: provider_status(server, "slow")["in_flight"] == 0, 2.0)
    assert time.monotonic() - left < 2.0
    slow = provider_status(server, "slow")
    assert slow["breaker"] == "closed" and slow["consecutive_failures"] == 0 and slow["error_rate"] == 0
    assert mock.stats()["attempts"]["slow@chunks=40,chunk_delay_ms=100"] == 1


def test_disconnect_while_waiting_cancels_upstream(mock, start_server):
    server = start_server(slow_config(mock, "wait@latency_ms=5000"))
    s = socket.create_connection((server.host, server.port), timeout=10)
    body = json.dumps({"model": "slow", "messages": USER}).encode()
    s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    assert wait_until(lambda: provider_status(server, "slow")["in_flight"] == 1, 3.0)
    s.close()
    assert wait_until(lambda: provider_status(server, "slow")["in_flight"] == 0, 2.0)
    slow = provider_status(server, "slow")
    assert slow["consecutive_failures"] == 0 and slow["window_requests"] == 0


def test_sigterm_drains_in_flight_requests(mock, start_server):
    server = start_server(slow_config(mock, "drain@latency_ms=1500"))
    results = {}

    def slow_request():
        results["chat"] = server.request("POST", "/v1/chat/completions", {"model": "slow", "messages": USER})

    def slow_stream():
        results["stream"] = server.request("POST", "/v1/chat/completions",
                                           {"model": "slow", "messages": USER, "stream": True})

    threads = [threading.Thread(target=slow_request), threading.Thread(target=slow_stream)]
    for t in threads:
        t.start()
    assert wait_until(lambda: provider_status(server, "slow")["in_flight"] == 2, 3.0)
    server.process.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    # No longer accepting.
    try:
        status = server.request("GET", "/health", timeout=2)[0]
    except OSError:
        status = None
    assert status in (None, 503)
    for t in threads:
        t.join(10)
    assert server.process.wait(timeout=10) == 0
    status, _, body = results["chat"]
    assert status == 200 and json.loads(body)["choices"][0]["message"]["content"].startswith("Hello from the mock")
    status, _, body = results["stream"]
    assert status == 200 and body.rstrip().endswith(b"data: [DONE]")


def test_drain_time_is_bounded(mock, start_server):
    server = start_server(slow_config(mock, "stuck@hang"), "--drain-seconds", "1")
    result = {}

    def stuck_request():
        try:
            result["answer"] = server.request("POST", "/v1/chat/completions", {"model": "slow", "messages": USER})
        except http.client.RemoteDisconnected:
            result["answer"] = None  # cut off when the drain time ran out

    t = threading.Thread(target=stuck_request)
    t.start()
    assert wait_until(lambda: provider_status(server, "slow")["in_flight"] == 1, 3.0)
    stopped = time.monotonic()
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=10) == 0
    assert time.monotonic() - stopped < 5
    t.join(10)
    assert "answer" in result and result["answer"] is None


def test_no_secret_in_any_answer_or_log(mock, start_server):
    config = standard_config(mock)
    config["pools"].append({"id": "denied", "providers": [mock.provider("denied", "denied@status=401")]})
    config["models"]["denied"] = {"primaryPoolId": "denied"}
    admin_key = "sk-admin-canary-0d9c8b7a6f5e4d3c2b1a"
    client_key = "sk-client-canary-6a4c2e0b8d9f7a5c"
    jwt_secret = "jwt-secret-canary-1c3e5a7b9d2f4a6c"
    config["auth"] = {"enabled": True,
                      "api_keys": [{"id": "client", "sha256": hashlib.sha256(client_key.encode()).hexdigest()}]}
    server = start_server(config, env={"ADMIN_API_KEY": admin_key, "JWT_SECRET_KEY": jwt_secret})
    client = {"Authorization": "Bearer " + client_key}
    seen = []
    for model in ("chat", "denied", "smart", "thrifty", "nope"):
        for stream in (False, True):
            status, headers, body = server.request("POST", "/v1/chat/completions",
                                                   {"model": model, "messages": USER, "stream": stream},
                                                   headers={"x-switch-trace": "1", **client})
            seen.append(json.dumps(headers) + body.decode())
    seen.append(json.dumps(server.request("POST", "/v1/embeddings", {"model": "embed", "input": "x"},
                                          headers=client)[1:], default=lambda b: b.decode()))
    for path in ("/v1/models", "/health", "/metrics"):
        seen.append(server.request("GET", path, headers=client)[2].decode())
    # Refused client credentials: a near miss of the key, and tokens that are forged or malformed.
    for credential in (client_key[:-1], client_key + "x", "a.b.c", client_key + "." + jwt_secret + ".x"):
        status, headers, body = server.request("POST", "/v1/chat/completions", {"model": "chat", "messages": USER},
                                               headers={"Authorization": "Bearer " + credential})
        assert status == 401
        seen.append(json.dumps(headers) + body.decode())
    # The admin and config endpoints, with the right key, a wrong one and a near miss.
    for key in (admin_key, "wrong", admin_key[:-1]):
        for headers in ({"Authorization": "Bearer " + key}, {"x-admin-api-key": key}):
            for method, path, body in (("GET", "/admin/providers/status", None),
                                       ("POST", "/admin/providers/denied/denied/reset", None),
                                       ("GET", "/api/v1/config/status", None),
                                       ("PUT", "/api/v1/config/routing", {"default_strategy": "heuristic"}),
                                       ("PUT", "/api/v1/config/routing", {"default_strategy": "nope"}),
                                       ("PUT", "/api/v1/config/models", {"preferences": {"general": [{"pool": "x"}]}})):
                status, answer_headers, answer = server.request(method, path, body, headers=headers)
                seen.append(json.dumps(answer_headers) + answer.decode())
    assert any("denied" in text for text in seen)  # the failure was reported...
    assert mock.stats()["last_headers"]["denied@status=401"]["authorization"] == "Bearer " + CANARY  # ...the key sent
    for text in seen:
        assert CANARY not in text and CANARY[10:30] not in text
        for secret in (admin_key, client_key, jwt_secret):
            assert secret not in text and secret[8:28] not in text
    assert server.stop() == 0
    for secret in (admin_key, client_key, jwt_secret):
        assert secret not in server.output() and secret[8:28] not in server.output()
    assert CANARY not in server.output()


def test_flags_win_over_the_environment(mock, tmp_path):
    (tmp_path / "definitions.json").write_text(json.dumps(standard_config(mock)))
    bad = subprocess.run([server_path(), "-c", str(tmp_path / "definitions.json")], capture_output=True, text=True,
                         env={"WORKERS": "many"}, timeout=30)
    assert bad.returncode == 2 and "WORKERS" in bad.stderr
    # PORT=1 needs privileges and would fail; the flag replaces it.
    proc = subprocess.Popen([server_path(), "-c", str(tmp_path / "definitions.json"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PORT": "1", "HOST": "127.0.0.1", "HOSTNAME": "some-container", "WORKERS": "2"})
    try:
        line = proc.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:") and not line.endswith(":1\n")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert "HOSTNAME" in proc.stderr.read()
    assert proc.stdout.read() == ""


def test_a_second_server_on_the_same_port_fails(mock, start_server, tmp_path):
    server = start_server(standard_config(mock), "--threads", "3")
    (tmp_path / "definitions.json").write_text(json.dumps(standard_config(mock)))
    second = subprocess.run([server_path(), "-c", str(tmp_path / "definitions.json"), "--host", "127.0.0.1",
                             "--port", str(server.port)], capture_output=True, text=True, timeout=30)
    assert second.returncode == 1 and "cannot listen" in second.stderr and second.stdout == ""
    assert server.request("GET", "/health")[0] == 200


def test_the_guides_environment_sets_host_and_port(mock, tmp_path):
    (tmp_path / "definitions.json").write_text(json.dumps(standard_config(mock)))
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([server_path()], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PORT": str(port), "HOSTNAME": "127.0.0.1", "WORKERS": "1"})
    try:
        # No -c: ./definitions.json, the first place of the library's load order.
        assert proc.stdout.readline() == f"listening on http://127.0.0.1:{port}\n"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/v1/models")
        assert "thrifty" in conn.getresponse().read().decode()
        conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
