"""Downloading an access export by the signed link emailed to the data subject. No login: the
signature is the credential. A bad, missing or tampered signature and an unknown export are
the same 404; a genuine link past its time is 410. Every download is counted and logged."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from services.api.deps import SessionDep
from shared.subject_requests import links

router = APIRouter(prefix="/public", tags=["public"])
CHUNK = 64 * 1024


@router.get("/exports/{export_id}", response_class=StreamingResponse,
            responses={200: {"content": {"application/zip": {}}}, 404: {}, 410: {}},
            summary="Download your data (the zip behind the emailed link)")
def download_export(export_id: uuid.UUID, request: Request, session: SessionDep,
                    expires: str | None = Query(None, max_length=20),
                    sig: str | None = Query(None, max_length=128)) -> StreamingResponse:
    export = links.open_export(session, export_id=export_id, expires=expires, sig=sig,
                               client_ip=request.client.host if request.client else None)
    content = export.content
    headers = {"Content-Disposition": f'attachment; filename="rekisteri-{export.created_at:%Y-%m-%d}.zip"',
               "Content-Length": str(len(content)), "Cache-Control": "no-store", "Pragma": "no-cache",
               "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    chunks = (content[i:i + CHUNK] for i in range(0, len(content), CHUNK))
    return StreamingResponse(chunks, media_type="application/zip", headers=headers)
