"""switch-server's admin API: the router's status and breaker resets, behind ADMIN_API_KEY."""
import json

from conftest import error_of, standard_config

ADMIN_KEY = "admin-canary-4b9e2d7c1a6f3e8b5d0c"
CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}


def tripping_config(mock):
    """standard_config plus pool "down", whose only provider fails and trips its breaker at once."""
    config = standard_config(mock)
    config["pools"].append({"id": "down", "providers": [mock.provider("bad", "bad@status=503")],
                            "circuitBreaker": {"enabled": True, "failureThreshold": 1, "resetTimeout": 600000}})
    config["models"]["flaky"] = {"primaryPoolId": "down"}
    return config


def breaker_of(status_body, pool, provider):
    for p in json.loads(status_body)["pools"]:
        if p["id"] == pool:
            return next(x["breaker"] for x in p["providers"] if x["name"] == provider)
    raise AssertionError(f"no pool {pool}")


def test_admin_endpoints_are_disabled_without_admin_api_key(mock, start_server):
    server = start_server(standard_config(mock))
    for method, path in (("GET", "/admin/providers/status"), ("POST", "/admin/providers/main/m1/reset")):
        for headers in ({}, {"Authorization": "Bearer anything"}):
            status, _, body = server.request(method, path, headers=headers)
            assert status == 403
            assert "ADMIN_API_KEY" in error_of(body)["message"]


def test_a_missing_or_wrong_admin_key_gets_401(mock, start_server):
    server = start_server(standard_config(mock), env={"ADMIN_API_KEY": ADMIN_KEY})
    wrong = [{}, {"Authorization": "Bearer " + ADMIN_KEY[:-1]}, {"Authorization": "Bearer " + ADMIN_KEY + "x"},
             {"Authorization": ADMIN_KEY}, {"x-admin-api-key": "nope"}, {"Authorization": "Basic " + ADMIN_KEY}]
    for headers in wrong:
        for method, path in (("GET", "/admin/providers/status"), ("POST", "/admin/providers/main/m1/reset")):
            status, answer_headers, body = server.request(method, path, headers=headers)
            assert status == 401, headers
            assert answer_headers["www-authenticate"] == "Bearer"
            assert ADMIN_KEY not in body.decode() and ADMIN_KEY not in json.dumps(answer_headers)
            error_of(body)


def test_status_and_breaker_reset(mock, start_server):
    server = start_server(tripping_config(mock), env={"ADMIN_API_KEY": ADMIN_KEY})
    bearer = {"Authorization": "Bearer " + ADMIN_KEY}
    status, headers, body = server.request("GET", "/admin/providers/status", headers=bearer)
    assert status == 200 and headers["content-type"] == "application/json"
    assert breaker_of(body, "down", "bad") == "closed"
    assert server.request("POST", "/v1/chat/completions", dict(CHAT, model="flaky"))[0] == 502
    status, _, body = server.request("GET", "/admin/providers/status", headers={"x-admin-api-key": ADMIN_KEY})
    assert status == 200 and breaker_of(body, "down", "bad") == "open"
    assert server.request("GET", "/health")[0] == 503

    status, _, body = server.request("POST", "/admin/providers/down/bad/reset", headers=bearer)
    assert status == 200
    assert json.loads(body) == {"reset": True, "pool": "down", "provider": "bad"}
    status, _, body = server.request("GET", "/admin/providers/status", headers=bearer)
    assert breaker_of(body, "down", "bad") == "closed"
    assert server.request("GET", "/health")[0] == 200


def test_resetting_an_unknown_provider_gets_404(mock, start_server):
    server = start_server(standard_config(mock), env={"ADMIN_API_KEY": ADMIN_KEY})
    bearer = {"Authorization": "bearer " + ADMIN_KEY}  # the scheme is case-insensitive
    for path in ("/admin/providers/main/nobody/reset", "/admin/providers/nowhere/m1/reset",
                 "/admin/providers/main/reset", "/admin/providers/main/m1/reset/more"):
        status, _, body = server.request("POST", path, headers=bearer)
        assert status == 404, path
        error_of(body)
    assert server.request("POST", "/admin/providers/main/m1/reset", headers=bearer)[0] == 200
    status, headers, _ = server.request("GET", "/admin/providers/main/m1/reset", headers=bearer)
    assert status == 405 and headers["allow"] == "POST"
    status, headers, _ = server.request("POST", "/admin/providers/status", headers=bearer)
    assert status == 405 and headers["allow"] == "GET"
