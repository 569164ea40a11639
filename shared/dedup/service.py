"""Dedup runs — plain functions, the caller commits — and the one place callers import from.

A full run (job `dedup.run`, bulk queue) reads every record of one entity, matches them in
memory (shared.dedup.clustering.match_records) and writes the candidate groups back
(shared.dedup.queue): a group already in the queue is updated, a dismissed one stays dismissed,
an open one no longer found is superseded. The incremental check (job `dedup.check`, and
`likely_duplicates` when a record is created) is shared.dedup.incremental.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import structlog
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.dedup.clustering import Group, match_records
from shared.dedup.incremental import LikelyDuplicate, check_records, likely_duplicates  # noqa: F401 (re-exported)
from shared.dedup.loading import DedupSettings, dedup_settings, gc_paused, load_records  # noqa: F401
from shared.dedup.merge import merge_records
from shared.dedup.queue import (candidate_members, dismiss_candidate, get_candidate, list_candidates,  # noqa: F401
                                merge_candidate, save_groups)
from shared.dedup.scoring import ENGINE
from shared.jobs import kinds
from shared.jobs.runner import JobContext
from shared.jobs.service import create_job
from shared.models import Job, utcnow
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupEntity, DedupRun
from shared.common.errors import Conflict, NotFound

log = structlog.get_logger(__name__)


def start_run(session: Session, *, entity: DedupEntity, auto_merge: bool = False, created_by: int | None = None,
              request_id: str | None = None) -> DedupRun:
    """A full run as a job on the bulk queue; auto_merge only when a threshold is configured."""
    if auto_merge and dedup_settings().auto_merge_threshold is None:
        raise Conflict("automatic merging is off: set REKISTERI_DEDUP_AUTO_MERGE_THRESHOLD to allow it")
    run = DedupRun(entity=entity, auto_merge=auto_merge, created_by=created_by)
    session.add(run)
    session.flush()
    run.job_id = create_job(session, kind=kinds.DEDUP_RUN, payload={"run_id": run.id}, request_id=request_id,
                            created_by=created_by).id
    return run


def request_check(session: Session, *, entity: DedupEntity, ids: Sequence[int], created_by: int | None = None,
                  request_id: str | None = None) -> DedupRun:
    """Check new or changed records against the register (job `dedup.check`)."""
    run = DedupRun(entity=entity, mode="check", created_by=created_by)
    session.add(run)
    session.flush()
    run.job_id = create_job(session, kind=kinds.DEDUP_CHECK, request_id=request_id, created_by=created_by,
                            payload={"run_id": run.id, "entity": str(entity.value), "ids": sorted(set(ids))}).id
    return run


def get_run(session: Session, *, run_id: int) -> tuple[DedupRun, Job | None]:
    run = session.get(DedupRun, run_id)
    if run is None:
        raise NotFound("no such dedup run")
    return run, session.get(Job, run.job_id) if run.job_id else None


def run_dedup_job(session: Session, ctx: JobContext) -> dict[str, Any]:
    """Job `dedup.run`: a full run; running it twice finds it finished."""
    run = session.get(DedupRun, ctx.payload["run_id"], with_for_update=True)
    if run is None or run.finished_at is not None:
        return {"skipped": "run finished or gone"}
    entity = str(run.entity.value)
    with gc_paused():
        started = time.perf_counter()
        records = load_records(session, entity=entity)
        loaded = time.perf_counter() - started
        ctx.report_progress(10)
        result = match_records(entity, records, threshold=dedup_settings().link_probability,
                               progress=lambda share: ctx.report_progress(10 + int(70 * share)))
        ctx.report_progress(80)
        started = time.perf_counter()
        saved = save_groups(session, entity=entity, groups=result.groups, run_id=run.id, supersede=True)
        result.seconds |= {"load": loaded, "save": time.perf_counter() - started}
    merged = _auto_merge(session, entity=entity, groups=result.groups, records=records) if run.auto_merge else 0
    run.stats = {**result.stats(), **saved, "auto_merged": merged, "engine": ENGINE}
    run.finished_at = utcnow()
    session.add(run)
    log.info("dedup.run_finished", run_id=run.id, entity=entity, records=len(records), groups=len(result.groups))
    return run.stats


def check_job(session: Session, ctx: JobContext) -> dict[str, Any]:
    """Job `dedup.check`: the given records against the register."""
    run = session.get(DedupRun, ctx.payload["run_id"], with_for_update=True)
    if run is None or run.finished_at is not None:
        return {"skipped": "run finished or gone"}
    run.stats = check_records(session, entity=ctx.payload["entity"], ids=ctx.payload["ids"], run_id=run.id)
    run.finished_at = utcnow()
    session.add(run)
    return run.stats


def _auto_merge(session: Session, *, entity: str, groups: Sequence[Group], records: list) -> int:
    """Merge the groups above the automatic threshold; never a restricted person."""
    threshold = dedup_settings().auto_merge_threshold
    restricted = {r.id for r in records if getattr(r, "restricted", False)}
    merged = 0
    for group in groups:
        if threshold is None or group.score < threshold or restricted & set(group.members):
            continue
        candidate_id = session.execute(select(DedupCandidate.id).where(
            DedupCandidate.entity == entity, DedupCandidate.member_key == group.key,
            DedupCandidate.status == CandidateStatus.open)).scalar()
        if candidate_id is None:
            continue
        survivor, *others = sorted(group.members)
        try:
            with session.begin_nested():
                merge_records(session, entity=entity, survivor_id=survivor, member_ids=others, automatic=True,
                              candidate_id=candidate_id, actor=Actor(label="system:dedup"))
            merged += 1
        except (Conflict, NotFound) as exc:
            log.info("dedup.auto_merge_skipped", candidate_id=candidate_id, reason=type(exc).__name__)
    return merged

