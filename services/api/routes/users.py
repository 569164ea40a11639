"""Staff users and their tokens (admin). Tokens are shown once and stored hashed."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, status

from services.api.deps import SessionDep
from services.api.params import IdPath
from shared.auth import service
from shared.auth.schemas import TokenCreate, TokenIssued, TokenPublic, UserCreate, UserDetail, UserUpdate
from shared.models import ApiToken, User

router = APIRouter(prefix="/v1", tags=["users"])


@router.get("/users", response_model=list[UserDetail])
def list_users(session: SessionDep) -> list[User]:
    return service.list_users(session)


@router.post("/users", response_model=UserDetail, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep) -> User:
    return service.create_user(session, name=body.name, role=body.role)


@router.patch("/users/{user_id}", response_model=UserDetail, summary="Change role or deactivate")
def update_user(user_id: IdPath, body: UserUpdate, session: SessionDep) -> User:
    return service.update_user(session, user=service.get_user(session, user_id=user_id), role=body.role, active=body.active)


@router.get("/users/{user_id}/tokens", response_model=list[TokenPublic])
def list_tokens(user_id: IdPath, session: SessionDep) -> list[ApiToken]:
    return service.list_tokens(session, user_id=service.get_user(session, user_id=user_id).id)


@router.post("/users/{user_id}/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED,
             summary="Issue a token (shown once)")
def issue_token(user_id: IdPath, body: TokenCreate, session: SessionDep) -> TokenIssued:
    user = service.get_user(session, user_id=user_id)
    issued = service.issue_token(session, user_name=user.name, ttl=timedelta(days=body.days) if body.days else None)
    return TokenIssued(**issued.record.model_dump(), token=issued.token)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke a token")
def revoke_token(token_id: IdPath, session: SessionDep) -> None:
    service.revoke_token(session, token_id=token_id)
