"""What the fault suite found when beat died: its schedule file can be left with an index that
names a record its data file no longer holds, and Celery's own scheduler then fails on every
start (`EOFError: Ran out of input`) — beat crash-loops and the job reconciler never runs again.
The worker's scheduler starts such a file afresh."""

from __future__ import annotations

import dbm.dumb
import shelve
from pathlib import Path

import pytest
from celery import Celery
from celery.beat import PersistentScheduler

from services.worker.beat import RecoveringScheduler


def damaged_schedule(tmp_path: Path) -> Path:
    """A schedule as beat writes it, then its data file emptied (as found after the fault)."""
    path = tmp_path / "celerybeat-schedule"
    with shelve.Shelf(dbm.dumb.open(str(path), "c")) as store:
        store.update({"entries": {"reconcile-jobs": "x" * 200}, "__version__": "5.7.0", "tz": "UTC",
                      "utc_enabled": True})
    Path(f"{path}.dat").write_bytes(b"")
    return path


def open_with(scheduler_class, path: Path):
    app = Celery("beat-test", set_as_current=False)
    app.conf.beat_schedule = {"tick": {"task": "jobs.reconcile", "schedule": 1.0}}
    return scheduler_class(app=app, schedule_filename=str(path))


@pytest.fixture(autouse=True)
def _dumb_dbm(monkeypatch):
    """This Python has no gdbm/ndbm, so shelve uses dbm.dumb; make sure of it wherever the test runs."""
    monkeypatch.setattr(shelve, "open", lambda filename, flag="c", protocol=None, writeback=False: shelve.Shelf(
        dbm.dumb.open(filename, flag), protocol, writeback))


def test_celerys_own_scheduler_dies_on_the_damaged_file(tmp_path):
    with pytest.raises(EOFError):
        open_with(PersistentScheduler, damaged_schedule(tmp_path))


def test_the_worker_scheduler_starts_the_damaged_file_afresh(tmp_path):
    path = damaged_schedule(tmp_path)
    scheduler = open_with(RecoveringScheduler, path)
    assert "tick" in scheduler.schedule, "the configured entries are back"
    scheduler.sync()
    scheduler.close()
    again = open_with(RecoveringScheduler, path)  # and the new file reads back cleanly
    assert "tick" in again.schedule
    again.close()
