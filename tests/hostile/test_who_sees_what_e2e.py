"""Who may see what, in a full run of the real processes (api, worker, beat, notifier on
PostgreSQL, Redis, an SMTP server and a partner's HTTP endpoint): staff users and tokens made
over the API, contacts by API and by CSV import, web events with an email in the URL, a
campaign sent, a dedup run, a transfer delivered to a partner with an HMAC secret, and access,
objection and erasure requests by email alone. Afterwards:

- no service's log (each one checked, and each one did log) holds a seeded email, phone number
  or name, nor any secret: the partner's secret, the server and sealing keys, the Flower
  password, bearer tokens, the site key, verification and opt-out tokens or download-link
  signatures from the emails;
- no API response holds the partner's secret or a key or password, and a bearer token or site key
  appears in exactly one response: the one that created it (shown once, by design).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from shared.partners.delivery import verify_signature
from support import Services, wait_until
from factories import PROVENANCE

pytestmark = pytest.mark.e2e

TAG = uuid.uuid4().hex[:6]
PARTNER_SECRET = f"kumppanin-jaettu-salaisuus-{uuid.uuid4().hex}"
SERVER_KEY = "test-secret-key-not-for-production"  # tests/conftest.py gives every process this one
SEALING_KEY = f"sealing-key-{uuid.uuid4().hex}"  # partner secrets are sealed under this one
FLOWER_PASSWORD = "test-flower-password-0123"  # tests/conftest.py's, in every process's environment
PEOPLE = [  # first, last, email, phone as given, phone as stored
    ("Seppo", f"Salakka{TAG}", f"seppo.salakka.{TAG}@example.fi", "040 765 4321", "+358407654321"),
    ("Riikka", f"Rajamäki{TAG}", f"riikka.rajamaki.{TAG}@example.fi", "050 112 2334", "+358501122334"),
]
IMPORTED = [
    ("Tuomas", f"Tuonela{TAG}", f"tuomas.tuonela.{TAG}@example.fi", "044 998 8776", "+358449988776"),
    ("Ulla", f"Uusikylä{TAG}", f"ulla.uusikyla.{TAG}@example.fi", "045 667 7889", "+358456677889"),
]
FAST = {"REKISTERI_JOB_LEASE_SECONDS": "6", "REKISTERI_RECONCILE_INTERVAL_SECONDS": "1",
        "REKISTERI_NOTIFIER_POLL_SECONDS": "0.2", "REKISTERI_WORKER_CONCURRENCY": "1"}


class Partner(BaseHTTPRequestHandler):
    received: list[tuple[dict, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Partner.received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class Recorder:
    """Every API response of the run: (method, route path, text incl. headers)."""

    def __init__(self) -> None:
        self.responses: list[tuple[str, str, str]] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        self.responses.append((response.request.method, response.request.url.path, headers + "\n" + response.text))


@pytest.fixture(scope="module")
def run(pg_server, redis_url, tmp_path_factory):
    from shared.embedded.mailcatcher import MailCatcher
    from shared.embedded.ports import free_port

    catcher = MailCatcher(port=free_port(), mail_dir=tmp_path_factory.mktemp("wsw-mail")).start()
    partner = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    threading.Thread(target=partner.serve_forever, daemon=True).start()
    env = {**FAST, "REKISTERI_DATABASE_URL": pg_server.create("rekisteri_wsw"), "REKISTERI_REDIS_URL": redis_url,
           "REKISTERI_SMTP_HOST": "127.0.0.1", "REKISTERI_SMTP_PORT": str(catcher.port),
           "REKISTERI_SECRET_KEY": SERVER_KEY, "REKISTERI_FLOWER_PASSWORD": FLOWER_PASSWORD,
           "REKISTERI_SEALING_KEYS": json.dumps({"k2": SEALING_KEY}), "REKISTERI_SEALING_KEY_ID": "k2"}
    services = Services(env, tmp_path_factory.mktemp("wsw-logs"))
    services.env["REKISTERI_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{services.api_port}"
    services.catcher, services.partner_url = catcher, f"http://127.0.0.1:{partner.server_port}/in"
    services.recorder = Recorder()
    try:
        for name in ("api", "worker-1", "beat", "notifier"):
            services.start(name)
        yield services
    finally:
        services.stop_all()
        catcher.stop()
        partner.shutdown()


def _client(run, token: str | None = None, **headers: str) -> httpx.Client:
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=f"http://127.0.0.1:{run.api_port}", headers=headers, timeout=60,
                        event_hooks={"response": [run.recorder]})


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, (response.request.url.path, response.status_code, response.text[:300])
    return response.json() if response.headers.get("content-type", "").startswith("application/json") else {}


def _mails(run) -> list:
    return [m.parsed() for m in run.catcher.messages]


def _mail_to(run, address: str, subject_part: str):
    def find():
        return next((m for m in _mails(run) if m["To"] == address and subject_part in m["Subject"]), None)
    return wait_until(find, timeout=90, message=f"mail '{subject_part}' to the subject")


def _job_done(client: httpx.Client, job_id: str) -> dict:
    return wait_until(lambda: (j := client.get(f"/v1/jobs/{job_id}").json())["status"] in ("succeeded", "failed")
                      and j, timeout=90, message="the job")


def _by_email(run, kind: str, address: str) -> None:
    with _client(run) as public:
        seen = len(run.catcher.messages)
        _ok(public.post("/public/requests", json={"kind": kind, "email": address, "language": "en",
                                                  **({"objection_scope": "both"} if kind == "objection" else {})}),
            202)
        mail = wait_until(lambda: next((m for m in _mails(run)[seen:] if m["To"] == address), None), timeout=90,
                          message="the verification mail")
        path = re.search(r"http://127\.0\.0\.1:\d+(/privacy/verify/[A-Za-z0-9_-]+)", mail.get_content()).group(1)
        _ok(public.post(path), 303)  # confirmed: on to the request's status page


@pytest.fixture(scope="module")
def secrets(run) -> dict[str, list[str]]:
    """Drive the whole workload once; what it handed out that must stay secret."""
    admin = run.cli("users", "create", "--name", f"wsw-admin-{TAG}", "--role", "admin")
    assert admin.returncode == 0, admin.stderr
    admin_token = run.cli("tokens", "create", "--user", f"wsw-admin-{TAG}").stdout.strip()
    tokens, handed = {"admin": admin_token}, {"tokens": [admin_token]}
    with _client(run, admin_token) as client:
        for role in ("sales", "marketing", "privacy"):
            # an admin issues tokens only to service accounts (or itself): these act for integrations
            user = _ok(client.post("/v1/users", json={"name": f"wsw-{role}-{TAG}", "role": role,
                                                      "service_account": True}), 201)
            tokens[role] = _ok(client.post(f"/v1/users/{user['id']}/tokens", json={}), 201)["token"]
            handed["tokens"].append(tokens[role])
            assert tokens[role] not in client.get(f"/v1/users/{user['id']}/tokens").text
        site_key = _ok(client.post("/v1/site-keys", json={"site": "www.jetmasters.fi"}), 201)["key"]
        handed["site_key"] = [site_key]
        assert site_key not in client.get("/v1/site-keys").text
    with _client(run, tokens["sales"]) as sales:
        company = _ok(sales.post("/v1/companies", json={"name": f"Salaisuus {TAG} Oy", "status": "customer",
                                                        **PROVENANCE}), 201)
        ids = [_ok(sales.post("/v1/contacts", json={"first_name": first, "last_name": last, "email": email,
                                                    "phone": phone, "company_id": company["id"], **PROVENANCE}), 201)["id"]
               for first, last, email, phone, _ in PEOPLE]
        rows = "\n".join(",".join((first, last, email, phone)) for first, last, email, phone, _ in IMPORTED)
        job = _ok(sales.post("/v1/imports", data={"kind": "contacts", **{k: v for k, v in PROVENANCE.items()
                                                                          if k != "purposes"}},
                             files={"file": ("c.csv", f"first_name,last_name,email,phone\n{rows}\n".encode())}), 202)
        assert _job_done(sales, job["id"])["result"]["inserted"] == len(IMPORTED)
        for contact_id in ids:
            _ok(sales.post(f"/v1/contacts/{contact_id}/consents",
                           json={"purpose": "sales_marketing", "channel": "web", "evidence": "web form"}), 201)
        _ok(sales.post("/v1/web-events/identify", json={"visitor_id": f"v-{TAG}", "contact_id": ids[0]}))
    with _client(run, **{"X-Site-Key": site_key}) as site:
        _ok(site.post("/v1/web-events", json={"events": [
            {"page": f"https://www.jetmasters.fi/tilaa?email={PEOPLE[0][2]}&name={PEOPLE[0][1]}",
             "referrer": None, "visitor_id": f"v-{TAG}"}]}), 202)
    with _client(run, tokens["marketing"]) as marketing:
        mailing_list = _ok(marketing.post("/v1/lists", json={"name": f"Uutiskirje {TAG}"}), 201)
        for contact_id in ids:
            _ok(marketing.post(f"/v1/lists/{mailing_list['id']}/subscriptions",
                               json={"contact_id": contact_id, "source": "data_subject"}), 201)
        campaign = _ok(marketing.post("/v1/campaigns", json={
            "name": f"Kampanja {TAG}", "category": "marketing", "list_ids": [mailing_list["id"]],
            "sender_name": "Jetmasters Oy", "sender_email": "markkinointi@jetmasters.example",
            "sender_postal_address": "Pakkastie 5, 87100 Kajaani",
            "templates": {"fi": {"subject": "Hei {first_name}", "body_text": "Uutta, {full_name}."}}}), 201)
        _ok(marketing.post(f"/v1/campaigns/{campaign['id']}/start"))
        dedup = _ok(marketing.post("/v1/dedup/runs", json={"entity": "contacts"}), 202)
    for _first, _last, email, _phone, _ in PEOPLE:
        _mail_to(run, email, "Hei")
    with _client(run, tokens["privacy"]) as privacy:
        partner = _ok(privacy.post("/v1/partners", json={
            "name": f"Kumppani {TAG} Oy", "role": "recipient", "agreement_reference": "SOP-8",
            "agreement_signed_on": "2026-01-01", "purposes": ["billing"], "fields": ["first_name", "last_name", "email"],
            "delivery": "https", "endpoint_url": run.partner_url, "secret": PARTNER_SECRET}), 201)
        privacy.get("/v1/partners"), privacy.get(f"/v1/partners/{partner['id']}")
        transfer = _ok(privacy.post("/v1/transfers", json={"partner_id": partner["id"], "purpose": "billing",
                                                           "selection": {"company_ids": [company["id"]]}}), 202)
        wait_until(lambda: privacy.get(f"/v1/transfers/{transfer['id']}").json()["status"] == "delivered",
                   timeout=90, message="the transfer delivered")
        privacy.get("/v1/transfers"), privacy.get("/v1/disclosures")
        wait_until(lambda: privacy.get(f"/v1/dedup/runs/{dedup['id']}").json()["status"] in ("succeeded", "failed"),
                   timeout=90, message="the dedup run")
    headers, body = Partner.received[0]
    assert verify_signature(PARTNER_SECRET.encode(), headers, body)  # the secret was really used
    _by_email(run, "access", PEOPLE[0][2])
    export_mail = _mail_to(run, PEOPLE[0][2], "Your data is ready")
    page_path = re.search(r"http://127\.0\.0\.1:\d+(/privacy/exports/\S+)", export_mail.get_content()).group(1)
    with _client(run) as public:
        page = public.get(page_path)
        assert page.status_code == 200
        export_path = re.search(r'href="(/public/exports/[^"]+)"', page.text).group(1).replace("&amp;", "&")
        assert public.get(export_path).status_code == 200
    _by_email(run, "objection", PEOPLE[1][2])
    _mail_to(run, PEOPLE[1][2], "Your objection is recorded")
    _by_email(run, "erasure", IMPORTED[0][2])
    _mail_to(run, IMPORTED[0][2], "Your data was erased")
    links = [token for m in _mails(run) for groups in
             re.findall(r"/(?:public|privacy)/(?:verify|unsubscribe|preferences)/([A-Za-z0-9_.-]{20,})|[?&]sig=([0-9a-f]{32,})",
                        m.get_body(("plain",)).get_content()) for token in groups if token]
    assert links, "the mails carried links"
    handed["mail_links"] = links
    return handed


def test_no_log_of_any_service_holds_personal_data_or_secrets(run, secrets):
    logs = {path.name: path.read_text(errors="replace") for path in sorted(run.log_dir.glob("*.log"))}
    assert set(logs) == {"api.log", "worker-1.log", "beat.log", "notifier.log"}
    assert all(len(text) > 200 for text in logs.values()), {n: len(t) for n, t in logs.items()}  # each one logged
    assert "job.succeeded" in logs["worker-1.log"] and "email.sent" in logs["notifier.log"]
    forbidden = {"partner secret": [PARTNER_SECRET], "server key": [SERVER_KEY], "sealing key": [SEALING_KEY],
                 "flower password": [FLOWER_PASSWORD], **secrets}
    for first, last, email, given, stored in PEOPLE + IMPORTED:
        forbidden[f"{first} {last}"] = [first, last, email, given, stored, stored[4:], given.replace(" ", "")]
    leaks = [f"{what} in {name}" for name, text in logs.items() for what, values in forbidden.items()
             for value in values if value and value in text]
    assert leaks == []


def test_no_response_shows_a_secret_but_the_one_that_made_it(run, secrets):
    responses = run.recorder.responses
    assert len(responses) > 30  # the whole workload, polls included
    for method, path, text in responses:
        assert PARTNER_SECRET not in text, (method, path)
        assert SERVER_KEY not in text and SEALING_KEY not in text and FLOWER_PASSWORD not in text, (method, path)
    for value in secrets["tokens"][1:] + secrets["site_key"]:
        shown = [(method, path) for method, path, text in responses if value in text]
        assert len(shown) == 1 and shown[0][0] == "POST", shown
        assert re.fullmatch(r"/v1/users/\d+/tokens|/v1/site-keys", shown[0][1]), shown
    assert secrets["tokens"][0] not in "\n".join(text for _, _, text in responses)  # the CLI's: never
