"""Router: blocking chat completions, embeddings, config loading, status and lifecycle."""
import json
import os

import pytest

import libswitch
from conftest import USER, in_flight, in_threads


def test_chat_completion_mirrors_openai(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("m1", "gpt-mini"))) as router:
        r = router.chat.completions.create(model="chat", messages=USER)
    assert isinstance(r, libswitch.ChatCompletion)
    assert r.choices[0].message.content == "Hello from the mock (gpt-mini)."
    assert r.choices[0].message.role == "assistant"
    assert r.choices[0].finish_reason == "stop"
    assert r.object == "chat.completion" and r.id.startswith("chatcmpl-mock-")
    assert r.model == "gpt-mini"  # the model that served
    assert r.usage.completion_tokens == 7
    assert r.usage.total_tokens == r.usage.prompt_tokens + 7 > 7
    assert r.switch.provider == "m1" and r.switch.pool == "main" and r.switch.used_fallback is False
    assert [(a.provider, a.status, a.error_class) for a in r.switch.attempts] == [("m1", 200, "success")]
    dumped = r.model_dump()
    assert dumped["choices"][0]["message"]["content"] == r.choices[0].message.content
    assert dumped["switch"]["attempts"][0]["provider"] == "m1"
    assert json.loads(r.model_dump_json()) == dumped


def test_fallback_is_in_the_trace(mock):
    config = mock.config(mock.provider("down", "primary@status=503", maxRetries=1),
                         fallback=[mock.provider("up", "backup-model")])
    with libswitch.Router.from_dict(config) as router:
        r = router.chat.completions.create(model="chat", messages=USER)
    assert r.switch.used_fallback is True and r.switch.pool == "backup" and r.switch.provider == "up"
    assert [(a.provider, a.status, a.error_class) for a in r.switch.attempts] == [
        ("down", 503, "transient"), ("down", 503, "transient"), ("up", 200, "success")]
    assert mock.stats()["attempts"]["primary@status=503"] == 2


def test_request_parameters_are_sent(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("m1", "gpt-mini"))) as router:
        plain = router.chat.completions.create(model="chat", messages=USER)
        # The mock counts prompt tokens as body bytes / 4: 400 more bytes are 100 more tokens.
        longer = router.chat.completions.create(model="chat", messages=USER, user="u" * 400)
        extra = router.chat.completions.create(model="chat", messages=USER, extra_body={"metadata": "m" * 400})
    assert longer.usage.prompt_tokens - plain.usage.prompt_tokens in (100, 101, 102, 103, 104)
    assert extra.usage.prompt_tokens - plain.usage.prompt_tokens in (100, 101, 102, 103, 104, 105, 106)


def test_embeddings(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("e1", "embed-small"))) as router:
        r = router.embeddings.create(model="chat", input="hello world")
    assert isinstance(r, libswitch.CreateEmbeddingResponse)
    assert len(r.data) == 1 and len(r.data[0].embedding) == 8 and r.data[0].index == 0
    assert r.usage.prompt_tokens >= 1
    assert r.switch.provider == "e1"


def test_loading_from_file_yaml_string_and_environment(mock, tmp_path, monkeypatch):
    config = mock.config(mock.provider("m1", "gpt-mini"))
    path = tmp_path / "routes.json"
    path.write_text(json.dumps(config))
    yaml_text = (f"pools:\n  - id: main\n    providers:\n      - name: y1\n        provider: custom\n"
                 f"        apiBase: {mock.base}/v1\n        modelName: yaml-model\n"
                 f"models:\n  chat:\n    primaryPoolId: main\n")
    with libswitch.Router.from_file(path) as a, libswitch.Router.from_string(yaml_text, format="yaml") as b:
        assert a.chat.completions.create(model="chat", messages=USER).switch.provider == "m1"
        assert b.chat.completions.create(model="chat", messages=USER).switch.provider == "y1"
        assert a.config.models == ["chat"] and a.config.pools == ["main"]
        assert a.config.origin == str(path)
    # The default load order: ./definitions.json first, then MODEL_DEFINITIONS.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MODEL_DEFINITIONS", json.dumps(config))
    with libswitch.Router.from_env() as router, libswitch.Router() as default:
        assert router.config.origin == "MODEL_DEFINITIONS" == default.config.origin
        assert default.chat.completions.create(model="chat", messages=USER).choices[0].message.content
    (tmp_path / "definitions.json").write_text(json.dumps(mock.config(mock.provider("local", "gpt-mini"))))
    with libswitch.Router.from_env() as router:
        assert router.chat.completions.create(model="chat", messages=USER).switch.provider == "local"


def test_config_warnings_are_kept(mock):
    config = mock.config(mock.provider("m1", "gpt-mini", timout=5))
    loaded = libswitch.Config.from_dict(config)
    assert [(w.path, w.severity) for w in loaded.warnings] == [("pools[0].providers[0].timout", "warning")]
    assert "did you mean \"timeout\"" in loaded.warnings[0].suggestion
    with libswitch.Router(loaded, connect_timeout=2.0, stream_idle_timeout=5.0) as router:
        assert router.chat.completions.create(model="chat", messages=USER).switch.provider == "m1"


def test_status_and_breaker_reset(mock):
    config = mock.config(mock.provider("down", "x@status=503"), circuitBreaker={"enabled": True, "failureThreshold": 2, "resetTimeout": 60000})
    with libswitch.Router.from_dict(config) as router:
        for _ in range(2):
            with pytest.raises(libswitch.AllProvidersFailedError):
                router.chat.completions.create(model="chat", messages=USER)
        (pool,) = router.status()["pools"]
        assert pool["id"] == "main" and pool["providers"][0]["name"] == "down"
        assert pool["providers"][0]["breaker"] == "open" and pool["providers"][0]["healthy"] is False
        assert router.reset_breaker("main", "down") is True
        assert router.status()["pools"][0]["providers"][0]["breaker"] == "closed"
        assert router.reset_breaker("main", "nobody") is False
        assert router.reset_breaker("nowhere", "down") is False


def test_closed_router_refuses_calls(mock):
    router = libswitch.Router.from_dict(mock.config(mock.provider("m1", "gpt-mini")))
    assert not router.closed
    router.close()
    router.close()  # idempotent
    assert router.closed
    with pytest.raises(libswitch.RouterClosedError):
        router.chat.completions.create(model="chat", messages=USER)
    with pytest.raises(libswitch.RouterClosedError):
        router.status()


def test_bad_router_options():
    config = {"pools": [{"id": "p", "providers": [{"name": "a", "provider": "custom",
                                                  "apiBase": "http://127.0.0.1:9/v1", "modelName": "m"}]}],
              "models": {"chat": {"primaryPoolId": "p"}}}
    with pytest.raises(ValueError):
        libswitch.Router.from_dict(config, connect_timeout=0)
    with pytest.raises(ValueError):
        libswitch.Router.from_dict(config, stream_idle_timeout=-1)
    with pytest.raises(TypeError):
        libswitch.Router(config)  # a dict is not a Config: from_dict says so
    with libswitch.Router.from_dict(config) as router, pytest.raises(ValueError):
        router.chat.completions.create(model="chat", messages=USER, timeout=0)


def test_many_threads_share_one_router(mock):
    results = []
    with libswitch.Router.from_dict(mock.config(mock.provider("m1", "gpt-mini@latency_ms=5"))) as router:
        def worker():
            for _ in range(20):
                results.append(router.chat.completions.create(model="chat", messages=USER).id)

        errors = in_threads(worker, 8)
        assert in_flight(router) == 0
    assert not errors
    assert len(results) == 160 and len(set(results)) == 160


def test_io_threads_option(mock):
    config = mock.config(mock.provider("m1", "gpt-mini@latency_ms=5"))
    with libswitch.Router.from_dict(config) as router:
        assert router.io_threads == max(1, min(os.cpu_count() or 1, 4))  # the default, io_threads=0
    with libswitch.Router.from_dict(config, io_threads=3) as router:
        assert router.io_threads == 3
        # Requests spread over the three threads; each answer still reaches its caller.
        results = []

        def worker():
            for _ in range(10):
                results.append(router.chat.completions.create(model="chat", messages=USER).id)

        errors = in_threads(worker, 6)
        assert not errors
        assert len(results) == 60 and len(set(results)) == 60
    assert router.io_threads == 3  # still readable once closed
    with pytest.raises(ValueError, match="io_threads"):
        libswitch.Router.from_dict(config, io_threads=-1)

