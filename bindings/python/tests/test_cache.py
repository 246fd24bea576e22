"""The response cache from Python (docs/cache.md): a hit says so in r.switch.cache_hit with cost 0,
a stream replays chunk by chunk, and cache= carries no_cache, no_store, ttl and partition."""
import asyncio

import pytest

import libswitch
from conftest import USER


def cached(mock, key):
    config = mock.config(mock.provider("a", key))
    config["cache"] = {"enabled": True}
    return config


def test_hit_and_per_request_controls(mock):
    with libswitch.Router.from_dict(cached(mock, "py-cache")) as router:
        first = router.chat.completions.create(model="chat", messages=USER)
        assert first.switch.cache_hit is False
        second = router.chat.completions.create(model="chat", messages=USER)
        assert second.switch.cache_hit is True
        assert second.switch.cost_usd == 0
        assert second.usage.completion_tokens == first.usage.completion_tokens
        assert second.choices[0].message.content == first.choices[0].message.content
        assert mock.stats()["attempts"] == {"py-cache": 1}

        assert not router.chat.completions.create(model="chat", messages=USER, cache={"no_cache": True}).switch.cache_hit
        assert not router.chat.completions.create(model="chat", messages=USER, cache={"ttl": 0}).switch.cache_hit
        assert not router.chat.completions.create(model="chat", messages=USER,
                                                  cache={"partition": "other"}).switch.cache_hit
        assert router.chat.completions.create(model="chat", messages=USER, client_id="x",
                                              cache={"partition": "other", "ttl": 60}).switch.cache_hit
        assert mock.stats()["attempts"] == {"py-cache": 4}
        with pytest.raises(TypeError, match="unknown key"):
            router.chat.completions.create(model="chat", messages=USER, cache={"nocache": True})
        with pytest.raises(ValueError, match="ttl"):
            router.chat.completions.create(model="chat", messages=USER, cache={"ttl": -1})


def test_a_stream_replays_chunk_by_chunk_async(mock):
    async def main():
        async with libswitch.AsyncRouter.from_dict(cached(mock, "py-cache-stream")) as router:
            runs = []
            for _ in range(2):
                stream = await router.chat.completions.create(model="chat", messages=USER, stream=True)
                runs.append([chunk.model_dump() async for chunk in stream])
                runs.append(stream.switch.cache_hit)
            return runs

    original, first_hit, replayed, second_hit = asyncio.run(asyncio.wait_for(main(), 30))
    assert (first_hit, second_hit) == (False, True)
    assert replayed == original and len(original) >= 5
    assert mock.stats()["attempts"] == {"py-cache-stream": 1}
