from __future__ import annotations

from fastapi import APIRouter

from services.api.authz import CurrentUser
from shared.auth.schemas import UserPublic

router = APIRouter(prefix="/v1", tags=["users"])


@router.get("/me", response_model=UserPublic, summary="Who the bearer token belongs to")
def me(user: CurrentUser) -> UserPublic:
    return UserPublic(id=user.id, name=user.name, role=user.role)
