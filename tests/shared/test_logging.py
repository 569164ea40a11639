"""Logging configuration and personal-data redaction (shared/logging.py). No database needed."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from shared.logging import (
    bind_request_id,
    clear_context,
    configure_logging,
    get_logger,
    is_personal_key,
    redact_event,
    redact_text,
)

ISO_TS = "2026-11-25T11:00:56.123456+00:00"
UUID = "6f1c2d3e-1234-4abc-9def-0123456789ab"
BUSINESS_ID = "1086291-5"

SEEDED_SECRETS = [
    "matti.meikalainen@example.fi",
    "liisa@example.com",
    "Meikäläinen",
    "Liisa",
    "Virtanen",
    "Mannerheimintie 1 A 2",
    "+358 40 123 4567",
    "0401234567",
    "050-7654321",
    "hunter2",
    "Bearer abc.def.ghi",
    "203.0.113.42",
    "Mozilla/5.0 (X11)",
    "Call me after six",
    "131052-308T",
]


@pytest.fixture(autouse=True)
def isolated_logging() -> Iterator[None]:
    """Snapshot and restore global logging/structlog state around every test."""
    root = logging.getLogger()
    saved_root = (list(root.handlers), root.level)
    names = ("uvicorn", "uvicorn.error", "uvicorn.access", "celery")
    saved_libs = {
        n: (list(logging.getLogger(n).handlers), logging.getLogger(n).propagate,
            logging.getLogger(n).level)
        for n in names
    }
    saved_structlog = structlog.get_config()
    clear_context()
    yield
    clear_context()
    structlog.reset_defaults()
    structlog.configure(**saved_structlog)
    root.handlers[:] = saved_root[0]
    root.setLevel(saved_root[1])
    for n, (handlers, propagate, level) in saved_libs.items():
        lib = logging.getLogger(n)
        lib.handlers[:] = handlers
        lib.propagate = propagate
        lib.setLevel(level)


def json_lines(capsys: pytest.CaptureFixture[str]) -> tuple[str, list[dict[str, Any]]]:
    err = capsys.readouterr().err
    return err, [json.loads(line) for line in err.splitlines() if line.strip()]


def test_structlog_kwargs_nested_and_message_are_redacted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(service="api", fmt="json")
    log = get_logger("rekisteri.test")
    log.info(
        "subscriber liisa@example.com updated, call 050-7654321",
        email="matti.meikalainen@example.fi",
        contact={
            "first_name": "Liisa",
            "last_name": "Virtanen",
            "full_name": "Liisa Meikäläinen",
            "address": {"street": "Mannerheimintie 1 A 2"},
            "phones": ["+358 40 123 4567", "0401234567"],
            "consent": True,
        },
        recipients=["liisa@example.com", "matti.meikalainen@example.fi"],
        note="call +358 40 123 4567 or write to liisa@example.com",
        password="hunter2",
        headers={"Authorization": "Bearer abc.def.ghi", "User-Agent": "Mozilla/5.0 (X11)"},
        client_ip="203.0.113.42",
        free_text="Call me after six",
        history=({"hetu": "131052-308T"},),
        job_id=UUID,
        task_name="rekisteri.erasure.run",
    )
    raw, lines = json_lines(capsys)
    for secret in SEEDED_SECRETS:
        assert secret not in raw, secret
    (line,) = lines
    assert line["event"] == "subscriber [email] updated, call [phone]"
    assert line["email"] == "[redacted]"
    assert line["contact"]["first_name"] == "[redacted]"
    assert line["contact"]["address"] == "[redacted]"
    assert line["contact"]["phones"] == ["[phone]", "[phone]"]
    assert line["contact"]["consent"] is True
    assert line["recipients"] == "[redacted]"
    assert line["note"] == "call [phone] or write to [email]"
    assert line["headers"] == {"Authorization": "[redacted]", "User-Agent": "[redacted]"}
    assert line["history"] == [{"hetu": "[hetu]"}]
    assert line["job_id"] == UUID
    assert line["task_name"] == "rekisteri.erasure.run"
    assert line["service"] == "api"
    assert line["level"] == "info"
    assert line["logger"] == "rekisteri.test"


def test_uvicorn_access_lines_are_silenced_and_stdlib_lines_redacted_with_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """uvicorn's request line carries whatever the path and query carry (verification tokens,
    link signatures): no process writes it. Other stdlib loggers are redacted and tagged."""
    configure_logging(service="api", fmt="json")
    bind_request_id("req-7b1f0c")
    access = logging.getLogger("uvicorn.access")
    access.info("GET /v1/x?email=a%40b.fi 200")
    access.info(
        '%s - "%s %s HTTP/%s" %d',
        "198.51.100.7:54321", "GET", "/public/verify/tok-secret-123", "1.1", 200,
    )
    logging.getLogger("sqlalchemy.engine").warning("lookup for liisa@example.com took 0.0123s")
    raw, lines = json_lines(capsys)
    for secret in ("a%40b.fi", "198.51.100.7", "tok-secret-123", "liisa@example.com"):
        assert secret not in raw
    assert [line["event"] for line in lines] == ["lookup for [email] took 0.0123s"]
    assert lines[0]["request_id"] == "req-7b1f0c" and lines[0]["service"] == "api"
    assert lines[0]["logger"] == "sqlalchemy.engine" and lines[0]["level"] == "warning"


def test_metadata_and_identifiers_survive_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(service="worker", fmt="json")
    bind_request_id(UUID)
    get_logger("rekisteri.worker").info(
        f"job {UUID} for {BUSINESS_ID} finished at {ISO_TS} in 0.0123s (status 200, port 8000)",
        job_id=UUID,
        task_name="rekisteri.export.build",
        queue="exports",
        kind="export",
        business_id=BUSINESS_ID,
        started_at=ISO_TS,
        duration_ms=1234,
        to_status="done",
    )
    _, (line,) = json_lines(capsys)
    assert line["event"] == (
        f"job {UUID} for {BUSINESS_ID} finished at {ISO_TS} in 0.0123s (status 200, port 8000)"
    )
    assert line["request_id"] == UUID
    assert line["job_id"] == UUID
    assert line["task_name"] == "rekisteri.export.build"
    assert line["queue"] == "exports"
    assert line["kind"] == "export"
    assert line["business_id"] == BUSINESS_ID
    assert line["started_at"] == ISO_TS
    assert line["duration_ms"] == 1234
    assert line["to_status"] == "done"
    assert line["timestamp"].endswith("Z") and line["timestamp"][:4].isdigit()


def test_exception_tracebacks_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(service="notifier", fmt="json")
    try:
        raise ValueError("bounce from liisa@example.com, sms to +358 40 123 4567")
    except ValueError:
        get_logger("rekisteri.notifier").exception("delivery failed")
        logging.getLogger("celery").exception("task failed for matti@example.fi")
    raw, lines = json_lines(capsys)
    assert "liisa@example.com" not in raw and "matti@example.fi" not in raw
    assert "123 4567" not in raw
    assert len(lines) == 2
    for line in lines:
        assert "Traceback (most recent call last)" in line["exception"]
        assert "ValueError: bounce from [email], sms to [phone]" in line["exception"]
    assert lines[1]["event"] == "task failed for [email]"


def test_console_format_is_readable_uncoloured_and_redacted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(service="api", fmt="console")
    bind_request_id("req-1")
    get_logger("rekisteri.api").info("hello liisa@example.com", email="x@y.fi", job_id="j-1")
    err = capsys.readouterr().err
    assert "\x1b[" not in err
    assert "hello [email]" in err
    assert "x@y.fi" not in err and "liisa@example.com" not in err
    assert "request_id=req-1" in err and "job_id=j-1" in err and "service=api" in err


def test_configure_is_idempotent_and_frees_uvicorn_and_celery_loggers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.getLogger("uvicorn.access").addHandler(logging.StreamHandler())
    logging.getLogger("uvicorn.access").propagate = False
    configure_logging(service="api", fmt="json")
    configure_logging(service="api", fmt="json", level="debug")
    marked = [h for h in logging.getLogger().handlers if getattr(h, "_rekisteri_handler", False)]
    assert len(marked) == 1
    for name in ("uvicorn", "uvicorn.error", "celery"):
        lib = logging.getLogger(name)
        assert lib.handlers == [] and lib.propagate is True
    access = logging.getLogger("uvicorn.access")
    assert access.handlers == [] and access.propagate is False and access.disabled is True
    logging.getLogger("uvicorn.error").info("Started server process")
    get_logger().debug("debug visible")
    _, lines = json_lines(capsys)
    assert [line["event"] for line in lines] == ["Started server process", "debug visible"]


def test_level_filters_and_clear_context(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(service="api", level="WARNING", fmt="json")
    bind_request_id("req-2")
    log = get_logger("rekisteri.api")
    log.info("hidden")
    logging.getLogger("kombu").info("hidden too")
    clear_context()
    log.warning("shown")
    _, lines = json_lines(capsys)
    assert [line["event"] for line in lines] == ["shown"]
    assert "request_id" not in lines[0]


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        configure_logging(service="api", fmt="xml")


@pytest.mark.parametrize(
    "phone",
    [
        "+358 40 123 4567",
        "+358401234567",
        "+1 (555) 123-4567",
        "00358 40 1234567",
        "040 123 4567",
        "040-1234567",
        "0401234567",
        "09 1234 5678",
        "(09) 1234 5678",
        "+358 (0)40 123 4567",
        "%2B358401234567",
    ],
)
def test_phone_formats_are_replaced(phone: str) -> None:
    assert redact_text(f"call {phone} now") == "call [phone] now"
    assert redact_text(f"phone={phone}") == "phone=[phone]"
    assert redact_text(phone) == "[phone]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("liisa@example.com", "[email]"),
        ("Matti.Meikalainen+news@sub.example.fi", "[email]"),
        ("email=a%40b.fi&x=1", "email=[email]&x=1"),
        ("first%2Btag%40example.com", "[email]"),
        ("Matti <matti@example.fi>", "Matti <[email]>"),
        ("pääkäyttäjä@esimerkki.fi", "[email]"),
        ("user@xn--esimerkki-x2a.fi", "[email]"),
        ("to: a@b.co, c.d@e.org.", "to: [email], [email]."),
    ],
)
def test_email_formats_are_replaced(text: str, expected: str) -> None:
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("client 203.0.113.42:8000", "client [ip]:8000"),
        ("from 2001:db8::8a2e:370:7334", "from [ip]"),
        ("loopback ::1", "loopback [ip]"),
        ("postgresql+psycopg://rek:s3cret@db:5432/x", "postgresql+psycopg://[redacted]@db:5432/x"),
        ("hetu 131052-308T", "hetu [hetu]"),
        ("call 040 123 4567 200 times", "call [phone] 200 times"),
    ],
)
def test_other_identifiers_are_replaced(text: str, expected: str) -> None:
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        ISO_TS,
        "2026-11-25T11:00:05Z",
        "2026-11-25",
        "25.11.2026",
        UUID,
        "04012345-1234-4abc-9def-012345678901",
        "0.0123s",
        "took 12 ms",
        "took 1234ms",
        '"GET /health HTTP/1.1" 200',
        "listening on port 8000",
        BUSINESS_ID,
        "0112038-9",
        "version 0.1.0",
        "python3.11",
        "celery@worker-1",
        "std::vector at 11:00:56",
        "retry 3 of 5 in 0.5s",
        "@app.get('/v1')",
    ],
)
def test_harmless_text_is_not_mangled(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(
    "key",
    [
        "email", "Emails", "contact_email", "email_address", "emailAddress", "phone_number",
        "mobile", "first_name", "name", "customer_name", "postal_address", "recipients", "to",
        "to_addr", "from_addr", "reply_to", "cc", "bcc", "password", "password_hash",
        "refresh_token", "client_secret", "Authorization", "X-Api-Key", "Set-Cookie", "ip",
        "client_ip", "ip_address", "X-Forwarded-For", "user_agent", "body", "notes", "text",
        "free_text",
    ],
)
def test_personal_keys_are_recognised(key: str) -> None:
    assert is_personal_key(key)


@pytest.mark.parametrize(
    "key",
    [
        "service", "logger", "event", "level", "timestamp", "task_name", "queue", "queue_name",
        "logger_name", "kind", "request_id", "job_id", "hostname", "to_status", "description",
        "zip", "skip", "duration_ms", "status_code", "business_id", "context",
    ],
)
def test_metadata_keys_are_not_personal(key: str) -> None:
    assert not is_personal_key(key)


def test_redact_event_handles_depth_types_and_harmless_values() -> None:
    class Subject:
        def __str__(self) -> str:
            return "Subject(liisa@example.com)"

    event = {
        "event": "sent to liisa@example.com",
        "batch": [({"to": "a@b.fi", "attempt": 2},), {"deep": {"deeper": {"name": "Liisa"}}}],
        "email": None,
        "email_verified": True,
        "phone": 358401234567,
        "subject": Subject(),
        "tags": {"0401234567"},
        "counts": {"liisa@example.com": 3},
    }
    out = redact_event(None, "info", event)
    assert out["event"] == "sent to [email]"
    assert out["batch"] == [({"to": "[redacted]", "attempt": 2},),
                            {"deep": {"deeper": {"name": "[redacted]"}}}]
    assert out["email"] is None and out["email_verified"] is True
    assert out["phone"] == "[redacted]"
    assert out["subject"] == "Subject([email])"
    assert out["tags"] == ["[phone]"]
    assert out["counts"] == {"[email]": 3}


def test_loopback_and_any_addresses_are_not_personal():
    from shared.logging import redact_text

    assert redact_text("Uvicorn running on http://127.0.0.1:8000") == "Uvicorn running on http://127.0.0.1:8000"
    assert redact_text("listening on 0.0.0.0:5555") == "listening on 0.0.0.0:5555"
    assert redact_text("client 192.168.10.4 connected") == "client [ip] connected"
