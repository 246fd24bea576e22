"""The exceptions libswitch raises, one per way a routed request can fail.

Every request failure is a ``SwitchError`` carrying the router's status, the error class of the
last attempt and the ``trace`` of every attempt. Messages never contain a credential: the
library keeps header values, keys and provider messages that could echo them out of its errors.
"""
from __future__ import annotations

from typing import Any, List, Optional

from ._types import Diagnostic, SwitchTrace

__all__ = [
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
]


class SwitchError(Exception):
    """Base class of every libswitch error.

    For a failed request: ``status`` (HTTP-like: 400, 404, 429, 499, 502, 504 or the provider's
    4xx), ``error_class`` ("context_window", "transient", "auth", ...), ``route_error`` (why the
    router stopped: "exhausted", "rejected", "deadline_exceeded", ...) and ``trace``.
    """

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        error_class: Optional[str] = None,
        route_error: Optional[str] = None,
        trace: Optional[SwitchTrace] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_class = error_class
        self.route_error = route_error
        self.trace = trace

    def __str__(self) -> str:
        return self.message if self.status is None else f"{self.message} (status {self.status})"


class ConfigError(SwitchError, ValueError):
    """The configuration has errors. ``diagnostics`` lists every finding, ``text`` shows them
    one per line as ``switchctl validate`` does."""

    def __init__(self, text: str, diagnostics: List[Diagnostic], origin: str = "") -> None:
        errors = [d for d in diagnostics if d.severity == "error"]
        first = str(errors[0]) if errors else "invalid configuration"
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(f"{origin}: {first}{more}" if origin else f"{first}{more}")
        self.text = text
        self.diagnostics = diagnostics
        self.origin = origin


class RouterClosedError(SwitchError, RuntimeError):
    """The router was closed."""


class BadRequestError(SwitchError):
    """The request itself is wrong (malformed, or rejected by a provider as the caller's error)."""


class ContextWindowError(BadRequestError):
    """The prompt is longer than the model's context window. Not retried, not failed over."""


class ContentPolicyError(BadRequestError):
    """The provider refused the content; the message carries its reason."""


class NotFoundError(SwitchError):
    """No model or pool of that name in the configuration."""


class AllProvidersFailedError(SwitchError):
    """Every provider that could serve the request failed; ``trace.attempts`` shows each try."""


class AuthenticationError(AllProvidersFailedError):
    """Every provider failed, the last one because of its credentials (401, 403, missing key)."""


class RateLimitError(AllProvidersFailedError):
    """Every provider was rate limited (status 429)."""


class QuotaExceededError(AllProvidersFailedError):
    """Every provider failed, the last one because its quota or billing is exhausted."""


class DeadlineExceededError(SwitchError, TimeoutError):
    """The whole-request deadline ran out (status 504)."""


class RequestCancelledError(SwitchError):
    """The request was cancelled, or its router closed while it ran (status 499)."""


class StreamInterruptedError(SwitchError):
    """A stream broke after content had reached the caller; what arrived is incomplete."""


# The library decides the kind of each failure (ChatResponse::failure_kind); this maps it to a class.
_CLASS_OF_KIND = {
    "cancelled": RequestCancelledError,
    "stream_interrupted": StreamInterruptedError,
    "deadline_exceeded": DeadlineExceededError,
    "context_window": ContextWindowError,
    "content_policy": ContentPolicyError,
    "not_found": NotFoundError,
    "bad_request": BadRequestError,
    "rate_limited": RateLimitError,
    "authentication": AuthenticationError,
    "quota_exceeded": QuotaExceededError,
    "all_providers_failed": AllProvidersFailedError,
}


def error_from_response(response: Any) -> SwitchError:
    """The exception for a failed ``_core.Response``."""
    status: int = response.status
    kind = _CLASS_OF_KIND.get(response.failure_kind, SwitchError)
    return kind(response.error or f"request failed with status {status}", status=status,
                error_class=response.error_class, route_error=response.route_error,
                trace=SwitchTrace(response.trace))
