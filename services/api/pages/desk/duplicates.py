"""Duplicate review on the desk (sales, marketing, privacy): the queue of candidate groups most
certain first (shared/dedup/queue.py), a group's records side by side with the fields that agreed
and their weights as the stored explanation has them, the surviving record and the surviving value
per field chosen (a field left to the rules keeps the merge's own survivorship, so a name with
diacritics is never replaced by its folded form), merged, dismissed, and a merge undone
(shared/dedup/merge.py, undo.py). The people shown are in the access log, as the API logs them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, select

from services.api.deps import SessionDep
from services.api.errors import error_answer
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may
from services.api.pages.desk.records import COMPANY_FIELDS, CONTACT_FIELDS, PROVENANCE, form_of
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from services.api.params import IdPath
from shared.audit.service import record_access
from shared.common.errors import DomainError
from shared.dedup import service
from shared.dedup.merge import FIELDS as MERGED_FIELDS
from shared.dedup.schemas import DismissCreate, MergeCreate
from shared.dedup.undo import undo_merge
from shared.i18n import t
from shared.models import Company, Contact
from shared.models.dedup import DedupCandidate, DedupEntity, DedupMerge

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
PAGE = 50
RECENT_MERGES = 20
SHOWN = {"contacts": CONTACT_FIELDS, "companies": COMPANY_FIELDS}
MODELS = {"contacts": Contact, "companies": Company}
DISMISS_REASONS = ("different_records", "not_sure", "other")


def _name(record: Any) -> str:
    return record.name if isinstance(record, Company) else f"{record.first_name} {record.last_name}"


def _logged(session: Session, desk: Desk, entity: str, ids: list[int], route: str) -> None:
    if entity == "contacts" and ids:
        record_access(session, actor=desk.actor, contact_ids=ids, route=route)


def _queue(request: Request, session: Session, desk: Desk, *, problem: str | None = None,
           status_code: int = 200) -> HTMLResponse:
    shown = request.query_params.get("entity")
    entity = DedupEntity(shown) if shown in DedupEntity.__members__ else None
    groups, after = service.list_candidates(session, entity=entity, cursor=request.query_params.get("after") or None,
                                            limit=PAGE)
    members = service.candidate_members(session, candidates=groups) if groups else {}
    merges = list(session.exec(select(DedupMerge).where(DedupMerge.undone_at.is_(None))
                               .order_by(DedupMerge.id.desc()).limit(RECENT_MERGES)))
    survivors = {m.id: session.get(MODELS[str(m.entity.value)], m.survivor_contact_id or m.survivor_company_id)
                 for m in merges}
    page = render(request, "desk/duplicates.html", lang=desk.lang, desk=desk, groups=groups, members=members,
                  after=after, entity=entity.value if entity else "", merges=merges, survivors=survivors,
                  problem=problem, note=request.query_params.get("note"), status_code=status_code,
                  can_undo=may(desk, "POST", "/desk/merges/{merge_id}/undo"))
    contact_ids = [m["id"] for g in groups if g.entity == DedupEntity.contacts for m in members[g.id]]
    contact_ids += [s.id for m, s in zip(merges, survivors.values(), strict=True)
                    if s is not None and m.entity == DedupEntity.contacts]
    _logged(session, desk, "contacts", contact_ids, "GET /desk/duplicates")
    return page


@router.get("/desk/duplicates", response_class=HTMLResponse)
def queue(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _queue(request, session, desk)


def _group_page(request: Request, session: Session, desk: Desk, candidate: DedupCandidate, *,
                values: dict[str, str] | None = None, problem: str | None = None,
                status_code: int = 200) -> HTMLResponse:
    entity = str(candidate.entity.value)
    ids = [m["id"] for m in service.candidate_members(session, candidates=[candidate])[candidate.id]]
    model = MODELS[entity]
    records = {r.id: r for r in session.exec(select(model).where(model.id.in_(ids)))}
    records = [records[i] for i in ids if i in records]  # the centre first, then the most likely
    fields = SHOWN[entity]
    rows = [{"field": f, "values": [form_of(r, (f,))[f.name] for r in records],
             "choosable": f.name in MERGED_FIELDS[entity]} for f in fields if f.name not in PROVENANCE]
    for row in rows:
        row["differ"] = len(set(row["values"])) > 1
    provenance = [{"field": f, "values": [form_of(r, (f,))[f.name] for r in records]} for f in fields
                  if f.name in PROVENANCE]
    links = [{**link, "a_name": _name_of(records, link["a"]), "b_name": _name_of(records, link["b"]),
              "percent": round(link["probability"] * 100)} for link in candidate.explanation]
    page = render(request, "desk/duplicate.html", lang=desk.lang, desk=desk, candidate=candidate, entity=entity,
                  records=records, rows=rows, provenance=provenance, links=links, values=values or {},
                  problem=problem, dismiss_reasons=DISMISS_REASONS, status_code=status_code,
                  can_act=may(desk, "POST", "/desk/duplicates/{group_id}/merge"))
    _logged(session, desk, entity, [r.id for r in records], "GET /desk/duplicates/{group_id}")
    return page


def _name_of(records: list, record_id: int) -> str:
    return next((_name(r) for r in records if r.id == record_id), str(record_id))


@router.get("/desk/duplicates/{group_id}", response_class=HTMLResponse)
def group(request: Request, session: SessionDep, desk: DeskUser, group_id: IdPath) -> HTMLResponse:
    return _group_page(request, session, desk, service.get_candidate(session, candidate_id=group_id))


def _choices(values: dict[str, str], entity: str) -> dict[str, int]:
    """The values the reviewer chose (field -> record); a field left to the rules is not among them.
    Provenance is one unit: one record's legal basis, purposes and source together."""
    chosen = {f: int(v) for f in MERGED_FIELDS[entity] if (v := values.get(f"choice_{f}", "")).isdigit()}
    if values.get("choice_provenance", "").isdigit():
        chosen |= {f: int(values["choice_provenance"]) for f in PROVENANCE}
    return chosen


@router.post("/desk/duplicates/{group_id}/merge", response_class=HTMLResponse)
def merge(request: Request, session: SessionDep, desk: DeskUser, group_id: IdPath, values: FormValues) -> Response:
    candidate = service.get_candidate(session, candidate_id=group_id)
    entity = str(candidate.entity.value)
    survivor = values.get("survivor", "")
    try:
        body = MergeCreate(entity=candidate.entity, candidate_id=group_id, choices=_choices(values, entity),
                           survivor_id=int(survivor) if survivor.isdigit() else None)
        with session.begin_nested():  # a refusal undoes only the merge's own writes
            done = service.merge_candidate(session, entity=body.entity, actor=desk.actor, candidate_id=group_id,
                                           survivor_id=body.survivor_id, choices=body.choices)
    except (ValidationError, DomainError) as refused:
        session.expire_all()
        status = error_answer(refused)[0] if isinstance(refused, DomainError) else 422
        why = _why(refused)
        return _group_page(request, session, desk, service.get_candidate(session, candidate_id=group_id),
                           values=values, problem=t("sales.dup.refused", desk.lang, detail=t(why, desk.lang)),
                           status_code=status)
    return RedirectResponse(f"/desk/duplicates?lang={desk.lang}&note=merged#merge-{done.id}", status_code=303)


def _why(refused: Exception) -> str:
    """The domain's refusal in the reader's words (the merge's message names its rule)."""
    message = str(refused)
    for rule, key in (("restriction", "restricted"), ("business ID", "business_ids"), ("not open", "not_open"),
                      ("no longer", "not_open"), ("undone already", "undone")):
        if rule in message:
            return f"sales.dup.why_{key}"
    return getattr(refused, "key", "sales.error.value")


@router.post("/desk/duplicates/{group_id}/dismiss", response_class=HTMLResponse)
def dismiss(request: Request, session: SessionDep, desk: DeskUser, group_id: IdPath, values: FormValues) -> Response:
    candidate = service.get_candidate(session, candidate_id=group_id)
    try:
        body = DismissCreate(reason=values.get("reason") or "different_records")
        with session.begin_nested():
            service.dismiss_candidate(session, candidate=candidate, reason=body.reason, actor=desk.actor)
    except (ValidationError, DomainError) as refused:
        session.expire_all()
        return _group_page(request, session, desk, service.get_candidate(session, candidate_id=group_id),
                           values=values, problem=t("sales.dup.refused", desk.lang, detail=t(_why(refused), desk.lang)),
                           status_code=error_answer(refused)[0] if isinstance(refused, DomainError) else 422)
    return RedirectResponse(f"/desk/duplicates?lang={desk.lang}&note=dismissed", status_code=303)


@router.post("/desk/merges/{merge_id}/undo", response_class=HTMLResponse)
def undo(request: Request, session: SessionDep, desk: DeskUser, merge_id: IdPath) -> Response:
    try:
        with session.begin_nested():
            undo_merge(session, merge_id=merge_id, actor=desk.actor)
    except DomainError as refused:
        session.expire_all()
        return _queue(request, session, desk, status_code=error_answer(refused)[0],
                      problem=t("sales.dup.refused", desk.lang, detail=t(_why(refused), desk.lang)))
    return RedirectResponse(f"/desk/duplicates?lang={desk.lang}&note=undone", status_code=303)

