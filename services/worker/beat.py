"""Beat's schedule file, made to survive damage.

The file (a `shelve` over `dbm.dumb` where Python has no gdbm) only remembers when each periodic
task last ran; all real state is in the database. A beat that dies at the wrong moment can leave
it damaged — its index naming an `entries` record that the data file no longer holds — and
Celery's PersistentScheduler then fails on every start with `EOFError: Ran out of input`, which it
does not count as corruption: beat crash-loops and the job reconciler never runs again (found by
the fault suite, tests/faults). This scheduler starts such a file afresh instead.
"""

from __future__ import annotations

import pickle

import structlog
from celery.beat import PersistentScheduler

log = structlog.get_logger(__name__)

# What reading a damaged shelve raises besides what Celery already handles.
DAMAGE = (EOFError, pickle.UnpicklingError, ValueError, KeyError, AttributeError, ImportError, IndexError, OSError)


class RecoveringScheduler(PersistentScheduler):
    def _create_schedule(self) -> None:
        try:
            super()._create_schedule()
            self._store["entries"]  # the record the index names must be readable
        except DAMAGE as exc:
            log.warning("beat.schedule_reset", error=type(exc).__name__, file=str(self.schedule_filename))
            self._store = self._destroy_open_corrupted_schedule(exc)
            super()._create_schedule()
