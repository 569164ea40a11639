"""The published privacy notice (public: current and history, fi/sv/en, HTML or Markdown),
publishing a new version (privacy) and the records of processing (privacy, admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field

from services.api.authz import CurrentUser
from services.api.deps import SessionDep
from shared import notice
from shared.models.partners import PrivacyNoticeVersion
from shared.notice.config import LANGUAGES
from shared.notice.render import records_markdown
from shared.common.schemas import StrictInput

router = APIRouter(tags=["privacy notice"])
Language = Literal["fi", "sv", "en"]
Format = Literal["html", "md"]


class PublishRequest(StrictInput):
    changes: str = Field(min_length=3, max_length=1000, description="what changed since the previous version")


class VersionPublic(BaseModel):
    version: int
    published_at: datetime
    changes: str
    languages: list[str]
    url: str


def _public(v: PrivacyNoticeVersion) -> VersionPublic:
    return VersionPublic(version=v.version, published_at=v.published_at, changes=v.changes,
                         languages=sorted(v.markdown), url=f"/public/privacy-notice?version={v.version}")


def _language(header: str) -> str:
    """The first of fi/sv/en by q-value (then by order) in an Accept-Language header; fi if none."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        code, q = tag.strip().split("-")[0].lower(), 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if code in LANGUAGES and q > 0 and (best is None or (-q, position) < best[:2]):
            best = (-q, position, code)
    return best[2] if best else "fi"


def negotiate(request: Request, lang: str | None, fmt: str | None) -> tuple[str, str]:
    """The language (query, then Accept-Language, else fi) and format (query, then Accept, else HTML)."""
    accept = request.headers.get("accept", "")
    markdown, html = accept.find("text/markdown"), accept.find("text/html")
    wants_markdown = markdown >= 0 and (html < 0 or markdown < html)
    return lang or _language(request.headers.get("accept-language", "")), fmt or ("md" if wants_markdown else "html")


@router.get("/public/privacy-notice", response_class=HTMLResponse, tags=["public"],
            responses={200: {"content": {"text/html": {}, "text/markdown": {}}}, 404: {}},
            summary="The privacy notice (current or `version`), in fi/sv/en, HTML or Markdown")
def privacy_notice(request: Request, session: SessionDep, lang: Language | None = None,
                   format: Format | None = None, version: int | None = Query(None, ge=1, le=100000)) -> Response:
    language, fmt = negotiate(request, lang, format)
    found = notice.get_version(session, version=version)
    headers = {"Content-Language": language, "Vary": "Accept, Accept-Language", "Cache-Control": "public, max-age=300",
               "X-Privacy-Notice-Version": str(found.version)}
    if fmt == "md":
        return PlainTextResponse(found.markdown[language], media_type="text/markdown; charset=utf-8", headers=headers)
    return HTMLResponse(found.html[language], headers=headers)


@router.get("/public/privacy-notice/versions", response_model=list[VersionPublic], tags=["public"],
            summary="Every published version, newest first")
def privacy_notice_versions(session: SessionDep) -> list[VersionPublic]:
    return [_public(v) for v in notice.list_versions(session)]


@router.post("/v1/privacy-notice/versions", response_model=VersionPublic, status_code=status.HTTP_201_CREATED,
             summary="Publish the notice as generated now (a new, immutable version; 409 if nothing changed)")
def publish(body: PublishRequest, session: SessionDep, user: CurrentUser) -> VersionPublic:
    return _public(notice.publish(session, changes=body.changes, published_by=user.id))


@router.get("/v1/privacy-notice/draft", response_class=PlainTextResponse,
            responses={200: {"content": {"text/markdown": {"schema": {"type": "string"}}}}},
            summary="The notice as it would be published now (Markdown), to review before publishing")
def draft(session: SessionDep, user: CurrentUser, lang: Language = "fi") -> PlainTextResponse:
    return PlainTextResponse(notice.draft(session)[lang][0], media_type="text/markdown; charset=utf-8")


@router.get("/v1/records-of-processing", responses={200: {"content": {"application/json": {}, "text/markdown": {}}}},
            summary="Records of processing activities (GDPR Art. 30), JSON or Markdown")
def records(request: Request, session: SessionDep, user: CurrentUser, lang: Language = "en",
            format: Literal["json", "md"] | None = None):
    record = notice.records_of_processing(session, language=lang)
    if format == "md" or (format is None and "text/markdown" in request.headers.get("accept", "")):
        return PlainTextResponse(records_markdown(record), media_type="text/markdown; charset=utf-8")
    return record
