"""Shared fixtures for the command-line tests: switchctl, the guides and the loopback mock provider."""
import json
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("SWITCH_SHARED_DIR", REPO.parent / "shared"))
sys.path.insert(0, str(REPO / "tools" / "mock_provider"))
from mock_process import MockProcess, MockStartError  # noqa: E402


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


def read_shared(relative):
    """A file of ../shared. A clone without ../shared skips the test that needs it, saying why;
    under CI=true (where ../shared is always laid beside the repo) its absence fails instead."""
    path = SHARED / relative
    if not path.is_file():
        reason = f"../shared is absent: {path} cannot be read"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path.read_text()


@pytest.fixture(scope="session")
def switch_guide():
    return read_shared("seeds/002_69d49048bb2b6e56.txt")


@pytest.fixture(scope="session")
def muxer_guide():
    return read_shared("seeds/000_308f2307b1235063.txt")


def mock_provider_path():
    default = REPO / "build" / "tools" / "switch-mock-provider"
    path = os.path.abspath(os.environ.get("SWITCH_MOCK_PROVIDER", str(default)))
    if not os.path.exists(path):
        pytest.fail(f"switch-mock-provider not found at {path}; build it or set SWITCH_MOCK_PROVIDER")
    return path


class MockProvider(MockProcess):
    """The mock, started with the extra options `args`; when it cannot start, the test fails."""

    def __init__(self, *args):
        try:
            super().__init__(mock_provider_path(), *args, stderr=sys.stderr)
        except MockStartError as e:
            pytest.fail(str(e))


@pytest.fixture(scope="session")
def mock_provider_process():
    provider = MockProvider()
    yield provider
    assert provider.stop() == 0, "switch-mock-provider did not exit cleanly"


@pytest.fixture
def mock_provider(mock_provider_process):
    """The shared mock provider, with its counters zeroed for this test."""
    mock_provider_process.reset()
    return mock_provider_process
