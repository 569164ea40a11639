"""Bounded load on the routes without a login, against the API as a real process on a local
port: past the per-client limit every public route answers 429 with Retry-After (never a 5xx,
never a dropped connection), while the service keeps answering its health check, staff and
other clients normally. The subject-request form's own limit (per client per hour, in the
database) holds under the same load."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from services.api.ratelimit import ClientWindows
from support import Services

pytestmark = pytest.mark.e2e

LIMIT = 40
FLOOD = 480
FORM_LIMIT = 20


@pytest.fixture(scope="module")
def api_process(pg_server, redis_url, tmp_path_factory):
    env = {"REKISTERI_DATABASE_URL": pg_server.create("rekisteri_load"), "REKISTERI_REDIS_URL": redis_url,
           "REKISTERI_PUBLIC_CALLS_PER_CLIENT_PER_MINUTE": str(LIMIT),
           "REKISTERI_PUBLIC_REQUESTS_PER_CLIENT_PER_HOUR": str(FORM_LIMIT)}
    services = Services(env, tmp_path_factory.mktemp("load-logs"))
    try:
        services.start("api")
        assert services.cli("users", "create", "--name", "load-sales", "--role", "sales").returncode == 0
        issued = services.cli("tokens", "create", "--user", "load-sales")
        assert issued.returncode == 0, issued.stderr
        services.token = issued.stdout.strip()
        yield services
    finally:
        services.stop_all()


def _client(services: Services, source: str, **headers: str) -> httpx.Client:
    """A client calling from `source` (any 127.x.y.z is this machine: another client address)."""
    return httpx.Client(base_url=f"http://127.0.0.1:{services.api_port}", headers=headers, timeout=30,
                        transport=httpx.HTTPTransport(local_address=source))


def _public_calls() -> list[tuple[str, str, dict]]:
    forged = "1.2.3." + "0" * 32
    return [
        ("GET", "/public/privacy-notice", {}),
        ("GET", f"/public/verify/{'a' * 43}", {}),
        ("POST", f"/public/verify/{'b' * 43}", {}),
        ("GET", f"/public/exports/{uuid.uuid4()}", {"params": {"expires": "9999999999", "sig": "0" * 64}}),
        ("GET", f"/public/transfers/{uuid.uuid4()}/file", {"params": {"expires": "9999999999", "sig": "0" * 64}}),
        ("GET", f"/public/unsubscribe/{forged}", {}),
        ("POST", f"/public/unsubscribe/{forged}", {"data": {"List-Unsubscribe": "One-Click"}}),
        ("POST", "/v1/web-events", {"headers": {"X-Site-Key": "sk_" + "x" * 40},
                                    "json": {"events": [{"page": "https://www.jetmasters.fi/", "visitor_id": "v-1"}]}}),
    ]


def test_a_flood_gets_429_while_the_service_answers_everyone_else(api_process):
    calls = _public_calls()
    with _client(api_process, "127.0.0.1") as flood, \
            _client(api_process, "127.0.0.1", Authorization=f"Bearer {api_process.token}") as staff:
        def one(n: int) -> tuple[int, str | None]:
            method, path, kwargs = calls[n % len(calls)]
            response = flood.request(method, path, **kwargs)
            if response.status_code == 429:
                assert response.json() == {"detail": "too many requests from this address; try again later"}
            return response.status_code, response.headers.get("retry-after")

        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(one, range(FLOOD)))
            # meanwhile: health and staff are not behind the public limit
            assert flood.get("/healthz").status_code == 200
            assert staff.get("/v1/me").status_code == 200
            assert staff.get("/v1/web-events", params={"visitor_id": "v-1"}).status_code == 200  # staff's GET
    statuses = Counter(status for status, _ in answers)
    assert all(status < 500 for status in statuses), statuses
    answered = FLOOD - statuses[429]
    assert LIMIT <= answered <= 2 * LIMIT, statuses  # a minute boundary inside the flood may give two windows
    assert all(1 <= int(retry) <= 60 for status, retry in answers if status == 429)

    # Another client address is answered as usual, route by route.
    with _client(api_process, "127.0.0.2") as other:
        usual = {path: other.request(method, path, **kwargs).status_code for method, path, kwargs in calls}
    # (the first privacy notice is published when the database is migrated; an unknown verification
    # link is the page saying the link no longer works)
    assert usual == {calls[0][1]: 200, calls[1][1]: 404, calls[2][1]: 404, calls[3][1]: 404, calls[4][1]: 404,
                     calls[5][1]: 404, calls[6][1]: 404, calls[7][1]: 401}, usual


def test_the_subject_request_form_keeps_its_own_limit_under_load(api_process):
    with _client(api_process, "127.0.0.3") as client:
        def one(n: int) -> int:
            return client.post("/public/requests", json={
                "kind": "access", "email": f"load.{n}.{uuid.uuid4().hex[:6]}@example.fi", "language": "fi"}).status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = Counter(pool.map(one, range(FORM_LIMIT + 10)))
    assert statuses == {202: FORM_LIMIT, 429: 10}, statuses


def test_a_client_window_opens_again_when_its_minute_is_over():
    windows = ClientWindows(limit=3, window=60)
    assert [windows.take("a", now=120.0 + i) for i in range(3)] == [0.0, 0.0, 0.0]
    assert windows.take("a", now=130.0) == 50.0  # ten seconds into the minute: fifty to go
    assert windows.take("b", now=130.0) == 0.0  # another client has its own count
    assert windows.take("a", now=180.0) == 0.0  # the next minute
