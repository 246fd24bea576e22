"""libswitch: an embeddable LLM router with an OpenAI-style Python API.

    import libswitch
    router = libswitch.Router.from_file("definitions.json")
    r = router.chat.completions.create(model="chat", messages=[{"role": "user", "content": "Hi"}])
    print(r.choices[0].message.content, r.switch.provider, r.switch.used_fallback)

See docs/python.md for the whole API, asyncio and errors.
"""
from ._core import version as __version__
from ._errors import (
    AllProvidersFailedError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    ContentPolicyError,
    ContextWindowError,
    DeadlineExceededError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    RequestCancelledError,
    RouterClosedError,
    StreamInterruptedError,
    SwitchError,
)
from ._router import AsyncRouter, AsyncStream, Config, Router, Stream
from ._types import (
    Attempt,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionMessage,
    Choice,
    ChoiceDelta,
    ChunkChoice,
    CompletionUsage,
    CreateEmbeddingResponse,
    Diagnostic,
    Embedding,
    EmbeddingUsage,
    PromptRoute,
    RouteScore,
    RouteVote,
    CascadeStep,
    SwitchObject,
    SwitchTrace,
)

__all__ = [
    "__version__",
    "Router",
    "AsyncRouter",
    "Config",
    "Stream",
    "AsyncStream",
    "SwitchError",
    "ConfigError",
    "RouterClosedError",
    "BadRequestError",
    "ContextWindowError",
    "ContentPolicyError",
    "NotFoundError",
    "AllProvidersFailedError",
    "AuthenticationError",
    "RateLimitError",
    "QuotaExceededError",
    "DeadlineExceededError",
    "RequestCancelledError",
    "StreamInterruptedError",
    "SwitchObject",
    "SwitchTrace",
    "Attempt",
    "PromptRoute",
    "RouteScore",
    "RouteVote",
    "CascadeStep",
    "Diagnostic",
    "ChatCompletion",
    "ChatCompletionMessage",
    "Choice",
    "CompletionUsage",
    "ChatCompletionChunk",
    "ChunkChoice",
    "ChoiceDelta",
    "CreateEmbeddingResponse",
    "Embedding",
    "EmbeddingUsage",
]

# Public classes show as libswitch.X (as in tracebacks), not as their private module.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
