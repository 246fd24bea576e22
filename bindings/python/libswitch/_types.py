"""Response objects shaped like the OpenAI SDK's, built from the JSON the router returns.

They are plain attribute objects (no pydantic): every member of the JSON object is an attribute,
known nested objects become objects in turn, and ``model_dump()`` gives the JSON back as dicts.
"""
from __future__ import annotations

import json
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Tuple

__all__ = [
    "SwitchObject",
    "Attempt",
    "RouteScore",
    "RouteVote",
    "CascadeStep",
    "PromptRoute",
    "SwitchTrace",
    "Diagnostic",
    "CompletionUsage",
    "ChatCompletionMessage",
    "Choice",
    "ChatCompletion",
    "ChoiceDelta",
    "ChunkChoice",
    "ChatCompletionChunk",
    "Embedding",
    "EmbeddingUsage",
    "CreateEmbeddingResponse",
]


class _Nested:
    """A nested member of a SwitchObject class: on an object's first read of it, makes the
    member's object(s) from the JSON and keeps them in the object's ``__dict__``, which later
    reads find first (this descriptor defines no ``__set__``, so it yields to the instance)."""

    __slots__ = ("name", "kind")

    def __init__(self, name: str, kind: Any) -> None:
        self.name, self.kind = name, kind

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__["_raw"].get(self.name)
        if value is not None:
            kind = self.kind
            if isinstance(kind, list):
                value = [kind[0](v) if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                value = kind(value)
        obj.__dict__[self.name] = value
        return value


class SwitchObject:
    """One JSON object with attribute access. Unknown members are kept as attributes too; a
    declared member that the JSON lacks reads as None, as in the OpenAI SDK.

    Nested objects are made when first read, not with their parent: a caller that reads one
    answer does not pay for building every object of the response."""

    # member name -> class of a nested object, or a one-element list [class] for an array of them
    _nested: ClassVar[Dict[str, Any]] = {}
    _fields: ClassVar[Tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names: List[str] = []
        for klass in reversed(cls.__mro__):
            for name in getattr(klass, "__annotations__", {}):
                if not name.startswith("_") and name not in names:
                    names.append(name)
        cls._fields = tuple(names)
        # Class attributes, so that reading a member never fails over to a slow path: None for a
        # plain member the JSON may lack, a _Nested for a nested one.
        for name in names:
            if name not in cls.__dict__:
                setattr(cls, name, None)
        for name, kind in cls._nested.items():
            setattr(cls, name, _Nested(name, kind))

    def __init__(self, data: Optional[Mapping[str, Any]] = None, **members: Any) -> None:
        raw: Dict[str, Any] = dict(data) if data else {}
        if members:
            raw.update(members)
        attributes = self.__dict__
        attributes.update(raw)  # plain members are attributes at once
        for name in self._nested:
            attributes.pop(name, None)  # nested ones are made on first read (_Nested)
        attributes["_raw"] = raw  # the JSON members, unconverted, in their order

    def _keys(self) -> List[str]:
        keys = list(self._fields)
        keys += [k for k in self._raw if k not in keys]
        keys += [k for k in self.__dict__ if not k.startswith("_") and k not in keys]  # set by the caller
        return keys

    def model_dump(self) -> Dict[str, Any]:
        """The object as plain dicts and lists, ready for json.dumps."""
        return {k: _dump(getattr(self, k)) for k in self._keys()}

    to_dict = model_dump

    def model_dump_json(self, indent: Optional[int] = None) -> str:
        return json.dumps(self.model_dump(), indent=indent)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SwitchObject) and type(other) is type(self) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        members = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._keys())
        return f"{type(self).__name__}({members})"


def _dump(value: Any) -> Any:
    if isinstance(value, SwitchObject):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


# ---- The switch trace ---------------------------------------------------------------------------


class Attempt(SwitchObject):
    """One attempt of a routed request."""

    provider: str
    pool: str
    status: int  # HTTP status, 0 when no response arrived
    error_class: str  # "success", "transient", "timeout", "rate_limited", ...
    latency_ms: int
    backoff_ms: int  # waited right before this attempt
    transport_error: Optional[str]  # e.g. "connect_refused", when the failure was below HTTP
    cost_usd: Optional[float]  # for the tokens this attempt reported, when the price is known


class RouteScore(SwitchObject):
    """One label's score in a prompt router's decision."""

    router: str  # "labels" (own patterns), "heuristic" or "semantic" (cosine similarity)
    label: str
    score: float
    threshold: float
    signals: List[str]  # the names of the signals that fired (never the prompt's text)


class RouteVote(SwitchObject):
    """One router's vote in a hybrid decision."""

    router: str  # "heuristic" or "semantic"
    label: Optional[str]  # None: it abstained
    confidence: float  # 0 to 1
    weight: float


class CascadeStep(SwitchObject):
    """One step of a cascade: the pool asked, its answer's scores, and what it cost."""

    pool: str
    provider: str  # "" when none answered
    status: int  # 0 when skipped
    estimated_cost_usd: Optional[float]  # the most it could cost, checked against the budget left
    cost_usd: Optional[float]
    quality: Optional[float]
    confidence: Optional[float]
    accepted: bool
    note: str


class PromptRoute(SwitchObject):
    """How a prompt-routed model chose where a request went (docs/prompt-routing.md)."""

    strategy: str  # "heuristic", "semantic", "hybrid" or "cascade"
    rules: str  # the heuristic's: "standard" or "modelmuxer"
    embedder: Optional[str]  # semantic and hybrid: "builtin" or "callback"
    label: str  # "code", "complex", "simple", "general", or a label of the config's own
    scores: List[RouteScore]
    votes: Optional[List[RouteVote]]  # hybrid only
    fallback: Optional[str]  # set when the embedder failed and the heuristic decided: why
    steps: Optional[List[CascadeStep]]  # a cascade's, cheapest first
    budget_usd: Optional[float]  # a cascade's
    spent_usd: Optional[float]  # what a cascade's steps cost together
    target: str  # the pool the request was sent to
    reason: str
    estimated_cost_usd: Optional[float]  # at the target pool's cheapest priced provider
    decision_us: float
    _nested = {"scores": [RouteScore], "votes": [RouteVote], "steps": [CascadeStep]}


class SwitchTrace(SwitchObject):
    """How a request was served: the provider and pool, and every attempt on the way."""

    model: str  # the model (or pool) that was asked for
    provider: str  # the provider that served; "" when none did
    pool: str
    used_fallback: bool
    attempts: List[Attempt]
    cost_usd: Optional[float]  # when the serving provider's price is known
    route: Optional[PromptRoute]  # for a model that routes by prompt
    cache_hit: bool = False  # answered from the response cache (docs/cache.md): cost 0, no attempt
    _nested = {"attempts": [Attempt], "route": PromptRoute}


class Diagnostic(SwitchObject):
    """One configuration finding."""

    severity: str  # "error" or "warning"
    path: str  # e.g. "pools[0].routingStrategy"; "" for the document as a whole
    message: str
    suggestion: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f"; {self.suggestion}" if self.suggestion else ""
        return f"{where}{self.severity}: {self.message}{hint}"


# ---- Chat completions ---------------------------------------------------------------------------


class CompletionUsage(SwitchObject):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletionMessage(SwitchObject):
    role: str
    content: Optional[str]
    tool_calls: Optional[List[Dict[str, Any]]]


class Choice(SwitchObject):
    index: int
    message: ChatCompletionMessage
    finish_reason: Optional[str]
    _nested = {"message": ChatCompletionMessage}


class ChatCompletion(SwitchObject):
    """A chat completion, as the serving provider returned it, plus ``switch``, the trace."""

    id: str
    object: str
    created: int
    model: str  # the model that served
    choices: List[Choice]
    usage: Optional[CompletionUsage]
    switch: SwitchTrace
    _nested = {"choices": [Choice], "usage": CompletionUsage, "switch": SwitchTrace}


class ChoiceDelta(SwitchObject):
    role: Optional[str]
    content: Optional[str]
    tool_calls: Optional[List[Dict[str, Any]]]


class ChunkChoice(SwitchObject):
    index: int
    delta: ChoiceDelta
    finish_reason: Optional[str]
    _nested = {"delta": ChoiceDelta}


class ChatCompletionChunk(SwitchObject):
    id: str
    object: str
    created: int
    model: str
    choices: List[ChunkChoice]
    usage: Optional[CompletionUsage]  # usually on the last chunk only
    _nested = {"choices": [ChunkChoice], "usage": CompletionUsage}


# ---- Embeddings ---------------------------------------------------------------------------------


class Embedding(SwitchObject):
    object: str
    index: int
    embedding: List[float]


class EmbeddingUsage(SwitchObject):
    prompt_tokens: int
    total_tokens: int


class CreateEmbeddingResponse(SwitchObject):
    object: str
    data: List[Embedding]
    model: str
    usage: Optional[EmbeddingUsage]
    switch: SwitchTrace
    _nested = {"data": [Embedding], "usage": EmbeddingUsage, "switch": SwitchTrace}
