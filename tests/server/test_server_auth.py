"""switch-server's client authentication: API keys kept as SHA-256 digests in the config's `auth`
section, and JWTs (HS256, RS256) from JWT_SECRET_KEY and JWT_ALGORITHM. A missing or bad
credential gets 401, the wrong scope 403, each in OpenAI's error shape."""
import base64
import hashlib
import hmac
import json
import subprocess
import time

import pytest

from conftest import error_of, standard_config
from server_process import ServerProcess, ServerStartError, write_config

TEAM_KEY = "sk-team-canary-5e1d9a7c3b8f2e6d4a0c"
MODELS_KEY = "sk-models-canary-8c2f6a1e9d3b7c5a"
JWT_SECRET = "jwt-secret-canary-3f9b1d7e5c2a8b4d"
CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def auth_config(mock, **extra):
    config = standard_config(mock)
    config["auth"] = {"enabled": True, "api_keys": [
        {"id": "team-a", "sha256": sha256(TEAM_KEY)},
        {"id": "catalog", "sha256": sha256(MODELS_KEY).upper(), "scopes": ["models"]}]}
    config["auth"].update(extra)
    return config


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(claims, alg="HS256", secret=JWT_SECRET, sign=None):
    head = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    signed = f"{head}.{body}".encode()
    signature = sign(signed) if sign else hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


def bearer(credential):
    return {"Authorization": "Bearer " + credential}


def chat_status(server, headers):
    status, answer_headers, body = server.request("POST", "/v1/chat/completions", CHAT, headers=headers)
    if status != 200:
        error_of(body)
    if status == 401:
        assert answer_headers["www-authenticate"] == "Bearer"
    return status


def test_api_keys_and_scopes(mock, start_server):
    server = start_server(auth_config(mock))
    assert chat_status(server, {}) == 401
    assert chat_status(server, bearer("sk-nope")) == 401
    assert chat_status(server, bearer(TEAM_KEY[:-1])) == 401
    assert chat_status(server, {"Authorization": TEAM_KEY}) == 401  # no Bearer scheme
    assert chat_status(server, bearer(TEAM_KEY)) == 200
    assert chat_status(server, {"Authorization": "bearer " + TEAM_KEY}) == 200
    assert chat_status(server, bearer(MODELS_KEY)) == 403  # scope models only
    status, _, body = server.request("POST", "/v1/embeddings", {"model": "embed", "input": "x"},
                                     headers=bearer(MODELS_KEY))
    assert status == 403 and "embeddings" in error_of(body)["message"]
    assert server.request("GET", "/v1/models", headers=bearer(MODELS_KEY))[0] == 200
    assert server.request("GET", "/v1/models")[0] == 401
    assert server.request("GET", "/health")[0] == 200  # liveness needs no credential
    seen = [server.request("POST", "/v1/chat/completions", CHAT, headers=bearer(k)) for k in (TEAM_KEY, "x")]
    assert server.stop() == 0
    for status, headers, body in seen:
        text = json.dumps(headers) + body.decode()
        assert TEAM_KEY not in text
    assert TEAM_KEY not in server.output() and MODELS_KEY not in server.output()
    # The server reads `auth`, so the library's "ignored" warning for it is not shown.
    assert ": auth: warning" not in server.output()


def test_auth_enabled_from_the_environment(mock, start_server):
    config = auth_config(mock)
    config["auth"]["enabled"] = False
    off = start_server(config)
    assert chat_status(off, {}) == 200
    on = start_server(config, env={"AUTH_ENABLED": "true"})
    assert chat_status(on, {}) == 401 and chat_status(on, bearer(TEAM_KEY)) == 200


def test_hs256_tokens(mock, start_server):
    server = start_server(auth_config(mock), env={"JWT_SECRET_KEY": JWT_SECRET, "JWT_ALGORITHM": "HS256"})
    now = int(time.time())
    assert chat_status(server, bearer(token({"sub": "ana", "exp": now + 600}))) == 200
    assert chat_status(server, bearer(token({"sub": "ana", "exp": now + 600, "scope": "chat models"}))) == 200
    assert chat_status(server, bearer(token({"sub": "ana", "exp": now + 600, "scopes": ["models"]}))) == 403
    assert chat_status(server, bearer(token({"sub": "ana", "exp": now - 5}))) == 401  # expired
    assert chat_status(server, bearer(token({"sub": "ana"}))) == 401  # no exp
    assert chat_status(server, bearer(token({"sub": "ana", "exp": now + 600, "nbf": now + 300}))) == 401
    assert chat_status(server, bearer(token({"exp": now + 600}, secret="another-secret"))) == 401
    unsigned = token({"exp": now + 600}, alg="none", sign=lambda _: b"")
    assert chat_status(server, bearer(unsigned)) == 401
    good = token({"sub": "ana", "exp": now + 600})
    tampered = good.split(".")
    tampered[1] = b64(json.dumps({"sub": "root", "exp": now + 600}).encode())
    assert chat_status(server, bearer(".".join(tampered))) == 401
    status, _, body = server.request("POST", "/v1/chat/completions", CHAT,
                                     headers=bearer(token({"exp": now - 5})))
    assert "expired" in error_of(body)["message"]
    assert server.stop() == 0
    assert JWT_SECRET not in server.output()


def test_rs256_tokens(mock, start_server, tmp_path):
    private = tmp_path / "private.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                    str(private)], check=True, capture_output=True)
    public = subprocess.run(["openssl", "pkey", "-in", str(private), "-pubout"], check=True, capture_output=True,
                            text=True).stdout

    def rsa_sign(data):
        return subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(private)], input=data, check=True,
                              capture_output=True).stdout

    server = start_server(auth_config(mock), env={"JWT_SECRET_KEY": public, "JWT_ALGORITHM": "RS256"})
    now = int(time.time())
    assert chat_status(server, bearer(token({"sub": "svc", "exp": now + 600}, alg="RS256", sign=rsa_sign))) == 200
    assert chat_status(server, bearer(token({"sub": "svc", "exp": now - 1}, alg="RS256", sign=rsa_sign))) == 401
    # The algorithm swap: HS256 with the public key as the secret is refused.
    assert chat_status(server, bearer(token({"exp": now + 600}, secret=public))) == 401
    assert chat_status(server, bearer(TEAM_KEY)) == 200  # API keys still work beside tokens


def start_failure(mock, tmp_path, config, env=None):
    with pytest.raises(ServerStartError) as failure:
        ServerProcess(write_config(tmp_path, config), env=env)
    return str(failure.value)


def test_settings_that_need_user_accounts_are_refused(mock, tmp_path):
    message = start_failure(mock, tmp_path, auth_config(mock, require_email_verification=True))
    assert "auth.require_email_verification" in message and "user accounts" in message
    message = start_failure(mock, tmp_path, auth_config(mock), env={"REQUIRE_EMAIL_VERIFICATION": "true"})
    assert "REQUIRE_EMAIL_VERIFICATION" in message


def test_bad_auth_sections_are_refused_without_quoting_keys(mock, tmp_path):
    config = auth_config(mock)
    config["auth"]["api_keys"].append({"id": "pasted", "sha256": TEAM_KEY})
    message = start_failure(mock, tmp_path, config)
    assert "auth.api_keys[2].sha256" in message and TEAM_KEY not in message
    config = auth_config(mock)
    config["auth"]["api_keys"][0]["scopes"] = ["admin"]
    assert "auth.api_keys[0].scopes" in start_failure(mock, tmp_path, config)
    message = start_failure(mock, tmp_path, standard_config(mock) | {"auth": {"enabled": True}})
    assert "no client could call" in message
    message = start_failure(mock, tmp_path, auth_config(mock), env={"JWT_SECRET_KEY": JWT_SECRET,
                                                                    "JWT_ALGORITHM": "RS256"})
    assert "RSA public key" in message and JWT_SECRET not in message
