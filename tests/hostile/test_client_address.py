"""Who the client is, for the per-client limits (issue 13, item 5 and the shared limit): the API
as real processes on local ports. Forwarded headers are believed only from the proxies in
REKISTERI_FORWARDED_ALLOW_IPS (none by default), and two API replicas share one count in Redis."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
import redis

from services.api.ratelimit import KEY_PREFIX, WINDOW_SECONDS
from support import Services

pytestmark = pytest.mark.e2e

LIMIT = 5


def _client(port: int, source: str) -> httpx.Client:
    """A client calling from `source` (any 127.x.y.z is this machine: another client address)."""
    return httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30,
                        transport=httpx.HTTPTransport(local_address=source))


def _inside_one_minute() -> None:
    """The counts are per wall-clock minute: start a burst well inside one."""
    if time.time() % WINDOW_SECONDS > WINDOW_SECONDS - 15:
        time.sleep(WINDOW_SECONDS - time.time() % WINDOW_SECONDS + 0.5)


@pytest.fixture(scope="module")
def replicas(pg_server, redis_url, tmp_path_factory):
    """Two API processes on one database and Redis (no proxy trusted), and one behind a proxy at 127.0.0.1."""
    base = {"REKISTERI_DATABASE_URL": pg_server.create("rekisteri_clients"), "REKISTERI_REDIS_URL": redis_url,
            "REKISTERI_PUBLIC_CALLS_PER_CLIENT_PER_MINUTE": str(LIMIT), "REKISTERI_FORWARDED_ALLOW_IPS": "",
            # its own secret: the counts' keys are hashed with it, apart from other tests on this Redis
            "REKISTERI_SECRET_KEY": f"client-address-test-{uuid.uuid4().hex}"}
    started = []
    try:
        for name, extra in (("a", {}), ("b", {}), ("proxied", {"REKISTERI_FORWARDED_ALLOW_IPS": "127.0.0.1"})):
            services = Services({**base, **extra}, tmp_path_factory.mktemp(f"api-{name}"))
            services.start("api")
            started.append(services)
        yield {"a": started[0].api_port, "b": started[1].api_port, "proxied": started[2].api_port}
    finally:
        for services in started:
            services.stop_all()


def test_a_forged_forwarded_for_does_not_make_a_new_client(replicas):
    """Not even from 127.0.0.1, which uvicorn trusts by default."""
    _inside_one_minute()
    with _client(replicas["a"], "127.0.0.1") as client:
        statuses = [client.get("/public/privacy-notice", headers={"X-Forwarded-For": f"203.0.113.{n}",
                                                                  "Forwarded": f"for=198.51.100.{n}"}).status_code
                    for n in range(LIMIT + 3)]
    assert statuses[:LIMIT] == [200] * LIMIT and statuses[LIMIT:] == [429] * 3, statuses


def test_replicas_share_one_count_per_client(replicas, redis_url):
    _inside_one_minute()
    with _client(replicas["a"], "127.0.0.62") as first, _client(replicas["b"], "127.0.0.62") as second:
        statuses = [(first if n % 2 else second).get("/public/privacy-notice").status_code for n in range(LIMIT + 2)]
    assert statuses[:LIMIT] == [200] * LIMIT and statuses[LIMIT:] == [429, 429], statuses
    with redis.Redis.from_url(redis_url) as store:  # bounded: every count expires with its minute
        keys = list(store.scan_iter(f"{KEY_PREFIX}*"))
        assert keys and all(0 < store.ttl(key) <= WINDOW_SECONDS + 1 for key in keys)
        assert not any(b"127.0.0" in key for key in keys)  # the address itself is not stored


def test_a_trusted_proxy_names_the_client_and_nobody_else_can(replicas):
    _inside_one_minute()
    port = replicas["proxied"]
    with _client(port, "127.0.0.1") as proxy:  # the proxy forwards many different clients
        statuses = {proxy.get("/public/privacy-notice", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                    for n in range(LIMIT + 3)}
    assert statuses == {200}
    with _client(port, "127.0.0.63") as stranger:  # not the proxy: its forwarded header is ignored
        forged = [stranger.get("/public/privacy-notice",
                               headers={"X-Forwarded-For": f"192.0.2.{uuid.uuid4().int % 250}"}).status_code
                  for _ in range(LIMIT + 1)]
    assert forged[-1] == 429
