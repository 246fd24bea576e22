"""Shutdown paths: closing under waiting threads, Ctrl-C, interpreter exit with requests running."""
import json
import subprocess
import sys
import textwrap
import threading
import time

import libswitch
from conftest import USER, in_flight, wait_until


def test_close_wakes_threads_blocked_in_calls(mock):
    router = libswitch.Router.from_dict(mock.config(mock.provider("stuck", "stuck@hang", timeout=60000)))
    errors = []

    def worker():
        try:
            router.chat.completions.create(model="chat", messages=USER)
        except libswitch.SwitchError as e:
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    mock.wait_for_attempts("stuck@hang", 4)
    started = time.monotonic()
    router.close()
    for t in threads:
        t.join(5)
    assert time.monotonic() - started < 2.0
    assert len(errors) == 4 and all(type(e) is libswitch.RequestCancelledError for e in errors), errors


def run_script(source, *args, timeout=20):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(source), *args], capture_output=True, text=True,
                          timeout=timeout)


def test_ctrl_c_cancels_a_blocking_call(mock):
    config = mock.config(mock.provider("stuck", "stuck@hang", timeout=60000))
    result = run_script("""
        import _thread, json, signal, sys, threading, time
        import libswitch
        # A shell's background job starts with SIGINT ignored, and then Python leaves it so.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        router = libswitch.Router.from_dict(json.loads(sys.argv[1]))
        threading.Timer(0.5, _thread.interrupt_main).start()
        started = time.monotonic()
        try:
            router.chat.completions.create(model="chat", messages=[{"role": "user", "content": "hi"}])
        except KeyboardInterrupt:
            print("interrupted after", round(time.monotonic() - started, 1))
        while sum(p["in_flight"] for pool in router.status()["pools"] for p in pool["providers"]):
            time.sleep(0.01)
        print("released after", round(time.monotonic() - started, 1))
    """, json.dumps(config))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("interrupted after") and float(lines[0].split()[-1]) < 2.0
    assert float(lines[1].split()[-1]) < 3.0


def test_interpreter_exit_with_requests_in_flight(mock):
    # Daemon threads blocked in calls, an event loop's task and an open stream, all cut by the
    # end of the interpreter: it must exit cleanly, not hang or abort.
    config = mock.config(mock.provider("stuck", "stuck@hang", timeout=60000),
                         fallback=None)
    config["pools"].append({"id": "slow", "providers": [mock.provider("slow", "slow@chunks=1000,chunk_delay_ms=50")]})
    config["models"]["slow"] = {"primaryPoolId": "slow"}
    result = run_script("""
        import asyncio, json, sys, threading, time
        import libswitch
        config = json.loads(sys.argv[1])
        router = libswitch.Router.from_dict(config)
        arouter = libswitch.AsyncRouter.from_dict(config)
        hi = [{"role": "user", "content": "hi"}]
        for _ in range(3):
            threading.Thread(target=router.chat.completions.create, kwargs=dict(model="chat", messages=hi),
                             daemon=True).start()
        stream = router.chat.completions.create(model="slow", messages=hi, stream=True)
        next(stream)
        def loop_thread():
            async def main():
                await arouter.chat.completions.create(model="chat", messages=hi)
            asyncio.run(main())
        threading.Thread(target=loop_thread, daemon=True).start()
        # Exit only once every request is really in flight: the three calls and the stream in
        # `router`, the task's call in `arouter`.
        def in_flight(r):
            return sum(p["in_flight"] for pool in r.status()["pools"] for p in pool["providers"])
        deadline = time.monotonic() + 10
        while in_flight(router) < 4 or in_flight(arouter) < 1:
            if time.monotonic() > deadline:
                sys.exit(f"not in flight after 10 s: {in_flight(router)} of 4, {in_flight(arouter)} of 1")
            time.sleep(0.01)
        print("exiting")
    """, json.dumps(config))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "exiting\n"
    assert "terminate" not in result.stderr and "Fatal" not in result.stderr, result.stderr
