"""AsyncRouter: awaiting requests and streams, cancellation, concurrency, several event loops."""
import asyncio
import time

import pytest

import libswitch
from conftest import USER, in_flight, in_threads, wait_until


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def test_async_chat_and_embeddings(mock):
    async def main():
        async with libswitch.AsyncRouter.from_dict(mock.config(mock.provider("a1", "gpt-mini"))) as router:
            r = await router.chat.completions.create(model="chat", messages=USER)
            e = await router.embeddings.create(model="chat", input=["a", "b"])
            return r, e

    r, e = run(main())
    assert r.choices[0].message.content == "Hello from the mock (gpt-mini)." and r.switch.provider == "a1"
    assert len(e.data[0].embedding) == 8 and e.switch.provider == "a1"


def test_async_stream(mock):
    async def main():
        router = libswitch.AsyncRouter.from_dict(mock.config(mock.provider("a1", "streamer@chunk_delay_ms=5")))
        stream = await router.chat.completions.create(model="chat", messages=USER, stream=True)
        assert isinstance(stream, libswitch.AsyncStream) and stream.switch is None
        chunks = [chunk async for chunk in stream]
        router.close()
        return stream, chunks

    stream, chunks = run(main())
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "tok1 tok2 tok3 tok4 tok5 "
    assert stream.finish_reason == "stop" and stream.usage.completion_tokens == 5
    assert stream.switch.provider == "a1"


def test_async_errors_carry_the_trace(mock):
    config = mock.config(mock.provider("long", "long@context_length"))

    async def main():
        with libswitch.AsyncRouter.from_dict(config) as router:
            with pytest.raises(libswitch.ContextWindowError) as plain:
                await router.chat.completions.create(model="chat", messages=USER)
            with pytest.raises(libswitch.ContextWindowError) as streamed:
                await router.chat.completions.create(model="chat", messages=USER, stream=True)
        return plain.value, streamed.value

    for error in run(main()):
        assert error.status == 400 and error.trace.attempts[0].provider == "long"


def test_1000_concurrent_requests_are_all_answered_in_order(mock):
    # The mock counts body bytes / 4 as prompt tokens, so request i, with 4*i more bytes of
    # content, must come back with exactly i more prompt tokens: no answer lost or swapped.
    config = mock.config(mock.provider("m1", "gpt-mini@latency_ms=20"), mock.provider("m2", "gpt-mini@latency_ms=20"),
                         routingStrategy="round_robin")

    async def main():
        async with libswitch.AsyncRouter.from_dict(config) as router:
            def ask(i):
                return router.chat.completions.create(model="chat", messages=[{"role": "user", "content": "a" * (4 * i)}])

            return await asyncio.gather(*(ask(i) for i in range(1000)))

    started = time.monotonic()
    answers = run(main())
    elapsed = time.monotonic() - started
    assert len(answers) == 1000
    base = answers[0].usage.prompt_tokens
    assert [a.usage.prompt_tokens - base for a in answers] == list(range(1000))
    assert len({a.id for a in answers}) == 1000
    assert {a.switch.provider for a in answers} == {"m1", "m2"}
    assert mock.stats()["total"] == 1000
    assert elapsed < 20, elapsed


def test_cancelling_the_task_cancels_the_request(mock):
    model = "stuck@hang"

    async def main():
        router = libswitch.AsyncRouter.from_dict(mock.config(mock.provider("stuck", model, timeout=60000)))
        task = asyncio.create_task(router.chat.completions.create(model="chat", messages=USER))
        await asyncio.get_running_loop().run_in_executor(None, mock.wait_for_attempts, model)
        assert in_flight(router) == 1
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        cancelled_in = time.monotonic() - started
        # The request itself stopped: the provider's slot is free again.
        released = await asyncio.get_running_loop().run_in_executor(None, wait_until, lambda: in_flight(router) == 0)
        router.close()
        return cancelled_in, released

    cancelled_in, released = run(main())
    assert cancelled_in < 0.5 and released


def test_cancelling_a_task_reading_a_stream_cancels_it(mock):
    model = "slow@chunks=100,chunk_delay_ms=100"

    async def main():
        router = libswitch.AsyncRouter.from_dict(mock.config(mock.provider("slow", model)))
        first = asyncio.get_running_loop().create_future()

        async def read():
            async for chunk in await router.chat.completions.create(model="chat", messages=USER, stream=True):
                if not first.done():
                    first.set_result(chunk.choices[0].delta.content)

        task = asyncio.create_task(read())
        assert await first == "tok1 "
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        released = await asyncio.get_running_loop().run_in_executor(None, wait_until, lambda: in_flight(router) == 0)
        router.close()
        return released

    assert run(main())


def test_closing_the_router_ends_pending_requests(mock):
    async def main():
        router = libswitch.AsyncRouter.from_dict(mock.config(mock.provider("stuck", "stuck@hang", timeout=60000)))
        tasks = [asyncio.create_task(router.chat.completions.create(model="chat", messages=USER)) for _ in range(5)]
        await asyncio.get_running_loop().run_in_executor(None, mock.wait_for_attempts, "stuck@hang", 5)
        started = time.monotonic()
        router.close()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        return results, time.monotonic() - started

    results, elapsed = run(main())
    assert all(isinstance(r, libswitch.RequestCancelledError) and r.status == 499 for r in results), results
    assert all(r.error_class == "cancelled" and r.route_error == "cancelled" for r in results), results
    assert elapsed < 1.0


def test_one_router_serves_two_event_loops_in_two_threads(mock):
    router = libswitch.AsyncRouter.from_dict(mock.config(mock.provider("m1", "gpt-mini@latency_ms=5")))
    ids = []

    def in_thread():
        async def main():
            answers = await asyncio.gather(*(router.chat.completions.create(model="chat", messages=USER)
                                             for _ in range(50)))
            ids.extend(a.id for a in answers)

        run(main())

    errors = in_threads(in_thread, 2)
    router.close()
    assert not errors and len(set(ids)) == 100


class NoReaderLoop(asyncio.SelectorEventLoop):
    """An event loop without add_reader, like Windows' proactor loop."""

    def add_reader(self, *args, **kwargs):
        raise NotImplementedError


def test_a_loop_without_add_reader_still_works(mock):
    router = libswitch.AsyncRouter.from_dict(mock.config(mock.provider("m1", "streamer")))

    async def main():
        r = await router.chat.completions.create(model="chat", messages=USER)
        stream = await router.chat.completions.create(model="chat", messages=USER, stream=True)
        return r, "".join([c.choices[0].delta.content or "" async for c in stream])

    loop = NoReaderLoop()
    try:
        r, text = loop.run_until_complete(asyncio.wait_for(main(), 10))
    finally:
        loop.close()
        router.close()
    assert r.switch.provider == "m1" and text == "tok1 tok2 tok3 tok4 tok5 "


async def _async_chats(router, n):
    return await asyncio.gather(*(router.chat.completions.create(model="chat", messages=USER) for _ in range(n)))


def test_async_router_takes_io_threads(mock):
    async def main():
        async with libswitch.AsyncRouter.from_dict(mock.config(mock.provider("m1", "gpt-mini")), io_threads=2) as router:
            assert router.io_threads == 2
            answers = await _async_chats(router, 20)
            assert all(a.choices[0].message.content for a in answers)

    asyncio.run(main())
