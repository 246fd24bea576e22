"""switch-server's per-client rate limits shared through Redis (redis.url): servers on one Redis
enforce one limit per client together, and with Redis gone each server's own limiter decides,
without a 5xx or a stall."""
import concurrent.futures
import hashlib
import json
import signal
import time

from conftest import standard_config, wait_until
from redis_process import redis_server  # noqa: F401  (a fixture)

CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}
KEY_A = "sk-shared-a-canary-3e5a7c9b1d"
KEY_B = "sk-shared-b-canary-4f6b8d0c2e"
LIMITED = {"RATE_LIMIT_ENABLED": "true", "RATE_LIMIT_REQUESTS_PER_MINUTE": "5", "RATE_LIMIT_BURST_SIZE": "5"}


def shared_config(mock, redis):
    config = standard_config(mock)
    config["auth"] = {"enabled": True, "api_keys": [
        {"id": "client-a", "sha256": hashlib.sha256(KEY_A.encode()).hexdigest()},
        {"id": "client-b", "sha256": hashlib.sha256(KEY_B.encode()).hexdigest()}]}
    config["redis"] = {"url": redis.url, "timeout_ms": 200}
    return config


def bearer(key):
    return {"Authorization": "Bearer " + key}


def test_two_servers_on_one_redis_enforce_one_limit(mock, start_server, redis_server):
    config = shared_config(mock, redis_server)
    servers = [start_server(config, env=LIMITED), start_server(config, env=LIMITED)]
    answers = [servers[i % 2].request("POST", "/v1/chat/completions", CHAT, headers=bearer(KEY_A))
               for i in range(8)]
    statuses = [status for status, _, _ in answers]
    # Alone, each server would have admitted its 4: together they admit 5 in all.
    assert statuses == [200] * 5 + [429] * 3, statuses
    for status, headers, _ in answers:
        assert headers["x-ratelimit-limit-requests"] == "5"
        if status == 429:
            # One request comes back every 12 s.
            assert 1 <= int(headers["retry-after"]) <= 12
            assert headers["x-ratelimit-remaining-requests"] == "0"
    assert [h["x-ratelimit-remaining-requests"] for s, h, _ in answers[:5]] == ["4", "3", "2", "1", "0"]
    # Another client has buckets of its own, on either server.
    assert [servers[i % 2].request("POST", "/v1/chat/completions", CHAT, headers=bearer(KEY_B))[0]
            for i in range(2)] == [200, 200]


def test_keys_name_a_digest_of_the_client_never_the_client(mock, start_server, redis_server):
    server = start_server(shared_config(mock, redis_server), env=LIMITED)
    assert server.request("POST", "/v1/chat/completions", CHAT, headers=bearer(KEY_A))[0] == 200
    listing = redis_server.command("KEYS *")
    digest = hashlib.sha256(b"id:client-a").hexdigest()
    assert f"switch:v1:client:{{{digest}}}:minute:5:5" in listing
    assert "client-a" not in listing and KEY_A not in listing


def test_with_redis_gone_each_server_limits_alone(mock, start_server, redis_server):
    config = shared_config(mock, redis_server)
    servers = [start_server(config, env=LIMITED), start_server(config, env=LIMITED)]
    redis_server.kill()
    for server in servers:
        started = time.monotonic()
        statuses = [server.request("POST", "/v1/chat/completions", CHAT, headers=bearer(KEY_A), timeout=10)[0]
                    for _ in range(6)]
        # The local buckets of 5: no 5xx, and no request waits on the dead server for long.
        assert statuses == [200] * 5 + [429], statuses
        assert time.monotonic() - started < 5
    for server in servers:
        assert server.stop() == 0
        output = server.output()
        assert redis_server.PASSWORD not in output
        # The outage is logged, naming the server without its password.
        assert "rate limits: Redis at" in output and "unavailable" in output


def test_a_redis_that_stops_answering_costs_a_timeout_and_then_the_local_limit(mock, start_server, redis_server):
    # One event loop: were it blocked while Redis is asked, the requests would queue behind it.
    server = start_server(shared_config(mock, redis_server), "--threads", "1", env=LIMITED)
    assert server.request("POST", "/v1/chat/completions", CHAT, headers=bearer(KEY_A))[0] == 200
    redis_server.pause()
    started = time.monotonic()
    # Six at once wait on Redis together (200 ms), not one after another (1.2 s).
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda _: server.request("POST", "/v1/chat/completions", CHAT,
                                                          headers=bearer(KEY_A), timeout=10)[0], range(6)))
    elapsed = time.monotonic() - started
    # The local bucket of 5 decides: the first request went to Redis only, so 5 fit.
    assert sorted(statuses) == [200] * 5 + [429]
    assert 0.2 <= elapsed < 0.9, elapsed
    # A drain with Redis still silent ends: the server exits cleanly (checked by the fixture).


def test_changed_limits_apply_to_the_shared_buckets(mock, start_server, redis_server):
    admin_key = "admin-shared-canary-0a2c4e6b8d"
    admin = {"Authorization": "Bearer " + admin_key}
    config = shared_config(mock, redis_server)
    servers = [start_server(config, env={"ADMIN_API_KEY": admin_key}) for _ in range(2)]

    def put_limits(per_minute):
        for server in servers:
            status, _, body = server.request("PUT", "/api/v1/config/rate-limits",
                                             {"enabled": True, "requests_per_minute": per_minute}, headers=admin)
            assert status == 200, body

    def chats(n):
        return [servers[i % 2].request("POST", "/v1/chat/completions", CHAT, headers=bearer(KEY_A))[0]
                for i in range(n)]

    put_limits(2)
    assert chats(3) == [200, 200, 429]
    # The new limit's keys are fresh buckets of 4, shared as before.
    put_limits(4)
    assert chats(5) == [200, 200, 200, 200, 429]


def test_sighup_with_changed_limits_keeps_sharing(mock, start_server, redis_server):
    admin_key = "admin-sighup-canary-1b3d5f7a9c"
    admin = {"Authorization": "Bearer " + admin_key}
    config = shared_config(mock, redis_server)
    config["server"] = {"rate_limits": {"enabled": True, "requests_per_minute": 2}}
    servers = [start_server(config, env={"ADMIN_API_KEY": admin_key}) for _ in range(2)]

    def chats(n):
        return [servers[i % 2].request("POST", "/v1/chat/completions", CHAT, headers=bearer(KEY_A))[0]
                for i in range(n)]

    assert chats(3) == [200, 200, 429]
    config["server"]["rate_limits"]["requests_per_minute"] = 3
    for server in servers:
        path = server.process.args[server.process.args.index("-c") + 1]
        with open(path, "w") as f:
            json.dump(config, f)
        server.process.send_signal(signal.SIGHUP)

    def applied(server):
        status, _, body = server.request("GET", "/api/v1/config/status", headers=admin)
        return status == 200 and json.loads(body)["applied_changes"] == 1

    assert all(wait_until(lambda s=server: applied(s)) for server in servers)
    assert chats(4) == [200, 200, 200, 429]
