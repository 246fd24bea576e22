"""redis_process.py — a throwaway redis-server on a free loopback port for the gateway's tests:
no persistence, its files in a temporary directory, stopped (or killed) by the test."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

REDIS_SERVER = os.environ.get("SWITCH_REDIS_SERVER", shutil.which("redis-server") or "/usr/bin/redis-server")


def redis_server_or_skip():
    """The redis-server binary; the test is skipped without one, but fails under CI=true, where a
    skip would hide that the shared limits went untested."""
    if os.path.exists(REDIS_SERVER):
        return REDIS_SERVER
    message = f"redis-server not found at {REDIS_SERVER} (set SWITCH_REDIS_SERVER); shared limits untested"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(port, password, *lines):
    """Sends AUTH and then `lines` (inline commands) on one connection; the raw answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(f"AUTH {password}\r\n".encode() + b"".join(line.encode() + b"\r\n" for line in lines))
        time.sleep(0.1)
        return s.recv(1 << 20).decode(errors="replace")


def ping(port, password):
    try:
        return "+PONG" in command(port, password, "PING")
    except OSError:
        return False


class RedisProcess:
    """With a password, so that a test can check that it never shows."""
    PASSWORD = "redis-canary-8e1c3a5f7b9d"

    def __init__(self, binary):
        self.directory = tempfile.mkdtemp(prefix="switch-redis-")
        # A port found free can be taken before the bind: a server that cannot bind exits, and
        # the next attempt picks another.
        for _ in range(5):
            self.port = free_port()
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--requirepass", self.PASSWORD, "--dir", self.directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.process.poll() is None and not ping(self.port, self.PASSWORD):
                time.sleep(0.02)
            if self.process.poll() is None and ping(self.port, self.PASSWORD):
                break
            self.kill()
        else:
            raise RuntimeError("redis-server did not start")
        self.url = f"redis://:{self.PASSWORD}@127.0.0.1:{self.port}/0"

    def command(self, *lines):
        return command(self.port, self.PASSWORD, *lines)

    def pause(self):
        """Stops answering without closing a connection: every call runs into its timeout."""
        self.process.send_signal(signal.SIGSTOP)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def close(self):
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def redis_server():
    process = RedisProcess(redis_server_or_skip())
    yield process
    process.close()
