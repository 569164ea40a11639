"""Commands that queue a job and wait for it: the job row's progress as a bar, then its end."""

from __future__ import annotations

import time
import uuid

import typer


def follow_job(job_id: uuid.UUID, *, interval: float = 0.5):
    """Poll the job row until it is final, showing its progress; the final row."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from shared.db import session_scope
    from shared.models import FINAL_JOB_STATUSES, Job

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
                  TimeElapsedColumn()) as progress:
        task = progress.add_task("pending", total=100)
        while True:
            with session_scope() as session:
                job = session.get(Job, job_id)
            progress.update(task, completed=job.progress, description=job.status.value)
            if job.status in FINAL_JOB_STATUSES:
                return job
            time.sleep(interval)


def wait_for_success(job_id: uuid.UUID, *, what: str):
    """Follow the job; its row if it succeeded, else its error on stderr and exit code 1."""
    job = follow_job(job_id)
    if job.status.value != "succeeded":
        typer.echo(f"{what} {job.status.value}: {job.error or 'no error recorded'}", err=True)
        raise typer.Exit(1)
    return job
