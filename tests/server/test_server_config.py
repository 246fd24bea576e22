"""switch-server's configuration changes while it serves: SIGHUP reloads the file, and the
runtime config endpoints (/api/v1/config/*) edit one section. Each change is validated like a
config file and applied without dropping a request; an invalid one changes nothing."""
import json
import signal
import threading
import time

from conftest import standard_config, wait_until

ADMIN_KEY = "admin-canary-4b9e2d7c1a6f3e8b5d0c"
ADMIN = {"Authorization": "Bearer " + ADMIN_KEY}
ADMIN_ENV = {"ADMIN_API_KEY": ADMIN_KEY}
USER = [{"role": "user", "content": "Say hello."}]


def config_path(server):
    return server.process.args[server.process.args.index("-c") + 1]


def served_by(server, model="chat"):
    status, headers, body = server.request("POST", "/v1/chat/completions", {"model": model, "messages": USER})
    assert status == 200, body
    return headers["x-switch-provider"]


def config_status(server):
    status, _, body = server.request("GET", "/api/v1/config/status", headers=ADMIN)
    assert status == 200
    return json.loads(body)


def test_config_endpoints_need_the_admin_key(mock, start_server):
    disabled = start_server(standard_config(mock))
    enabled = start_server(standard_config(mock), env=ADMIN_ENV)
    calls = [("GET", "/api/v1/config/status", None), ("PUT", "/api/v1/config/routing", {"default_strategy": "cascade"}),
             ("PUT", "/api/v1/config/models", {"preferences": {"general": [{"pool": "main"}]}}),
             ("PUT", "/api/v1/config/rate-limits", {"requests_per_minute": 120})]
    for method, path, body in calls:
        assert disabled.request(method, path, body, headers=ADMIN)[0] == 403
        assert enabled.request(method, path, body)[0] == 401
        assert enabled.request(method, path, body, headers={"Authorization": "Bearer wrong"})[0] == 401
    assert config_status(enabled)["applied_changes"] == 0  # nothing was applied by the refused calls
    status, headers, _ = enabled.request("GET", "/api/v1/config/routing", headers=ADMIN)
    assert status == 405 and headers["allow"] == "PUT"
    assert enabled.request("GET", "/api/v1/config/nothing", headers=ADMIN)[0] == 404


def test_put_routing_validates_and_applies(mock, start_server):
    config = standard_config(mock)
    config["routing_preferences"] = {"general": [{"pool": "main"}]}
    server = start_server(config, env=ADMIN_ENV)
    before = config_status(server)
    assert before["editable"] is True and before["current"]["valid"] is True

    status, _, body = server.request("PUT", "/api/v1/config/routing", {"default_strategy": "cascade"}, headers=ADMIN)
    assert status == 200, body
    answer = json.loads(body)
    assert answer["applied"] is True and answer["section"] == "routing"
    assert answer["changed"] == {"default_strategy": {"from": None, "to": "cascade"}}
    # The same value again changes nothing.
    status, _, body = server.request("PUT", "/api/v1/config/routing", {"default_strategy": "cascade"}, headers=ADMIN)
    assert status == 200 and json.loads(body)["changed"] == {}

    status, _, body = server.request("PUT", "/api/v1/config/routing",
                                     {"default_strategy": "fastest", "strategies": {"heuristic": {"rules": "mine"}}},
                                     headers=ADMIN)
    assert status == 400
    error = json.loads(body)["error"]
    assert {"message", "type", "code", "param"} <= set(error)
    problems = {d["path"]: d for d in error["validation"]["diagnostics"] if d["severity"] == "error"}
    assert set(problems) == {"routing.default_strategy", "routing.strategies.heuristic.rules"}
    assert "fastest" in problems["routing.default_strategy"]["message"]
    assert "suggestion" in problems["routing.default_strategy"]
    after = config_status(server)
    assert after["applied_changes"] == 2 and after["rejected_changes"] == 1
    assert after["last_rejected"]["valid"] is False

    status, _, body = server.request("PUT", "/api/v1/config/routing", b"{not json", headers=ADMIN)
    assert status == 400 and "JSON" in json.loads(body)["error"]["message"]
    status, _, body = server.request("PUT", "/api/v1/config/routing", [1, 2], headers=ADMIN)
    assert status == 400 and "object" in json.loads(body)["error"]["message"]


def test_put_models_changes_where_auto_routes(mock, start_server):
    server = start_server(standard_config(mock), env=ADMIN_ENV)
    ids = lambda: {m["id"] for m in json.loads(server.request("GET", "/v1/models")[2])["data"]}  # noqa: E731
    assert "auto" not in ids()

    status, _, body = server.request("PUT", "/api/v1/config/models",
                                     {"preferences": {"general": [{"pool": "main"}]}}, headers=ADMIN)
    assert status == 200, body
    assert json.loads(body)["changed"] == {"general": {"from": None, "to": [{"pool": "main"}]}}
    assert "auto" in ids()
    assert served_by(server, "auto") == "m1"

    status, _, body = server.request("PUT", "/api/v1/config/models",
                                     {"preferences": {"general": [{"pool": "strong"}]}}, headers=ADMIN)
    assert status == 200, body
    assert served_by(server, "auto") == "m2"

    # A target no pool serves is refused, with its path, and the last good preferences stay.
    status, _, body = server.request("PUT", "/api/v1/config/models",
                                     {"preferences": {"general": [{"pool": "nowhere"}]}}, headers=ADMIN)
    assert status == 400
    paths = [d["path"] for d in json.loads(body)["error"]["validation"]["diagnostics"] if d["severity"] == "error"]
    assert paths and all(p.startswith("routing_preferences.general") for p in paths), paths
    assert served_by(server, "auto") == "m2"
    # ModelMuxer's form only.
    assert server.request("PUT", "/api/v1/config/models", {"general": []}, headers=ADMIN)[0] == 400


def test_sighup_reloads_the_file_and_keeps_the_old_config_when_invalid(mock, start_server):
    config = standard_config(mock)
    server = start_server(config, env=ADMIN_ENV)
    path = config_path(server)
    assert served_by(server) == "m1"

    config["pools"][0]["providers"] = [mock.provider("m1b", "m1b", costPerToken=0.000001)]
    with open(path, "w") as f:
        json.dump(config, f)
    server.process.send_signal(signal.SIGHUP)
    assert wait_until(lambda: config_status(server)["applied_changes"] == 1)
    assert served_by(server) == "m1b"

    with open(path, "w") as f:
        f.write('{"pools": [{"id": "main", "providers": [{"name": "x"}]}], "models": {"chat": {"primaryPoolId": "gone"}}}')
    server.process.send_signal(signal.SIGHUP)
    assert wait_until(lambda: config_status(server)["rejected_changes"] == 1)
    assert served_by(server) == "m1b"  # the old configuration stays
    rejected = config_status(server)["last_rejected"]
    assert rejected["valid"] is False and rejected["summary"]["errors"] >= 2
    assert server.stop() == 0
    log = server.output()
    assert "the running one stays" in log
    assert "models.chat.primaryPoolId" in log  # every problem is listed


def test_reload_under_load_drops_no_request(mock, start_server):
    config = standard_config(mock)
    server = start_server(config, "--threads", "2", env=ADMIN_ENV)
    path = config_path(server)
    stop = threading.Event()
    results = {"ok": 0, "failed": []}
    lock = threading.Lock()

    def client(stream):
        while not stop.is_set():
            status, _, body = server.request("POST", "/v1/chat/completions",
                                             {"model": "chat", "messages": USER, "stream": stream})
            with lock:
                if status == 200 and (not stream or b"[DONE]" in body):
                    results["ok"] += 1
                else:
                    results["failed"].append((status, body[:200]))

    threads = [threading.Thread(target=client, args=(s,)) for s in (False, True, False)]
    for t in threads:
        t.start()
    for i in range(8):
        name = "m1" if i % 2 else "m1b"
        config["pools"][0]["providers"] = [mock.provider(name, name, costPerToken=0.000001)]
        with open(path, "w") as f:
            json.dump(config, f)
        server.process.send_signal(signal.SIGHUP)
        assert wait_until(lambda: config_status(server)["applied_changes"] >= 2 * i + 1)
        status, _, body = server.request("PUT", "/api/v1/config/routing",
                                         {"default_strategy": "cascade" if i % 2 else "heuristic"}, headers=ADMIN)
        assert status == 200, body
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(30)
    assert results["failed"] == []
    assert results["ok"] > 20
    assert config_status(server)["applied_changes"] == 16
