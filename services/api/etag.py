"""Optimistic concurrency: GET returns an ETag; PATCH and DELETE must send it back in If-Match.
A stale version gets 412, a missing one 428, so concurrent edits never silently overwrite."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, HTTPException, Response, status


def etag_of(entity) -> str:
    return f'"{entity.id}.{entity.version}"'


def set_etag(response: Response, entity) -> None:
    response.headers["ETag"] = etag_of(entity)


IfMatch = Annotated[str | None, Header(alias="If-Match", description="the ETag from GET")]


def check_if_match(if_match: str | None, entity) -> None:
    if not if_match:
        raise HTTPException(status.HTTP_428_PRECONDITION_REQUIRED,
                            detail="send the ETag you read in If-Match")
    given = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in given and etag_of(entity) not in given:
        raise HTTPException(status.HTTP_412_PRECONDITION_FAILED,
                            detail="the record changed since you read it; read it again")
