"""The on_event hook: every router event as a dict, on a thread of its own, in order."""
import asyncio
import threading

import libswitch
from conftest import USER


def test_sync_router_reports_a_failover_then_request_finished(mock):
    seen = []
    threads = set()

    def hook(event):
        seen.append(event)
        threads.add(threading.current_thread().name)

    config = mock.config(mock.provider("bad", "ev-py@status=503"), fallback=[mock.provider("good", "ev-py-ok")])
    with libswitch.Router.from_dict(config, on_event=hook) as router:
        r = router.chat.completions.create(model="chat", messages=USER)
    # close() returns after the hook has had every event.
    kinds = [e["event"] for e in seen]
    assert kinds == ["route_decision", "attempt_started", "attempt_finished", "attempt_started",
                     "attempt_finished", "request_finished"], kinds
    assert seen[2]["attempt"]["status"] == 503 and seen[2]["attempt"]["provider"] == "bad"
    finished = seen[-1]
    assert finished["status"] == 200 and finished["provider"] == "good" and finished["used_fallback"]
    assert finished["input_tokens"] == r.usage.prompt_tokens
    assert finished["output_tokens"] == r.usage.completion_tokens
    assert finished["latency_us"] > 0 and finished["time_to_first_token_us"] is None
    assert len({e["request"] for e in seen}) == 1
    assert threads == {"libswitch-events"}


def test_a_hook_that_raises_loses_no_request_and_no_later_event(mock, caplog):
    seen = []

    def hook(event):
        seen.append(event["event"])
        if event["event"] == "route_decision":
            raise RuntimeError("hook bug")

    router = libswitch.Router.from_dict(mock.config(mock.provider("ok", "ev-py-raise")), on_event=hook)
    assert router.chat.completions.create(model="chat", messages=USER).choices[0].message.content
    router.close()
    assert seen == ["route_decision", "attempt_started", "attempt_finished", "request_finished"]
    assert "the on_event hook raised" in caplog.text


def test_async_router_streams_report_time_to_first_token(mock):
    seen = []
    config = mock.config(mock.provider("s", "ev-py-stream@ttft_ms=30"))

    async def main():
        async with libswitch.AsyncRouter.from_dict(config, on_event=seen.append) as router:
            stream = await router.chat.completions.create(model="chat", messages=USER, stream=True)
            async for _ in stream:
                pass

    asyncio.run(main())
    finished = [e for e in seen if e["event"] == "request_finished"]
    assert len(finished) == 1
    assert finished[0]["streaming"] is True
    assert 30_000 <= finished[0]["time_to_first_token_us"] <= finished[0]["latency_us"]


def test_on_event_must_be_callable(mock):
    try:
        libswitch.Router.from_dict(mock.config(mock.provider("ok", "ev-py-x")), on_event=42)
    except TypeError as e:
        assert "on_event" in str(e)
    else:
        raise AssertionError("a non-callable hook was accepted")
