"""switch-server's own sections of the config: `server` (where to listen, the loops, the rate
limits) and `auth`. Read at start, on SIGHUP and by PUT /api/v1/config/rate-limits; a wrong
one is refused with every problem listed, and what runs stays."""
import hashlib
import json
import signal

import pytest

from conftest import standard_config, wait_until
from server_process import ServerProcess, ServerStartError, write_config

CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}
ADMIN_KEY = "admin-canary-9d2f4b6a8c0e1357"
ADMIN = {"Authorization": "Bearer " + ADMIN_KEY}
KEY_A = "sk-section-a-canary-5e7d9b1f3a"
KEY_B = "sk-section-b-canary-6f8e0c2a4b"


def chats(server, n, headers=None):
    return [server.request("POST", "/v1/chat/completions", CHAT, headers=headers)[0] for _ in range(n)]


def status_of(server):
    status, _, body = server.request("GET", "/api/v1/config/status", headers=ADMIN)
    assert status == 200
    return json.loads(body)


def keys(*pairs):
    return {"enabled": True, "api_keys": [{"id": i, "sha256": hashlib.sha256(k.encode()).hexdigest()} for i, k in pairs]}


def test_the_server_section_sets_the_limits_over_the_environment_and_flags_win(mock, start_server):
    config = standard_config(mock)
    config["server"] = {"host": "0.0.0.0", "port": 8000, "workers": 2, "debug": False,
                        "rate_limits": {"enabled": True, "requests_per_minute": 2}}
    # The flags --host 127.0.0.1 --port 0 win over the section; RATE_LIMIT_* lose to it.
    server = start_server(config, env={"RATE_LIMIT_REQUESTS_PER_MINUTE": "100"})
    assert server.port != 8000
    assert chats(server, 3) == [200, 200, 429]


def test_a_wrong_server_section_stops_the_start_naming_every_problem(mock, tmp_path):
    config = standard_config(mock)
    config["server"] = {"debug": True, "prot": 1, "workers": 0, "rate_limits": {"requests_per_minute": -1}}
    with pytest.raises(ServerStartError) as failure:
        ServerProcess(write_config(tmp_path, config))
    text = str(failure.value)
    for path in ("server.debug", "server.prot", "server.workers", "server.rate_limits.requests_per_minute"):
        assert path in text, path
    assert "no debug mode" in text


def test_put_rate_limits_validates_and_applies(mock, start_server):
    server = start_server(standard_config(mock), env={"ADMIN_API_KEY": ADMIN_KEY})
    assert chats(server, 3) == [200, 200, 200]

    status, _, body = server.request("PUT", "/api/v1/config/rate-limits", {"enabled": True, "requests_per_minute": 2},
                                     headers=ADMIN)
    assert status == 200, body
    answer = json.loads(body)
    assert answer["section"] == "server.rate_limits"
    assert answer["changed"]["requests_per_minute"] == {"from": None, "to": 2}
    assert chats(server, 3) == [200, 200, 429]

    status, _, body = server.request("PUT", "/api/v1/config/rate-limits",
                                     {"requests_per_minute": "many", "per_week": 5}, headers=ADMIN)
    assert status == 400
    paths = {d["path"] for d in json.loads(body)["error"]["validation"]["diagnostics"]}
    assert {"server.rate_limits.requests_per_minute", "server.rate_limits.per_week"} <= paths
    assert status_of(server)["rejected_changes"] == 1
    assert chats(server, 1) == [429]  # the running limits stay

    status, _, _ = server.request("PUT", "/api/v1/config/rate-limits", {"enabled": False}, headers=ADMIN)
    assert status == 200
    assert chats(server, 2) == [200, 200]


def test_sighup_changes_who_may_call_and_refuses_a_wrong_auth_section(mock, start_server):
    config = standard_config(mock)
    config["auth"] = keys(("a", KEY_A))
    server = start_server(config, env={"ADMIN_API_KEY": ADMIN_KEY})
    a = {"Authorization": "Bearer " + KEY_A}
    b = {"Authorization": "Bearer " + KEY_B}
    assert chats(server, 1, a) == [200] and chats(server, 1, b) == [401]

    path = server.process.args[server.process.args.index("-c") + 1]
    config["auth"] = keys(("b", KEY_B))
    with open(path, "w") as f:
        json.dump(config, f)
    server.process.send_signal(signal.SIGHUP)
    assert wait_until(lambda: status_of(server)["applied_changes"] == 1)
    assert chats(server, 1, a) == [401] and chats(server, 1, b) == [200]

    config["auth"]["api_keys"][0]["sha256"] = "not-a-digest"
    with open(path, "w") as f:
        json.dump(config, f)
    server.process.send_signal(signal.SIGHUP)
    assert wait_until(lambda: status_of(server)["rejected_changes"] == 1)
    assert chats(server, 1, b) == [200]  # the running auth stays
    rejected = status_of(server)["last_rejected"]
    assert any(d["path"].startswith("auth.api_keys[0]") for d in rejected["diagnostics"])
