"""Who saw whom through a transfer: the access log, per person, for the three ways a transfer
shows personal data — made (the creator, with their stated reason, once the people are chosen),
read (a staff member opening the transfer), and downloaded (the partner, through its link).

One access-log row per event, listing every person in the file, written by the database from
the selection (a transfer of a million people does not pass through Python).
"""

from __future__ import annotations

from array import array
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from shared.audit.service import Actor
from shared.models import utcnow
from shared.models.partners import Partner, Transfer, TransferKind

CREATE_ROUTE = "POST /v1/transfers"
READ_ROUTE = "GET /v1/transfers/{transfer_id}"
DOWNLOAD_ROUTE = "GET /public/transfers/{transfer_id}/file"


def _insert(session: Session, *, people_sql: str, params: dict, user_id: int | None, route: str, reason: str,
            transfer: Transfer, at: datetime) -> None:
    session.execute(text(
        "INSERT INTO access_log (user_id, contact_ids, route, reason, request_id, at) "
        f"SELECT :user_id, array_agg(DISTINCT p.id ORDER BY p.id), :route, :reason, :request_id, :at "
        f"FROM ({people_sql}) AS p (id) WHERE p.id IS NOT NULL HAVING count(p.id) > 0"),
        {**params, "user_id": user_id, "route": route, "reason": reason[:500], "request_id": str(transfer.id),
         "at": at})


def _why(transfer: Transfer, partner: Partner) -> str:
    return f"transfer to partner {partner.id} ({partner.name}) for {transfer.purpose}"


def record_made(session: Session, *, transfer: Transfer, partner: Partner, people_table: str,
                at: datetime) -> None:
    """The creator saw to it that these people were put in a file: who, and the reason they gave."""
    reason = f"{transfer.access_reason} — {_why(transfer, partner)}" if transfer.access_reason else _why(transfer,
                                                                                                         partner)
    _insert(session, people_sql=f'SELECT id FROM "{people_table}"', params={}, user_id=transfer.created_by,
            route=CREATE_ROUTE, reason=reason, transfer=transfer, at=at)


def _people_sql(transfer: Transfer, ids: array | None) -> tuple[str, dict]:
    """The people in the transfer: its waiting file's ids, else the disclosures it recorded."""
    if ids is not None and transfer.kind == TransferKind.followup:  # the ids are follow-up notices
        return ("SELECT contact_id FROM disclosures WHERE id = ANY(CAST(:ids AS integer[]))",
                {"ids": ids.tolist()})
    if ids is not None:
        return "SELECT unnest(CAST(:ids AS integer[]))", {"ids": ids.tolist()}
    return "SELECT contact_id FROM disclosures WHERE request_id = :transfer_id", {"transfer_id": transfer.id}


def record_read(session: Session, *, transfer: Transfer, actor: Actor, ids: array | None) -> None:
    """A staff member opened the transfer: logged for every person in it, with their reason."""
    partner = session.get(Partner, transfer.partner_id)
    sql, params = _people_sql(transfer, ids)
    reason = f"{actor.reason} — {_why(transfer, partner)}" if actor.reason else _why(transfer, partner)
    _insert(session, people_sql=sql, params=params, user_id=actor.user_id, route=READ_ROUTE, reason=reason,
            transfer=transfer, at=utcnow())


def record_download(session: Session, *, transfer: Transfer, partner: Partner, ids: array, at: datetime) -> None:
    """The partner fetched the file (every fetch, not only the first)."""
    sql, params = _people_sql(transfer, ids)
    _insert(session, people_sql=sql, params=params, user_id=None, route=DOWNLOAD_ROUTE,
            reason=f"downloaded by the partner: {_why(transfer, partner)}", transfer=transfer, at=at)
