"""Shared fixtures for the command-line tests: switchctl, the guides and the loopback mock provider."""
import http.client
import json
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("SWITCH_SHARED_DIR", REPO.parent / "shared"))


def switchctl_path():
    path = os.path.abspath(os.environ.get("SWITCHCTL", str(REPO / "build" / "tools" / "switchctl")))
    if not os.path.exists(path):
        pytest.fail(f"switchctl not found at {path}; build it or set SWITCHCTL")
    return path


class Switchctl:
    """Runs switchctl with an exact environment (nothing inherited but PATH)."""

    def __init__(self, path):
        self.path = path

    def run(self, *args, env=None, cwd=None):
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        full_env.update(env or {})
        return subprocess.run([self.path, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60)

    def validate_json(self, path, env=None, cwd=None):
        result = self.run("validate", "--json", str(path), env=env, cwd=cwd)
        assert result.returncode in (0, 1), result.stderr
        report = json.loads(result.stdout)
        assert report["valid"] == (result.returncode == 0)
        return report


@pytest.fixture(scope="session")
def switchctl():
    return Switchctl(switchctl_path())


@pytest.fixture(scope="session")
def switch_guide():
    return (SHARED / "seeds" / "002_69d49048bb2b6e56.txt").read_text()


@pytest.fixture(scope="session")
def muxer_guide():
    return (SHARED / "seeds" / "000_308f2307b1235063.txt").read_text()


def mock_provider_path():
    default = REPO / "build" / "tools" / "switch-mock-provider"
    path = os.path.abspath(os.environ.get("SWITCH_MOCK_PROVIDER", str(default)))
    if not os.path.exists(path):
        pytest.fail(f"switch-mock-provider not found at {path}; build it or set SWITCH_MOCK_PROVIDER")
    return path


class MockProvider:
    """A running switch-mock-provider; it exits by itself if this process dies (its stdin closes)."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [mock_provider_path(), "--port", "0", "--exit-on-stdin-eof", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
        line = self.process.stdout.readline().strip()
        prefix = "listening on http://127.0.0.1:"
        if not line.startswith(prefix):
            self.stop()
            pytest.fail(f"switch-mock-provider did not start: {line!r}")
        self.host = "127.0.0.1"
        self.port = int(line[len(prefix):])

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
def mock_provider_process():
    provider = MockProvider()
    yield provider
    assert provider.stop() == 0, "switch-mock-provider did not exit cleanly"


@pytest.fixture
def mock_provider(mock_provider_process):
    """The shared mock provider, with its counters zeroed for this test."""
    conn = http.client.HTTPConnection(mock_provider_process.host, mock_provider_process.port, timeout=10)
    conn.request("POST", "/__reset", body=b"")
    assert conn.getresponse().status == 200
    conn.close()
    return mock_provider_process
