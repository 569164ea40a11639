"""Staff users and their tokens (admin). Tokens are shown once and stored hashed. The rules on
accounts (own role, last admin, whose tokens) are in shared/auth/service.py."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, HTTPException, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.params import IdPath
from shared.auth import service
from shared.auth.schemas import TokenCreate, TokenIssued, TokenPublic, UserCreate, UserDetail, UserUpdate
from shared.contacts.schemas import ChangePublic
from shared.models import ApiToken, ChangeRecord, User
from shared.register.errors import Conflict, NotFound

router = APIRouter(prefix="/v1", tags=["users"])
REFUSED = {403: {"description": "the rules on accounts forbid it (the detail says which)"}}


def _user(session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    return user


@router.get("/users", response_model=list[UserDetail])
def list_users(session: SessionDep) -> list[User]:
    return service.list_users(session)


@router.post("/users", response_model=UserDetail, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, actor: StaffActor) -> User:
    try:
        return service.create_user(session, name=body.name, role=body.role, service_account=body.service_account,
                                   actor=actor)
    except service.UserExists:
        raise Conflict("a user with this name exists") from None


@router.patch("/users/{user_id}", response_model=UserDetail, summary="Change role or deactivate", responses=REFUSED)
def update_user(user_id: IdPath, body: UserUpdate, session: SessionDep, actor: StaffActor) -> User:
    try:
        return service.update_user(session, user=_user(session, user_id), role=body.role, active=body.active,
                                   actor=actor)
    except service.NotAllowed as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from None


@router.get("/users/{user_id}/history", response_model=list[ChangePublic],
            summary="Changes to the user and their tokens, with who made them")
def user_history(user_id: IdPath, session: SessionDep) -> list[ChangeRecord]:
    return service.account_history(session, user_id=_user(session, user_id).id)


@router.get("/users/{user_id}/tokens", response_model=list[TokenPublic])
def list_tokens(user_id: IdPath, session: SessionDep) -> list[ApiToken]:
    return service.list_tokens(session, user_id=_user(session, user_id).id)


@router.post("/users/{user_id}/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED,
             summary="Issue a token (shown once): for yourself or a service account", responses=REFUSED)
def issue_token(user_id: IdPath, body: TokenCreate, session: SessionDep, actor: StaffActor) -> TokenIssued:
    try:
        issued = service.issue_token(session, user_name=_user(session, user_id).name, actor=actor,
                                     ttl=timedelta(days=body.days) if body.days else None)
    except service.NotAllowed as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from None
    return TokenIssued(**issued.record.model_dump(), token=issued.token)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke a token")
def revoke_token(token_id: IdPath, session: SessionDep, actor: StaffActor) -> None:
    if service.revoke_token(session, token_id=token_id, actor=actor) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such token")
