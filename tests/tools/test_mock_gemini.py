"""switch-mock-provider: the Gemini dialect (Gemini API and Vertex AI paths) and the token endpoint."""
import base64
import json
import subprocess
import time

import pytest

from conftest import MockProvider, mock_provider_path
from test_mock_provider import request, sse_events, stats

GEMINI = "/v1beta/models/{}:generateContent"
GEMINI_STREAM = "/v1beta/models/{}:streamGenerateContent?alt=sse"
VERTEX = "/v1/projects/test-project/locations/us-central1/publishers/google/models/{}:generateContent"
KEY = {"x-goog-api-key": "test-key"}
BODY = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}


def google_error(payload):
    err = json.loads(payload)["error"]
    assert set(err) >= {"code", "message", "status"}
    return err


def token(mp, path="/token", form="grant_type=client_credentials&client_id=a&client_secret=b"):
    return request(mp, path, form.encode(), {"Content-Type": "application/x-www-form-urlencoded"})


# --- the Gemini API ---------------------------------------------------------------------------------

def test_generate_content_answers_in_gemini_shape(mock_provider):
    status, _, payload = request(mock_provider, GEMINI.format("gemini-x"), BODY, KEY)
    assert status == 200
    body = json.loads(payload)
    candidate = body["candidates"][0]
    assert candidate["content"] == {"parts": [{"text": "Hello from the mock (gemini-x)."}], "role": "model"}
    assert candidate["finishReason"] == "STOP"
    usage = body["usageMetadata"]
    assert usage["candidatesTokenCount"] == 7
    assert usage["totalTokenCount"] == usage["promptTokenCount"] + 7
    assert body["modelVersion"] == "gemini-x"
    assert stats(mock_provider)["attempts"] == {"gemini-x": 1}


def test_the_key_belongs_in_a_header_never_in_the_query(mock_provider):
    status, _, payload = request(mock_provider, GEMINI.format("g-query") + "?key=test-key", BODY)
    assert status == 400
    assert "x-goog-api-key" in google_error(payload)["message"]
    status, _, payload = request(mock_provider, GEMINI.format("g-nokey"), BODY)
    assert status == 403
    assert google_error(payload)["status"] == "PERMISSION_DENIED"
    assert stats(mock_provider)["attempts"] == {"g-query": 1, "g-nokey": 1}


def test_model_names_in_the_path_are_percent_decoded_and_carry_scenarios(mock_provider):
    status, _, payload = request(mock_provider, GEMINI.format("g%20x@status=503"), BODY, KEY)
    assert status == 503
    assert google_error(payload) == {"code": 503, "message": "The server is overloaded (mock).", "status": "UNAVAILABLE"}
    assert stats(mock_provider)["attempts"] == {"g x@status=503": 1}


def test_a_stream_has_no_end_marker_its_last_event_finishes(mock_provider):
    status, headers, payload = request(mock_provider, GEMINI_STREAM.format("g-stream@chunks=3"), BODY, KEY)
    assert status == 200
    assert headers["content-type"] == "text/event-stream"
    _, data = sse_events(payload.decode())
    events = [json.loads(d) for d in data]
    assert [e["candidates"][0]["content"]["parts"][0]["text"] for e in events[:3]] == ["tok1 ", "tok2 ", "tok3 "]
    assert all("finishReason" not in e["candidates"][0] for e in events[:3])
    assert events[-1]["candidates"][0]["finishReason"] == "STOP"
    assert events[-1]["usageMetadata"]["candidatesTokenCount"] == 3
    assert "[DONE]" not in payload.decode()


def test_streaming_needs_alt_sse(mock_provider):
    status, _, payload = request(mock_provider, "/v1beta/models/g:streamGenerateContent", BODY, KEY)
    assert status == 400
    assert "alt=sse" in google_error(payload)["message"]


def test_tool_call_answers_with_a_function_call(mock_provider):
    _, _, payload = request(mock_provider, GEMINI.format("g@tool_call=search"), BODY, KEY)
    part = json.loads(payload)["candidates"][0]["content"]["parts"][0]
    assert part == {"functionCall": {"name": "search", "args": {"query": "mock", "limit": 3}}}
    _, _, payload = request(mock_provider, GEMINI_STREAM.format("g@tool_call=search,chunks=1"), BODY, KEY)
    _, data = sse_events(payload.decode())
    assert json.loads(data[-1])["candidates"][0]["content"]["parts"][0]["functionCall"]["name"] == "search"


@pytest.mark.parametrize("spec, status, google_status, needle", [
    ("context_length", 400, "INVALID_ARGUMENT", "exceeds the maximum number of tokens"),
    ("quota", 429, "RESOURCE_EXHAUSTED", "PerDay"),
    ("status=429", 429, "RESOURCE_EXHAUSTED", "PerMinute"),
    ("status=400,error_code=API_KEY_INVALID", 400, "INVALID_ARGUMENT", "API_KEY_INVALID"),
    ("status=403,error_type=PERMISSION_DENIED,error_message=nope", 403, "PERMISSION_DENIED", "nope"),
])
def test_scripted_errors_take_google_shape(mock_provider, spec, status, google_status, needle):
    got, _, payload = request(mock_provider, GEMINI.format("g@" + spec), BODY, KEY)
    assert got == status
    err = google_error(payload)
    assert err["code"] == status and err["status"] == google_status
    assert needle in payload.decode()


def test_content_policy_is_a_blocked_prompt(mock_provider):
    status, _, payload = request(mock_provider, GEMINI.format("g@content_policy"), BODY, KEY)
    assert status == 200
    body = json.loads(payload)
    assert "candidates" not in body and body["promptFeedback"]["blockReason"] == "SAFETY"
    status, _, payload = request(mock_provider, GEMINI_STREAM.format("g@content_policy"), BODY, KEY)
    _, data = sse_events(payload.decode())
    assert status == 200 and json.loads(data[0])["promptFeedback"]["blockReason"] == "SAFETY"


def test_garbage_is_a_200_that_is_not_json(mock_provider):
    status, _, payload = request(mock_provider, GEMINI.format("g@garbage"), BODY, KEY)
    assert status == 200
    with pytest.raises(ValueError):
        json.loads(payload)


# --- Vertex AI and the token endpoint --------------------------------------------------------------

def test_vertex_paths_need_a_token_the_mock_issued(mock_provider):
    status, _, payload = request(mock_provider, VERTEX.format("v"), BODY)
    assert status == 401 and google_error(payload)["status"] == "UNAUTHENTICATED"
    status, _, _ = request(mock_provider, VERTEX.format("v"), BODY, {"Authorization": "Bearer forged"})
    assert status == 401
    status, _, payload = token(mock_provider)
    assert status == 200
    issued = json.loads(payload)
    assert issued["token_type"] == "Bearer" and issued["expires_in"] == 3600
    assert issued["access_token"].startswith("mock-token-")
    status, _, payload = request(mock_provider, VERTEX.format("v"), BODY, {"Authorization": "Bearer " + issued["access_token"]})
    assert status == 200
    assert json.loads(payload)["modelVersion"] == "v"


def test_the_token_endpoint_checks_the_client_credentials_grant(mock_provider):
    status, _, payload = token(mock_provider, form="grant_type=client_credentials&client_id=a")
    assert status == 401 and json.loads(payload)["error"] == "invalid_client"
    status, _, payload = token(mock_provider, form="grant_type=password&username=u")
    assert status == 400 and json.loads(payload)["error"] == "unsupported_grant_type"
    # Exchanges are counted per token path, and never in "total", which counts API calls.
    assert stats(mock_provider)["attempts"] == {"token": 2}
    assert stats(mock_provider)["total"] == 0


def test_token_scenarios(mock_provider):
    status, _, payload = token(mock_provider, "/token/t1@status=500,fail_first=1")
    assert status == 500 and json.loads(payload)["error"] == "server_error"
    status, _, _ = token(mock_provider, "/token/t1@status=500,fail_first=1")
    assert status == 200
    status, _, payload = token(mock_provider, "/token/t2@garbage")
    assert status == 200 and payload.startswith(b"<html>")
    _, _, payload = token(mock_provider, "/token/t3@expires_in=90")
    assert json.loads(payload)["expires_in"] == 90
    started = time.monotonic()
    status, _, _ = token(mock_provider, "/token/t4@latency_ms=200")
    assert status == 200 and time.monotonic() - started >= 0.2
    assert stats(mock_provider)["attempts"] == {"token/t1@status=500,fail_first=1": 2, "token/t2@garbage": 1,
                                                "token/t3@expires_in=90": 1, "token/t4@latency_ms=200": 1}


# --- jwt-bearer assertions, signed with a key made for this test ------------------------------------

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def rsa_key(tmp_path_factory):
    """A fresh RSA key pair (files), made with the openssl command line."""
    directory = tmp_path_factory.mktemp("jwt")
    private, public = directory / "key.pem", directory / "pub.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(private)],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", str(private), "-pubout", "-out", str(public)], check=True, capture_output=True)
    return private, public


def sign(private, header, claims):
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(private)], input=signing_input.encode(),
                               check=True, capture_output=True).stdout
    return signing_input + "." + b64url(signature)


@pytest.fixture(scope="module")
def verifying_mock(rsa_key):
    provider = MockProvider("--jwt-public-key", str(rsa_key[1]))
    yield provider
    assert provider.stop() == 0


def assertion_form(jwt):
    return "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + jwt


def claims_for(mp, path="/token/sa", **override):
    now = int(time.time())
    claims = {"iss": "sa@test.iam.gserviceaccount.com", "scope": "https://www.googleapis.com/auth/cloud-platform",
              "aud": f"http://{mp.host}:{mp.port}{path}", "iat": now, "exp": now + 3600}
    claims.update(override)
    return claims


def test_a_signed_assertion_buys_a_token(verifying_mock, rsa_key):
    jwt = sign(rsa_key[0], {"alg": "RS256", "typ": "JWT", "kid": "k1"}, claims_for(verifying_mock))
    status, _, payload = token(verifying_mock, "/token/sa", assertion_form(jwt))
    assert status == 200, payload
    assert json.loads(payload)["access_token"].startswith("mock-token-")


@pytest.mark.parametrize("change, reason", [
    ("signature", "signature does not verify"),
    ("aud", "aud claim"),
    ("exp", "exp claim"),
    ("iat", "iat claim"),
    ("scope", "cloud-platform"),
    ("alg", "RS256"),
    ("shape", "three base64url parts"),
])
def test_a_wrong_assertion_is_refused(verifying_mock, rsa_key, change, reason):
    header = {"alg": "RS256", "typ": "JWT"}
    claims = claims_for(verifying_mock)
    if change == "aud":
        claims["aud"] = "https://oauth2.googleapis.com/token"
    elif change == "exp":
        claims["exp"] = claims["iat"] + 7200
    elif change == "iat":
        claims["iat"] -= 3600
        claims["exp"] = claims["iat"] + 3600
    elif change == "scope":
        claims["scope"] = "https://www.googleapis.com/auth/userinfo.email"
    elif change == "alg":
        header["alg"] = "none"
    jwt = sign(rsa_key[0], header, claims)
    if change == "signature":
        head, body, _ = jwt.split(".")
        jwt = head + "." + b64url(json.dumps(dict(claims, iss="attacker@example.com")).encode()) + "." + jwt.split(".")[2]
    elif change == "shape":
        jwt = jwt.rsplit(".", 1)[0]
    status, _, payload = token(verifying_mock, "/token/sa", assertion_form(jwt))
    assert status == 400
    error = json.loads(payload)
    assert error["error"] == "invalid_grant" and reason in error["error_description"]


def test_a_public_key_that_cannot_be_read_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    result = subprocess.run([mock_provider_path(), "--jwt-public-key", str(bad)], capture_output=True, text=True, timeout=10)
    assert result.returncode == 2
    assert "--jwt-public-key" in result.stderr
