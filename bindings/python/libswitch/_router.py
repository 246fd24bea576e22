"""Router and AsyncRouter: the OpenAI-style client over libswitch._core.

Requests go to the C++ router as OpenAI JSON. Its I/O threads never run Python: they put each
chunk and each final response in a ``_core.EventQueue``. A blocking call waits on that queue
with the GIL released; an event loop watches the queue's descriptor with ``loop.add_reader``
and completes futures on its own thread.
"""
from __future__ import annotations

import asyncio
import logging
import os
import itertools
import threading
import weakref
from collections import deque
from typing import (
    Any,
    AsyncIterator,
    Callable,
    Deque,
    Dict,
    Iterable,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    overload,
)

from . import _core
from ._wordllama import embedding_env
from ._errors import ConfigError, RouterClosedError, error_from_response
from ._types import (
    ChatCompletion,
    ChatCompletionChunk,
    CompletionUsage,
    CreateEmbeddingResponse,
    Diagnostic,
    SwitchTrace,
)

__all__ = ["Config", "Router", "AsyncRouter", "Stream", "AsyncStream"]

# How often a blocking wait wakes to let Python handle signals (Ctrl-C cancels the request).
_WAIT_SLICE = 0.2


# ---- Configuration ------------------------------------------------------------------------------


class Config:
    """A validated configuration. Loading raises ConfigError when it has errors; warnings are in
    ``warnings``. When the ``wordllama`` package is installed and SWITCH_EMBEDDING_MODEL and
    SWITCH_EMBEDDING_TOKENIZER are unset, its model is the file embedder's default
    (libswitch/_wordllama.py)."""

    def __init__(self, loaded: "_core.LoadedConfig") -> None:
        diagnostics = [Diagnostic(d) for d in loaded.diagnostics]
        if not loaded.ok:
            raise ConfigError(loaded.text, diagnostics, loaded.origin)
        self._loaded = loaded
        self.origin: str = loaded.origin
        self.warnings: List[Diagnostic] = [d for d in diagnostics if d.severity == "warning"]
        self.summary: Dict[str, int] = loaded.summary
        self.models: List[str] = loaded.models
        self.pools: List[str] = loaded.pools

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Config":
        """Loads a JSON or YAML file (by extension, else by content)."""
        return cls(_core.load_config_file(_fspath(path), embedding_env()))

    @classmethod
    def from_string(cls, text: str, format: Optional[Literal["json", "yaml"]] = None, *, origin: str = "<string>") -> "Config":
        """Loads JSON or YAML text; ``format=None`` detects it."""
        return cls(_core.load_config_string(text, format, origin, embedding_env()))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "<dict>") -> "Config":
        """Loads a configuration given as Python data (serialized to JSON)."""
        return cls(_core.load_config_string(_core.dumps(data), "json", origin, embedding_env()))

    @classmethod
    def from_env(cls, working_dir: Optional[str] = None) -> "Config":
        """The default load order: ./definitions.json (or .yaml), then MODEL_DEFINITIONS, then a
        configuration generated from provider keys such as OPENAI_API_KEY."""
        return cls(_core.load_config_default(working_dir, embedding_env()))

    def __repr__(self) -> str:
        return f"<libswitch.Config {self.origin!r}: {len(self.pools)} pools, {len(self.models)} models>"


def _fspath(path: Any) -> str:
    return os.fsdecode(os.fspath(path))


# ---- Requests -----------------------------------------------------------------------------------


def _request_json(body: Dict[str, Any], params: Dict[str, Any], extra_body: Optional[Mapping[str, Any]],
                  stream: bool = False) -> str:
    """The request as JSON: `body` (which this fills in), the parameters that are not None, then
    ``"stream": true`` when streaming, then `extra_body`."""
    if params:
        body.update({k: v for k, v in params.items() if v is not None})
    if stream:
        body["stream"] = True
    if extra_body:
        body.update(extra_body)
    return _core.dumps(body)


def _messages(messages: Any) -> Any:
    # A generator becomes a list; anything else goes as given, for the router to judge.
    if isinstance(messages, (list, str, bytes, Mapping)) or not hasattr(messages, "__iter__"):
        return messages
    return list(messages)


# A request's options, as the core takes them: the deadline in seconds, the budget in USD, the
# correlation and client ids its request_finished event and log line carry, the caller's trace
# context (traceparent, tracestate), and the response cache's controls (no_cache, no_store, ttl in
# seconds, partition; docs/cache.md).
_Options = Tuple[Optional[float], Optional[float], Optional[str], Optional[str], Optional[str], Optional[str], bool,
                 bool, Optional[int], Optional[str]]
_TraceContext = Tuple[Optional[str], Optional[str]]

_CACHE_KEYS = {"no_cache", "no_store", "ttl", "partition"}


def _options(timeout: Optional[float], max_cost_usd: Optional[float], correlation_id: Optional[str],
             client_id: Optional[str], trace: _TraceContext, cache: Optional[Mapping[str, Any]] = None) -> _Options:
    for name, value in (("correlation_id", correlation_id), ("client_id", client_id)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a str")
    cache = dict(cache or {})
    unknown = set(cache) - _CACHE_KEYS
    if unknown:
        raise TypeError(f"cache: unknown key(s) {sorted(unknown)}; expected no_cache, no_store, ttl, partition")
    ttl = cache.get("ttl")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 <= ttl <= 2592000):
        raise ValueError("cache ttl must be a whole number of seconds from 0 to 2592000 (30 days)")
    partition = cache.get("partition")
    if partition is not None and not isinstance(partition, str):
        raise TypeError("cache partition must be a str")
    return (None if timeout is None else float(timeout), None if max_cost_usd is None else float(max_cost_usd),
            correlation_id, client_id, trace[0], trace[1], bool(cache.get("no_cache", False)),
            bool(cache.get("no_store", False)), ttl, partition)


def _trace(response: Any) -> SwitchTrace:
    return SwitchTrace(response.trace)


def _chat_completion(response: Any) -> ChatCompletion:
    if not response.ok:
        raise error_from_response(response)
    body: Dict[str, Any] = response.body_json or {}
    if not body.get("choices"):
        # Not the provider's own body: build the OpenAI form from what the router parsed.
        body.setdefault("object", "chat.completion")
        body.setdefault("model", response.model)
        body["choices"] = [{"index": 0, "message": {"role": "assistant", "content": response.text},
                            "finish_reason": response.finish_reason or None}]
    if body.get("usage") is None:
        body["usage"] = _usage(response)
    body["switch"] = response.trace
    return ChatCompletion(body)


def _embedding_response(response: Any) -> CreateEmbeddingResponse:
    if not response.ok:
        raise error_from_response(response)
    body: Dict[str, Any] = response.body_json or {}
    body["switch"] = response.trace
    return CreateEmbeddingResponse(body)


def _usage(response: Any) -> Dict[str, int]:
    return {"prompt_tokens": response.prompt_tokens, "completion_tokens": response.completion_tokens,
            "total_tokens": response.prompt_tokens + response.completion_tokens}


_MORE = object()  # a stream's next chunk has not arrived yet


class _StreamState:
    """What a stream has received; shared by Stream and AsyncStream."""

    def __init__(self) -> None:
        self.pending: Deque[bytes] = deque()
        self.response: Any = None  # the final _core.Response
        # Set once the reader has reached the end, so that they appear at one defined point.
        self.switch: Optional[SwitchTrace] = None
        self.usage: Optional[CompletionUsage] = None
        self.finish_reason: Optional[str] = None

    def on_chunk(self, chunk: bytes) -> None:
        self.pending.append(chunk)

    def on_done(self, response: Any) -> None:
        self.response = response

    def _finish(self) -> None:
        response = self.response
        self.switch = _trace(response)
        if response.ok:
            self.usage = CompletionUsage(_usage(response))
            self.finish_reason = response.finish_reason or None

    @property
    def ready(self) -> bool:
        return bool(self.pending) or self.response is not None

    def next_chunk(self) -> Any:
        """The next chunk; None at the end of a successful stream, _MORE when more must arrive
        first. Raises a failed stream's error."""
        while self.pending:
            data = _core.loads(self.pending.popleft())
            if "error" in data and "choices" not in data:
                continue  # the stream_interrupted marker: the final response raises below
            return ChatCompletionChunk(data)
        if self.response is None:
            return _MORE
        if self.switch is None:
            self._finish()
        if not self.response.ok:
            raise error_from_response(self.response)
        return None


# ---- The synchronous client ---------------------------------------------------------------------


_R = TypeVar("_R", bound="_RouterBase")


EventHook = Callable[[Dict[str, Any]], None]
# Gets each span the router records, as a dict (docs/tracing.md), on a thread of the router's.
SpanHook = Callable[[Dict[str, Any]], None]
# Text to a vector (a list of floats, or anything iterable of numbers: a NumPy array), for prompt
# routers configured with "embedder": "callback" (docs/prompt-routing.md). It is called with each
# route's utterances when the router is built, then with each request's last user message on the
# thread that sends it. An exception does not fail the request: the heuristic routes it, and
# ``response.switch.route.fallback`` says why.
Embedder = Callable[[str], Sequence[float]]
# A cascade's judge, for cascades configured with "judge": "callback": (the request's last user
# message, a step's answer) -> (quality, confidence), each from 0 to 1. It runs once per step
# answered; an exception does not fail the request: the built-in judge then judges, and the step's
# note in ``response.switch.route.steps`` says why.
Judge = Callable[[str, str], Tuple[float, float]]


# The log.hpp levels (the token of each queued line) as the logging module's.
_LOG_LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)


class _HookThread:
    """Calls ``deliver(token, data)`` with each item the router queues, on a thread of its own,
    in the order the router queued them: the router's I/O threads put each item in a queue and
    never run Python. ``what`` names the hook when it raises."""

    def __init__(self, deliver: Callable[[int, bytes], None], what: str, name: str) -> None:
        self.queue = _core.EventQueue()
        self._deliver = deliver
        self._what = what
        self._closing = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @classmethod
    def for_events(cls, on_event: EventHook) -> "_HookThread":
        """Each router event, as a dict (docs/events.md), to ``on_event``."""
        if not callable(on_event):
            raise TypeError("on_event must be callable")
        return cls(lambda _token, data: on_event(_core.loads(data)), "the on_event hook", "libswitch-events")

    @classmethod
    def for_log(cls, logger: logging.Logger) -> "_HookThread":
        """Each log line (docs/logging.md) to ``logger``, at its level."""
        if not isinstance(logger, logging.Logger):
            raise TypeError("logger must be a logging.Logger")
        return cls(lambda level, line: logger.log(_LOG_LEVELS[level], line.decode()), "the logger", "libswitch-log")

    @classmethod
    def for_spans(cls, sinks: List[SpanHook]) -> "_HookThread":
        """Each span, as a dict (docs/tracing.md), to every one of ``sinks``."""
        def deliver(_token: int, data: bytes) -> None:
            span = _core.loads(data)
            for sink in sinks:
                sink(span)
        return cls(deliver, "the span hook", "libswitch-spans")

    def _run(self) -> None:
        while True:
            # Read before taking: once the router is closed, every event is already queued.
            closing = self._closing
            events = self.queue.take()
            if not events:
                if closing:
                    return
                self.queue.wait(_WAIT_SLICE)
                continue
            for token, data, _response in events:
                try:
                    self._deliver(token, data)
                except Exception:  # a hook's bug must not stop the items that follow
                    logging.getLogger("libswitch").exception("%s raised", self._what)

    def close(self) -> None:
        """Delivers what is queued, then ends the thread. Call after the router is closed."""
        self._closing = True
        if threading.current_thread() is not self._thread:
            self._thread.join()


class _RouterBase:
    def __init__(self, config: Optional[Config] = None, *, connect_timeout: float = 10.0,
                 stream_idle_timeout: float = 30.0, io_threads: int = 0,
                 on_event: Optional[EventHook] = None, embedder: Optional[Embedder] = None,
                 judge: Optional[Judge] = None, logger: Optional[logging.Logger] = None,
                 on_span: Optional[SpanHook] = None, opentelemetry: bool = False) -> None:
        if config is None:
            config = Config.from_env()
        elif not isinstance(config, Config):
            raise TypeError("config must be a libswitch.Config; use Router.from_file, from_string or from_dict")
        self.config = config
        self._hooks: List[_HookThread] = []
        events = _HookThread.for_events(on_event) if on_event is not None else None
        log = _HookThread.for_log(logger) if logger is not None else None
        if on_span is not None and not callable(on_span):
            raise TypeError("on_span must be callable")
        span_sinks: List[SpanHook] = [on_span] if on_span is not None else []
        # With the bridge, each request joins the caller's current OpenTelemetry span.
        self._trace_context: Callable[[], _TraceContext] = lambda: (None, None)
        if opentelemetry:
            from . import _opentelemetry

            span_sinks.append(_opentelemetry.OpenTelemetryBridge())
            self._trace_context = _opentelemetry.current_trace_context
        spans = _HookThread.for_spans(span_sinks) if span_sinks else None
        hooks = [h for h in (events, log, spans) if h is not None]
        try:
            self._core = _core.Router(config._loaded, connect_timeout, stream_idle_timeout, io_threads,
                                      events.queue if events else None, embedder, judge, log.queue if log else None,
                                      spans.queue if spans else None)
        except BaseException:
            for hook in hooks:
                hook.close()
            raise
        self._hooks = hooks

    @classmethod
    def from_file(cls: Type[_R], path: Union[str, "os.PathLike[str]"], **options: Any) -> _R:
        return cls(Config.from_file(path), **options)

    @classmethod
    def from_string(cls: Type[_R], text: str, format: Optional[Literal["json", "yaml"]] = None, **options: Any) -> _R:
        return cls(Config.from_string(text, format), **options)

    @classmethod
    def from_dict(cls: Type[_R], data: Mapping[str, Any], **options: Any) -> _R:
        return cls(Config.from_dict(data), **options)

    @classmethod
    def from_env(cls: Type[_R], **options: Any) -> _R:
        return cls(Config.from_env(), **options)

    def _options(self, timeout: Optional[float], max_cost_usd: Optional[float], correlation_id: Optional[str],
                 client_id: Optional[str], cache: Optional[Mapping[str, Any]] = None) -> _Options:
        return _options(timeout, max_cost_usd, correlation_id, client_id, self._trace_context(), cache)

    def _submit(self, queue: Any, token: int, kind: int, payload: str, options: _Options) -> int:
        if self._core.closed:
            raise RouterClosedError("the router is closed")
        return self._core.submit(queue, token, kind, payload, *options)

    def _cancel(self, request_id: int) -> None:
        self._core.cancel(request_id)

    def status(self) -> Dict[str, Any]:
        """Every pool and provider: breaker state, error rate, latency, in-flight, cooldown."""
        if self._core.closed:
            raise RouterClosedError("the router is closed")
        return self._core.status()

    def metrics(self) -> str:
        """The router's metrics in the Prometheus text format (docs/metrics.md); "" when the
        config turns them off."""
        if self._core.closed:
            raise RouterClosedError("the router is closed")
        return self._core.metrics_text()

    def reset_breaker(self, pool: str, provider: str) -> bool:
        """Closes one provider's breaker; False when there is no such pool or provider."""
        if self._core.closed:
            raise RouterClosedError("the router is closed")
        return self._core.reset_breaker(pool, provider)

    @property
    def closed(self) -> bool:
        return self._core.closed

    @property
    def io_threads(self) -> int:
        """How many I/O threads the C++ router runs: ``io_threads``, or its default."""
        return self._core.io_threads

    def close(self) -> None:
        """Cancels what still runs (each request ends with RequestCancelledError) and stops the
        I/O threads, with the GIL released; then the ``on_event`` hook and the ``logger`` get
        what is still queued before this returns. Idempotent."""
        self._core.close()
        for hook in self._hooks:
            hook.close()

    def __del__(self) -> None:
        core = getattr(self, "_core", None)
        if core is not None:
            try:
                core.close()
                for hook in getattr(self, "_hooks", []):
                    hook._closing = True  # its daemon thread drains the queue and ends
            except Exception:  # at interpreter exit, parts of Python may be gone already
                pass


def _wait(queue: Any, until: Callable[[], bool], on_event: Callable[[int, Optional[bytes], Any], None]) -> None:
    """Blocks (without the GIL) until `until()` holds, feeding every event to `on_event`."""
    while not until():
        events = queue.take()
        if not events:
            queue.wait(_WAIT_SLICE)
            continue
        for token, chunk, response in events:
            on_event(token, chunk, response)


class _StreamResults:
    """What a finished stream tells, the same for Stream and AsyncStream: set once the reader
    has reached the end."""

    _state: _StreamState

    @property
    def switch(self) -> Optional[SwitchTrace]:
        return self._state.switch

    @property
    def usage(self) -> Optional[CompletionUsage]:
        return self._state.usage

    @property
    def finish_reason(self) -> Optional[str]:
        return self._state.finish_reason


class Stream(_StreamResults, Iterator[ChatCompletionChunk]):
    """The chunks of a streamed chat completion. After the last one, ``switch`` holds the trace
    and ``usage`` the token counts. Closing it early cancels the request."""

    def __init__(self, router: _RouterBase, payload: str, options: _Options) -> None:
        self._router = router
        self._state = _StreamState()
        self._queue = _core.EventQueue()
        self._id = router._submit(self._queue, 0, _core.KIND_STREAM, payload, options)
        # Wait for the first chunk or the end, so a request that fails before any content
        # raises here, like an HTTP error would.
        self._pump()
        if not self._state.pending:
            self._state.next_chunk()  # failed before any content: raise now

    def _pump(self) -> None:
        def on_event(_token: int, chunk: Optional[bytes], response: Any) -> None:
            if response is None:
                self._state.on_chunk(chunk)  # type: ignore[arg-type]
            else:
                self._state.on_done(response)

        try:
            _wait(self._queue, lambda: self._state.ready, on_event)
        except BaseException:
            self.close()
            raise

    def __iter__(self) -> "Stream":
        return self

    def __next__(self) -> ChatCompletionChunk:
        while True:
            self._pump()
            chunk = self._state.next_chunk()
            if chunk is None:
                raise StopIteration
            if isinstance(chunk, ChatCompletionChunk):
                return chunk

    def close(self) -> None:
        if self._state.response is None:
            self._router._cancel(self._id)

    def __enter__(self) -> "Stream":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if self._state.response is None and not self._router.closed:
                self._router._cancel(self._id)
        except Exception:
            pass


class _Completions:
    def __init__(self, router: "Router") -> None:
        self._router = router

    @overload
    def create(self, *, model: str, messages: Iterable[Mapping[str, Any]], stream: Literal[False] = False,
               timeout: Optional[float] = None, max_cost_usd: Optional[float] = None,
               correlation_id: Optional[str] = None, client_id: Optional[str] = None,
               cache: Optional[Mapping[str, Any]] = None,
               extra_body: Optional[Mapping[str, Any]] = None,
               **params: Any) -> ChatCompletion: ...

    @overload
    def create(self, *, model: str, messages: Iterable[Mapping[str, Any]], stream: Literal[True],
               timeout: Optional[float] = None, max_cost_usd: Optional[float] = None,
               correlation_id: Optional[str] = None, client_id: Optional[str] = None,
               cache: Optional[Mapping[str, Any]] = None,
               extra_body: Optional[Mapping[str, Any]] = None,
               **params: Any) -> Stream: ...

    def create(self, *, model: str, messages: Iterable[Mapping[str, Any]], stream: bool = False,
               timeout: Optional[float] = None, max_cost_usd: Optional[float] = None,
               correlation_id: Optional[str] = None, client_id: Optional[str] = None,
               cache: Optional[Mapping[str, Any]] = None,
               extra_body: Optional[Mapping[str, Any]] = None,
               **params: Any) -> Union[ChatCompletion, Stream]:
        """Sends a chat completion to ``model`` (a model or pool of the configuration).

        ``params`` are OpenAI request parameters (temperature, max_tokens, tools, ...), sent as
        given; ``timeout`` is the whole-request deadline in seconds (default: the config's), and
        ``max_cost_usd`` the most the request may cost (docs/prompt-routing.md, "Cost and budgets");
        ``correlation_id`` and ``client_id`` name the request and who asked, in its
        ``request_finished`` event and log line (docs/logging.md), and are never sent upstream.
        ``cache`` is the response cache's say for this request, when the config turns it on
        (docs/cache.md): ``{"no_cache": True}``, ``{"no_store": True}``, ``{"ttl": 60}`` (seconds),
        ``{"partition": "team"}`` (default: ``client_id``).
        """
        payload = _request_json({"model": model, "messages": _messages(messages)}, params, extra_body, stream)
        if stream:
            return Stream(self._router, payload, self._router._options(timeout, max_cost_usd, correlation_id, client_id, cache))
        return _chat_completion(self._router._call(_core.KIND_CHAT, payload, self._router._options(timeout, max_cost_usd, correlation_id, client_id, cache)))


class _Chat:
    def __init__(self, router: "Router") -> None:
        self.completions = _Completions(router)


class _Embeddings:
    def __init__(self, router: "Router") -> None:
        self._router = router

    def create(self, *, model: str, input: Union[str, List[str], List[int], List[List[int]]],
               timeout: Optional[float] = None, max_cost_usd: Optional[float] = None,
               correlation_id: Optional[str] = None, client_id: Optional[str] = None,
               extra_body: Optional[Mapping[str, Any]] = None,
               **params: Any) -> CreateEmbeddingResponse:
        payload = _request_json({"model": model, "input": input}, params, extra_body)
        return _embedding_response(self._router._call(_core.KIND_EMBEDDINGS, payload, self._router._options(timeout, max_cost_usd, correlation_id, client_id)))


class Router(_RouterBase):
    """A router with blocking calls, shaped like ``openai.OpenAI``::

        router = libswitch.Router.from_file("definitions.json")
        r = router.chat.completions.create(model="chat", messages=[{"role": "user", "content": "Hi"}])
        print(r.choices[0].message.content, r.switch.provider)

    Safe to use from many threads at once; each call releases the GIL while it waits.

    Keyword arguments: ``connect_timeout`` and ``stream_idle_timeout`` in seconds, and
    ``io_threads``, how many I/O threads the C++ router runs, each with its own connections
    (0, the default: min(CPU count, 4)). They never run Python; more of them help only when one
    core cannot keep up with the answers, which a single Python thread rarely outpaces.
    ``embedder``, a function from text to a vector for prompt routers that embed with a callback
    (``Embedder``), and ``judge``, a cascade's judge (``Judge``); a configuration that needs one is
    refused with ValueError without it. ``logger``, a ``logging.Logger`` that gets the router's log
    lines (docs/logging.md) at their levels; without one the router logs nothing. ``on_span``, a
    function that gets each span (docs/tracing.md) as a dict, and ``opentelemetry=True``, which
    records them through ``opentelemetry-api``'s tracer and makes each request join the caller's
    current span; without either the router records no span.
    """

    def __init__(self, config: Optional[Config] = None, *, connect_timeout: float = 10.0,
                 stream_idle_timeout: float = 30.0, io_threads: int = 0,
                 on_event: Optional[EventHook] = None, embedder: Optional[Embedder] = None,
                 judge: Optional[Judge] = None, logger: Optional[logging.Logger] = None,
                 on_span: Optional[SpanHook] = None, opentelemetry: bool = False) -> None:
        super().__init__(config, connect_timeout=connect_timeout, stream_idle_timeout=stream_idle_timeout,
                         io_threads=io_threads, on_event=on_event, embedder=embedder, judge=judge, logger=logger,
                         on_span=on_span, opentelemetry=opentelemetry)
        self.chat = _Chat(self)
        self.embeddings = _Embeddings(self)

    def _call(self, kind: int, payload: str, options: _Options) -> Any:
        queue = _core.EventQueue()
        request_id = self._submit(queue, 0, kind, payload, options)
        done: List[Any] = []
        try:
            _wait(queue, lambda: bool(done), lambda _t, _c, response: done.append(response) if response else None)
        except BaseException:  # KeyboardInterrupt: stop the request too
            self._cancel(request_id)
            raise
        return done[0]

    def __enter__(self) -> "Router":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# ---- The asyncio client -------------------------------------------------------------------------


class _Dispatcher:
    """One per event loop: the queue every request of that loop reports to, and what waits on
    it, by token: the future of a whole answer, or a stream. Runs only on the loop's thread. It
    refers to its loop weakly, so that the loop (the key of ``_dispatchers``) can be collected."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.queue = _core.EventQueue()
        self.futures: Dict[int, "asyncio.Future[Any]"] = {}
        self.streams: Dict[int, "AsyncStream"] = {}
        self._tokens = itertools.count(1)
        try:
            loop.add_reader(self.queue.fileno(), self.drain)
        except NotImplementedError:
            # A loop without add_reader (Windows' proactor): a helper thread waits instead.
            threading.Thread(target=_watch, args=(weakref.ref(loop), weakref.ref(self)), name="libswitch-events",
                             daemon=True).start()

    def add_future(self, future: "asyncio.Future[Any]") -> int:
        token = next(self._tokens)
        self.futures[token] = future
        return token

    def add_stream(self, stream: "AsyncStream") -> int:
        token = next(self._tokens)
        self.streams[token] = stream
        return token

    def forget(self, token: int) -> None:
        self.futures.pop(token, None)
        self.streams.pop(token, None)

    def drain(self) -> None:
        # Whole answers are nearly all the traffic, so they are looked for first, with no
        # object or call between the event and the future.
        futures, streams = self.futures, self.streams
        for token, chunk, response in self.queue.take():
            future = futures.pop(token, None)
            if future is not None:
                if not future.done():  # done: cancelled meanwhile
                    future.set_result(response)
                continue
            stream = streams.get(token)
            if stream is None:
                continue  # its reader was cancelled and has gone
            if response is None:
                stream.on_chunk(chunk)
            else:
                del streams[token]
                stream.on_done(response)


def _watch(loop_ref: Callable[[], Optional[asyncio.AbstractEventLoop]], dispatcher_ref: Callable[[], Optional[_Dispatcher]]) -> None:
    """The helper thread of a loop without add_reader: waits for events (without the GIL) and
    has the loop drain them. Ends when the loop or the dispatcher has gone."""
    while True:
        dispatcher = dispatcher_ref()
        if dispatcher is None:
            return
        queue = dispatcher.queue
        del dispatcher
        if not queue.wait(_WAIT_SLICE):
            loop = loop_ref()
            if loop is None or loop.is_closed():
                return
            del loop
            continue
        drained = threading.Event()

        def run() -> None:
            try:
                d = dispatcher_ref()
                if d is not None:
                    d.drain()
            finally:
                drained.set()

        loop = loop_ref()
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(run)
        except RuntimeError:  # the loop is closed
            return
        del loop
        while not drained.wait(_WAIT_SLICE):
            loop = loop_ref()
            if loop is None or loop.is_closed():
                return
            del loop


_dispatchers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Dispatcher]" = weakref.WeakKeyDictionary()
_dispatchers_lock = threading.Lock()


# The loop and dispatcher of the latest lookup, both weakly: nearly every call comes from the
# same loop as the one before, and this spares it the lock and the WeakKeyDictionary.
_recent: Tuple[Callable[[], Any], Callable[[], Any]] = (lambda: None, lambda: None)


def _dispatcher() -> _Dispatcher:
    global _recent
    loop = asyncio.get_running_loop()
    loop_ref, dispatcher_ref = _recent
    if loop_ref() is loop:
        d = dispatcher_ref()
        if d is not None:
            return d  # type: ignore[no-any-return]
    with _dispatchers_lock:
        d = _dispatchers.get(loop)
        if d is None:
            d = _dispatchers[loop] = _Dispatcher(loop)
    _recent = (weakref.ref(loop), weakref.ref(d))
    return d


class AsyncStream(_StreamResults, AsyncIterator[ChatCompletionChunk]):
    """The chunks of a streamed chat completion, for ``async for``. After the last one,
    ``switch`` holds the trace. Cancelling the task that reads it, or closing it, cancels the
    request."""

    def __init__(self, router: _RouterBase, dispatcher: _Dispatcher) -> None:
        self._router = router
        self._dispatcher = dispatcher
        self._state = _StreamState()
        self._waiter: Optional["asyncio.Future[None]"] = None
        self._token = 0
        self._id = 0

    async def _start(self, payload: str, options: _Options) -> None:
        self._token = self._dispatcher.add_stream(self)
        try:
            self._id = self._router._submit(self._dispatcher.queue, self._token, _core.KIND_STREAM, payload, options)
        except BaseException:
            self._dispatcher.forget(self._token)
            raise
        await self._wait()
        if not self._state.pending:
            self._state.next_chunk()  # failed before any content: raise now

    # Called by the dispatcher on the loop's thread.
    def on_chunk(self, chunk: bytes) -> None:
        self._state.on_chunk(chunk)
        self._wake()

    def on_done(self, response: Any) -> None:
        self._state.on_done(response)
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def _wait(self) -> None:
        while not self._state.ready:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            except BaseException:
                self._abandon()
                raise
            finally:
                self._waiter = None

    def _abandon(self) -> None:
        if self._state.response is None:
            self._dispatcher.forget(self._token)
            if not self._router.closed:
                self._router._cancel(self._id)

    def __aiter__(self) -> "AsyncStream":
        return self

    async def __anext__(self) -> ChatCompletionChunk:
        while True:
            await self._wait()
            chunk = self._state.next_chunk()
            if chunk is None:
                raise StopAsyncIteration
            if isinstance(chunk, ChatCompletionChunk):
                return chunk

    async def aclose(self) -> None:
        self._abandon()

    close = aclose

    async def __aenter__(self) -> "AsyncStream":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self._abandon()

    def __del__(self) -> None:
        try:
            if self._state.response is None and self._id and not self._router.closed:
                self._router._cancel(self._id)
        except Exception:
            pass


class _AsyncCompletions:
    def __init__(self, router: "AsyncRouter") -> None:
        self._router = router

    @overload
    async def create(self, *, model: str, messages: Iterable[Mapping[str, Any]], stream: Literal[False] = False,
                     timeout: Optional[float] = None, max_cost_usd: Optional[float] = None,
                     correlation_id: Optional[str] = None, client_id: Optional[str] = None,
                     cache: Optional[Mapping[str, Any]] = None,
                     extra_body: Optional[Mapping[str, Any]] = None,
                     **params: Any) -> ChatCompletion: ...

    @overload
    async def create(self, *, model: str, messages: Iterable[Mapping[str, Any]], stream: Literal[True],
                     timeout: Optional[float] = None, max_cost_usd: Optional[float] = None,
                     correlation_id: Optional[str] = None, client_id: Optional[str] = None,
                     cache: Optional[Mapping[str, Any]] = None,
                     extra_body: Optional[Mapping[str, Any]] = None,
                     **params: Any) -> AsyncStream: ...

    async def create(self, *, model: str, messages: Iterable[Mapping[str, Any]], stream: bool = False,
                     timeout: Optional[float] = None, max_cost_usd: Optional[float] = None,
                     correlation_id: Optional[str] = None, client_id: Optional[str] = None,
                     cache: Optional[Mapping[str, Any]] = None,
                     extra_body: Optional[Mapping[str, Any]] = None,
                     **params: Any) -> Union[ChatCompletion, AsyncStream]:
        """As Router.chat.completions.create; cancelling the awaiting task cancels the request."""
        payload = _request_json({"model": model, "messages": _messages(messages)}, params, extra_body, stream)
        if stream:
            s = AsyncStream(self._router, _dispatcher())
            await s._start(payload, self._router._options(timeout, max_cost_usd, correlation_id, client_id, cache))
            return s
        return _chat_completion(await self._router._call(_core.KIND_CHAT, payload, self._router._options(timeout, max_cost_usd, correlation_id, client_id, cache)))


class _AsyncChat:
    def __init__(self, router: "AsyncRouter") -> None:
        self.completions = _AsyncCompletions(router)


class _AsyncEmbeddings:
    def __init__(self, router: "AsyncRouter") -> None:
        self._router = router

    async def create(self, *, model: str, input: Union[str, List[str], List[int], List[List[int]]],
                     timeout: Optional[float] = None, max_cost_usd: Optional[float] = None,
                     correlation_id: Optional[str] = None, client_id: Optional[str] = None,
                     extra_body: Optional[Mapping[str, Any]] = None,
                     **params: Any) -> CreateEmbeddingResponse:
        payload = _request_json({"model": model, "input": input}, params, extra_body)
        return _embedding_response(await self._router._call(_core.KIND_EMBEDDINGS, payload,
                                                            self._router._options(timeout, max_cost_usd, correlation_id, client_id)))


class AsyncRouter(_RouterBase):
    """A router for asyncio, shaped like ``openai.AsyncOpenAI``::

        router = libswitch.AsyncRouter.from_file("definitions.json")
        r = await router.chat.completions.create(model="chat", messages=[...])
        async for chunk in await router.chat.completions.create(model="chat", messages=[...], stream=True):
            ...

    One router may serve several event loops (and threads) at once. Keyword arguments as for
    ``Router``, ``io_threads`` included.
    """

    def __init__(self, config: Optional[Config] = None, *, connect_timeout: float = 10.0,
                 stream_idle_timeout: float = 30.0, io_threads: int = 0,
                 on_event: Optional[EventHook] = None, embedder: Optional[Embedder] = None,
                 judge: Optional[Judge] = None, logger: Optional[logging.Logger] = None,
                 on_span: Optional[SpanHook] = None, opentelemetry: bool = False) -> None:
        super().__init__(config, connect_timeout=connect_timeout, stream_idle_timeout=stream_idle_timeout,
                         io_threads=io_threads, on_event=on_event, embedder=embedder, judge=judge, logger=logger,
                         on_span=on_span, opentelemetry=opentelemetry)
        self.chat = _AsyncChat(self)
        self.embeddings = _AsyncEmbeddings(self)

    async def _call(self, kind: int, payload: str, options: _Options) -> Any:
        d = _dispatcher()
        future = asyncio.get_running_loop().create_future()
        token = d.add_future(future)
        try:
            request_id = self._submit(d.queue, token, kind, payload, options)
        except BaseException:
            d.forget(token)
            raise
        try:
            return await future
        except BaseException:  # asyncio.CancelledError: the request stops too
            d.forget(token)
            if not self.closed:
                self._cancel(request_id)
            raise

    async def __aenter__(self) -> "AsyncRouter":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()

    def __enter__(self) -> "AsyncRouter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
