"""Failures raise the exception of their kind, with the status, the error class and the trace."""
import json
import time

import pytest

import libswitch
from libswitch import _core
from conftest import USER


def fail(router, **kwargs):
    with pytest.raises(libswitch.SwitchError) as info:
        router.chat.completions.create(model=kwargs.pop("model", "chat"), messages=kwargs.pop("messages", USER), **kwargs)
    return info.value


def test_context_window(mock):
    config = mock.config(mock.provider("long", "long@context_length"), fallback=[mock.provider("other", "other")])
    with libswitch.Router.from_dict(config) as router:
        e = fail(router)
    assert type(e) is libswitch.ContextWindowError and isinstance(e, libswitch.BadRequestError)
    assert e.status == 400 and e.error_class == "context_window" and e.route_error == "rejected"
    assert "context window" in e.message
    assert [a.provider for a in e.trace.attempts] == ["long"]  # never failed over
    assert mock.stats()["attempts"].get("other", 0) == 0


def test_content_policy_carries_the_reason(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("strict", "strict@content_policy"))) as router:
        e = fail(router)
    assert type(e) is libswitch.ContentPolicyError and e.status == 400 and e.error_class == "content_policy"
    assert "flagged for violence" in e.message


def test_all_providers_failed(mock):
    config = mock.config(mock.provider("a", "a@status=503", maxRetries=1), mock.provider("b", "b@status=500"),
                         fallback=[mock.provider("c", "c@status=502")])
    with libswitch.Router.from_dict(config) as router:
        e = fail(router)
    assert type(e) is libswitch.AllProvidersFailedError
    assert e.status == 502 and e.error_class == "transient" and e.route_error == "exhausted"
    assert sorted(a.provider for a in e.trace.attempts) == ["a", "a", "b", "c"]
    assert all(a.status >= 500 for a in e.trace.attempts)
    assert e.trace.provider == "" and e.trace.model == "chat"
    assert "(status 502)" in str(e)


def test_authentication_and_rate_limits(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("k", "k@status=401"))) as router:
        auth = fail(router)
    with libswitch.Router.from_dict(mock.config(mock.provider("r", "r@status=429"))) as router:
        limited = fail(router)
    with libswitch.Router.from_dict(mock.config(mock.provider("q", "q@quota"))) as router:
        quota = fail(router)
    assert type(auth) is libswitch.AuthenticationError and auth.error_class == "auth"
    assert type(limited) is libswitch.RateLimitError and limited.status == 429
    assert type(quota) is libswitch.QuotaExceededError and quota.error_class == "quota"
    assert all(isinstance(e, libswitch.AllProvidersFailedError) for e in (auth, limited, quota))


def test_unknown_model_and_malformed_request(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("m", "m"))) as router:
        unknown = fail(router, model="no-such-model")
        malformed = fail(router, messages="not a list")
    assert type(unknown) is libswitch.NotFoundError and unknown.status == 404
    assert type(malformed) is libswitch.BadRequestError and malformed.status == 400
    assert mock.stats()["total"] == 0  # neither reached a provider


def test_deadline(mock):
    with libswitch.Router.from_dict(mock.config(mock.provider("slow", "slow@latency_ms=3000"))) as router:
        started = time.monotonic()
        e = fail(router, timeout=0.3)
    elapsed = time.monotonic() - started
    assert 0.25 < elapsed < 2.0 and e.error_class == "timeout"
    assert e.trace.attempts[0].provider == "slow"
    # The only attempt's timeout is clipped to the deadline: its timing out is the deadline's.
    assert type(e) is libswitch.DeadlineExceededError, e


class FakeResponse:
    """What _core.Response carries, for the mapping table below."""

    def __init__(self, status, error_class, route_error):
        self.status, self.error_class, self.route_error = status, error_class, route_error
        # The library decides the kind (ChatResponse::failure_kind); Python maps it to a class.
        self.failure_kind = _core.failure_kind(status, error_class, route_error)
        self.error = "why"
        self.trace = {"model": "chat", "provider": "", "pool": "", "used_fallback": False, "attempts": []}


@pytest.mark.parametrize("status, error_class, route_error, expected", [
    (499, "cancelled", "cancelled", libswitch.RequestCancelledError),
    (502, "protocol", "stream_interrupted", libswitch.StreamInterruptedError),
    (504, "timeout", "deadline_exceeded", libswitch.DeadlineExceededError),
    (504, "transient", "exhausted", libswitch.DeadlineExceededError),
    (400, "context_window", "rejected", libswitch.ContextWindowError),
    (400, "content_policy", "rejected", libswitch.ContentPolicyError),
    (422, "invalid_request", "rejected", libswitch.BadRequestError),
    (400, "invalid_request", "none", libswitch.BadRequestError),
    (404, "success", "unknown_model", libswitch.NotFoundError),
    (429, "rate_limited", "exhausted", libswitch.RateLimitError),
    (502, "auth", "exhausted", libswitch.AuthenticationError),
    (502, "quota", "exhausted", libswitch.QuotaExceededError),
    (502, "transient", "exhausted", libswitch.AllProvidersFailedError),
    (502, "protocol", "attempts_exceeded", libswitch.AllProvidersFailedError),
    (500, "success", "none", libswitch.SwitchError),
])
def test_error_mapping(status, error_class, route_error, expected):
    from libswitch._errors import error_from_response

    e = error_from_response(FakeResponse(status, error_class, route_error))
    assert type(e) is expected
    assert (e.status, e.error_class, e.route_error, e.message) == (status, error_class, route_error, "why")
    assert e.trace.model == "chat"


def test_no_secret_in_errors(mock, monkeypatch):
    secret = "sk-test-0123456789abcdef0123456789"
    monkeypatch.setenv("PYTEST_SWITCH_KEY", secret)
    config = mock.config(mock.provider("k", f"k@status=401,error_message=Incorrect API key provided: {secret}",
                                       credentialsRef="store"))
    config["credentialStores"] = {"store": {"type": "simple", "config": {"apiKeyVar": "PYTEST_SWITCH_KEY"}}}
    with libswitch.Router.from_dict(config) as router:
        e = fail(router)
        # The key was sent (the mock keeps the headers) and is in no part of the error.
        headers = mock.stats()["last_headers"]
        assert any(secret in h.get("authorization", "") for h in headers.values())
    assert type(e) is libswitch.AuthenticationError
    for text in (str(e), repr(e), e.message, json.dumps(e.trace.model_dump())):
        assert secret not in text and secret[-8:] not in text


def test_config_error_lists_every_diagnostic():
    text = json.dumps({"pools": [{"id": "p", "routingStrategy": "fastest",
                                  "providers": [{"name": "a", "provider": "custom", "modelName": "m",
                                                 "apiBase": "http://127.0.0.1:9/v1", "timout": 5}]}],
                       "models": {"chat": {"primaryPoolId": "nope"}}})
    with pytest.raises(libswitch.ConfigError) as info:
        libswitch.Router.from_string(text)
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, libswitch.SwitchError)
    by_path = {d.path: d for d in e.diagnostics}
    strategy = by_path["pools[0].routingStrategy"]
    assert strategy.severity == "error" and strategy.suggestion == 'did you mean "fastest_response"?'
    assert by_path["pools[0].providers[0].timout"].severity == "warning"
    assert any(d.severity == "error" and d.path.startswith("models") for d in e.diagnostics)
    assert str(e).startswith("<string>: pools[0].routingStrategy: error: unknown value \"fastest\"")
    assert "(and 1 more errors)" in str(e)
    assert e.text.splitlines()[0].startswith("<string>: pools[0].routingStrategy: error:")
    assert e.status is None and e.trace is None


def test_config_error_for_files_and_yaml(tmp_path):
    with pytest.raises(libswitch.ConfigError) as missing:
        libswitch.Router.from_file(tmp_path / "absent.json")
    assert missing.value.diagnostics and missing.value.origin.endswith("absent.json")
    with pytest.raises(libswitch.ConfigError) as bad_yaml:
        libswitch.Config.from_string("pools: [unclosed", format="yaml")
    assert bad_yaml.value.diagnostics[0].severity == "error"
    with pytest.raises(ValueError):
        libswitch.Config.from_string("{}", format="toml")
