"""Errors follow one convention: every domain error is a subclass of one kind in
shared/common/errors.py, its HTTP status comes from the one table in services/api/errors.py
(the pages take the same status and an i18n key from `error_answer`), and no route maps an
error to a status by hand."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from support import auth
from services.api.errors import STATUS, error_answer, error_response
from shared.i18n import TEXTS
from shared.common.errors import DomainError, Gone, InvalidInput, NotFound, TooManyRequests

@pytest.fixture(scope="module")
def client(services_env):
    from fastapi.testclient import TestClient

    from services.api.main import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


ROUTES = Path(__file__).resolve().parents[3] / "services" / "api" / "routes"


def domain_errors() -> list[type[DomainError]]:
    for module in pkgutil.walk_packages([str(ROUTES.parents[2] / "shared")], "shared."):
        if ".migrations" not in module.name and not module.name.startswith("shared.cli"):
            importlib.import_module(module.name)
    found, todo = [], [DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_domain_error_says_what_it_means_and_has_a_status_and_a_text():
    errors = domain_errors()
    assert len(errors) > 15
    for error in errors:
        assert error.__doc__ and error.__doc__.strip(), f"{error.__module__}.{error.__name__} says nothing"
        kind = next(k for k in error.__mro__ if k in STATUS)
        assert kind is not DomainError, f"{error.__name__} derives from no kind of error"
        assert error.key in TEXTS and all(TEXTS[error.key].values()), error.key


def test_the_table_gives_status_and_key():
    assert error_answer(NotFound()) == (404, "errors.not_found")
    assert error_answer(Gone("the link has expired")) == (410, "errors.gone")
    from shared.subject_requests.links import ExportExpired
    from shared.transfers.service import TransferRefused

    assert error_answer(ExportExpired()) == (410, "errors.gone")
    assert error_answer(TransferRefused())[0] == 409
    with pytest.raises(TypeError):
        error_answer(ValueError("not a domain error"))  # type: ignore[arg-type]


def test_the_json_answer_of_each_kind():
    limited = error_response(TooManyRequests("too many requests; try again later", retry_after=3600))
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "3600"
    invalid = error_response(InvalidInput(("query", "email"), "not an address"))
    assert invalid.status_code == 422
    assert invalid.body == b'{"detail":[{"loc":["query","email"],"msg":"not an address","type":"value_error"}]}'
    assert error_response(NotFound("no such user")).body == b'{"detail":"no such user"}'


def test_no_route_maps_an_error_by_hand():
    """A route raises (the handler answers) or, where an HTML page is the answer, takes the status
    from `error_answer`; it never names a 4xx status itself."""
    names = {error.__name__ for error in domain_errors()}
    for path in ROUTES.glob("*.py"):
        text = path.read_text()
        assert "HTTPException" not in text, f"{path.name} raises HTTPException"
        assert not re.search(r"status_code=(4\d\d|status\.HTTP_4)", text), f"{path.name} chooses an error status"
        caught = {name.rpartition(".")[2] for name in re.findall(r"except ([\w.]+)", text)} & names
        assert not caught or "error_answer" in text, f"{path.name} maps {caught} by hand"


def test_a_missing_record_is_a_404_from_the_table(client, role_tokens):
    admin = auth(role_tokens["admin"])
    assert client.delete("/v1/tokens/2000000000", headers=admin).json() == {"detail": "no such token"}
    assert client.delete("/v1/site-keys/2000000000", headers=admin).status_code == 404
    assert client.get("/v1/users/2000000000/tokens", headers=admin).json() == {"detail": "no such user"}
    assert client.get("/v1/emails/00000000-0000-0000-0000-000000000000", headers=admin).status_code == 404
    bad = client.get("/v1/contacts", params={"email": "not an address"}, headers=auth(role_tokens["sales"]))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "email"]


def test_the_command_line_says_a_domain_error_in_one_line(engine, capsys):
    """`rekisteri tokens revoke 2000000000`: the error's own sentence, exit code 1, no traceback."""
    from shared.cli.main import app

    with pytest.raises(SystemExit) as exited:
        app(["tokens", "revoke", "2000000000"], prog_name="rekisteri")
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip().splitlines() == ["rekisteri: no such token"]
