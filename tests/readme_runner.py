"""Running the README's shell blocks as written: a command the README shows is a command a test runs.

`readme_block("First steps")` is the first ```sh block under that heading; `steps(block)` splits it
into commands (continuation lines and quotes joined) with the comment lines that follow each one
(the answer the README promises). `Shell` runs them one after another in one bash, so variables
(`TOKEN=$(…)`) and `. .venv/bin/activate` carry over, exactly as in a terminal. Only two things are
put in: the API's port for `localhost:8000`, and `<id>` for the id of the previous answer.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def readme_block(heading: str, *, readme: Path = README) -> str:
    """The first ```sh block in the section whose heading is `heading`."""
    text = readme.read_text()
    match = re.search(rf"^#+ {re.escape(heading)}\s*$", text, re.M)
    assert match, f"README has no section {heading!r}"
    block = re.compile(r"^```sh\n(.*?)^```", re.M | re.S).search(text, match.end())
    assert block, f"README section {heading!r} has no sh block"
    return block.group(1)


@dataclass
class Step:
    command: str
    notes: list[str] = field(default_factory=list)  # the comment lines right after it

    @property
    def inline_note(self) -> str:
        """The comment at the end of the command's last line, if any."""
        last = self.command.splitlines()[-1]
        position = _comment_start(last)
        return last[position + 1:].strip() if position is not None else ""

    @property
    def expected_json(self) -> dict | None:
        """The answer the README shows after the command, when it is a whole JSON object."""
        for note in self.notes:
            try:
                value = json.loads(note)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
        return None


def _comment_start(line: str) -> int | None:
    """Where a shell comment begins in `line` (a # at a word start outside quotes)."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return i
    return None


def _complete(text: str) -> bool:
    if text.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:  # an open quote: the command goes on
        return False
    return True


def steps(block: str) -> list[Step]:
    found: list[Step] = []
    pending = ""
    for line in block.splitlines():
        if not pending and not line.strip():
            continue
        if not pending and line.lstrip().startswith("#"):
            if found:
                found[-1].notes.append(line.lstrip()[1:].strip())
            continue
        pending = f"{pending}\n{line}" if pending else line
        if _complete(pending):
            found.append(Step(pending))
            pending = ""
    assert not pending, f"unfinished command in the README: {pending!r}"
    return found


class Shell:
    """One bash in `cwd`; each command's output (stdout and stderr) and exit status are kept."""

    def __init__(self, cwd: Path, env: dict[str, str], *, api_port: int):
        self.cwd, self.api_port = cwd, api_port
        self.out = cwd / ".readme-shell"
        self.out.mkdir(exist_ok=True)
        self.proc = subprocess.Popen(["bash", "--noprofile", "--norc"], cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        self.count = 0
        self.last_id: str | None = None

    def prepare(self, command: str) -> str:
        command = command.replace("localhost:8000", f"localhost:{self.api_port}")
        if "<id>" in command:
            assert self.last_id is not None, f"no earlier answer had an id for {command!r}"
            command = command.replace("<id>", self.last_id)
        return command

    def run(self, command: str, *, timeout: float = 120.0) -> tuple[int, str]:
        self.count += 1
        output, status = self.out / f"{self.count}.out", self.out / f"{self.count}.rc"
        self.proc.stdin.write(f"{{\n{self.prepare(command)}\n}} >{output} 2>&1 </dev/null; "
                              f"echo $? >{status}.tmp; mv {status}.tmp {status}\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while not status.exists():
            assert time.monotonic() < deadline, f"{command!r} did not finish in {timeout}s"
            time.sleep(0.1)
        text = output.read_text()
        try:
            answer = json.loads(text)
            if isinstance(answer, dict) and "id" in answer:
                self.last_id = str(answer["id"])
        except ValueError:
            pass
        return int(status.read_text()), text

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(10)
