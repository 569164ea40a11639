# The two commands of the README: `make up` and `make test`.
# Everything else here is what they need: a virtual environment built from the lock file.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: up test venv lock bench clean

up: $(STAMP)
	$(BIN)/rekisteri up

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Regenerate the lock after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra bench --generate-hashes --python-version 3.11 -o requirements.lock

# Every benchmark at a small size, then bench/REPORT.md; make bench BENCH_ARGS="--full" for the issues' sizes.
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/test
