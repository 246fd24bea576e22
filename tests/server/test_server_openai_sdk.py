"""switch-server with the official OpenAI Python SDK: a client none of us wrote is the
compatibility test. Chat, streaming, embeddings and models, sync and async, over the mock."""
import asyncio

import openai

from conftest import standard_config

USER = [{"role": "user", "content": "Say hello."}]


def test_chat_sync(mock, start_server):
    server = start_server(standard_config(mock))
    client = openai.OpenAI(base_url=server.base + "/v1", api_key="client-key", max_retries=0)
    raw = client.chat.completions.with_raw_response.create(model="chat", messages=USER)
    r = raw.parse()
    assert r.choices[0].message.content == "Hello from the mock (m1)."
    assert r.model == "m1"  # the model that served, not the virtual one asked for
    assert r.usage.completion_tokens == 7
    assert raw.headers["x-switch-provider"] == "m1"
    assert raw.headers["x-switch-pool"] == "main"
    assert mock.stats()["attempts"] == {"m1": 1}


def test_stream_sync(mock, start_server):
    server = start_server(standard_config(mock))
    client = openai.OpenAI(base_url=server.base + "/v1", api_key="client-key", max_retries=0)
    text = ""
    finish = None
    for chunk in client.chat.completions.create(model="chat", messages=USER, stream=True):
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
            finish = chunk.choices[0].finish_reason or finish
    assert text == "tok1 tok2 tok3 tok4 tok5 "
    assert finish == "stop"


def test_legacy_completions_sync_and_streamed(mock, start_server):
    server = start_server(standard_config(mock))
    client = openai.OpenAI(base_url=server.base + "/v1", api_key="client-key", max_retries=0)
    r = client.completions.create(model="chat", prompt="Say hello.", max_tokens=20)
    assert r.object == "text_completion"
    assert r.choices[0].text == "Hello from the mock (m1)."
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.completion_tokens == 7
    text = "".join(c.choices[0].text for c in client.completions.create(model="chat", prompt=["Say hello."],
                                                                         stream=True) if c.choices)
    assert text == "tok1 tok2 tok3 tok4 tok5 "
    # The prompt reached the provider as the user message.
    assert mock.stats()["attempts"] == {"m1": 2}


def test_embeddings_and_models_sync(mock, start_server):
    server = start_server(standard_config(mock))
    client = openai.OpenAI(base_url=server.base + "/v1", api_key="client-key", max_retries=0)
    e = client.embeddings.create(model="embed", input="hello")
    assert len(e.data) == 1 and len(e.data[0].embedding) == 8
    ids = [m.id for m in client.models.list()]
    assert sorted(ids) == ["chat", "embed", "smart", "thrifty"]


def test_prompt_routed_and_cascade_models_answer(mock, start_server):
    server = start_server(standard_config(mock))
    client = openai.OpenAI(base_url=server.base + "/v1", api_key="client-key", max_retries=0)
    code = [{"role": "user", "content": "Write a Python function that reverses a linked list, with tests."}]
    raw = client.chat.completions.with_raw_response.create(model="smart", messages=code)
    assert raw.headers["x-switch-pool"] == "strong"
    assert raw.parse().choices[0].message.content == "Hello from the mock (m2)."
    r = client.chat.completions.create(model="thrifty", messages=USER)
    assert r.choices[0].message.content.startswith("Hello from the mock")


def test_async_client(mock, start_server):
    server = start_server(standard_config(mock))

    async def main():
        client = openai.AsyncOpenAI(base_url=server.base + "/v1", api_key="client-key", max_retries=0)
        chats = await asyncio.gather(*[client.chat.completions.create(model="chat", messages=USER) for _ in range(8)])
        stream = await client.chat.completions.create(model="chat", messages=USER, stream=True)
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        e = await client.embeddings.create(model="embed", input=["a", "b"])
        models = [m.id async for m in client.models.list()]
        await client.close()
        return chats, text, e, models

    chats, text, e, models = asyncio.run(asyncio.wait_for(main(), 60))
    assert [c.choices[0].message.content for c in chats] == ["Hello from the mock (m1)."] * 8
    assert text == "tok1 tok2 tok3 tok4 tok5 "
    assert e.data[0].embedding and "chat" in models
    assert mock.stats()["attempts"]["m1"] == 9


def test_errors_raise_the_sdk_errors(mock, start_server):
    server = start_server(standard_config(mock))
    client = openai.OpenAI(base_url=server.base + "/v1", api_key="client-key", max_retries=0)
    try:
        client.chat.completions.create(model="no-such-model", messages=USER)
        raise AssertionError("an unknown model was served")
    except openai.NotFoundError as e:
        assert e.status_code == 404
        assert e.body["type"] == "not_found"


def test_an_interrupted_stream_raises_in_the_sdk(mock, start_server):
    config = standard_config(mock)
    config["pools"].append({"id": "cut", "providers": [mock.provider("cut", "cut@chunks=5,cut_after=2")]})
    config["models"]["cut"] = {"primaryPoolId": "cut"}
    server = start_server(config)
    client = openai.OpenAI(base_url=server.base + "/v1", api_key="client-key", max_retries=0)
    text = ""
    try:
        for chunk in client.chat.completions.create(model="cut", messages=USER, stream=True):
            text += chunk.choices[0].delta.content or "" if chunk.choices else ""
        raise AssertionError("a broken stream ended as if complete")
    except openai.APIError as e:
        assert "stream_interrupted" in str(e.body) or "interrupted" in str(e)
    assert text == "tok1 tok2 "
