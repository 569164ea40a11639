"""A newcomer's first hour, as the README tells it: `make up` in one terminal (embedded PostgreSQL
and Redis under ./var, no URLs anywhere), the README's First steps typed in a second terminal in
the same folder. The commands are read from the README, so README and test cannot drift."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from readme_runner import Shell, readme_block
from shared.embedded.ports import free_port

NOT_INHERITED = ("REKISTERI_DATABASE_URL", "REKISTERI_REDIS_URL", "REKISTERI_VAR_DIR", "REKISTERI_ENVIRONMENT",
                 "REKISTERI_PUBLIC_BASE_URL", "REKISTERI_TEST_DATABASE_URL", "REKISTERI_TEST_REDIS_URL")


def newcomer_environment(**ports: int) -> dict[str, str]:
    """The environment of a fresh terminal: no URLs, no var dir, development; only the ports of
    `make up` moved, since other things on this machine may hold 8000, 5555 and 1025."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return {**env, **{f"REKISTERI_{name.upper()}": str(port) for name, port in ports.items()}}


class RunningUp:
    """`make up` (= .venv/bin/rekisteri up) in `folder`, stopped with Ctrl-C (SIGINT) at the end."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.folder, self.env, self.log = folder, env, folder / "up.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen([str(Path(sys.prefix) / "bin" / "rekisteri"), "up"], cwd=folder, env=env,
                                         stdout=log, stderr=subprocess.STDOUT)

    def wait_running(self, timeout: float = 240.0) -> None:
        deadline = time.monotonic() + timeout
        while "Rekisteri is running." not in self.log.read_text(errors="replace"):
            assert self.proc.poll() is None, f"rekisteri up exited:\n{self.log.read_text(errors='replace')[-3000:]}"
            assert time.monotonic() < deadline, f"rekisteri up not ready:\n{self.log.read_text()[-3000:]}"
            time.sleep(0.5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(90)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory) -> Iterator[tuple[Path, dict[str, str], int]]:
    folder = tmp_path_factory.mktemp("fresh-clone")
    (folder / ".venv").symlink_to(sys.prefix)  # the clone's .venv, as `make` builds it
    api_port = free_port()
    env = newcomer_environment(api_port=api_port, flower_port=free_port(), mailcatcher_port=free_port(),
                               embedded_redis_port=free_port())
    up = RunningUp(folder, env)
    try:
        up.wait_running()
        yield folder, env, api_port
    finally:
        up.stop()
    assert "stopped" in up.log.read_text(errors="replace")


def test_make_up_prints_what_the_readme_shows(newcomer):
    folder, _, _ = newcomer
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    shown = re.search(r"`make up` prints where things are:\n\n```\n(.*?)```", readme, re.S).group(1)

    def normal(text: str) -> str:
        return re.sub(r"port \d+", "port N", re.sub(r":\d+/", ":N/", text))

    printed = normal((folder / "up.log").read_text(errors="replace").replace(str(folder.resolve()), "/path/to/repo"))
    for line in shown.splitlines():
        assert normal(line) in printed, f"`make up` does not print {line!r}"


def test_first_steps_run_as_written_beside_make_up(newcomer):
    folder, env, api_port = newcomer
    shell = Shell(folder, env, api_port=api_port)
    try:
        shell.run_as_written(readme_block("First steps"))
    finally:
        shell.close()


def test_register_and_web_event_walk_throughs_run_as_written(newcomer):
    """The curl walk-through with a sales user's token (and a privacy user's for the access log),
    then the web events: a site key made as the README shows, an event sent with it."""
    folder, env, api_port = newcomer
    shell = Shell(folder, env, api_port=api_port)
    try:
        for setup in (". .venv/bin/activate", "rekisteri users create --name sanna --role sales",
                      "rekisteri users create --name pirjo --role privacy",
                      "TOKEN=$(rekisteri tokens create --user sanna)",
                      "PRIVACY_TOKEN=$(rekisteri tokens create --user pirjo)"):
            assert shell.run(setup)[0] == 0, setup
        shell.run_as_written(readme_block("The register: a walk-through with curl"))
        status, found = shell.run('curl -s "localhost:8000/v1/contacts/1" -H "$H"')
        assert json.loads(found)["position"] == "Hankintapäällikkö"  # the README's PATCH took
        shell.run_as_written(readme_block("Web-behaviour events", index=0))
        shell.run_as_written(readme_block("Web-behaviour events", index=1))

        # Maija asks for a rectification and follows the emailed link; the privacy officer acts.
        shell.run_as_written(readme_block("Data-subject requests"))  # an objection, as the README asks it
        asked = httpx.post(f"http://127.0.0.1:{api_port}/public/requests", json={
            "kind": "rectification", "email": "maija.makinen@example.fi", "language": "fi",
            "proposed_changes": {"last_name": "Mäkinen-Korhonen"}})
        assert asked.status_code == 202, asked.text
        for token in _verification_tokens(folder / "var" / "mail"):
            httpx.post(f"http://127.0.0.1:{api_port}/privacy/verify/{token}")
        shell.run_as_written(readme_block("Data-subject requests", index=1))
        status, found = shell.run('curl -s "localhost:8000/v1/contacts/1" -H "Authorization: Bearer $TOKEN"')
        assert json.loads(found)["last_name"] == "Mäkinen-Korhonen"  # the README's approval took
    finally:
        shell.close()


def _verification_tokens(mail_dir: Path) -> list[str]:
    """The tokens of every verification link in the caught mail (once each mail has arrived)."""
    def read() -> list[str]:
        tokens = []
        for path in sorted(mail_dir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            body = message.get_body(("plain",))
            tokens += re.findall(r"/privacy/verify/([A-Za-z0-9_-]+)", body.get_content() if body else "")
        return tokens

    deadline = time.monotonic() + 60
    while len(found := read()) < 2:  # the objection's and the rectification's
        assert time.monotonic() < deadline, f"verification mails did not arrive: {found}"
        time.sleep(0.5)
    return found


def test_cli_errors_are_one_line_and_debug_shows_the_traceback(tmp_path):
    """No `up` running in the folder: the user is told what failed and what to do, in one line."""
    env = newcomer_environment()
    rekisteri = str(Path(sys.prefix) / "bin" / "rekisteri")
    plain = subprocess.run([rekisteri, "users", "create", "--name", "anna", "--role", "admin"], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=60)
    assert plain.returncode == 1
    lines = [line for line in plain.stderr.splitlines() if line.strip()]
    assert lines == ["rekisteri: no database found: start `make up` (or `rekisteri up`) in this folder first, "
                     "or set REKISTERI_DATABASE_URL"], plain.stderr
    unreachable = subprocess.run([rekisteri, "tokens", "create", "--user", "anna"], cwd=tmp_path, capture_output=True,
                                 text=True, timeout=60,
                                 env={**env, "REKISTERI_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/x"})
    assert unreachable.returncode == 1 and "Traceback" not in unreachable.stderr
    assert len(unreachable.stderr.strip().splitlines()) == 1
    assert unreachable.stderr.startswith("rekisteri: cannot use the database: ") and "make up" in unreachable.stderr
    debug = subprocess.run([rekisteri, "--debug", "users", "create", "--name", "anna", "--role", "admin"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "REKISTERI_DATABASE_URL is not set" in debug.stderr
