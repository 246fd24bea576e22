"""switch-mock-provider's Bedrock dialect, checked with Python's own SigV4 and event-stream code,
so that the mock and the library are never only checked against each other."""
import datetime
import hashlib
import hmac
import http.client
import json
import struct
import urllib.parse
import zlib

import pytest

MOCK_KEY_ID = "AKIDMOCKBEDROCK"
MOCK_SECRET = "mock-bedrock-secret-access-key"
MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0"


# --- an independent SigV4 signer and event-stream decoder ----------------------------------------

def sign(method, host, path, body, key_id, secret, region="us-east-1", token=None, now=None):
    """Headers for a SigV4-signed request (service "bedrock"); `path` is sent as given."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    headers = {"host": host, "content-type": "application/json", "x-amz-date": amz_date}
    if token:
        headers["x-amz-security-token"] = token
    names = sorted(headers)
    canonical_uri = "/".join(urllib.parse.quote(seg, safe="-_.~") for seg in path.split("/"))
    canonical = "\n".join([method, canonical_uri, "", "".join(f"{n}:{headers[n]}\n" for n in names),
                           ";".join(names), hashlib.sha256(body).hexdigest()])
    scope = f"{amz_date[:8]}/{region}/bedrock/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (amz_date[:8], region, "bedrock", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={key_id}/{scope}, SignedHeaders={';'.join(names)}, "
                                f"Signature={signature}")
    return headers


def decode_event_stream(data):
    """[(headers, payload bytes, crc_ok)] for each whole message; stops at the first bad CRC."""
    messages, i = [], 0
    while i + 12 <= len(data):
        total, header_length, prelude_crc = struct.unpack(">III", data[i:i + 12])
        message = data[i:i + total]
        ok = prelude_crc == zlib.crc32(data[i:i + 8]) and struct.unpack(">I", message[-4:])[0] == zlib.crc32(message[:-4])
        headers, j, raw = {}, 0, message[12:12 + header_length]
        while j < len(raw):
            n = raw[j]
            name = raw[j + 1:j + 1 + n].decode()
            assert raw[j + 1 + n] == 7, "the mock sends string headers only"
            (length,) = struct.unpack(">H", raw[j + 2 + n:j + 4 + n])
            headers[name] = raw[j + 4 + n:j + 4 + n + length].decode()
            j += 4 + n + length
        messages.append((headers, message[12 + header_length:-4], ok))
        if not ok:
            break
        i += total
    return messages


# --- helpers --------------------------------------------------------------------------------------

def converse(mp, model=MODEL, stream=False, body=None, key_id="AKIDEXAMPLE", secret="any", headers=None, sign_body=None):
    path = f"/model/{urllib.parse.quote(model, safe='')}/{'converse-stream' if stream else 'converse'}"
    data = json.dumps(body or {"messages": [{"role": "user", "content": [{"text": "hi"}]}]}).encode()
    all_headers = sign("POST", f"{mp.host}:{mp.port}", path, sign_body if sign_body is not None else data, key_id, secret)
    all_headers.update(headers or {})
    conn = http.client.HTTPConnection(mp.host, mp.port, timeout=10)
    conn.request("POST", path, body=data, headers=all_headers)
    resp = conn.getresponse()
    payload = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload


def events(payload):
    decoded = decode_event_stream(payload)
    assert all(ok for _, _, ok in decoded)
    return [(h[":event-type"], json.loads(p)) for h, p, _ in decoded]


# --- authentication -------------------------------------------------------------------------------

def test_unsigned_requests_are_403(mock_provider):
    conn = http.client.HTTPConnection(mock_provider.host, mock_provider.port, timeout=10)
    conn.request("POST", "/model/m/converse", body=b'{"messages":[]}', headers={"content-type": "application/json"})
    resp = conn.getresponse()
    assert resp.status == 403
    assert "Missing Authentication Token" in json.loads(resp.read())["message"]


def test_a_wrong_scope_is_403(mock_provider):
    status, _, payload = converse(mock_provider, headers={
        "authorization": "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"})
    assert status == 403
    assert "scoped" in json.loads(payload)["message"]


def test_the_mock_key_is_verified_against_an_independent_signer(mock_provider):
    status, _, payload = converse(mock_provider, key_id=MOCK_KEY_ID, secret=MOCK_SECRET)
    assert status == 200, payload
    status, _, payload = converse(mock_provider, key_id=MOCK_KEY_ID, secret="wrong-secret")
    assert status == 403
    assert "signature we calculated does not match" in json.loads(payload)["message"]
    status, _, _ = converse(mock_provider, key_id=MOCK_KEY_ID, secret=MOCK_SECRET, sign_body=b'{"other":1}')
    assert status == 403  # the body was changed after signing


# --- answers --------------------------------------------------------------------------------------

def test_converse_shape_and_model_from_the_encoded_path(mock_provider):
    status, headers, payload = converse(mock_provider)
    assert status == 200
    assert headers["content-type"] == "application/json"
    answer = json.loads(payload)
    assert answer["output"]["message"] == {"role": "assistant", "content": [{"text": f"Hello from the mock ({MODEL})."}]}
    assert answer["stopReason"] == "end_turn"
    assert answer["usage"]["outputTokens"] == 7
    assert answer["usage"]["totalTokens"] == answer["usage"]["inputTokens"] + 7
    stats = json.loads(http_get(mock_provider, "/__stats"))
    assert stats["attempts"][MODEL] == 1


def http_get(mp, path):
    conn = http.client.HTTPConnection(mp.host, mp.port, timeout=10)
    conn.request("GET", path)
    payload = conn.getresponse().read()
    conn.close()
    return payload


def test_tool_call(mock_provider):
    status, _, payload = converse(mock_provider, model="m@tool_call=get_weather")
    assert status == 200
    answer = json.loads(payload)
    tool = answer["output"]["message"]["content"][1]["toolUse"]
    assert tool["name"] == "get_weather"
    assert tool["input"] == {"query": "mock"}
    assert answer["stopReason"] == "tool_use"


@pytest.mark.parametrize("spec,status,phrase", [
    ("context_length", 400, "Input is too long for requested model."),
    ("content_policy", 400, "content filtering policy"),
    ("quota", 400, "service quota"),
    ("status=429", 429, "Too many requests"),
    ("status=503", 503, "unable to process"),
])
def test_errors_in_bedrocks_shape(mock_provider, spec, status, phrase):
    got, _, payload = converse(mock_provider, model=f"e@{spec}")
    assert got == status
    body = json.loads(payload)
    assert phrase in body["message"]
    assert "error" not in body and "__type" not in body


def test_error_type_adds_type(mock_provider):
    _, _, payload = converse(mock_provider, model="e@status=400,error_type=ValidationException,error_message=nope")
    assert json.loads(payload) == {"__type": "ValidationException", "message": "nope"}


# --- streams --------------------------------------------------------------------------------------

def test_stream_is_an_event_stream_with_valid_crcs(mock_provider):
    status, headers, payload = converse(mock_provider, model="s@chunks=3", stream=True)
    assert status == 200
    assert headers["content-type"] == "application/vnd.amazon.eventstream"
    got = events(payload)
    assert [t for t, _ in got] == ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta",
                                   "contentBlockStop", "messageStop", "metadata"]
    assert "".join(p["delta"]["text"] for t, p in got if t == "contentBlockDelta") == "tok1 tok2 tok3 "
    assert got[-2][1]["stopReason"] == "end_turn"
    assert got[-1][1]["usage"]["outputTokens"] == 3


def test_stream_tool_call_and_no_done(mock_provider):
    _, _, payload = converse(mock_provider, model="s@chunks=1,tool_call=lookup,no_done", stream=True)
    got = events(payload)
    types = [t for t, _ in got]
    assert types[-1] == "messageStop" and "metadata" not in types
    start = next(p for t, p in got if t == "contentBlockStart")
    assert start["start"]["toolUse"]["name"] == "lookup"
    arguments = "".join(p["delta"]["toolUse"]["input"] for t, p in got if t == "contentBlockDelta" and "toolUse" in p["delta"])
    assert json.loads(arguments) == {"query": "mock"}
    assert got[-1][1]["stopReason"] == "tool_use"


def test_malformed_at_breaks_a_message_crc(mock_provider):
    _, _, payload = converse(mock_provider, model="s@chunks=3,malformed_at=2", stream=True)
    decoded = decode_event_stream(payload)
    assert [ok for _, _, ok in decoded] == [True, True, False]  # messageStart, chunk 1, broken chunk 2


def test_stream_error_at_sends_an_exception_message_and_ends(mock_provider):
    _, _, payload = converse(mock_provider, model="s@chunks=3,stream_error_at=2,error_type=throttlingException", stream=True)
    decoded = decode_event_stream(payload)
    assert all(ok for _, _, ok in decoded)
    headers, body, _ = decoded[-1]
    assert headers[":message-type"] == "exception"
    assert headers[":exception-type"] == "throttlingException"
    assert "message" in json.loads(body)
    assert len(decoded) == 3  # messageStart, chunk 1, the exception


def test_openai_dialect_takes_the_new_keys_too(mock_provider):
    conn = http.client.HTTPConnection(mock_provider.host, mock_provider.port, timeout=10)
    conn.request("POST", "/v1/chat/completions", body=json.dumps(
        {"model": "o@tool_call=f", "messages": [{"role": "user", "content": "hi"}]}).encode())
    message = json.loads(conn.getresponse().read())["choices"][0]
    assert message["finish_reason"] == "tool_calls"
    assert json.loads(message["message"]["tool_calls"][0]["function"]["arguments"]) == {"query": "mock"}
    conn.request("POST", "/v1/chat/completions", body=json.dumps(
        {"model": "o@stream_error_at=1", "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode())
    text = conn.getresponse().read().decode()
    conn.close()
    assert '"error"' in text and "[DONE]" not in text
