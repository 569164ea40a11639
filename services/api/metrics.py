"""Prometheus metrics: HTTP traffic from the middleware, and the work waiting in the database
(jobs and email by status, the age of the oldest pending job), read at most once per
`DATABASE_FIGURES_SECONDS` whatever the scrape rate. /metrics wants the scrape token
(services/api/routes/health.py)."""

from __future__ import annotations

import threading
import time

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import text

from shared.db import get_engine

log = structlog.get_logger(__name__)

registry = CollectorRegistry()
http_requests = Counter(
    "rekisteri_http_requests_total", "HTTP requests", ["method", "route", "status"], registry=registry
)
http_duration = Histogram(
    "rekisteri_http_request_duration_seconds", "HTTP request duration", ["method", "route"],
    registry=registry,
)


DATABASE_FIGURES_SECONDS = 5.0


class WorkInDatabaseCollector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[float, dict[str, list]] | None = None

    def _figures(self) -> dict[str, list]:
        """The three GROUP BY queries, run at most once per DATABASE_FIGURES_SECONDS."""
        with self._lock:
            if self._cached is not None and time.monotonic() - self._cached[0] < DATABASE_FIGURES_SECONDS:
                return self._cached[1]
            with get_engine().connect() as conn:
                figures = {
                    "jobs": list(conn.execute(text("SELECT kind, status, count(*) FROM jobs GROUP BY kind, status"))),
                    "age": list(conn.execute(text(
                        "SELECT queue, extract(epoch FROM now() - min(created_at)) FROM jobs "
                        "WHERE status = 'pending' AND (not_before IS NULL OR not_before <= now()) GROUP BY queue"))),
                    "mail": list(conn.execute(text("SELECT status, count(*) FROM email_outbox GROUP BY status"))),
                }
            self._cached = (time.monotonic(), figures)
            return figures

    def collect(self):
        jobs = GaugeMetricFamily("rekisteri_jobs", "Jobs by kind and status", labels=["kind", "status"])
        age = GaugeMetricFamily(
            "rekisteri_jobs_oldest_pending_age_seconds", "Age of the oldest due pending job", labels=["queue"]
        )
        mail = GaugeMetricFamily("rekisteri_email_outbox", "Outbox messages by status", labels=["status"])
        try:
            figures = self._figures()
        except Exception as exc:  # the database is down: HTTP metrics still answer
            log.warning("metrics.database_unavailable", error=type(exc).__name__)
            return
        for kind, status, count in figures["jobs"]:
            jobs.add_metric([kind, status], count)
        for queue, seconds in figures["age"]:
            age.add_metric([queue], float(seconds))
        for status, count in figures["mail"]:
            mail.add_metric([status], count)
        yield from (jobs, age, mail)


registry.register(WorkInDatabaseCollector())
