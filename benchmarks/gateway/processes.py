"""processes.py — the gateway benchmark's view of a process: a gateway as a child (started, ready,
stopped), and what /proc says of it (its process tree, CPU time, peak RSS).
"""
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "compare"))
import harness as compare  # noqa: E402  (process groups, and the set its signal handler ends)


class Server:
    """A gateway as a child process in its own process group, listening on 127.0.0.1.

    Ready when it prints `listening on URL` (switch-server, tz_gateway.py) or, given `port`, when that
    port accepts (LiteLLM, which prints no such line). The harness's signal handler ends it."""

    def __init__(self, name, cmd, log_path, env=None, port=None, timeout=120):
        self.name, self.log_path = name, log_path
        self.log = open(log_path, "a")
        self.log.write(f"\n==== {' '.join(cmd)}\n")
        self.log.flush()
        # stdin stays a pipe: tz_gateway.py exits when it closes, even if this harness is killed.
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                     env=env, **compare.OWN_GROUP)
        compare.RUNNING.add(self.proc)
        self.base, buffered = None, b""
        deadline = time.monotonic() + timeout
        if port is None:
            fd = self.proc.stdout.fileno()
            while self.base is None and time.monotonic() < deadline and self.proc.poll() is None:
                if select.select([fd], [], [], 0.1)[0]:
                    buffered += os.read(fd, 4096)
                match = re.search(rb"listening on (http://\S+)", buffered)
                if match:
                    self.base = match.group(1).decode().rstrip("/")
        else:
            while self.base is None and time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health/liveliness", timeout=2).read()
                    self.base = f"http://127.0.0.1:{port}"
                except OSError:
                    time.sleep(0.2)
        if self.base is not None:
            # The rest of its output goes to the log. Left in the pipe, it would fill it and stall
            # the gateway: TensorZero logs each client that leaves mid-request there (every
            # connection still waiting when a wrk run ends).
            threading.Thread(target=self.copy_output, args=(buffered,), daemon=True).start()
        if self.base is None:
            state = f"exited with status {self.proc.returncode}" if self.proc.poll() is not None else \
                f"did not listen within {timeout} s"
            self.close()
            raise RuntimeError(f"{name} {state} (log: {log_path})")

    def copy_output(self, first):
        with open(self.log_path, "ab") as log:
            log.write(first)
            for chunk in iter(lambda: os.read(self.proc.stdout.fileno(), 65536), b""):
                log.write(chunk)

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        compare.RUNNING.discard(self.proc)
        self.log.close()


def tree(pid):
    """pid and every process below it (LiteLLM's CLI may fork its server; the others are one process)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def cpu_seconds(pid):
    """User + system CPU time of pid's process tree so far (its threads included)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime: fields 14 and 15
        except (OSError, IndexError, ValueError):
            pass
    return total


def peak_rss_kib(pid):
    """VmHWM of pid's process tree, summed: a sum of peaks, which overstates when they were not
    simultaneous (only for a gateway of several processes)."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
        except (OSError, StopIteration):
            pass
    return total
