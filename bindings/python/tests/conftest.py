"""Fixtures for the Python package's tests: the loopback mock provider and configs that use it.

The mock is found through SWITCH_MOCK_PROVIDER (tools/test_python.sh sets it), else in build/.
"""
import http.client
import json
import os
import pathlib
import subprocess
import sys
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]


def mock_provider_path():
    path = os.path.abspath(os.environ.get("SWITCH_MOCK_PROVIDER", str(REPO / "build" / "tools" / "switch-mock-provider")))
    if not os.path.exists(path):
        pytest.fail(f"switch-mock-provider not found at {path}; build it or set SWITCH_MOCK_PROVIDER")
    return path


class MockProvider:
    """A running switch-mock-provider; it exits by itself if this process dies (its stdin closes)."""

    def __init__(self):
        self.process = subprocess.Popen([mock_provider_path(), "--port", "0", "--exit-on-stdin-eof"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
        line = self.process.stdout.readline().strip()
        prefix = "listening on http://127.0.0.1:"
        if not line.startswith(prefix):
            self.stop()
            pytest.fail(f"switch-mock-provider did not start: {line!r}")
        self.port = int(line[len(prefix):])
        self.base = f"http://127.0.0.1:{self.port}"

    def _request(self, method, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path, body=b"" if method == "POST" else None)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        assert response.status == 200, body
        return json.loads(body)

    def reset(self):
        self._request("POST", "/__reset")

    def stats(self):
        return self._request("GET", "/__stats")

    def wait_for_attempts(self, key, count=1, timeout=5.0):
        """Waits until the mock has seen `count` requests of scenario `key` (the model string)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.stats()["attempts"].get(key, 0) >= count:
                return
            time.sleep(0.01)
        pytest.fail(f"the mock never saw {count} request(s) of {key!r}: {self.stats()}")

    def provider(self, name, model, **extra):
        """A provider entry that sends `model` (NAME@SPEC scripts the mock) to this mock."""
        entry = {"name": name, "provider": "custom", "apiBase": self.base + "/v1", "modelName": model,
                 "maxRetries": 0, "retryDelay": 10}
        entry.update(extra)
        return entry

    def config(self, *providers, fallback=None, model="chat", **pool):
        """A config with pool "main" of `providers`, model `model` on it, and an optional fallback
        pool "backup" of the providers in `fallback`."""
        pools = [{"id": "main", "providers": list(providers), **pool}]
        if fallback:
            pools[0]["fallbackPoolIds"] = ["backup"]
            pools.append({"id": "backup", "providers": list(fallback)})
        return {"pools": pools, "models": {model: {"primaryPoolId": "main"}}}

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture(scope="session")
def mock_process():
    provider = MockProvider()
    yield provider
    assert provider.stop() == 0, "switch-mock-provider did not exit cleanly"


@pytest.fixture
def mock(mock_process):
    """The shared mock provider, with its counters zeroed for this test."""
    mock_process.reset()
    return mock_process


USER = [{"role": "user", "content": "Say hello."}]


def in_flight(router):
    """Requests the router has in flight, over every provider."""
    return sum(p["in_flight"] for pool in router.status()["pools"] for p in pool["providers"])


def wait_until(predicate, timeout=2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
