"""Transfers to partners: refused with a reason, or selected, minimised, written, delivered and
recorded — one disclosure row per person, in the transaction that marks the transfer delivered.

A transfer is a row first; the `transfers.run` job (bulk queue) does the work and commits with
the job's success. Over HTTPS that is the same transaction as the delivery's outcome: a worker
that dies after the partner got the file but before the commit sends it again on the next
attempt (same Idempotency-Key) and only then records it — the record never claims a delivery
that did not happen. A download is recorded when the partner first fetches it.

Transfers show personal data, so each is in the access log per person (shared/transfers/access.py):
when made (the creator and the reason they gave), when a staff member opens one, and at every
download. A download link is shown once, in the answer to the one who asked for the transfer
(and mailed to the partner's notify address); reading the transfer later never shows it.
"""

from __future__ import annotations

import json
import uuid
from array import array
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import ARRAY, Integer, Table, any_, cast, delete, func, text, update
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.jobs import kinds
from shared.jobs.runner import JobContext
from shared.jobs.service import create_job
from shared.models import Contact, Disclosure, EmailCategory, Job, JobStatus, utcnow
from shared.models.partners import (FINAL_TRANSFER_STATUSES, DeliveryMethod, Partner, SubjectRef, Transfer,
                                    TransferKind, TransferStatus)
from shared.outbox.service import enqueue_email
from shared.partners import delivery
from shared.partners.delivery import DeliveryFailed, DeliveryOptions
from shared.partners.schemas import TransferCreate, TransferPublic
from shared.partners.service import channel_problem, get_partner, partner_by_name, partner_secret, refusal
from shared.common.errors import Conflict, Gone, InvalidReference, NotFound
from shared.settings import get_settings
from shared.common.person_copies import hold_person_copies
from shared.subject_requests.followups import FOLLOW_UP_KINDS
from shared.transfers import access, files
from shared.transfers.meanwhile import record_changes_meanwhile
from shared.transfers.preview import chosen_fields

log = structlog.get_logger(__name__)


class LinkRefused(NotFound):
    """A download link that is not ours, or whose transfer is gone (404)."""


class LinkExpired(Gone):
    """A genuine link past its time."""


class TransferRefused(Conflict):
    """The transfer breaks a rule of the partner's agreement; the refused transfer, with its
    reason, is the answer (and is kept as a record)."""


class FileOutOfDate(Gone):
    """The file changed meanwhile (someone in it was erased or restricted): it is not given out."""

    default = "the file is out of date; ask for a new transfer"


def create_transfer(session: Session, *, data: TransferCreate, actor: Actor) -> Transfer:
    """A transfer row: refused at once with the reason, or pending with its job queued."""
    partner = session.get(Partner, data.partner_id)
    if partner is None:
        raise InvalidReference("partner_id", "no partner has this id")
    transfer = Transfer(partner_id=partner.id, purpose=data.purpose, selection=data.selection.model_dump(mode="json"),
                        fields=chosen_fields(partner, data.fields), created_by=actor.user_id,
                        access_reason=actor.reason, file_format=data.file_format or partner.file_format)
    transfer.reason = refusal(partner, purpose=transfer.purpose, fields=transfer.fields, today=utcnow().date())
    if transfer.reason:
        transfer.status = TransferStatus.refused
    elif partner.delivery == DeliveryMethod.download:  # the link's time is fixed now: it is shown now, once
        transfer.download_expires_at = transfer.created_at + timedelta(hours=get_settings().transfer_link_ttl_hours)
    session.add(transfer)
    session.flush()
    if transfer.status == TransferStatus.pending:
        transfer.job_id = create_job(session, kind=kinds.TRANSFER, payload={"transfer_id": str(transfer.id)},
                                     request_id=actor.request_id, created_by=actor.user_id).id
    log.info("transfer.created", transfer_id=str(transfer.id), partner_id=partner.id, purpose=transfer.purpose,
             status=transfer.status.value)
    return transfer


def get_transfer(session: Session, *, transfer_id: uuid.UUID) -> Transfer:
    transfer = session.get(Transfer, transfer_id)
    if transfer is None:
        raise NotFound("no such transfer")
    return transfer


def _file_ids(transfer: Transfer) -> array | None:
    """The ids behind a download file while it exists (contacts, or follow-up notices)."""
    path = files.ids_path(transfer.id)
    if not path.exists():
        return None
    ids = array("i")
    ids.frombytes(path.read_bytes())
    return ids


def read_transfer(session: Session, *, transfer_id: uuid.UUID, actor: Actor) -> Transfer:
    """A staff member opens a transfer: in the access log of everybody in it."""
    transfer = get_transfer(session, transfer_id=transfer_id)
    access.record_read(session, transfer=transfer, actor=actor, ids=_file_ids(transfer))
    return transfer


def list_transfers(session: Session, *, partner_id: int | None = None, limit: int = 100) -> list[Transfer]:
    query = select(Transfer).order_by(Transfer.created_at.desc()).limit(limit)
    if partner_id is not None:
        query = query.where(Transfer.partner_id == partner_id)
    return list(session.exec(query).all())


def to_public(transfer: Transfer, *, with_link: bool = False) -> TransferPublic:
    """The transfer as staff see it. The download link (the partner's credential) only `with_link`:
    in the answer to the one who just asked for the transfer."""
    link = None
    if with_link and transfer.status == TransferStatus.pending and transfer.download_expires_at:
        link = delivery.download_link(transfer.id, expires_at=transfer.download_expires_at)
    return TransferPublic(**transfer.model_dump(exclude={"access_reason"}), download_url=link)


def _finish(transfer: Transfer, status: TransferStatus, *, reason: str | None = None) -> dict[str, Any]:
    transfer.status, transfer.reason, transfer.updated_at = status, reason, utcnow()
    if status == TransferStatus.delivered:
        transfer.delivered_at = transfer.updated_at
    log.info("transfer.finished", transfer_id=str(transfer.id), status=status.value, rows=transfer.rows)
    return {"status": status.value, "reason": reason, "rows": transfer.rows, "excluded": transfer.excluded}


def record_disclosures(session: Session, *, transfer: Transfer, partner: Partner, at: datetime,
                       selected_at: datetime, people: Table | None = None, ids: array | None = None) -> int:
    """One disclosure row per person still in the register, written by the database from the
    selection's table (or an id array); the notices for people erased, rectified or restricted
    since `selected_at` are queued too (shared/transfers/meanwhile.py)."""
    source = (f'SELECT id FROM "{people.name}"' if people is not None
              else "SELECT unnest(CAST(:ids AS integer[]))")
    params = {"ids": ids.tolist() if ids is not None else None}
    hold_person_copies(session, exclusive=True)
    written = session.execute(text(
        "INSERT INTO disclosures "
        "(contact_id, recipient, recipient_kind, purpose, fields, kind, status, request_id, at) "
        f"SELECT p.id, :recipient, 'partner', :purpose, CAST(:fields AS json), 'transfer', 'done', :transfer_id, :at "
        f"FROM ({source}) AS p (id) JOIN contacts c ON c.id = p.id"), {
        **params, "recipient": partner.name, "purpose": transfer.purpose,
        "fields": json.dumps(transfer.fields), "transfer_id": transfer.id, "at": at}).rowcount
    if meanwhile := record_changes_meanwhile(session, transfer=transfer, partner=partner, people_sql=source,
                                             params=params, selected_at=selected_at):
        log.info("transfer.changed_meanwhile", transfer_id=str(transfer.id), **meanwhile)
    return written


def send_file(session: Session, *, transfer: Transfer, partner: Partner, path: Path, ids: array,
              options: DeliveryOptions, now: datetime) -> bool:
    """POST the file (True: delivered) or offer it for download (False: waiting); raises DeliveryFailed."""
    if partner.delivery == DeliveryMethod.https:
        transfer.attempts += delivery.post_file(
            url=partner.endpoint_url, path=path, secret=partner_secret(partner), transfer_id=transfer.id,
            sha256=transfer.sha256, content_type=files.CONTENT_TYPES[transfer.file_format], kind=transfer.kind.value,
            options=options)
        path.unlink(missing_ok=True)
        return True
    files.ids_path(transfer.id).write_bytes(ids.tobytes())
    hours = get_settings().transfer_link_ttl_hours
    transfer.download_expires_at = transfer.download_expires_at or now + timedelta(hours=hours)
    if partner.notify_email:
        link = delivery.download_link(transfer.id, expires_at=transfer.download_expires_at)
        enqueue_email(session, to_address=partner.notify_email, from_address=get_settings().mail_from,
                      subject=f"File {transfer.id} ready for download", category=EmailCategory.transactional,
                      headers={"Auto-Submitted": "auto-generated"},
                      body_text=f"A file ({transfer.kind.value}, purpose {transfer.purpose}, {transfer.rows} rows, "
                                f"SHA-256 {transfer.sha256}) is ready for {partner.name}.\n\nDownload it before "
                                f"{transfer.download_expires_at:%Y-%m-%d %H:%M} UTC:\n{link}\n")
    return False


def run_transfer(session: Session, *, transfer_id: uuid.UUID, options: DeliveryOptions | None = None,
                 now: datetime | None = None) -> dict[str, Any]:
    """Check the rules again, write the file, deliver it, record it (see the module docstring)."""
    now = now or utcnow()
    transfer = session.get(Transfer, transfer_id, with_for_update=True, populate_existing=True)
    if transfer is None:
        return {"skipped": "transfer not found"}
    if transfer.status in FINAL_TRANSFER_STATUSES or transfer.status == TransferStatus.ready:
        return {"skipped": f"transfer already {transfer.status.value}"}
    partner = get_partner(session, partner_id=transfer.partner_id)
    reason = refusal(partner, purpose=transfer.purpose, fields=transfer.fields, today=now.date())
    if reason:
        return _finish(transfer, TransferStatus.refused, reason=reason)
    keys = files.load_keys(session, name=f"transfer_keys_{transfer.id.hex}")
    selected = files.select_people(session, name=f"transfer_people_{transfer.id.hex}", purpose=transfer.purpose,
                                   selection=transfer.selection, keys=keys)
    people, transfer.rows, transfer.excluded = selected.people, selected.rows, selected.excluded
    access.record_made(session, transfer=transfer, partner=partner, people_table=people.name, at=now)
    meta = {"transfer_id": str(transfer.id), "partner": partner.name, "purpose": transfer.purpose,
            "fields": ["ref", *transfer.fields], "created_at": now.isoformat()}
    path = files.file_path(transfer.id, transfer.file_format)
    transfer.sha256, transfer.size_bytes = files.write_people(
        session, path=path, people=people, keys=keys, partner_id=partner.id, fields=transfer.fields,
        file_format=transfer.file_format, meta=meta)
    ids = files.people_ids(session, people) if partner.delivery == DeliveryMethod.download else array("i")
    try:
        delivered = send_file(session, transfer=transfer, partner=partner, path=path, ids=ids,
                              options=options or DeliveryOptions.from_settings(), now=now)
    except DeliveryFailed as exc:
        transfer.attempts += exc.attempts
        files.remove_files(transfer.id)
        return _finish(transfer, TransferStatus.failed, reason=exc.reason)
    if not delivered:
        transfer.status, transfer.updated_at = TransferStatus.ready, now
        return {"status": "ready", "rows": transfer.rows, "excluded": transfer.excluded}
    record_disclosures(session, transfer=transfer, partner=partner, people=people, at=now, selected_at=now)
    return _finish(transfer, TransferStatus.delivered)


def run_transfer_job(session: Session, ctx: JobContext) -> dict[str, Any]:
    """The `transfers.run` job: {"transfer_id": …} runs one transfer; {"followups": true} delivers
    the pending Art. 19 notices to every partner."""
    if ctx.payload.get("followups"):
        return deliver_followups(session)
    return run_transfer(session, transfer_id=uuid.UUID(ctx.payload["transfer_id"]))


def _still_disclosable(session: Session, *, transfer: Transfer, ids: array) -> bool:
    """Nobody in a waiting file was erased, restricted or (for marketing) objected since it was written."""
    rules = files.stale_condition(transfer.purpose)
    found = session.execute(select(func.count()).select_from(Contact).where(
        Contact.id == any_(cast(ids.tolist(), ARRAY(Integer))), ~rules)).scalar_one()
    return found == len(ids)


def open_download(session: Session, *, transfer_id: uuid.UUID, expires: str | None, sig: str | None,
                  now: datetime | None = None) -> tuple[Transfer, Path | None]:
    """The file behind a signed link (None: it may no longer be given out); the first download records
    the disclosure. LinkRefused for a link that is not ours, LinkExpired for one past its time."""
    now = now or utcnow()
    expires_at = delivery.link_is_genuine(transfer_id, expires=expires, sig=sig)
    transfer = session.get(Transfer, transfer_id, with_for_update=True) if expires_at else None
    if transfer is None or transfer.status not in (TransferStatus.ready, TransferStatus.delivered):
        raise LinkRefused()
    path = files.file_path(transfer.id, transfer.file_format)
    if (now.timestamp() >= expires_at or transfer.download_expires_at is None or now >= transfer.download_expires_at
            or not path.exists()):
        raise LinkExpired()
    partner = get_partner(session, partner_id=transfer.partner_id)
    ids = _file_ids(transfer) or array("i")
    if transfer.status == TransferStatus.ready:
        if transfer.kind == TransferKind.followup:
            _mark_done(session, disclosure_ids=ids.tolist(), recipient=partner.name, at=now)
        elif _still_disclosable(session, transfer=transfer, ids=ids):
            record_disclosures(session, transfer=transfer, partner=partner, ids=ids, at=now,
                               selected_at=transfer.created_at)
        else:
            files.remove_files(transfer.id)
            _finish(transfer, TransferStatus.expired, reason="people in the file were erased, restricted or "
                                                             "objected after it was written: make a new transfer")
            return transfer, None
        _finish(transfer, TransferStatus.delivered)
    access.record_download(session, transfer=transfer, partner=partner, ids=ids, at=now)
    transfer.downloads += 1
    session.add(transfer)
    session.flush()
    return transfer, path


def expire_downloads(session: Session, *, now: datetime) -> int:
    """Downloads past their link's time: the files go; a never-fetched one becomes `expired`."""
    due = session.exec(select(Transfer).where(Transfer.status.in_([TransferStatus.ready, TransferStatus.delivered]),
                                              Transfer.download_expires_at < now)).all()
    for transfer in due:
        files.remove_files(transfer.id)
        if transfer.status == TransferStatus.ready:
            _finish(transfer, TransferStatus.expired, reason="the download link expired unused")
        transfer.download_expires_at = None
        session.add(transfer)
    session.flush()
    return len(due)


# -- Art. 19 follow-ups: correction, deletion and restriction notices --------------------------

def _mark_done(session: Session, *, disclosure_ids: list[int], recipient: str, at: datetime) -> None:
    """The notices were delivered: done, at the time of delivery; the erased people's refs go."""
    requests = session.exec(select(Disclosure.request_id).where(Disclosure.id.in_(disclosure_ids),
                                                                Disclosure.contact_id.is_(None))).all()
    session.execute(update(Disclosure.__table__).where(Disclosure.id.in_(disclosure_ids))
                    .values(status="done", at=at))
    session.execute(delete(SubjectRef.__table__).where(SubjectRef.recipient == recipient,
                                                       SubjectRef.request_id.in_([r for r in requests if r])))


def _offered(session: Session, *, partner_id: int) -> set[int]:
    """Follow-ups already in a download file that waits for this partner (not to be sent twice)."""
    waiting = session.exec(select(Transfer.id).where(Transfer.partner_id == partner_id,
                                                     Transfer.kind == TransferKind.followup,
                                                     Transfer.status == TransferStatus.ready)).all()
    offered: set[int] = set()
    for transfer_id in waiting:
        ids = array("i")
        path = files.ids_path(transfer_id)
        ids.frombytes(path.read_bytes() if path.exists() else b"")
        offered.update(ids)
    return offered


def deliver_followups(session: Session, *, options: DeliveryOptions | None = None,
                      now: datetime | None = None) -> dict[str, int]:
    """Every pending notice, one file per partner through its own channel, even after its
    agreement ended (the duty to tell outlives it). Counts only: no names."""
    now, options = now or utcnow(), options or DeliveryOptions.from_settings()
    pending = session.exec(select(Disclosure).where(
        Disclosure.status == "pending", Disclosure.recipient_kind == "partner",
        Disclosure.kind.in_(sorted(FOLLOW_UP_KINDS))).order_by(Disclosure.id).with_for_update(skip_locked=True)).all()
    by_recipient: dict[str, list[Disclosure]] = {}
    for notice in pending:
        by_recipient.setdefault(notice.recipient, []).append(notice)
    counts = {"delivered": 0, "offered": 0, "failed": 0, "no_channel": 0, "unidentified": 0}
    for recipient, notices in sorted(by_recipient.items()):
        partner = partner_by_name(session, name=recipient)
        if partner is None or channel_problem(partner):
            counts["no_channel"] += len(notices)
            continue
        offered = _offered(session, partner_id=partner.id)
        notices = [n for n in notices if n.id not in offered]
        if not notices:
            continue
        transfer = Transfer(kind=TransferKind.followup, partner_id=partner.id, purpose="follow-up",
                            fields=sorted({f for n in notices for f in n.fields}), file_format=partner.file_format,
                            excluded={})
        session.add(transfer)
        session.flush()
        header, rows, unidentified = files.notice_rows(session, partner=partner, notices=notices)
        path = files.file_path(transfer.id, transfer.file_format)
        meta = {"transfer_id": str(transfer.id), "partner": partner.name, "kind": "follow-up"}
        transfer.sha256, transfer.size_bytes, transfer.rows = files.write_rows(
            path, rows, file_format=transfer.file_format, header=header, meta=meta)
        ids = array("i", [n.id for n in notices])
        try:
            delivered = send_file(session, transfer=transfer, partner=partner, path=path, ids=ids, options=options,
                                  now=now)
        except DeliveryFailed as exc:
            transfer.attempts += exc.attempts
            files.remove_files(transfer.id)
            _finish(transfer, TransferStatus.failed, reason=exc.reason)
            counts["failed"] += len(notices)
            continue
        counts["unidentified"] += unidentified
        if delivered:
            _mark_done(session, disclosure_ids=ids.tolist(), recipient=partner.name, at=now)
            _finish(transfer, TransferStatus.delivered)
            counts["delivered"] += len(notices)
        else:
            transfer.status = TransferStatus.ready
            counts["offered"] += len(notices)
    session.flush()
    log.info("transfers.followups", **counts)
    return counts


def schedule_followups(session: Session) -> Job | None:
    """Queue a follow-up delivery if notices wait and no such job is already pending or running."""
    waiting = session.exec(select(Disclosure.id).where(Disclosure.status == "pending",
                                                       Disclosure.recipient_kind == "partner").limit(1)).first()
    queued = session.exec(select(Job.id).where(Job.kind == kinds.TRANSFER, Job.status.in_([JobStatus.pending,
                                                                                      JobStatus.running]),
                                               Job.payload["followups"].as_boolean().is_(True)).limit(1)).first()
    if waiting is None or queued is not None:
        return None
    return create_job(session, kind=kinds.TRANSFER, payload={"followups": True})
