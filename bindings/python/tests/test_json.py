"""_core.dumps and _core.loads: the package's JSON, in C++, must read and write what json does."""
import json
import math

import pytest

from libswitch import _core


@pytest.mark.parametrize("value", [
    {"model": "chat", "messages": [{"role": "user", "content": "h\u00e9llo \"quoted\"\n\t\u2603 \U0001F600"}]},
    {"temperature": 0.2, "top_p": 1.0, "n": 1, "seed": -7, "stream": False, "user": None},
    {"logit_bias": {50256: -100, 1.5: 1, True: 0, None: 2}},  # json.dumps turns such keys into text
    [1, (2, 3), [], {}, ""],
    2 ** 70, -(2 ** 70), 12345678901234567890, 1e300, 5e-324, -0.0,
])
def test_dumps_writes_what_json_writes(value):
    text = _core.dumps(value)
    assert json.loads(text) == json.loads(json.dumps(value))
    assert text == json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@pytest.mark.parametrize("value, error, words", [
    (math.nan, ValueError, "not JSON compliant"),
    (math.inf, ValueError, "not JSON compliant"),
    (object(), TypeError, "Object of type object is not JSON serializable"),
    (b"bytes", TypeError, "Object of type bytes is not JSON serializable"),
    ({(1, 2): "x"}, TypeError, "keys must be str, int, float, bool or None, not tuple"),
    ({"s": {1, 2}}, TypeError, "Object of type set"),
])
def test_dumps_refuses_what_json_cannot_hold(value, error, words):
    with pytest.raises(error, match=words):
        _core.dumps(value)


def test_dumps_refuses_a_cycle():
    looped = {"messages": []}
    looped["messages"].append(looped)
    with pytest.raises(ValueError, match="circular"):
        _core.dumps(looped)


def test_loads_reads_what_json_reads():
    text = ('{"id":"x","created":1795249873,"choices":[{"index":0,"message":{"content":"h\\u00e9 \\ud83d\\ude00"},'
            '"finish_reason":null}],"usage":{"prompt_tokens":17},"f":1.5e3,"neg":-3,"t":true,"u":18446744073709551615}')
    assert _core.loads(text) == json.loads(text)
    assert _core.loads(text.encode()) == json.loads(text)


def test_loads_takes_integers_beyond_64_bits_as_json_does():
    text = '{"big": 123456789012345678901234567890, "small": -1}'
    assert _core.loads(text) == {"big": 123456789012345678901234567890, "small": -1}


@pytest.mark.parametrize("text", ["{", "", "[1,]", '{"a" 1}', b"\xff"])
def test_loads_raises_on_what_is_not_json(text):
    with pytest.raises(ValueError):  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        _core.loads(text)
