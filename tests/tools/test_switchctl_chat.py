"""`switchctl chat` over the loopback mock: text, streaming, JSON with the trace, and failures."""
import json
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DEMO_CONFIG = REPO / "examples" / "definitions.json"


def mock_env(mock):
    return {"MOCK_BASE": f"http://{mock.host}:{mock.port}"}


def test_text_answer_through_the_fallback(switchctl, mock_provider):
    result = switchctl.run("chat", "-c", str(DEMO_CONFIG), "-m", "chat", "Say hello.", env=mock_env(mock_provider))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Hello from the mock (")


def test_json_answer_carries_the_switch_trace(switchctl, mock_provider):
    result = switchctl.run("chat", "-c", str(DEMO_CONFIG), "-m", "chat", "--json", "Say hello.", env=mock_env(mock_provider))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["object"] == "chat.completion"
    trace = answer["switch"]
    assert trace["used_fallback"] is True and trace["pool"] == "backup"
    assert [a["provider"] for a in trace["attempts"]][:2] == ["flaky-primary", "flaky-primary"]
    assert {"provider", "pool", "status", "error_class", "latency_ms"} <= set(trace["attempts"][0])
    assert trace["attempts"][0]["status"] == 503 and trace["attempts"][0]["error_class"] == "transient"
    assert answer["model"] != "chat"  # the model that actually served, not the virtual one


def test_streamed_text_and_streamed_json(switchctl, mock_provider):
    env = mock_env(mock_provider)
    text = switchctl.run("chat", "-c", str(DEMO_CONFIG), "-m", "chat", "--stream", "Say hello.", env=env)
    assert text.returncode == 0, text.stderr
    assert text.stdout == "tok1 tok2 tok3 tok4 tok5 \n"
    streamed = switchctl.run("chat", "-c", str(DEMO_CONFIG), "-m", "chat", "--stream", "--json", "Hi", env=env)
    answer = json.loads(streamed.stdout)
    assert answer["choices"][0]["message"]["content"] == "tok1 tok2 tok3 tok4 tok5 "
    assert answer["switch"]["used_fallback"] is True


def test_failure_exits_non_zero_with_the_error_class(switchctl, mock_provider, tmp_path):
    config = tmp_path / "down.json"
    config.write_text(json.dumps({
        "pools": [{"id": "p", "providers": [{"name": "down", "provider": "custom", "modelName": "m@status=503",
                                             "apiBase": f"http://{mock_provider.host}:{mock_provider.port}/v1",
                                             "maxRetries": 0}]}],
        "models": {"m": {"primaryPoolId": "p"}}}))
    result = switchctl.run("chat", "-c", str(config), "-m", "m", "hello")
    assert result.returncode == 1
    assert "status 502, class transient" in result.stderr
    unknown = switchctl.run("chat", "-c", str(config), "-m", "nope", "hello")
    assert unknown.returncode == 1 and "status 404" in unknown.stderr


def test_chat_usage_errors(switchctl):
    assert switchctl.run("chat").returncode == 2
    assert switchctl.run("chat", "-m").returncode == 2
    assert switchctl.run("chat", "-m", "x", "--bogus", "hi").returncode == 2


# One provider of each native protocol on the mock (kind, credential store, apiBase suffix).
ADAPTERS = {
    "openai": ("custom", "key", "/v1"),
    "anthropic": ("anthropic", "key", ""),
    "bedrock": ("bedrock", "aws", ""),
    "gemini": ("google", "key", ""),
    "azure": ("azure", "azure", ""),
}


@pytest.mark.parametrize("adapter", sorted(ADAPTERS))
def test_streamed_json_names_the_model_that_served(switchctl, mock_provider, tmp_path, adapter):
    kind, store, suffix = ADAPTERS[adapter]
    config = tmp_path / "one.json"
    config.write_text(json.dumps({
        "credentialStores": {
            "key": {"type": "simple", "config": {"apiKeyVar": "KEY"}},
            "azure": {"type": "azure", "config": {"apiKeyVar": "KEY"}},
            "aws": {"type": "aws", "config": {"region": "us-east-1", "accessKeyIdVar": "AWS_KEY_ID",
                                              "secretAccessKeyVar": "KEY"}}},
        "pools": [{"id": "p", "providers": [{"name": adapter, "provider": kind, "credentialsRef": store,
                                             "modelName": f"served-{adapter}",
                                             "apiBase": f"http://{mock_provider.host}:{mock_provider.port}{suffix}"}]}],
        "models": {"virtual": {"primaryPoolId": "p"}}}))
    env = {"KEY": "sk-test-switchctl", "AWS_KEY_ID": "AKIDSWITCHCTL"}
    plain = switchctl.run("chat", "-c", str(config), "-m", "virtual", "--json", "Hi", env=env)
    assert plain.returncode == 0, plain.stderr
    streamed = switchctl.run("chat", "-c", str(config), "-m", "virtual", "--stream", "--json", "Hi", env=env)
    assert streamed.returncode == 0, streamed.stderr
    served = json.loads(plain.stdout)["model"]
    assert served != "virtual"
    assert json.loads(streamed.stdout)["model"] == served
