"""Fixtures for switch-server's tests: the loopback mock provider, and servers over configs that
point at it. The binaries are found through SWITCH_MOCK_PROVIDER and SWITCH_SERVER
(tools/test_python.sh sets both), else in build/tools."""
import json
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from server_process import REPO, ServerProcess, ServerStartError, server_path, write_config  # noqa: E402

sys.path.insert(0, str(REPO / "tools" / "mock_provider"))
from mock_process import MockProcess, MockStartError  # noqa: E402

CANARY = "sk-canary-7f3a9c1e5b2d4e6f8a0b1c2d3e4f5a6b"


class Mock(MockProcess):
    def __init__(self):
        path = os.path.abspath(os.environ.get("SWITCH_MOCK_PROVIDER",
                                              str(REPO / "build" / "tools" / "switch-mock-provider")))
        if not os.path.exists(path):
            pytest.fail(f"switch-mock-provider not found at {path}; build it or set SWITCH_MOCK_PROVIDER")
        try:
            super().__init__(path, stderr=sys.stderr)
        except MockStartError as e:
            pytest.fail(str(e))

    def provider(self, name, model, **extra):
        """A provider that sends `model` (NAME@SPEC scripts the mock) to this mock, with the canary
        key, so that every test checks that the key never leaks."""
        entry = {"name": name, "provider": "custom", "apiBase": self.base + "/v1", "modelName": model,
                 "credentialsRef": "canary", "maxRetries": 0, "retryDelay": 10}
        entry.update(extra)
        return entry

    def config(self, pools, models):
        return {"credentialStores": {"canary": {"type": "simple", "source": "inline", "config": {"apiKey": CANARY}}},
                "pools": pools, "models": models}


@pytest.fixture(scope="session")
def mock_process():
    mock = Mock()
    yield mock
    assert mock.stop() == 0, "switch-mock-provider did not exit cleanly"


@pytest.fixture
def mock(mock_process):
    mock_process.reset()
    return mock_process


@pytest.fixture
def start_server(tmp_path):
    """start_server(config, *flags, env=None): a running switch-server, stopped after the test."""
    if not os.path.exists(server_path()):
        pytest.fail(f"switch-server not found at {server_path()}; build it or set SWITCH_SERVER")
    started = []

    def start(config, *flags, env=None):
        directory = tmp_path / f"server{len(started)}"
        directory.mkdir()
        try:
            server = ServerProcess(write_config(directory, config), *flags, env=env)
        except ServerStartError as e:
            pytest.fail(str(e))
        started.append(server)
        return server

    yield start
    statuses = [server.stop() for server in started]
    for server in started:
        server.kill()
        assert CANARY not in server.output(), "the canary key leaked into the server's output"
    # Every server drains and exits cleanly (under a sanitizer, a report would make it fail).
    assert statuses == [0] * len(started), [s.output() for s in started]


def standard_config(mock):
    """Model "chat" on pool "main", "embed" on pool "vectors", a prompt-routed "smart" and a
    cascade "thrifty" over "main" and "strong"."""
    pools = [
        {"id": "main", "providers": [mock.provider("m1", "m1", costPerToken=0.000001)]},
        {"id": "strong", "providers": [mock.provider("m2", "m2", costPerToken=0.00001)]},
        {"id": "vectors", "providers": [mock.provider("e1", "e1")]},
    ]
    models = {
        "chat": {"primaryPoolId": "main"},
        "embed": {"primaryPoolId": "vectors"},
        "smart": {"router": {"strategy": "heuristic", "routes": {
            "code": [{"pool": "strong"}], "complex": [{"pool": "strong"}],
            "simple": [{"pool": "main"}], "general": [{"pool": "main"}]}}},
        "thrifty": {"router": {"strategy": "cascade", "cascade": {
            "steps": [{"pool": "main"}, {"pool": "strong"}], "maxBudget": 1}}},
    }
    return mock.config(pools, models)


def error_of(body):
    """The OpenAI error object of an error body, checking its shape."""
    doc = json.loads(body)
    assert set(doc) == {"error"}
    assert {"message", "type", "code", "param"} <= set(doc["error"])
    return doc["error"]


def wait_until(predicate, timeout=10):
    """Polls `predicate` every 20 ms until it holds (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False
