"""The outbox's SQL, in the driver's style (psycopg, %(name)s): a Session runs it with
`execute` (exec_driver_sql), the notifier runs the same text on its own asynchronous connections
(services/notifier/db.py), so both do exactly the same."""

from __future__ import annotations

from sqlmodel import Session

# The lanes, also by priority so that the scan of ix_email_outbox_due starts where its lane does
# (transactional mail is priority 0, see shared/outbox/service.py priority_of).
ONLY = {None: "", True: "AND m.priority > 0 AND m.category <> 'transactional'",
        False: "AND m.priority = 0 AND m.category = 'transactional'"}
CLAIM_AND_MARK_SQL = """
    WITH picked AS (
        SELECT m.id FROM email_outbox m
        WHERE m.status = 'pending' AND m.next_attempt_at <= %(now)s {only}
        ORDER BY m.priority, m.next_attempt_at
        LIMIT %(limit)s
        FOR UPDATE OF m SKIP LOCKED
    )
    UPDATE email_outbox m SET status = 'sending', attempts = m.attempts + 1, lease_expires_at = %(lease)s,
                              handed_over_at = NULL, lease_token = %(token)s
    FROM picked WHERE m.id = picked.id
    RETURNING m.id, m.category, m.to_address, m.from_address, m.subject, m.body_text, m.body_html, m.headers,
              m.message_id, m.request_id, m.attempts - 1 AS attempts, m.max_attempts, m.contact_id,
              (SELECT r.campaign_id FROM campaign_recipients r WHERE r.email_id = m.id) AS campaign_id,
              m.priority, m.next_attempt_at
"""
SKIP_CLAIMED_SQL = """
    UPDATE email_outbox m SET status = 'skipped', skip_reason = t.reason, lease_expires_at = NULL, lease_token = NULL,
                              attempts = GREATEST(m.attempts - 1, 0)
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(reasons)s AS varchar[]), CAST(%(tokens)s AS uuid[]))
         AS t(id, reason, token)
    WHERE m.id = t.id AND m.status = 'sending' AND m.lease_token = t.token
"""
MARK_HANDED_OVER_SQL = """
    UPDATE email_outbox m SET handed_over_at = clock_timestamp()
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(tokens)s AS uuid[])) AS t(id, token)
    WHERE m.id = t.id AND m.lease_token = t.token AND m.status = 'sending'
      AND m.lease_expires_at > clock_timestamp()
    RETURNING m.id
"""
# Sent messages and their attempt-log rows in one statement (only rows this lease still holds).
RECORD_SENT_AND_LOG_SQL = """
    WITH t AS (
        SELECT * FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(tokens)s AS uuid[]), CAST(%(replies)s AS text[]),
                             CAST(%(ats)s AS timestamptz[]), CAST(%(campaigns)s AS integer[]),
                             CAST(%(attempts)s AS integer[]), CAST(%(started)s AS timestamptz[]),
                             CAST(%(servers)s AS varchar[]))
                  AS t(id, token, reply, at, campaign, attempt, started, server)
    ), sent AS (
        UPDATE email_outbox m SET status = 'sent', sent_at = t.at, smtp_reply = t.reply, lease_expires_at = NULL,
                                  last_error = NULL, lease_token = NULL
        FROM t WHERE m.id = t.id AND m.lease_token = t.token AND m.status = 'sending'
        RETURNING m.id
    )
    INSERT INTO email_attempts (email_id, campaign_id, attempt, outcome, smtp_reply, smtp_server, started_at,
                                finished_at)
    SELECT t.id, t.campaign, t.attempt, 'sent', t.reply, t.server, t.started, t.at FROM t JOIN sent ON sent.id = t.id
"""
LOG_ATTEMPTS_SQL = """
    INSERT INTO email_attempts (email_id, campaign_id, attempt, outcome, smtp_reply, smtp_server, started_at,
                                finished_at)
    SELECT * FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(campaigns)s AS integer[]), CAST(%(attempts)s AS integer[]),
                         CAST(%(outcomes)s AS varchar[]), CAST(%(replies)s AS text[]), CAST(%(servers)s AS varchar[]),
                         CAST(%(started)s AS timestamptz[]), CAST(%(finished)s AS timestamptz[]))
"""
RELEASE_SQL = """
    UPDATE email_outbox m SET status = 'pending', attempts = GREATEST(m.attempts - 1, 0), lease_expires_at = NULL,
                              next_attempt_at = %(due)s, handed_over_at = NULL, lease_token = NULL
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(tokens)s AS uuid[])) AS t(id, token)
    WHERE m.id = t.id AND m.lease_token = t.token AND m.status = 'sending'
"""
RENEW_SQL = """
    UPDATE email_outbox m SET lease_expires_at = %(lease)s
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(tokens)s AS uuid[])) AS t(id, token)
    WHERE m.id = t.id AND m.lease_token = t.token AND m.status = 'sending'
"""
RECOVER_UNKNOWN_SQL = """
    UPDATE email_outbox SET status = 'failed', outcome_unknown = true, lease_expires_at = NULL,
                            last_error = %(reason)s, lease_token = NULL
    WHERE status = 'sending' AND lease_expires_at < %(now)s AND handed_over_at IS NOT NULL
    RETURNING id, attempts, handed_over_at
"""
RECOVER_RELEASE_SQL = """
    UPDATE email_outbox SET status = 'pending', attempts = GREATEST(attempts - 1, 0), lease_expires_at = NULL,
                            next_attempt_at = %(now)s, lease_token = NULL
    WHERE status = 'sending' AND lease_expires_at < %(now)s AND handed_over_at IS NULL
"""


def execute(session: Session, statement: str, params: dict):
    return session.connection().exec_driver_sql(statement, params)
