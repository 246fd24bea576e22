"""switch-server's log lines (docs/logging.md): one per request, breaker transition and reload,
as JSON or text, to stderr or LOG_FILE_PATH, at LOG_LEVEL and up, never with a secret."""
import hashlib
import json
import signal
from concurrent.futures import ThreadPoolExecutor

from conftest import CANARY, standard_config, wait_until
from server_process import ServerProcess, ServerStartError, write_config

import pytest

CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}
CLIENT_KEY = "sk-logging-canary-3c5e7a9b1d"


def tripping(config, mock):
    config["pools"].append({"id": "down", "providers": [mock.provider("bad", "bad@status=503")],
                            "circuitBreaker": {"enabled": True, "failureThreshold": 1, "resetTimeout": 600000}})
    config["models"]["flaky"] = {"primaryPoolId": "down"}
    return config


def lines_of(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def test_json_lines_in_the_file_carry_the_request_its_ids_and_no_secret(mock, start_server, tmp_path):
    log = tmp_path / "switch.log"
    config = tripping(standard_config(mock), mock)
    config["auth"] = {"enabled": True,
                      "api_keys": [{"id": "team-a", "sha256": hashlib.sha256(CLIENT_KEY.encode()).hexdigest()}]}
    server = start_server(config, env={"LOG_FILE_PATH": str(log)})
    auth = {"Authorization": "Bearer " + CLIENT_KEY}
    status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT,
                                        headers=dict(auth, **{"x-correlation-id": "order-9"}))
    assert status == 200
    assert server.request("POST", "/v1/chat/completions", dict(CHAT, model="flaky"), headers=auth)[0] == 502
    assert wait_until(lambda: len(lines_of(log)) >= 3)

    served = next(line for line in lines_of(log) if line.get("correlation_id") == "order-9")
    assert served["event"] == "request" and served["level"] == "info"
    assert served["client_id"] == "team-a"
    assert (served["model"], served["pool"], served["provider"]) == ("chat", "main", "m1")
    assert served["status"] == 200 and served["attempts"] == 1 and served["used_fallback"] is False
    assert served["output_tokens"] == 7 and served["cost_usd"] > 0 and served["latency_ms"] > 0
    assert served["time"].endswith("Z")
    failed = [line for line in lines_of(log) if line["event"] == "request" and line["status"] == 502]
    assert failed and failed[0]["level"] == "warning" and failed[0]["error_class"] == "transient"
    breaker = [line for line in lines_of(log) if line["event"] == "breaker"]
    assert breaker and breaker[0]["to"] == "open" and breaker[0]["level"] == "warning"
    assert breaker[0]["pool"] == "down" and breaker[0]["provider"] == "bad"

    server.process.send_signal(signal.SIGHUP)
    assert wait_until(lambda: any(line["event"] == "reload" for line in lines_of(log)))
    text = log.read_text()
    for secret in (CANARY, CLIENT_KEY, "Say hello."):
        assert secret not in text  # no key, and no message content


def test_lines_written_at_once_by_several_threads_stay_whole(mock, start_server, tmp_path):
    # Each line is one write(2) with no lock: the kernel must keep concurrent lines apart.
    log = tmp_path / "switch.log"
    server = start_server(standard_config(mock), "--threads", "2", env={"LOG_FILE_PATH": str(log)})

    def send(i):
        return server.request("POST", "/v1/chat/completions", CHAT, headers={"x-correlation-id": f"burst-{i}"})[0]

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(send, range(400))) == {200}
    assert wait_until(lambda: len(lines_of(log)) >= 400)
    ids = [line["correlation_id"] for line in lines_of(log) if line["event"] == "request"]
    assert sorted(ids) == sorted(f"burst-{i}" for i in range(400))


def test_text_lines_on_stderr_the_level_and_turning_parts_off(mock, start_server):
    server = start_server(tripping(standard_config(mock), mock), env={"LOG_FORMAT": "text", "LOG_LEVEL": "WARNING"})
    assert server.request("POST", "/v1/chat/completions", CHAT)[0] == 200
    assert server.request("POST", "/v1/chat/completions", dict(CHAT, model="flaky"))[0] == 502
    assert server.stop() == 0
    requests = [line for line in server.output().splitlines() if "event=request" in line]
    # Below WARNING, the served request is not written; the failed one is.
    assert len(requests) == 1
    assert "level=warning" in requests[0] and "status=502" in requests[0] and "model=flaky" in requests[0]

    quiet = start_server(standard_config(mock), env={"ENABLE_REQUEST_LOGGING": "false",
                                                    "ENABLE_CORRELATION_ID": "false"})
    status, headers, _ = quiet.request("POST", "/v1/chat/completions", CHAT, headers={"x-correlation-id": "c-1"})
    assert status == 200 and "x-correlation-id" not in headers
    assert quiet.stop() == 0
    assert '"event":"request"' not in quiet.output()


def test_bad_logging_settings_stop_the_start(mock, tmp_path):
    path = write_config(tmp_path, standard_config(mock))
    for env, says in [({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"), ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
                      ({"LOG_FILE_PATH": str(tmp_path / "no" / "such" / "dir" / "x.log")}, "LOG_FILE_PATH")]:
        with pytest.raises(ServerStartError) as failure:
            ServerProcess(path, env=env)
        assert says in str(failure.value)
