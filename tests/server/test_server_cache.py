"""switch-server's response cache (docs/cache.md): the config's `cache` section turns it on, a
repeated request is answered without a provider call (x-switch-cache: hit, the original usage), a
stream replays chunk by chunk through the official OpenAI SDK, API keys never share answers, and
the Cache-Control request header's no-cache, no-store and max-age work as documented."""
import hashlib

import openai

from conftest import error_of, standard_config

USER = [{"role": "user", "content": "Say hello."}]
ALICE_KEY = "sk-alice-canary-2b7e1f9d4c6a8e3b"
BOB_KEY = "sk-bob-canary-9d3c5a7e1b8f2d6c"


def cached_config(mock, **cache):
    config = standard_config(mock)
    config["cache"] = {"enabled": True, **cache}
    return config


def client_for(server, key="client-key", **headers):
    return openai.OpenAI(base_url=server.base + "/v1", api_key=key, max_retries=0, default_headers=headers or None)


def chat(client, content="Say hello.", **extra):
    raw = client.chat.completions.with_raw_response.create(
        model="chat", messages=[{"role": "user", "content": content}], **extra)
    return raw.headers, raw.parse()


def test_a_repeated_request_is_answered_from_the_cache(mock, start_server):
    server = start_server(cached_config(mock))
    client = client_for(server)
    headers, first = chat(client)
    assert "x-switch-cache" not in headers
    headers, second = chat(client)
    assert headers["x-switch-cache"] == "hit"
    assert headers["x-switch-provider"] == "m1"  # who first served it
    assert second.choices[0].message.content == first.choices[0].message.content
    assert second.id == first.id  # the stored answer itself
    assert second.usage.completion_tokens == first.usage.completion_tokens == 7
    assert mock.stats()["attempts"] == {"m1": 1}
    status, _, metrics = server.request("GET", "/metrics")
    assert status == 200
    assert 'switch_cache_lookups_total{result="hit"} 1' in metrics.decode()


def test_a_stream_is_replayed_chunk_by_chunk_through_the_sdk(mock, start_server):
    server = start_server(cached_config(mock))
    client = client_for(server)

    def stream():
        return [c.model_dump() for c in client.chat.completions.create(model="chat", messages=USER, stream=True)]

    original = stream()
    replayed = stream()
    assert len(original) >= 6
    assert replayed == original
    assert "".join(c["choices"][0]["delta"]["content"] or "" for c in replayed if c["choices"]) == \
        "tok1 tok2 tok3 tok4 tok5 "
    assert mock.stats()["attempts"] == {"m1": 1}


def test_cache_control_no_cache_no_store_and_max_age(mock, start_server):
    server = start_server(cached_config(mock))
    client = client_for(server)
    # no-store: answered, not kept.
    headers, _ = chat(client, "controls", extra_headers={"Cache-Control": "no-store"})
    headers, _ = chat(client, "controls")
    assert "x-switch-cache" not in headers
    assert mock.stats()["attempts"] == {"m1": 2}
    # Kept now; no-cache goes to the provider anyway.
    headers, _ = chat(client, "controls", extra_headers={"Cache-Control": "no-cache"})
    assert "x-switch-cache" not in headers
    assert mock.stats()["attempts"] == {"m1": 3}
    headers, _ = chat(client, "controls")
    assert headers["x-switch-cache"] == "hit"
    # max-age=0 neither reads nor stores; a generous max-age reads.
    headers, _ = chat(client, "controls", extra_headers={"Cache-Control": "max-age=0"})
    assert "x-switch-cache" not in headers
    headers, _ = chat(client, "controls", extra_headers={"Cache-Control": "max-age=600"})
    assert headers["x-switch-cache"] == "hit"
    assert mock.stats()["attempts"] == {"m1": 4}
    # A max-age that is not whole seconds is the caller's error.
    status, _, body = server.request("POST", "/v1/chat/completions",
                                     {"model": "chat", "messages": USER}, headers={"Cache-Control": "max-age=soon"})
    assert status == 400
    assert "max-age" in error_of(body)["message"]


def test_api_keys_never_share_answers(mock, start_server):
    config = cached_config(mock)
    config["auth"] = {"enabled": True, "api_keys": [
        {"id": "alice", "sha256": hashlib.sha256(ALICE_KEY.encode()).hexdigest()},
        {"id": "bob", "sha256": hashlib.sha256(BOB_KEY.encode()).hexdigest()}]}
    server = start_server(config)
    alice, bob = client_for(server, ALICE_KEY), client_for(server, BOB_KEY)
    chat(alice)
    headers, _ = chat(bob)
    assert "x-switch-cache" not in headers
    headers, _ = chat(alice)
    assert headers["x-switch-cache"] == "hit"
    assert mock.stats()["attempts"] == {"m1": 2}


def test_without_the_section_nothing_is_cached(mock, start_server):
    server = start_server(standard_config(mock))
    client = client_for(server)
    chat(client)
    headers, _ = chat(client)
    assert "x-switch-cache" not in headers
    assert mock.stats()["attempts"] == {"m1": 2}
