# Vern – the two quick-start commands are `make run` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements/*.txt pyproject.toml | cksum | cut -d' ' -f1)
export VERN_DATA_DIR ?= $(CURDIR)/data

.PHONY: run demo serve install test test-fast lint typecheck check lock translations clean postgres-test system-deps system-deps-test

# ---- environment ---------------------------------------------------------------------------
$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/build.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP) translations

# Debian packages outside Python (WeasyPrint's libraries; for tests also Chromium, poppler,
# gettext): installed when missing and running as root, otherwise reported.
system-deps:
	@bash scripts/system-deps.sh runtime

system-deps-test:
	@bash scripts/system-deps.sh test

translations: $(STAMP)
	$(BIN)/vern compiletranslations -v0

# ---- quick start 1: the app on SQLite with a demo centre ----------------------------------
run: system-deps install
	$(BIN)/vern migrate --no-input -v0
	$(BIN)/vern demo
	$(BIN)/vern serve

demo: install
	$(BIN)/vern migrate --no-input -v0
	$(BIN)/vern demo

serve: install
	$(BIN)/vern serve

# ---- quick start 2: every test (unit, integration, browser) ---------------------------------
test: system-deps-test install
ifndef VERN_SKIP_LINT
	$(MAKE) --no-print-directory lint typecheck
endif
	$(BIN)/vern check --database default --fail-level WARNING
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -x -q -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	PYTHONPATH=src $(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# The same suite on PostgreSQL (needs a server; .ci/run starts the local one).
postgres-test:
	DATABASE_URL=$${DATABASE_URL:-postgres://vern:vern@127.0.0.1:5432/vern} $(MAKE) test

# Mutation testing of the core (scripts/mutation.sh, docs/testing.md): not in CI, takes long.
# `make mutation MODULES="consent ground"` for some module sets only.
.PHONY: mutation
mutation: install
	VENV=$(VENV) bash scripts/mutation.sh $(MODULES)

# ---- maintenance ---------------------------------------------------------------------------
# Regenerate the hash-pinned locks (needs pip-tools in any Python; not part of the build).
lock:
	pip-compile --generate-hashes --allow-unsafe --strip-extras -o requirements/base.txt requirements/base.in
	pip-compile --generate-hashes --allow-unsafe --strip-extras -o requirements/dev.txt requirements/dev.in
	pip-compile --generate-hashes --allow-unsafe -o requirements/build.txt requirements/build.in

clean:
	rm -rf $(VENV) artifacts .pytest_cache .mypy_cache .ruff_cache
