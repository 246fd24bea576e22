"""switch-mock-provider's Anthropic and Azure dialects over real loopback HTTP: their answers,
streams, errors, tool calls and in-stream errors, and the checks they make before any scenario."""
import json

import pytest

from test_mock_provider import request, sse_events, stats

ANTHROPIC_HEADERS = {"x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json"}


def messages(mp, model, stream=False, headers=None, **members):
    body = {"model": model, "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}], **members}
    if stream:
        body["stream"] = True
    return request(mp, "/v1/messages", body, ANTHROPIC_HEADERS if headers is None else headers)


def anthropic_error(status, payload):
    body = json.loads(payload)
    assert body["type"] == "error" and set(body["error"]) == {"type", "message"}
    return status, body["error"]["type"], body["error"]["message"]


def named_events(text):
    """(event name, data as JSON) pairs of an Anthropic SSE body; comments are left out."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        assert lines[0].startswith("event: ") and lines[1].startswith("data: "), block
        events.append((lines[0][len("event: "):], lines[1][len("data: "):]))
    return events


# --- Anthropic --------------------------------------------------------------------------------------

def test_anthropic_message_shape(mock_provider):
    status, headers, payload = messages(mock_provider, "claude-x")
    assert status == 200 and headers["content-type"] == "application/json"
    body = json.loads(payload)
    assert body["id"].startswith("msg_mock_") and body["type"] == "message" and body["role"] == "assistant"
    assert body["model"] == "claude-x"
    assert body["content"] == [{"type": "text", "text": "Hello from the mock (claude-x)."}]
    assert body["stop_reason"] == "end_turn" and body["stop_sequence"] is None
    assert body["usage"]["output_tokens"] == 7 and body["usage"]["input_tokens"] >= 1


def test_anthropic_tool_call(mock_provider):
    body = json.loads(messages(mock_provider, "t@tool_call=lookup")[2])
    assert body["stop_reason"] == "tool_use"
    text, call = body["content"]
    assert text == {"type": "text", "text": "Hello from the mock (t@tool_call=lookup)."}
    assert call["type"] == "tool_use" and call["name"] == "lookup" and call["input"] == {"query": "mock"}
    assert call["id"].startswith("toolu_mock_")


def test_anthropic_stream_shape(mock_provider):
    status, headers, payload = messages(mock_provider, "s@chunks=3", stream=True)
    assert status == 200 and headers["content-type"] == "text/event-stream"
    text = payload.decode()
    assert text.startswith(": mock keep-alive\n\n")
    events = named_events(text)
    names = [name for name, _ in events]
    assert names == ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                     "content_block_delta", "content_block_stop", "message_delta", "message_stop"]
    data = [json.loads(d) for _, d in events]
    assert all(d["type"] == name for (name, _), d in zip(events, data))
    start = data[0]["message"]
    assert start["content"] == [] and start["stop_reason"] is None and start["model"] == "s@chunks=3"
    assert [d["delta"]["text"] for d in data[3:6]] == ["tok1 ", "tok2 ", "tok3 "]
    assert data[7]["delta"]["stop_reason"] == "end_turn" and data[7]["usage"]["output_tokens"] == 3


def test_anthropic_streamed_tool_call(mock_provider):
    events = named_events(messages(mock_provider, "s@tool_call=lookup,chunks=2", stream=True)[2].decode())
    assert [name for name, _ in events] == [
        "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
        "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop"]
    data = [json.loads(d) for _, d in events]
    assert data[6]["index"] == 1 and data[6]["content_block"]["type"] == "tool_use"
    assert data[6]["content_block"]["name"] == "lookup"
    fragments = [d["delta"]["partial_json"] for d in data[7:9]]
    assert len(fragments) == 2 and json.loads("".join(fragments)) == {"query": "mock"}
    assert data[-2]["delta"]["stop_reason"] == "tool_use"


def test_anthropic_no_done_and_malformed(mock_provider):
    names = [name for name, _ in named_events(messages(mock_provider, "s@no_done,chunks=1", stream=True)[2].decode())]
    assert names[-1] == "message_delta"
    events = named_events(messages(mock_provider, "s@malformed_at=1,chunks=2", stream=True)[2].decode())
    with pytest.raises(json.JSONDecodeError):
        json.loads(events[3][1])


@pytest.mark.parametrize("spec,status,err_type,message", [
    ("status=529", 529, "overloaded_error", "Overloaded"),
    ("status=429", 429, "rate_limit_error", None),
    ("status=401", 401, "authentication_error", None),
    ("status=403", 403, "permission_error", None),
    ("status=404", 404, "not_found_error", None),
    ("status=500", 500, "api_error", None),
    ("context_length", 400, "invalid_request_error", "prompt is too long: 9000 tokens > 8192 maximum"),
    ("content_policy", 400, "invalid_request_error", "Output blocked by content filtering policy"),
    ("quota", 400, "invalid_request_error", None),
])
def test_anthropic_errors(mock_provider, spec, status, err_type, message):
    got = anthropic_error(*messages(mock_provider, f"e@{spec}")[::2])
    assert got[:2] == (status, err_type)
    if message:
        assert got[2] == message


@pytest.mark.parametrize("headers,status,err_type,message", [
    ({"anthropic-version": "2023-06-01"}, 401, "authentication_error", "x-api-key header is required"),
    ({"x-api-key": "k"}, 400, "invalid_request_error", "anthropic-version: header is required"),
    ({"x-api-key": "k", "anthropic-version": "2023-06-01, 2023-06-01"}, 400, "invalid_request_error",
     'anthropic-version: "2023-06-01, 2023-06-01" is not a valid version'),
])
def test_anthropic_refuses_missing_headers_before_any_scenario(mock_provider, headers, status, err_type, message):
    # The scenario would answer 200; the checks come first. The attempt is still counted.
    assert anthropic_error(*messages(mock_provider, "h@latency_ms=0", headers=headers)[::2]) == (status, err_type, message)
    assert stats(mock_provider)["attempts"]["h@latency_ms=0"] == 1


@pytest.mark.parametrize("members,message", [
    ({"max_tokens": None}, "max_tokens: Field required"),
    ({"stream_options": {"include_usage": True}}, "stream_options: Extra inputs are not permitted"),
    ({"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "hi"}]},
     'messages: Unexpected role "system".'),
])
def test_anthropic_refuses_what_the_messages_api_does_not_take(mock_provider, members, message):
    body = {"model": "b", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}], **members}
    body = {k: v for k, v in body.items() if v is not None}
    status, err_type, got = anthropic_error(*request(mock_provider, "/v1/messages", body, ANTHROPIC_HEADERS)[::2])
    assert (status, err_type) == (400, "invalid_request_error") and got.startswith(message)


def test_anthropic_stream_error_event(mock_provider):
    events = named_events(messages(mock_provider, "s@stream_error_at=3,chunks=5", stream=True)[2].decode())
    names = [name for name, _ in events]
    assert names == ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "error"]
    assert json.loads(events[-1][1]) == {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    # Replacing the first chunk: the error follows the opening events; the scenario names it.
    events = named_events(messages(mock_provider, "s@stream_error_at=1,error_type=api_error,error_message=boom",
                                   stream=True)[2].decode())
    assert [n for n, _ in events] == ["message_start", "content_block_start", "ping", "error"]
    assert json.loads(events[-1][1])["error"] == {"type": "api_error", "message": "boom"}


# --- Azure ------------------------------------------------------------------------------------------

AZURE_PATH = "/openai/deployments/{}/chat/completions?api-version=2024-10-21"


def azure_chat(mp, deployment, headers=None, path=AZURE_PATH, stream=False):
    body = {"messages": [{"role": "user", "content": "hi"}], "stream": stream}
    return request(mp, path.format(deployment), body, {"api-key": "k"} if headers is None else headers)


def test_azure_answers_with_the_deployment_as_model(mock_provider):
    status, _, payload = azure_chat(mock_provider, "gpt-4o-prod")
    assert status == 200
    assert json.loads(payload)["model"] == "gpt-4o-prod"
    # The deployment is percent-decoded and scripts scenarios like a model name.
    status, _, payload = azure_chat(mock_provider, "dep%40status%3D503")
    assert status == 503 and stats(mock_provider)["attempts"]["dep@status=503"] == 1


def test_azure_embeddings_and_streams(mock_provider):
    status, _, payload = request(mock_provider, "/openai/deployments/ada/embeddings?api-version=2024-10-21",
                                 {"input": "hi"}, {"api-key": "k"})
    assert status == 200 and json.loads(payload)["object"] == "list"
    status, _, payload = azure_chat(mock_provider, "s@chunks=2", stream=True)
    assert status == 200 and sse_events(payload.decode())[1][-1] == "[DONE]"


def test_azure_refuses_without_api_version_or_key(mock_provider):
    status, _, payload = azure_chat(mock_provider, "d", path="/openai/deployments/{}/chat/completions")
    assert status == 404 and json.loads(payload) == {"error": {"code": "404", "message": "Resource not found"}}
    status, _, payload = azure_chat(mock_provider, "d", headers={})
    assert status == 401 and json.loads(payload)["error"]["code"] == "401"
    # A bearer token (Microsoft Entra ID) is accepted instead of a key.
    assert azure_chat(mock_provider, "d", headers={"authorization": "Bearer t"})[0] == 200


def test_azure_content_filter_error(mock_provider):
    status, _, payload = azure_chat(mock_provider, "f@content_policy")
    error = json.loads(payload)["error"]
    assert status == 400 and error["code"] == "content_filter"
    assert error["innererror"]["code"] == "ResponsibleAIPolicyViolation"
    assert error["innererror"]["content_filter_result"]["violence"] == {"filtered": True, "severity": "medium"}
    # Other faults are OpenAI's.
    status, _, payload = azure_chat(mock_provider, "f@context_length")
    assert status == 400 and json.loads(payload)["error"]["code"] == "context_length_exceeded"
