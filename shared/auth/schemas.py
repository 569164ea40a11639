from __future__ import annotations

from pydantic import BaseModel

from shared.models import Role


class UserPublic(BaseModel):
    id: int
    name: str
    role: Role
