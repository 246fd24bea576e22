"""switch-server's CORS: CORS_ORIGINS, CORS_METHODS and CORS_HEADERS, with preflight."""
import json

import pytest

from conftest import standard_config
from server_process import ServerProcess, ServerStartError, write_config

CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}
APP = "http://localhost:3000"


def preflight(server, origin, method="POST", headers="authorization, content-type"):
    return server.request("OPTIONS", "/v1/chat/completions",
                          headers={"Origin": origin, "Access-Control-Request-Method": method,
                                   "Access-Control-Request-Headers": headers})


def test_listed_origins_get_cors_headers_and_preflights(mock, start_server):
    server = start_server(standard_config(mock), env={
        "CORS_ORIGINS": '["http://localhost:3000", "https://yourdomain.com"]',
        "CORS_METHODS": '["GET", "POST", "PUT", "DELETE"]', "CORS_HEADERS": "Authorization, Content-Type"})
    status, headers, body = preflight(server, APP)
    assert status == 204 and body == b""
    assert headers["access-control-allow-origin"] == APP and headers["vary"] == "Origin"
    assert headers["access-control-allow-methods"] == "GET, POST, PUT, DELETE"
    assert headers["access-control-allow-headers"] == "Authorization, Content-Type"
    assert headers["access-control-max-age"] == "600"

    status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"Origin": APP})
    assert status == 200
    assert headers["access-control-allow-origin"] == APP
    assert "x-switch-request-id" in headers["access-control-expose-headers"]

    status, headers, body = preflight(server, "https://evil.example")
    assert status == 403 and "access-control-allow-origin" not in headers
    assert "CORS_ORIGINS" in json.loads(body)["error"]["message"]
    status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"Origin": "https://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in headers
    status, headers, _ = server.request("GET", "/v1/models")  # no Origin: not a browser's cross-origin call
    assert status == 200 and "access-control-allow-origin" not in headers


def test_any_origin_and_any_header(mock, start_server):
    server = start_server(standard_config(mock), env={"CORS_ORIGINS": "*", "CORS_HEADERS": '["*"]'})
    status, headers, _ = preflight(server, "https://anywhere.example", headers="x-switch-trace, authorization")
    assert status == 204
    assert headers["access-control-allow-origin"] == "*" and "vary" not in headers
    assert headers["access-control-allow-headers"] == "x-switch-trace, authorization"
    assert headers["access-control-allow-methods"] == "GET, POST, PUT, DELETE"  # the default


def test_preflight_needs_no_credential_but_the_request_does(mock, start_server):
    import hashlib
    config = standard_config(mock)
    config["auth"] = {"enabled": True, "api_keys": [{"id": "a", "sha256": hashlib.sha256(b"k").hexdigest()}]}
    server = start_server(config, env={"CORS_ORIGINS": APP})
    assert preflight(server, APP)[0] == 204
    status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT, headers={"Origin": APP})
    assert status == 401 and headers["access-control-allow-origin"] == APP  # the browser may read the error


def test_without_cors_origins_there_is_no_cross_origin_access(mock, start_server, tmp_path):
    server = start_server(standard_config(mock))
    status, headers, _ = preflight(server, APP)
    assert status == 405 and "access-control-allow-origin" not in headers
    with pytest.raises(ServerStartError) as failure:
        ServerProcess(write_config(tmp_path, standard_config(mock)), env={"CORS_ORIGINS": '["unclosed"'})
    assert "CORS_ORIGINS" in str(failure.value)
