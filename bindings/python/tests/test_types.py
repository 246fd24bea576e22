"""The response objects: nested objects are made on first read, and nothing is lost meanwhile."""
import copy
import pickle

import pytest

import libswitch

BODY = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    "switch": {"model": "chat", "provider": "p", "pool": "main", "used_fallback": False,
               "attempts": [{"provider": "p", "pool": "main", "status": 200, "error_class": "success",
                             "latency_ms": 1, "backoff_ms": 0}]},
    "system_fingerprint": "fp_1",  # a member the class does not declare
}


def test_nested_members_become_objects_when_read():
    r = libswitch.ChatCompletion(BODY)
    assert isinstance(r.choices[0], libswitch.Choice)
    assert isinstance(r.choices[0].message, libswitch.ChatCompletionMessage)
    assert r.choices[0].message.content == "hi" and r.choices[0] is r.choices[0]  # made once
    assert isinstance(r.usage, libswitch.CompletionUsage) and r.usage.total_tokens == 4
    assert isinstance(r.switch.attempts[0], libswitch.Attempt) and r.switch.attempts[0].status == 200
    assert r.system_fingerprint == "fp_1"


def test_declared_but_absent_members_are_none_and_others_raise():
    message = libswitch.ChatCompletion(BODY).choices[0].message
    assert message.tool_calls is None
    assert not hasattr(message, "no_such_member")
    with pytest.raises(AttributeError, match="no_such_member"):
        message.no_such_member  # noqa: B018


def test_model_dump_gives_back_read_and_unread_members():
    untouched = libswitch.ChatCompletion(BODY)
    read = libswitch.ChatCompletion(BODY)
    read.choices[0].message.content  # noqa: B018  (converts choices and message)
    for r in (untouched, read):
        dumped = r.model_dump()
        assert dumped["choices"][0]["message"]["content"] == "hi"
        assert dumped["switch"]["attempts"][0]["provider"] == "p"
        assert dumped["system_fingerprint"] == "fp_1"
        assert list(dumped)[:7] == ["id", "object", "created", "model", "choices", "usage", "switch"]
    assert untouched == read


def test_a_member_set_by_the_caller_is_kept():
    r = libswitch.ChatCompletion(BODY)
    r.note = "mine"
    r.model = "other"
    assert r.model_dump()["note"] == "mine" and r.model_dump()["model"] == "other"


def test_objects_copy_and_pickle():
    r = libswitch.ChatCompletion(BODY)
    for other in (copy.copy(r), copy.deepcopy(r), pickle.loads(pickle.dumps(r))):
        assert other == r and other.choices[0].message.content == "hi"
