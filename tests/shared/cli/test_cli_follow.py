"""The command line's wait for a queued job (`rekisteri import`, `rekisteri dedup run`): the
job row decides; a failed job's error goes to stderr with exit code 1. Real PostgreSQL."""

from __future__ import annotations

import pytest
import typer
from sqlmodel import Session

from shared.cli.follow import wait_for_success
from shared.models import Job, JobStatus


def _job(engine, status: JobStatus, error: str | None = None) -> Job:
    with Session(engine, expire_on_commit=False) as s:
        job = Job(kind="system.selftest", queue="default", payload={}, status=status, error=error, progress=100)
        s.add(job)
        s.commit()
        return job


def test_a_succeeded_job_is_returned(engine, services_env):
    job = _job(engine, JobStatus.succeeded)
    assert wait_for_success(job.id, what="import").id == job.id


def test_a_failed_job_exits_1_with_its_error(engine, services_env, capsys):
    job = _job(engine, JobStatus.failed, error="row 3: bad email")
    with pytest.raises(typer.Exit) as raised:
        wait_for_success(job.id, what="import")
    assert raised.value.exit_code == 1
    assert "import failed: row 3: bad email" in capsys.readouterr().err
