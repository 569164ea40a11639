"""The mixed workload, through the HTTP API only: register edits, subject requests of every kind,
a campaign, a dedup run and partner transfers. Every 2xx answer goes into the ledger, which the
checker holds against the database afterwards; other answers are counted and otherwise ignored
(a fault may make the API answer 5xx or not at all, and that is allowed: a 2xx is a promise)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx
from sqlalchemy import Engine, text
from factories import PROVENANCE

TEMPLATES = {"fi": {"subject": "Uutta {first_name}", "body_text": "Hei {full_name}, uutta meiltä."}}
VERIFIED = "henkilöllisyys tarkistettu puhelimessa"


@dataclass
class Ledger:
    """What the API promised (2xx), with the moment the answer arrived (time.time())."""

    contacts: dict[int, dict] = field(default_factory=dict)  # id -> {"email", "version", "position"}
    requests: dict[str, dict] = field(default_factory=dict)  # id -> {"kind", "contact_id", "email", "at"}
    objected: dict[str, float] = field(default_factory=dict)  # email -> when the objection was answered
    restricted: dict[str, float] = field(default_factory=dict)
    erased: dict[int, str] = field(default_factory=dict)  # contact id -> request id
    named: dict[int, str] = field(default_factory=dict)  # contact id -> kind of the request tried for them
    campaigns: list[int] = field(default_factory=list)
    dedup_runs: list[int] = field(default_factory=list)
    transfers: list[str] = field(default_factory=list)
    resumed: list[int] = field(default_factory=list)  # campaigns that paused themselves, resumed by hand
    answers: Counter = field(default_factory=Counter)  # (operation, status or error name)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, op: str, answer: int | str) -> None:
        with self._lock:  # the workload and the fault thread both call the API
            self.answers[(op, answer)] += 1

    def answered(self) -> Counter:
        with self._lock:
            return Counter(self.answers)

    def __deepcopy__(self, memo):  # the checker's self-test forges copies
        import copy

        return Ledger(**{k: copy.deepcopy(v, memo) for k, v in vars(self).items() if k != "_lock"})


def seed_audience(engine: Engine, n: int, tag: str) -> tuple[int, list[tuple[int, str]]]:
    """A list of n consenting subscribers at one company: (list id, [(contact id, email)])."""
    with engine.begin() as conn:
        company = conn.execute(text("""
            INSERT INTO companies (name, status, owner, country, sole_trader, legal_basis, purposes, source,
                                   version, created_at, updated_at)
            VALUES (:name, 'customer', 'Jetmasters Oy', 'FI', false, 'customer_relationship',
                    ARRAY['sales_marketing'], 'data_subject', 1, now(), now()) RETURNING id"""),
            {"name": f"Asiakas {tag} Oy"}).scalar_one()
        list_id = conn.execute(text("""INSERT INTO mailing_lists (name, owner, version, created_at, updated_at)
                                       VALUES (:name, 'Jetmasters Oy', 1, now(), now()) RETURNING id"""),
                               {"name": f"Uutiskirje {tag}"}).scalar_one()
        rows = conn.execute(text("""
            INSERT INTO contacts (company_id, first_name, last_name, email, language, legal_basis, purposes, source,
                                  version, created_at, updated_at)
            SELECT :company, 'Henkilö' || g, 'Suku' || :tag, 'h' || g || '.' || :tag || '@example.fi', 'fi',
                   'customer_relationship', ARRAY['sales_marketing'], 'data_subject', 1, now(), now()
            FROM generate_series(1, :n) g RETURNING id, email"""), {"company": company, "tag": tag, "n": n}).all()
        ids = [r.id for r in rows]
        conn.execute(text("""
            INSERT INTO subscriptions (list_id, contact_id, status, source, subscribed_at, version, updated_at)
            SELECT :list, id, 'subscribed', 'data_subject', now(), 1, now() FROM unnest(CAST(:ids AS integer[])) id"""),
            {"list": list_id, "ids": ids})
        conn.execute(text("""
            INSERT INTO consents (contact_id, purpose, granted_at, channel, evidence)
            SELECT id, 'sales_marketing', now(), 'web', 'lomake' FROM unnest(CAST(:ids AS integer[])) id"""),
            {"ids": ids})
    return list_id, sorted((r.id, r.email) for r in rows)


class Workload:
    """One round's operations, chosen by `rng`, run in a thread until `stop()`."""

    OPERATIONS = {"create_contact": 3, "edit_contact": 4, "access": 1, "rectification": 1, "erasure": 1,
                  "objection": 3, "restriction": 1}

    def __init__(self, base_url: str, tokens: dict[str, str], ledger: Ledger, rng: random.Random, *,
                 list_id: int, audience: list[tuple[int, str]], partner_id: int):
        self.ledger, self.rng, self.list_id, self.partner_id = ledger, rng, list_id, partner_id
        self.clients = {role: httpx.Client(base_url=base_url, timeout=15,
                                           headers={"Authorization": f"Bearer {token}"})
                        for role, token in tokens.items()}
        self.untouched = list(audience)  # people no request has named yet
        rng.shuffle(self.untouched)
        self.company_id: int | None = None
        self.approvals: list[tuple[str, dict]] = []  # rectifications still to approve
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="workload")

    # --- plumbing ----------------------------------------------------------------------------
    def call(self, op: str, role: str, method: str, url: str, **kwargs) -> httpx.Response | None:
        try:
            response = self.clients[role].request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.ledger.count(op, type(exc).__name__)
            return None
        self.ledger.count(op, response.status_code)
        return response if response.is_success else None

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(60)

    def _run(self) -> None:
        names, weights = zip(*self.OPERATIONS.items(), strict=True)
        while not self._stop.is_set():
            getattr(self, self.rng.choices(names, weights)[0])()
            self._stop.wait(0.03)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    # --- the register ------------------------------------------------------------------------
    def create_contact(self) -> None:
        if self.company_id is None:
            made = self.call("create_company", "sales", "POST", "/v1/companies",
                             json={"name": f"Konepaja {uuid.uuid4().hex[:8]} Oy", "status": "customer", **PROVENANCE})
            if made is None:
                return
            self.company_id = made.json()["id"]
        email = f"uusi.{uuid.uuid4().hex[:10]}@example.fi"
        made = self.call("create_contact", "sales", "POST", "/v1/contacts", json={
            "first_name": "Uuno", "last_name": "Uusi", "email": email, "company_id": self.company_id, **PROVENANCE})
        if made is not None:
            body = made.json()
            self.ledger.contacts[body["id"]] = {"email": email, "version": body["version"], "position": None}

    def edit_contact(self) -> None:
        if not self.ledger.contacts:
            return self.create_contact()
        contact_id = self.rng.choice(sorted(self.ledger.contacts))
        read = self.call("read_contact", "sales", "GET", f"/v1/contacts/{contact_id}")
        if read is None:
            return None
        position = f"Tehtävä {self.rng.randrange(10**6)}"
        changed = self.call("edit_contact", "sales", "PATCH", f"/v1/contacts/{contact_id}",
                            json={"position": position}, headers={"If-Match": read.headers["ETag"]})
        if changed is not None:
            self.ledger.contacts[contact_id].update(version=changed.json()["version"], position=position)
        return None

    # --- subject requests (each names a person of the audience no other request named) ------
    def _request(self, kind: str, **fields) -> tuple[dict, httpx.Response] | None:
        if not self.untouched:
            return None
        contact_id, email = self.untouched.pop()
        self.ledger.named[contact_id] = kind  # whatever the answer: a request may commit and its answer be lost
        made = self.call(kind, "privacy", "POST", "/v1/subject-requests", json={
            "kind": kind, "channel": "phone", "verification_method": VERIFIED, "email": email,
            "contact_id": contact_id, **fields})
        if made is None:
            return None
        body = made.json()
        self.ledger.requests[body["id"]] = {"kind": kind, "contact_id": contact_id, "email": email,
                                            "at": time.time()}
        return body, made

    def access(self) -> None:
        self._request("access")

    def objection(self) -> None:
        if made := self._request("objection", objection_scope="direct_marketing"):
            self.ledger.objected[made[0]["email"]] = self.ledger.requests[made[0]["id"]]["at"]

    def restriction(self) -> None:
        if made := self._request("restriction"):
            self.ledger.restricted[made[0]["email"]] = self.ledger.requests[made[0]["id"]]["at"]

    def erasure(self) -> None:
        if made := self._request("erasure"):
            self.ledger.erased[made[0]["contact_id"]] = made[0]["id"]

    def rectification(self) -> None:
        if made := self._request("rectification", proposed_changes={"position": "Oikaistu tehtävä"}):
            self.approvals.append((made[0]["id"], {"If-Match": made[1].headers["ETag"]}))
            self.approve_pending()

    def approve_pending(self) -> bool:
        """Approve every waiting rectification; True when none waits (the ETag is read again on a retry)."""
        for request_id, headers in list(self.approvals):
            done = self.call("approve", "privacy", "POST", f"/v1/subject-requests/{request_id}/approve",
                             json={"changes": {"position": "Oikaistu tehtävä"}}, headers=headers)
            if done is None:
                fresh = self.call("read_request", "privacy", "GET", f"/v1/subject-requests/{request_id}")
                if fresh is not None and fresh.json()["status"] != "verified":
                    self.approvals.remove((request_id, headers))  # an earlier try went through
                elif fresh is not None:
                    self.approvals[self.approvals.index((request_id, headers))] = (
                        request_id, {"If-Match": fresh.headers["ETag"]})
                continue
            self.ledger.requests[request_id]["approved"] = True
            self.approvals.remove((request_id, headers))
        return not self.approvals

    # --- campaign, dedup, transfer ----------------------------------------------------------
    def start_campaign(self) -> int | None:
        made = self.call("create_campaign", "marketing", "POST", "/v1/campaigns", json={
            "name": f"Kampanja {uuid.uuid4().hex[:6]}", "category": "marketing", "list_ids": [self.list_id],
            "sender_name": "Jetmasters Oy", "sender_email": "markkinointi@jetmasters.example",
            "sender_postal_address": "Pakkastie 5, 87100 Kajaani", "templates": TEMPLATES})
        if made is None:
            return None
        campaign_id = made.json()["id"]
        for _ in range(20):  # a campaign that was created must be started, faults or not
            if self.call("start_campaign", "marketing", "POST", f"/v1/campaigns/{campaign_id}/start") is not None:
                self.ledger.campaigns.append(campaign_id)
                return campaign_id
            current = self.call("read_campaign", "marketing", "GET", f"/v1/campaigns/{campaign_id}")
            if current is not None and current.json()["status"] != "draft":
                self.ledger.campaigns.append(campaign_id)
                return campaign_id
            time.sleep(0.5)
        return None

    def resume_paused(self) -> None:
        """What the marketing person does when a campaign paused itself (too many refusals): resume."""
        for campaign_id in self.ledger.campaigns:
            current = self.call("read_campaign", "marketing", "GET", f"/v1/campaigns/{campaign_id}")
            if current is not None and current.json()["status"] == "paused" and self.call(
                    "resume_campaign", "marketing", "POST", f"/v1/campaigns/{campaign_id}/resume") is not None:
                self.ledger.resumed.append(campaign_id)

    def dedup_run(self) -> None:
        made = self.call("dedup_run", "privacy", "POST", "/v1/dedup/runs", json={"entity": "contacts"})
        if made is not None:
            self.ledger.dedup_runs.append(made.json()["id"])

    def transfer(self) -> None:
        made = self.call("transfer", "privacy", "POST", "/v1/transfers", json={
            "partner_id": self.partner_id, "purpose": "billing", "selection": {"list_ids": [self.list_id]}})
        if made is not None:
            self.ledger.transfers.append(made.json()["id"])


def register_partner(base_url: str, token: str, endpoint_url: str, secret: str) -> int:
    body = {"name": f"Laskutus {uuid.uuid4().hex[:6]} Oy", "role": "processor", "agreement_reference": "DPA-2026-7",
            "agreement_signed_on": "2026-01-01", "purposes": ["billing"],
            "fields": ["first_name", "last_name", "email"], "delivery": "https", "endpoint_url": endpoint_url,
            "secret": secret}
    response = httpx.post(f"{base_url}/v1/partners", json=body, headers={"Authorization": f"Bearer {token}"},
                          timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["id"]
