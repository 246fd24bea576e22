"""The router's log lines in Python (docs/logging.md): logger= gets one line per request at its
level, with the request's correlation and client ids, and nothing without a logger."""
import asyncio
import json
import logging

import pytest

import libswitch
from conftest import USER


class Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def captured_logger(name):
    logger = logging.getLogger(name)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    handler = Captured()
    logger.addHandler(handler)
    return logger, handler


def test_logger_gets_a_line_per_request_with_its_ids(mock):
    logger, handler = captured_logger("test.libswitch.lines")
    events = []
    config = mock.config(mock.provider("p", "log-model"))
    with libswitch.Router.from_dict(config, logger=logger, on_event=events.append) as router:
        router.chat.completions.create(model="chat", messages=USER, correlation_id="order-7", client_id="team-a")
        with pytest.raises(libswitch.NotFoundError):
            router.chat.completions.create(model="nope", messages=USER)
        with pytest.raises(TypeError, match="correlation_id"):
            router.chat.completions.create(model="chat", messages=USER, correlation_id=7)
    lines = [json.loads(r.getMessage()) for r in handler.records]
    assert [(line["event"], line["status"]) for line in lines] == [("request", 200), ("request", 404)]
    assert all(r.levelno == logging.INFO for r in handler.records)
    served = lines[0]
    assert served["correlation_id"] == "order-7" and served["client_id"] == "team-a"
    assert served["model"] == "chat" and served["provider"] == "p"
    finished = [e for e in events if e["event"] == "request_finished"]
    assert finished[0]["correlation_id"] == "order-7" and finished[0]["client_id"] == "team-a"


def test_async_router_logs_too_and_the_level_filters(mock, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    logger, handler = captured_logger("test.libswitch.async")

    async def main():
        config = mock.config(mock.provider("down", "x@status=503"))
        async with libswitch.AsyncRouter.from_dict(config, logger=logger) as router:
            with pytest.raises(libswitch.SwitchError):
                await router.chat.completions.create(model="chat", messages=USER, correlation_id="c-async")

    asyncio.run(asyncio.wait_for(main(), 30))
    assert len(handler.records) == 1
    assert handler.records[0].levelno == logging.WARNING
    assert json.loads(handler.records[0].getMessage())["correlation_id"] == "c-async"


def test_no_logger_no_lines(mock, caplog):
    with caplog.at_level(logging.DEBUG):
        with libswitch.Router.from_dict(mock.config(mock.provider("p", "quiet"))) as router:
            router.chat.completions.create(model="chat", messages=USER)
    assert not [r for r in caplog.records if r.getMessage().startswith('{"time"')]
    with pytest.raises(TypeError, match="logging.Logger"):
        libswitch.Router.from_dict(mock.config(mock.provider("p", "quiet")), logger=print)
