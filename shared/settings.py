"""One typed settings object for every Rekisteri process.

Values come from the environment (prefix ``REKISTERI_``) or a ``.env`` file in the working
directory. Outside development, placeholder secrets are refused at start-up; in production every
secret (the secret key, the Flower password, each sealing key) must be 32+ bytes that look
random (`weak_secret`): e.g. `python -c "import secrets; print(secrets.token_urlsafe(32))"`.
"""

from __future__ import annotations

import ipaddress
import math
import re
import socket
from collections import Counter
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "password", "admin"})
PLACEHOLDER_WORDS = ("changeme", "placeholder", "example", "password", "secret", "admin", "default", "rekisteri")
MIN_SECRET_BYTES = 32
MIN_SECRET_BITS = 128  # by the characters' own spread: a guess, but it catches what people type


def weak_secret(value: str) -> str | None:
    """Why a production secret is not good enough, or None: 32+ bytes, none of the placeholder
    words in any spelling, no repeated pattern or run of neighbouring characters, and a spread of
    characters that random material has (hex from `openssl rand -hex 32`, `token_urlsafe(32)`)."""
    if len(value.encode()) < MIN_SECRET_BYTES:
        return f"shorter than {MIN_SECRET_BYTES} bytes"
    folded = re.sub(r"[^a-z0-9]", "", value.lower().replace("0", "o").replace("1", "i").replace("3", "e")
                    .replace("4", "a").replace("5", "s").replace("@", "a").replace("$", "s"))
    plain = re.sub(r"[^a-z0-9]", "", value.lower())
    if any(word in folded or word in plain for word in PLACEHOLDER_WORDS):
        return "a placeholder, or built from one"
    if any(value == (value[:period] * (len(value) // period + 1))[:len(value)]
           for period in range(1, len(value) // 2 + 1)):
        return "a repeated pattern"
    steps = sum(1 for a, b in zip(value, value[1:], strict=False) if abs(ord(a) - ord(b)) <= 1)
    if steps > len(value) // 2:
        return "runs of repeated or neighbouring characters"
    counts = Counter(value)
    bits = -sum(n * math.log2(n / len(value)) for n in counts.values())
    if len(counts) < 12 or bits < MIN_SECRET_BITS:
        return "too little variety to be random"
    return None


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class LogFormat(StrEnum):
    console = "console"
    json = "json"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REKISTERI_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Environment = Environment.development

    # Where things live. None means: `rekisteri up` starts an embedded server under var_dir.
    database_url: str | None = None
    redis_url: str | None = None
    var_dir: Path = Path("var")
    embedded_redis_port: int = 6390  # used by `rekisteri up` when REDIS_URL is unset (if free)
    mail_dir: Path | None = None  # default: <var_dir>/mail

    # Secrets. The defaults are placeholders, refused outside development.
    secret_key: SecretStr = SecretStr("change-me")
    flower_user: str = "admin"
    flower_password: SecretStr = SecretStr("change-me")

    # API
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated addresses
    # or networks (e.g. "10.8.0.2" or "172.18.0.0/16"). Empty: none, the peer's address is the client's.
    forwarded_allow_ips: str = ""
    # SHA-256 (hex) of the token Prometheus sends to /metrics (`rekisteri metrics-token`); unset: /metrics is off
    metrics_token_sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)

    # Subject requests and public endpoints
    # How links in emails reach the API. Unset: http://<api_host>:<api_port>, where it listens.
    # In production it must be https and not a loopback address (RFC 8058 wants https opt-out links).
    public_base_url: str = ""
    privacy_email: str | None = None  # the register's contact person: due-date reminders go here
    verification_ttl_hours: int = Field(default=24, ge=1, le=168)
    export_ttl_days: int = Field(default=7, ge=1, le=30)
    public_requests_per_email_per_hour: int = Field(default=3, ge=1)
    public_requests_per_client_per_hour: int = Field(default=20, ge=1)
    public_calls_per_client_per_minute: int = Field(default=300, ge=1)  # links, pages, web events

    # Deduplication: automatic merging is off until a threshold is set (0.999 or higher: a false
    # merge costs far more than a missed one)
    dedup_auto_merge_threshold: float | None = Field(default=None, ge=0.5, le=1.0)
    dedup_link_probability: float = Field(default=0.5, gt=0, lt=1)

    # Partner transfers and retention
    transfer_dir: Path | None = None  # default <var>/transfers; shared by worker and API
    transfer_delivery_attempts: int = Field(default=5, ge=1)
    transfer_retry_backoff_seconds: float = Field(default=2.0, ge=0)
    transfer_delivery_timeout_seconds: float = Field(default=60.0, gt=0)
    transfer_link_ttl_hours: int = Field(default=72, ge=1)
    transfer_ca_bundle: Path | None = None  # PEM CAs trusted for partner endpoints besides the system store
    # Partner endpoints on this machine (loopback, plain http to it): on in development; tests set
    # it; refused in production. Private, link-local, shared and reserved addresses: never.
    transfer_allow_loopback: bool = False
    sealing_keys: dict[str, SecretStr] = Field(default_factory=dict)  # JSON {key id: secret}; old keys to open
    sealing_key_id: str | None = None  # the key new partner secrets are sealed under; default "server"
    retention_policy_file: Path | None = None  # replaces shared/retention/policy.toml
    retention_overrides: dict = Field(default_factory=dict)  # JSON, e.g. {"web_events": "12 months"}

    # The desk (/desk): staff sign-in (shared/auth/desk.py)
    desk_idle_seconds: int = Field(default=1800, ge=5)  # a session unused this long ends
    desk_absolute_hours: float = Field(default=12.0, gt=0, le=24)  # ... and every session ends after this
    desk_link_ttl_hours: int = Field(default=24, ge=1, le=168)  # set-password links (invitation, forgotten)
    desk_min_passphrase_length: int = Field(default=12, ge=8)
    desk_signin_failures_per_account: int = Field(default=5, ge=1)  # failed sign-ins in the window, then wait
    desk_signin_failures_per_client: int = Field(default=30, ge=1)
    desk_signin_window_minutes: int = Field(default=15, ge=1)
    # The cookie's Secure flag (and its __Host- name); unset: on outside development. Off is refused in production.
    desk_secure_cookie: bool | None = None

    # Flower
    flower_host: str = "127.0.0.1"
    flower_port: int = 5555

    # Mail. No smtp_host: `rekisteri up` starts the local mail catcher on mailcatcher_port.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_timeout: float = 30.0
    mail_from: str = "Jetmasters Oy <rekisteri@jetmasters.example>"
    mailcatcher_host: str = "127.0.0.1"
    mailcatcher_port: int = 1025

    # Notifier
    # 100 connections and batches of 500: the fastest in bench/campaign_send.py (a relay that caps
    # connections per client needs a lower concurrency)
    notifier_concurrency: int = Field(default=100, ge=1, le=200)
    notifier_batch_size: int = Field(default=500, ge=1, le=1000)
    notifier_poll_seconds: float = Field(default=1.0, gt=0)
    notifier_lease_seconds: int = Field(default=120, ge=5)
    notifier_max_attempts: int = Field(default=8, ge=1)
    notifier_backoff_seconds: float = Field(default=30.0, gt=0)

    # Notifier: campaign sending (services/notifier/pipeline.py, shared/outbox/ratelimit.py)
    notifier_lock_seconds: float = Field(default=5.0, gt=0)  # longest hold of a batch's contact share locks
    notifier_max_backoff_seconds: float = Field(default=21600.0, gt=0)  # retry delays grow to at most this
    notifier_record_seconds: float = Field(default=0.02, gt=0)  # outcomes are written in bulk this often
    notifier_outage_max_seconds: float = Field(default=30.0, gt=0)  # longest wait between tries of a dead server
    notifier_rate_per_second: float = Field(default=0.0, ge=0)  # messages, all notifiers together; 0: no limit
    notifier_rate_per_minute: float = Field(default=0.0, ge=0)
    notifier_rate_per_hour: float = Field(default=0.0, ge=0)
    smtp_rate_per_second: float = Field(default=0.0, ge=0)  # messages to one SMTP server; 0: no limit
    smtp_rate_per_minute: float = Field(default=0.0, ge=0)
    smtp_rate_per_hour: float = Field(default=0.0, ge=0)
    campaign_pause_error_rate: float = Field(default=0.5, gt=0, le=1)  # share of refused attempts that pauses
    campaign_pause_window: int = Field(default=200, ge=1)  # ... among a campaign's last this many answered
    campaign_pause_min_attempts: int = Field(default=50, ge=1)  # ... once it has at least this many
    dkim_selector: str = ""  # DKIM signing is on when selector, domain and key path are all set
    dkim_domain: str = ""
    dkim_private_key_path: str = ""  # PEM file of the RSA private key
    notifier_dkim_processes: int | None = Field(default=None, ge=1, le=64)  # signing processes; default: CPUs
    notifier_uvloop: bool = True  # run the notifier on uvloop when it is installed

    # Jobs and Celery
    job_lease_seconds: int = Field(default=60, ge=2)
    job_max_attempts: int = Field(default=5, ge=1)
    job_retry_backoff_seconds: float = Field(default=30.0, ge=0)
    job_requeue_after_seconds: int = Field(default=60, ge=1)
    reconcile_interval_seconds: float = Field(default=15.0, gt=0)
    celery_visibility_timeout: int = Field(default=3600, ge=10)
    worker_concurrency: int = Field(default=2, ge=1)

    # Logging
    log_level: str = "INFO"
    log_format: LogFormat | None = None  # default: console in development, json elsewhere

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment is Environment.development:
            return self
        for name in ("secret_key", "flower_password"):
            value = getattr(self, name).get_secret_value()
            if value.strip().lower() in PLACEHOLDER_SECRETS or len(value) < 16:
                raise ValueError(
                    f"REKISTERI_{name.upper()} must be set to a real secret (16+ characters) "
                    f"when REKISTERI_ENVIRONMENT={self.environment.value}"
                )
        if self.environment is not Environment.production:
            return self
        secrets = [("REKISTERI_SECRET_KEY", self.secret_key), ("REKISTERI_FLOWER_PASSWORD", self.flower_password),
                   *((f"REKISTERI_SEALING_KEYS[{key_id}]", key) for key_id, key in self.sealing_keys.items())]
        for name, secret in secrets:
            if problem := weak_secret(secret.get_secret_value()):
                raise ValueError(f"{name} is not a production secret ({problem}): use 32+ random bytes, e.g. "
                                 "python -c \"import secrets; print(secrets.token_urlsafe(32))\"")
        if self.transfer_allow_loopback:
            raise ValueError("REKISTERI_TRANSFER_ALLOW_LOOPBACK is for development and tests, not production")
        if self.desk_secure_cookie is False:
            raise ValueError("REKISTERI_DESK_SECURE_COOKIE=false is for development and tests, not production")
        return self

    @model_validator(mode="after")
    def _public_base_url(self) -> Settings:
        if not self.public_base_url:
            self.public_base_url = listening_url(self.api_host, self.api_port)
        if self.environment is Environment.production:
            problem = public_url_problem(self.public_base_url)
            if problem:
                raise ValueError(f"REKISTERI_PUBLIC_BASE_URL {problem} when REKISTERI_ENVIRONMENT=production: "
                                 "set it to the https address people reach the API at")
        return self

    @property
    def forwarded_allow_list(self) -> list[str]:
        return [part.strip() for part in self.forwarded_allow_ips.split(",") if part.strip()]

    @property
    def effective_log_format(self) -> LogFormat:
        if self.log_format is not None:
            return self.log_format
        return LogFormat.console if self.environment is Environment.development else LogFormat.json

    @property
    def desk_cookie_secure(self) -> bool:
        if self.desk_secure_cookie is not None:
            return self.desk_secure_cookie
        return self.environment is not Environment.development

    @property
    def effective_mail_dir(self) -> Path:
        return self.mail_dir if self.mail_dir is not None else self.var_dir / "mail"

    def require_database_url(self) -> str:
        if not self.database_url:
            raise RuntimeError("REKISTERI_DATABASE_URL is not set (run through `rekisteri up`)")
        return self.database_url

    def require_redis_url(self) -> str:
        if not self.redis_url:
            raise RuntimeError("REKISTERI_REDIS_URL is not set (run through `rekisteri up`)")
        return self.redis_url


def listening_url(host: str, port: int) -> str:
    """The API's own address: a wildcard host (0.0.0.0, ::) becomes this machine's name."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def public_url_problem(url: str) -> str | None:
    """Why `url` cannot be the production public base URL, or None."""
    parsed = urlsplit(url)
    if parsed.scheme != "https" or not parsed.hostname:
        return "must be an https:// URL"
    host = parsed.hostname
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost")
    return "must not be a loopback address" if loopback else None


@lru_cache
def get_settings() -> Settings:
    return Settings()
