"""`rekisteri dedup run|candidates|evaluate`: find duplicates, look at the queue, measure accuracy.

`run` queues the job (as the API does) and follows its progress. `candidates` prints ids, scores
and what agreed — no names or addresses (the API shows those, and logs who looked). `evaluate`
runs the production matching on any CSV pair and prints precision, recall and F1; its last line is
`precision=0.xxx recall=0.xxx f1=0.xxx seconds=N records=N`.
"""

from __future__ import annotations

import resource
from pathlib import Path

import typer

from shared.cli.follow import wait_for_success

dedup_app = typer.Typer(help="Duplicates: find them (a job on the bulk queue), review, evaluate.",
                        no_args_is_help=True)

_ENTITY = typer.Option("contacts", "--entity", help="contacts or companies")


@dedup_app.command("run")
def run(entity: str = _ENTITY, auto_merge: bool = typer.Option(False, help="merge groups above the automatic "
        "threshold (needs REKISTERI_DEDUP_AUTO_MERGE_THRESHOLD)"),
        no_wait: bool = typer.Option(False, "--no-wait", help="print the run id and return")) -> None:
    """Find duplicates among all companies or contacts; waits, showing progress."""
    from shared.db import session_scope
    from shared.dedup.service import start_run
    from shared.models.dedup import DedupEntity
    from shared.common.errors import Conflict

    try:
        with session_scope() as session:
            started = start_run(session, entity=DedupEntity(entity), auto_merge=auto_merge)
            run_id, job_id = started.id, started.job_id
    except (ValueError, Conflict) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    if no_wait:
        typer.echo(str(run_id))
        return
    typer.echo(f"dedup run {run_id} queued (job {job_id}; Ctrl-C stops waiting, not the run)")
    job = wait_for_success(job_id, what="dedup run")
    stats = job.result or {}
    typer.echo(f"{stats.get('records', 0)} records, {stats.get('pairs_compared', 0)} pairs compared, "
               f"{stats.get('groups', 0)} candidate groups ({stats.get('new', 0)} new, {stats.get('updated', 0)} "
               f"updated, {stats.get('kept_dismissed', 0)} dismissed before), {stats.get('auto_merged', 0)} merged "
               "automatically")


@dedup_app.command("candidates")
def candidates(entity: str = typer.Option(None, "--entity", help="contacts or companies (default: both)"),
               status: str = typer.Option("open", help="open, dismissed, merged or superseded"),
               min_score: float = typer.Option(0.0, help="only groups at least this certain (0..1)"),
               limit: int = typer.Option(20, min=1, max=500)) -> None:
    """The review queue: group ids, members' ids, scores and the fields that agreed."""
    from shared.db import session_scope
    from shared.dedup.service import list_candidates
    from shared.models.dedup import CandidateStatus, DedupEntity

    with session_scope() as session:
        items, _ = list_candidates(session, entity=DedupEntity(entity) if entity else None,
                                   status=CandidateStatus(status), min_score=min_score, limit=limit)
        for c in items:
            typer.echo(f"group {c.id} ({c.entity.value}) score {c.score:.4f} members {c.member_key} "
                       f"centre {c.centre_id}")
            for link in c.explanation:
                agreed = ", ".join(f"{f['field']} {f['level']} {f['weight']:+.1f}" for f in link["fields"])
                typer.echo(f"  {link['a']}~{link['b']} p={link['probability']:.4f}: {agreed}")
    if not items:
        typer.echo("no candidate groups")


@dedup_app.command("evaluate")
def evaluate(records: Path = typer.Option(..., exists=True, dir_okay=False, help="id (any string) plus any of "
             "first_name, last_name, email, phone, company, business_id, position, street, postcode, city; "
             "a missing or empty column is fine"),
             truth: Path = typer.Option(..., exists=True, dir_okay=False, help="id_a,id_b: every true pair"),
             learn: bool = typer.Option(False, "--learn", help="weights learnt from the file (EM) instead of the "
                                        "hand-set ones; needs 2,000 records or more")) -> None:
    """Precision, recall and F1 of the production matching on a CSV pair (in memory)."""
    from shared.dedup.evaluation import EvaluationError, evaluate_files

    try:
        f = evaluate_files(records, truth, learn=learn)
    except EvaluationError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    typer.echo(f"true pairs {f['true_pairs']}, pairs compared {f['pairs_compared']}, blocking recall "
               f"{f['blocking_recall']:.4f}, groups {f['groups']}, weights {f['weights']['source']}, "
               f"peak memory {peak_mb:.0f} MB")
    typer.echo(f"precision={f['precision']:.3f} recall={f['recall']:.3f} f1={f['f1']:.3f} "
               f"seconds={f['seconds']:.1f} records={f['records']}")
