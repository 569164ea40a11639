"""The desk through the app in-process, over https (the session cookie is Secure outside development)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def desk_client(services_env):
    from fastapi.testclient import TestClient

    from services.api.main import create_app

    with TestClient(create_app(), base_url="https://testserver",
                    raise_server_exceptions=os.environ.get("RAISE") == "1") as client:
        yield client


@pytest.fixture(autouse=True)
def _fresh_signin_counts(request):
    """Every in-process client signs in from one address: each test starts with no failed attempts."""
    if "engine" not in request.fixturenames and "desk_client" not in request.fixturenames:
        yield
        return
    from sqlmodel import Session

    from shared.models import SigninFailure

    engine = request.getfixturevalue("engine")
    with Session(engine) as s:
        s.exec(SigninFailure.__table__.delete())
        s.commit()
    yield
