"""switch-server's per-client rate limits (RATE_LIMIT_*): token buckets per client (the API key's
id, else the address); a limited request gets 429 with Retry-After and x-ratelimit-* headers."""
import hashlib
import json

from conftest import standard_config

CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}
KEY_A = "sk-rate-a-canary-1b3d5f7a9c"
KEY_B = "sk-rate-b-canary-2c4e6a8b0d"


def limited_env(per_minute, burst=None, **extra):
    env = {"RATE_LIMIT_ENABLED": "true", "RATE_LIMIT_REQUESTS_PER_MINUTE": str(per_minute)}
    if burst is not None:
        env["RATE_LIMIT_BURST_SIZE"] = str(burst)
    env.update(extra)
    return env


def test_the_minute_bucket_limits_a_client(mock, start_server):
    # 3 a minute: one comes back every 20 s, so the 4th at once waits 20 s.
    server = start_server(standard_config(mock), env=limited_env(3))
    seen = []
    for expected_remaining in (2, 1, 0):
        status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT)
        assert status == 200
        assert headers["x-ratelimit-limit-requests"] == "3"
        assert headers["x-ratelimit-remaining-requests"] == str(expected_remaining)
        seen.append(headers["x-ratelimit-reset-requests"])
    assert seen[0] == "20s" and seen[2] == "60s"
    status, headers, body = server.request("POST", "/v1/chat/completions", CHAT)
    assert status == 429
    assert headers["retry-after"] == "20"
    assert headers["x-ratelimit-remaining-requests"] == "0"
    error = json.loads(body)["error"]
    assert "rate limit" in error["message"] and error["type"]
    # Embeddings and the model list count against the same client.
    assert server.request("POST", "/v1/embeddings", {"model": "embed", "input": "x"})[0] == 429
    assert server.request("GET", "/v1/models")[0] == 429
    assert server.request("GET", "/health")[0] == 200  # not limited


def test_burst_size_and_the_hour_bucket(mock, start_server):
    server = start_server(standard_config(mock), env=limited_env(60, burst=2, RATE_LIMIT_REQUESTS_PER_HOUR="100"))
    assert [server.request("POST", "/v1/chat/completions", CHAT)[0] for _ in range(3)] == [200, 200, 429]
    status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT)
    assert status == 429 and headers["retry-after"] == "1"

    hourly = start_server(standard_config(mock), env=limited_env(0, RATE_LIMIT_REQUESTS_PER_HOUR="2",
                                                                 RATE_LIMIT_REQUESTS_PER_DAY="0"))
    assert [hourly.request("POST", "/v1/chat/completions", CHAT)[0] for _ in range(3)] == [200, 200, 429]
    assert hourly.request("POST", "/v1/chat/completions", CHAT)[1]["retry-after"] == "1800"


def test_each_api_key_has_its_own_buckets(mock, start_server):
    config = standard_config(mock)
    config["auth"] = {"enabled": True, "api_keys": [
        {"id": "a", "sha256": hashlib.sha256(KEY_A.encode()).hexdigest()},
        {"id": "b", "sha256": hashlib.sha256(KEY_B.encode()).hexdigest()}]}
    server = start_server(config, env=limited_env(2))
    a = {"Authorization": "Bearer " + KEY_A}
    b = {"Authorization": "Bearer " + KEY_B}
    assert [server.request("POST", "/v1/chat/completions", CHAT, headers=a)[0] for _ in range(3)] == [200, 200, 429]
    assert server.request("POST", "/v1/chat/completions", CHAT, headers=b)[0] == 200


def test_no_limits_when_disabled_and_bad_values_are_refused(mock, start_server, tmp_path):
    server = start_server(standard_config(mock), env={"RATE_LIMIT_REQUESTS_PER_MINUTE": "1"})
    statuses = []
    for _ in range(3):
        status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT)
        statuses.append(status)
        assert "x-ratelimit-limit-requests" not in headers
    assert statuses == [200, 200, 200]

    import pytest
    from server_process import ServerProcess, ServerStartError, write_config
    with pytest.raises(ServerStartError) as failure:
        ServerProcess(write_config(tmp_path, standard_config(mock)), env=limited_env("many"))
    assert "RATE_LIMIT_REQUESTS_PER_MINUTE" in str(failure.value)
