"""Router: streamed chat completions."""
import time

import pytest

import libswitch
from conftest import USER, in_flight, wait_until


def test_stream_yields_chunks_then_the_trace(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("s1", "streamer@chunks=4"))) as router:
        stream = router.chat.completions.create(model="chat", messages=USER, stream=True)
        assert isinstance(stream, libswitch.Stream)
        assert stream.switch is None  # not before the end
        chunks = list(stream)
    assert all(isinstance(c, libswitch.ChatCompletionChunk) for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "tok1 tok2 tok3 tok4 "
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert stream.finish_reason == "stop"
    assert stream.usage.completion_tokens == 4
    assert stream.switch.provider == "s1" and stream.switch.attempts[0].status == 200


def test_stream_fails_over_before_the_first_token(mock):
    config = mock.config(mock.provider("cut", "cut@cut_after=0"), fallback=[mock.provider("good", "good")])
    with libswitch.Router.from_dict(config) as router:
        with router.chat.completions.create(model="chat", messages=USER, stream=True) as stream:
            text = "".join(c.choices[0].delta.content or "" for c in stream)
    assert text == "tok1 tok2 tok3 tok4 tok5 "
    assert stream.switch.used_fallback is True
    assert [a.provider for a in stream.switch.attempts] == ["cut", "good"]


def test_a_stream_that_fails_before_content_raises_at_create(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("down", "down@status=503"))) as router:
        with pytest.raises(libswitch.AllProvidersFailedError) as info:
            router.chat.completions.create(model="chat", messages=USER, stream=True)
    assert info.value.status == 502 and info.value.trace.attempts[0].status == 503


def test_a_stream_broken_after_content_raises_stream_interrupted(mock):
    config = mock.config(mock.provider("cut", "cut@cut_after=2"), fallback=[mock.provider("good", "good")])
    received = []
    with libswitch.Router.from_dict(config) as router:
        stream = router.chat.completions.create(model="chat", messages=USER, stream=True)
        with pytest.raises(libswitch.StreamInterruptedError) as info:
            for chunk in stream:
                received.append(chunk.choices[0].delta.content)
    assert received == ["tok1 ", "tok2 "]  # never silently completed by another provider
    assert info.value.trace.provider == "" and [a.provider for a in info.value.trace.attempts] == ["cut"]
    assert stream.switch is not None
    assert mock.stats()["attempts"].get("good", 0) == 0


def test_closing_a_stream_early_cancels_it(mock):
    model = "slow@chunks=100,chunk_delay_ms=100"
    with libswitch.Router.from_dict(mock.config(mock.provider("slow", model))) as router:
        stream = router.chat.completions.create(model="chat", messages=USER, stream=True)
        assert next(stream).choices[0].delta.content == "tok1 "
        assert in_flight(router) == 1
        started = time.monotonic()
        stream.close()
        assert wait_until(lambda: in_flight(router) == 0, timeout=2.0)
        assert time.monotonic() - started < 2.0  # the whole stream would take 10 s


def test_the_interruption_marker_waits_for_the_final_response():
    # The marker chunk and the final response come as two events; a reader that takes the first
    # alone must wait for the second, not end or fail on a missing response.
    from libswitch import _router

    state = _router._StreamState()
    state.on_chunk(b'{"error":{"type":"stream_interrupted","message":"cut"}}')
    assert state.ready and state.next_chunk() is _router._MORE and not state.ready


def test_async_stream_interrupted(mock):
    import asyncio

    config = mock.config(mock.provider("cut", "cut@cut_after=3"))

    async def main():
        async with libswitch.AsyncRouter.from_dict(config) as router:
            received = []
            with pytest.raises(libswitch.StreamInterruptedError) as info:
                async for chunk in await router.chat.completions.create(model="chat", messages=USER, stream=True):
                    received.append(chunk.choices[0].delta.content)
            return received, info.value

    received, error = asyncio.run(main())
    assert received == ["tok1 ", "tok2 ", "tok3 "] and error.status == 502
