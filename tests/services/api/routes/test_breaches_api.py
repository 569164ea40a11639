"""Breaches are edited like every other record: GET gives the ETag, PATCH needs it in If-Match
(428 without, 412 when someone changed the breach meanwhile)."""

from __future__ import annotations

from datetime import timedelta

from shared.models import utcnow
from support import auth


def test_breach_edits_need_the_etag_they_read(api, role_tokens):
    headers = auth(role_tokens["privacy"])
    created = api.post("/v1/breaches", headers=headers, json={
        "summary": "Väärä vastaanottaja", "description": "Lista lähti väärälle kumppanille",
        "discovered_at": (utcnow() - timedelta(hours=1)).isoformat()})
    assert created.status_code == 201 and created.headers["ETag"] == f'"{created.json()["id"]}.1"'
    url = f"/v1/breaches/{created.json()['id']}"
    etag = api.get(url, headers=headers).headers["ETag"]
    assert etag == created.headers["ETag"]

    change = {"measures": "Kumppania pyydetty poistamaan tiedosto"}
    missing = api.patch(url, headers=headers, json=change)
    assert missing.status_code == 428
    changed = api.patch(url, headers={**headers, "If-Match": etag}, json=change)
    assert changed.status_code == 200 and changed.json()["measures"] == change["measures"]
    assert changed.headers["ETag"] != etag and changed.headers["ETag"] == api.get(url, headers=headers).headers["ETag"]
    stale = api.patch(url, headers={**headers, "If-Match": etag}, json={"measures": "toinen"})
    assert stale.status_code == 412
    assert api.get(url, headers=headers).json()["measures"] == change["measures"]  # nothing overwritten
