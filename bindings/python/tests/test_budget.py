"""A request's budget from Python: max_cost_usd leaves out what it cannot pay for."""
import asyncio

import pytest

import libswitch
from conftest import USER


def test_max_cost_usd(mock):
    config = mock.config(mock.provider("free", "unpriced-model"),
                         fallback=[mock.provider("paid", "priced-model", costPerToken=0.001)])
    with libswitch.Router.from_dict(config) as router:
        # The unpriced provider cannot be shown to fit; the priced one does (about 1,000 tokens).
        r = router.chat.completions.create(model="chat", messages=USER, max_cost_usd=10)
        assert r.switch.provider == "paid"
        assert r.switch.attempts[0].cost_usd == pytest.approx(0.001 * r.usage.total_tokens)
        with pytest.raises(libswitch.BadRequestError, match="fits the budget of 0.5 USD") as e:
            router.chat.completions.create(model="chat", messages=USER, max_cost_usd=0.5)
        assert e.value.status == 400
        with pytest.raises(ValueError, match="max_cost_usd"):
            router.chat.completions.create(model="chat", messages=USER, max_cost_usd=-1)
        assert router.chat.completions.create(model="chat", messages=USER).switch.provider == "free"
    assert mock.stats()["attempts"] == {"priced-model": 1, "unpriced-model": 1}


def test_max_cost_usd_async(mock):
    async def main():
        config = mock.config(mock.provider("paid", "priced-async", costPerToken=0.001))
        async with libswitch.AsyncRouter.from_dict(config) as router:
            with pytest.raises(libswitch.BadRequestError):
                await router.chat.completions.create(model="chat", messages=USER, max_cost_usd=0.001)
            stream = await router.chat.completions.create(model="chat", messages=USER, stream=True, max_cost_usd=10)
            async for _ in stream:
                pass
            return stream.switch.provider

    assert asyncio.run(asyncio.wait_for(main(), 30)) == "paid"
