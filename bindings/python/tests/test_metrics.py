"""The router's metrics from Python, read back with prometheus_client's parser: the text is valid
exposition format, the counts are exact, and no key appears in it."""
from prometheus_client.parser import text_string_to_metric_families

import libswitch

CANARY = "sk-canary-metrics-5f1e0c2b9d"


def _families(text):
    return {f.name: f for f in text_string_to_metric_families(text)}


def _value(family, name, **labels):
    """The one sample of `family` named `name` whose labels include `labels`."""
    found = [s.value for s in family.samples if s.name == name and labels.items() <= s.labels.items()]
    assert len(found) == 1, (name, labels, family.samples)
    return found[0]


def test_metrics_parse_and_count(mock):
    provider = mock.provider("a", "metrics-model")
    provider["credentialsRef"] = "canary"
    config = {
        "credentialStores": [{"name": "canary", "type": "simple", "source": "inline", "config": {"apiKey": CANARY}}],
        "pools": [{"id": "main", "providers": [provider]}],
        "models": {"chat": {"primaryPoolId": "main"}},
    }
    with libswitch.Router.from_dict(config) as router:
        for _ in range(3):
            router.chat.completions.create(model="chat", messages=[{"role": "user", "content": "hi"}])
        stream = router.chat.completions.create(model="chat", messages=[{"role": "user", "content": "hi"}], stream=True)
        for _ in stream:
            pass
        text = router.metrics()
    assert CANARY not in text
    families = _families(text)
    # prometheus_client names a counter family without its _total suffix.
    requests = families["switch_requests"]
    assert requests.type == "counter"
    assert _value(requests, "switch_requests_total", model="chat", pool="main", provider="a", outcome="success") == 4
    duration = families["gen_ai_client_operation_duration_seconds"]
    assert duration.type == "histogram"
    genai = {"gen_ai_operation_name": "chat", "gen_ai_provider_name": "custom", "gen_ai_request_model": "chat"}
    assert _value(duration, "gen_ai_client_operation_duration_seconds_count", **genai) == 4
    assert _value(duration, "gen_ai_client_operation_duration_seconds_bucket", le="+Inf", **genai) == 4
    ttft = families["gen_ai_server_time_to_first_token_seconds"]
    assert _value(ttft, "gen_ai_server_time_to_first_token_seconds_count", **genai) == 1
    tokens = families["gen_ai_client_token_usage"]
    assert _value(tokens, "gen_ai_client_token_usage_count", gen_ai_token_type="output", **genai) == 4
    assert _value(families["switch_metrics_series_dropped"], "switch_metrics_series_dropped_total") == 0


def test_metrics_off(mock, monkeypatch):
    monkeypatch.setenv("METRICS_ENABLED", "false")
    with libswitch.Router.from_dict(mock.config(mock.provider("a", "metrics-off"))) as router:
        router.chat.completions.create(model="chat", messages=[{"role": "user", "content": "hi"}])
        assert router.metrics() == ""
