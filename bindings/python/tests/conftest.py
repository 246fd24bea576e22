"""Fixtures for the Python package's tests: the loopback mock provider and configs that use it.

The mock is found through SWITCH_MOCK_PROVIDER (tools/test_python.sh sets it), else in build/.
"""
import os
import pathlib
import sys
import threading
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tools" / "mock_provider"))
from mock_process import MockProcess, MockStartError  # noqa: E402


def mock_provider_path():
    path = os.path.abspath(os.environ.get("SWITCH_MOCK_PROVIDER", str(REPO / "build" / "tools" / "switch-mock-provider")))
    if not os.path.exists(path):
        pytest.fail(f"switch-mock-provider not found at {path}; build it or set SWITCH_MOCK_PROVIDER")
    return path


class MockProvider(MockProcess):
    """The mock, with helpers that write configs pointing at it."""

    def __init__(self):
        try:
            super().__init__(mock_provider_path(), stderr=sys.stderr)
        except MockStartError as e:
            pytest.fail(str(e))

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


def in_threads(work, count, timeout=30.0):
    """Runs work() on `count` threads at once and joins them; returns the exceptions raised."""
    errors = []

    def run():
        try:
            work()
        except Exception as e:  # reported to the caller
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return errors


def wait_until(predicate, timeout=2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
