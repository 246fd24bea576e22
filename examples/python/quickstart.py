"""quickstart.py — libswitch from Python: a chat completion with its trace, a stream, asyncio, errors.

It routes through examples/definitions.json, whose primary pool is down, so the answers come from
the fallback pool. Run it over the loopback mock provider (no keys, no network):

    pip install .
    examples/with_mock.sh build/tools/switch-mock-provider python examples/python/quickstart.py
"""
import asyncio
import pathlib

import libswitch

CONFIG = pathlib.Path(__file__).resolve().parent.parent / "definitions.json"
HELLO = [{"role": "user", "content": "Say hello."}]


def main() -> None:
    with libswitch.Router.from_file(CONFIG) as router:
        # One request, as with the OpenAI SDK, plus `switch`: how it was served.
        r = router.chat.completions.create(model="chat", messages=HELLO)
        print("answer:", r.choices[0].message.content)
        print(f"served by {r.switch.provider} in pool {r.switch.pool}, fallback used: {r.switch.used_fallback}")
        for a in r.switch.attempts:
            print(f"  attempt: {a.pool}/{a.provider} -> {a.status} ({a.error_class})")

        # A stream: chunks as they arrive; the trace once it has ended.
        stream = router.chat.completions.create(model="chat", messages=HELLO, stream=True)
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
        print("streamed:", text.strip(), "| provider:", stream.switch.provider)

        # Errors are exceptions with the status, the error class and the trace.
        try:
            router.chat.completions.create(model="no-such-model", messages=HELLO)
        except libswitch.NotFoundError as e:
            print(f"error: {type(e).__name__}, status {e.status}")

    asyncio.run(concurrent())


async def concurrent() -> None:
    async with libswitch.AsyncRouter.from_file(CONFIG) as router:
        answers = await asyncio.gather(*(router.chat.completions.create(model="chat", messages=HELLO)
                                         for _ in range(20)))
        providers = sorted({a.switch.provider for a in answers})
        print(f"async: {len(answers)} answers from {', '.join(providers)}")


if __name__ == "__main__":
    main()
