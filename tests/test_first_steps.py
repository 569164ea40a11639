"""A newcomer's first hour, as the README tells it: `make up` in one terminal (embedded PostgreSQL
and Redis under ./var, no URLs anywhere), the README's First steps typed in a second terminal in
the same folder. The commands are read from the README, so README and test cannot drift."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readme_runner import Shell, readme_block, steps
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


def test_first_steps_run_as_written_beside_make_up(newcomer):
    folder, env, api_port = newcomer
    shell = Shell(folder, env, api_port=api_port)
    try:
        for step in steps(readme_block("First steps")):
            deadline = time.monotonic() + 60
            while True:
                status, output = shell.run(step.command)
                done, why = _as_promised(step, status, output)
                if done or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert done, f"README First steps: {step.command!r} → exit {status}, {why}:\n{output[-2000:]}"
    finally:
        shell.close()


def _as_promised(step, status: int, output: str) -> tuple[bool, str]:
    """Whether the command did what the README says (its answer, a status it names, output at all)."""
    if status != 0:
        return False, "failed"
    if "Traceback" in output:
        return False, "printed a traceback"
    if (expected := step.expected_json) is not None:
        answer = json.loads(output)
        return {k: answer.get(k) for k in expected} == expected, f"answer differs from the README's {expected}"
    if step.inline_note.startswith("status: "):
        wanted = step.inline_note.removeprefix("status: ")
        return json.loads(output).get("status") == wanted, f"status is not {wanted} yet"
    if step.command.startswith("ls "):
        return bool(output.strip()), "nothing there yet"
    return True, ""


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
