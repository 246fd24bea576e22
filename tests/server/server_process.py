"""server_process.py — switch-server as a child process for the gateway's tests, and small HTTP
helpers. The server listens on a free loopback port and says so in its first line of output."""
import http.client
import json
import os
import pathlib
import select
import signal
import subprocess
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[2]


def server_path():
    return os.path.abspath(os.environ.get("SWITCH_SERVER", str(REPO / "build" / "tools" / "switch-server")))


class ServerStartError(RuntimeError):
    pass


class ServerProcess:
    """A running switch-server on 127.0.0.1 with the config `config_path`; `args` are extra flags.
    Its stdout after the listening line, and all its stderr, are kept for `output()`."""

    PREFIX = "listening on http://127.0.0.1:"

    def __init__(self, config_path, *args, env=None, start_timeout=15):
        self.stderr = tempfile.TemporaryFile(mode="w+")
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        full_env.update(env or {})
        self.process = subprocess.Popen([server_path(), "-c", str(config_path), "--host", "127.0.0.1", "--port", "0",
                                         *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.stderr,
                                        text=True, env=full_env)
        ready, _, _ = select.select([self.process.stdout], [], [], start_timeout)
        self.first_line = self.process.stdout.readline() if ready else ""
        line = self.first_line.strip()
        if not line.startswith(self.PREFIX):
            self.kill()
            raise ServerStartError(f"switch-server did not start: {line!r}; stderr: {self.stderr_text()}")
        self.host = "127.0.0.1"
        self.port = int(line[len(self.PREFIX):])
        self.base = f"http://{self.host}:{self.port}"
        self.rest_of_stdout = ""

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read()

    def stop(self, sig=signal.SIGTERM, timeout=40):
        """Sends `sig` and waits for the exit (kills it after `timeout` s); its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process.stdout and not self.process.stdout.closed:
            self.rest_of_stdout = self.process.stdout.read()
            self.process.stdout.close()
        return self.process.returncode

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def output(self):
        """Everything it printed, stdout and stderr, once stopped."""
        return self.first_line + self.rest_of_stdout + self.stderr_text()

    def request(self, method, path, body=None, headers=None, timeout=30):
        """One HTTP request on a fresh connection: (status, headers with lowercase names, body bytes)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()


def write_config(directory, config):
    path = pathlib.Path(directory) / "definitions.json"
    path.write_text(json.dumps(config))
    return path
