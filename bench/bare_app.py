"""The baseline for read benchmarks: a bare FastAPI endpoint doing the same primary-key SELECT,
with no auth, no access log, no schema layer. Run: uvicorn bench.bare_app:app."""

from __future__ import annotations

import os

from fastapi import FastAPI, HTTPException
from sqlalchemy import text

from shared.db import build_engine

engine = build_engine(os.environ["REKISTERI_DATABASE_URL"])
app = FastAPI()


@app.get("/contacts/{contact_id}")
def contact(contact_id: int) -> dict:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM contacts WHERE id = :id"), {"id": contact_id}).mappings().first()
    if row is None:
        raise HTTPException(404)
    return dict(row)
