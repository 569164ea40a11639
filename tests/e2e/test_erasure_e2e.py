"""Kill -9 the worker in the middle of an erasure: a real worker and beat on real PostgreSQL and
Redis. The killed attempt leaves the person whole; a new worker finishes the job once in effect:
the person gone without a trace, one confirmation, the job claimed twice and succeeded once."""

from __future__ import annotations


import pytest
import redis
from sqlalchemy import text
from sqlmodel import Session

from shared.db import build_engine
from shared.common.suppression import email_hash
from shared.i18n import t
from support import FAST, Services, wait_until

from erasure_seed import new_person, references, request_erasure, residue, seed, snapshot  # noqa: F401

pytestmark = pytest.mark.e2e

EVENTS = 300_000  # the person's web events: real work for the killed attempt to have half done
DONE = t("mail.erasure_done.subject", "fi")
CONFIRMATIONS = ("SELECT CAST(id AS text) FROM email_outbox "
                 "WHERE headers ->> 'X-Rekisteri-Request' = :id AND subject = :subject")


@pytest.fixture(scope="module")
def system(pg_server, redis_url, services_env, tmp_path_factory, request):
    """worker-1 and beat on a throwaway database; `services_env` makes this process publish to the same Redis."""
    env = {**FAST, "REKISTERI_DATABASE_URL": pg_server.create("rekisteri_erasure"), "REKISTERI_REDIS_URL": redis_url}
    services = Services(env, tmp_path_factory.mktemp("erasure-logs"))
    redis.Redis.from_url(redis_url).flushall()
    services.engine = build_engine(env["REKISTERI_DATABASE_URL"])
    try:
        for name in ("worker-1", "beat"):
            services.start(name)
        yield services
    finally:
        services.stop_all()
        services.engine.dispose()
        if request.session.testsfailed:
            print(services.logs()[-20000:])


def _scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _blocked_deleting_the_company(engine) -> bool:
    """A worker's transaction waits for the company row: every earlier step of the erasure is done."""
    return bool(_scalar(engine, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                "AND wait_event_type = 'Lock' AND query ILIKE 'DELETE FROM companies%'"))


def test_a_worker_killed_mid_erasure_leaves_nothing_half_done(system):
    engine = system.engine
    person, other = new_person(), new_person("Eero", "Mäkinen")
    with Session(engine, expire_on_commit=False) as s:
        seed(s, other, sole_trader=False)
        seed(s, person)  # alone at a sole trader company: the company goes too, last
        s.exec(text("INSERT INTO web_events (site, page, occurred_at, visitor_id, contact_id) "
                    "SELECT 'www.jetmasters.fi', '/tuotteet/' || g, now() - make_interval(secs => g), :visitor, "
                    "CASE WHEN g % 2 = 0 THEN :cid END FROM generate_series(1, :n) AS g"),
               params={"visitor": person.visitor, "cid": person.contact_id, "n": EVENTS})
        s.commit()
    # Hold the company row, so the worker stops at its last delete; kill it there.
    blocker = engine.connect()
    hold = blocker.begin()
    blocker.execute(text("SELECT id FROM companies WHERE id = :id FOR UPDATE"), {"id": person.company_id})
    with Session(engine, expire_on_commit=False) as s:
        request = request_erasure(s, person)
        s.commit()  # the job's wake-up is published now
    job = {"id": str(request.job_id)}
    with engine.connect() as conn:  # the worker's uncommitted work is invisible here
        before, person_before = snapshot(conn, other), snapshot(conn, person)
    assert person_before["web_events"] > EVENTS // 2
    wait_until(lambda: _blocked_deleting_the_company(engine), timeout=90,
               message="the worker to reach the company delete")
    assert _scalar(engine, "SELECT status FROM jobs WHERE id = :id", **job) == "running"
    system.kill9("worker-1")
    hold.rollback()
    blocker.close()

    # Nothing of the killed attempt is visible: the person is whole, no confirmation, job not done.
    with engine.connect() as conn:
        assert snapshot(conn, person) == person_before
        assert _scalar(engine, "SELECT count(*) FROM web_events WHERE visitor_id = :v", v=person.visitor) \
            == EVENTS + 2
    assert _scalar(engine, "SELECT status FROM jobs WHERE id = :id", **job) == "running"
    assert _scalar(engine, CONFIRMATIONS.replace("CAST(id AS text)", "count(*)"), id=str(request.id), subject=DONE) == 0

    system.start("worker-2")
    wait_until(lambda: _scalar(engine, "SELECT status FROM jobs WHERE id = :id", **job) == "succeeded",
               timeout=120, message="the erasure to finish on the new worker")

    with engine.connect() as conn:
        events = list(conn.execute(text("SELECT event FROM job_events WHERE job_id = :id ORDER BY id"), job)
                      .scalars())
        assert events.count("claimed") == 2 and events.count("succeeded") == 1 and "lease_expired" in events
        [confirmation] = conn.execute(text(CONFIRMATIONS), {"id": str(request.id), "subject": DONE}).scalars().all()
        assert residue(conn, person) == {"email_outbox.to_address": [confirmation],
                                         "subject_requests.email": [str(request.id)]}
        assert references(conn, person.contact_id) == []
        assert conn.execute(text("SELECT count(*) FROM contacts WHERE id = :id"),
                            {"id": person.contact_id}).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM companies WHERE id = :id"),
                            {"id": person.company_id}).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM web_events WHERE visitor_id = :v"),
                            {"v": person.visitor}).scalar_one() == 0
        assert conn.execute(text("SELECT reason FROM suppressions WHERE email_hash = :h"),
                            {"h": email_hash(person.email)}).scalar_one() == "erased"
        assert conn.execute(text("SELECT status, outcome FROM subject_requests WHERE id = :id"),
                            {"id": request.id}).one() == ("completed", "erased")
        assert conn.execute(text("SELECT count(*) FROM change_history WHERE action = 'erasure' AND reason = :id"),
                            {"id": str(request.id)}).scalar_one() == 1
        assert snapshot(conn, other) == before
