"""Staff users and their tokens (admin). Tokens are shown once and stored hashed. The rules on
accounts (own role, last admin, whose tokens) are in shared/auth/service.py."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.params import IdPath
from shared.auth import desk, service
from shared.auth.schemas import DeskLinkIssued, TokenCreate, TokenIssued, TokenPublic, UserCreate, UserDetail, UserUpdate
from shared.contacts.schemas import ChangePublic
from shared.models import ApiToken, ChangeRecord, User

router = APIRouter(prefix="/v1", tags=["users"])
REFUSED = {403: {"description": "the rules on accounts forbid it (the detail says which)"}}


@router.get("/users", response_model=list[UserDetail])
def list_users(session: SessionDep) -> list[User]:
    return service.list_users(session)


@router.post("/users", response_model=UserDetail, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, actor: StaffActor) -> User:
    return service.create_user(session, name=body.name, role=body.role, service_account=body.service_account,
                               email=body.email, actor=actor)


@router.post("/users/{user_id}/desk-link", response_model=DeskLinkIssued, status_code=status.HTTP_201_CREATED,
             summary="A one-time link where the user sets their desk password (earlier links stop working)",
             responses=REFUSED)
def desk_link(user_id: IdPath, session: SessionDep, actor: StaffActor) -> DeskLinkIssued:
    issued = desk.issue_link(session, user_id=service.get_user(session, user_id=user_id).id, actor=actor)
    return DeskLinkIssued(link=issued.url, expires_at=issued.expires_at)


@router.patch("/users/{user_id}", response_model=UserDetail, summary="Change role or deactivate", responses=REFUSED)
def update_user(user_id: IdPath, body: UserUpdate, session: SessionDep, actor: StaffActor) -> User:
    return service.update_user(session, user=service.get_user(session, user_id=user_id), role=body.role,
                               active=body.active, actor=actor)


@router.get("/users/{user_id}/history", response_model=list[ChangePublic],
            summary="Changes to the user and their tokens, with who made them")
def user_history(user_id: IdPath, session: SessionDep) -> list[ChangeRecord]:
    return service.account_history(session, user_id=service.get_user(session, user_id=user_id).id)


@router.get("/users/{user_id}/tokens", response_model=list[TokenPublic])
def list_tokens(user_id: IdPath, session: SessionDep) -> list[ApiToken]:
    return service.list_tokens(session, user_id=service.get_user(session, user_id=user_id).id)


@router.post("/users/{user_id}/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED,
             summary="Issue a token (shown once): for yourself or a service account", responses=REFUSED)
def issue_token(user_id: IdPath, body: TokenCreate, session: SessionDep, actor: StaffActor) -> TokenIssued:
    user = service.get_user(session, user_id=user_id)
    issued = service.issue_token(session, user_name=user.name, actor=actor,
                                 ttl=timedelta(days=body.days) if body.days else None)
    return TokenIssued(**issued.record.model_dump(), token=issued.token)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke a token")
def revoke_token(token_id: IdPath, session: SessionDep, actor: StaffActor) -> None:
    service.revoke_token(session, token_id=token_id, actor=actor)
