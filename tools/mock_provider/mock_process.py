"""mock_process.py — switch-mock-provider as a child process, for Python callers: the tests of the
command-line tools and of the Python package, and the benchmark harness (as
tests/integration/mock_process.hpp is for C++).

The mock listens on a free loopback port, says so in its first line of output, and exits when its
stdin closes, so it cannot outlive the process that started it.
"""
import http.client
import json
import select
import subprocess


class MockStartError(RuntimeError):
    pass


class MockProcess:
    """A running switch-mock-provider on 127.0.0.1; `args` are extra command-line options."""

    PREFIX = "listening on http://127.0.0.1:"

    def __init__(self, binary, *args, stderr=None, start_timeout=10):
        self.process = subprocess.Popen([binary, "--port", "0", "--exit-on-stdin-eof", *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=stderr, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], start_timeout)
        line = self.process.stdout.readline().strip() if ready else ""
        if not line.startswith(self.PREFIX):
            self.stop()
            raise MockStartError(f"switch-mock-provider did not start: {line!r}")
        self.host = "127.0.0.1"
        self.port = int(line[len(self.PREFIX):])
        self.base = f"http://{self.host}:{self.port}"

    def call(self, method, path):
        """One of the mock's control endpoints (/__reset, /__stats); its JSON answer."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, path, body=b"" if method == "POST" else None)
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {body[:200]!r}")
        return json.loads(body)

    def reset(self):
        """Zeroes the mock's counters and forgets its per-scenario state."""
        self.call("POST", "/__reset")

    def stats(self):
        return self.call("GET", "/__stats")

    def stop(self):
        """Closes its stdin and waits for it to exit (kills it after 10 s); its exit status."""
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode
