from datetime import timedelta

import pytest
from sqlmodel import select

from shared.auth.service import (
    AuthError,
    UserExists,
    authenticate,
    create_user,
    hash_token,
    issue_token,
    revoke_token,
)
from shared.models import ApiToken, Role, utcnow


def test_token_is_stored_only_as_its_hash(session):
    create_user(session, name="alice", role=Role.sales)
    issued = issue_token(session, user_name="alice")
    rows = session.exec(select(ApiToken)).all()
    stored = [value for row in rows for value in row.model_dump().values()]
    assert issued.token not in stored
    assert issued.record.token_hash == hash_token(issued.token)
    assert len(issued.record.token_hash) == 64 and issued.record.token_hash != issued.token


def test_authenticate_returns_the_user(session):
    create_user(session, name="bob", role=Role.privacy)
    issued = issue_token(session, user_name="bob")
    user = authenticate(session, token=issued.token)
    assert (user.name, user.role) == ("bob", Role.privacy)
    assert issued.record.last_used_at is not None


@pytest.mark.parametrize("token", ["", "rk_", "rk_not-a-real-token", "Bearer x", "nonsense"])
def test_unknown_tokens_are_refused(session, token):
    with pytest.raises(AuthError):
        authenticate(session, token=token)


def test_revoked_and_expired_tokens_are_refused(session):
    create_user(session, name="carol", role=Role.admin)
    revoked = issue_token(session, user_name="carol")
    revoke_token(session, token_id=revoked.record.id)
    with pytest.raises(AuthError, match="revoked"):
        authenticate(session, token=revoked.token)
    expiring = issue_token(session, user_name="carol", ttl=timedelta(minutes=5))
    assert authenticate(session, token=expiring.token).name == "carol"
    with pytest.raises(AuthError, match="expired"):
        authenticate(session, token=expiring.token, now=utcnow() + timedelta(minutes=6))


def test_inactive_user_is_refused(session):
    user = create_user(session, name="dave", role=Role.marketing)
    issued = issue_token(session, user_name="dave")
    user.active = False
    session.add(user)
    with pytest.raises(AuthError, match="inactive"):
        authenticate(session, token=issued.token)


def test_user_names_are_unique(session):
    create_user(session, name="erin", role=Role.sales)
    with pytest.raises(UserExists):
        create_user(session, name="erin", role=Role.admin)
