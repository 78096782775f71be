# The two commands in the README: `make run` (serve with demo data) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := marketplace
export HF_HUB_OFFLINE := 1

.PHONY: install run run-stripe serve setup test test-unit lint bench chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is installed first and pinned: pip then takes the CPU build from this machine's disk
# instead of a multi-GB CUDA build (see README, Embedding model).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

setup: install
	$(BIN)/flask db upgrade
	$(BIN)/flask reference load
	$(BIN)/flask demo
	$(BIN)/flask index rebuild

serve:
	$(BIN)/flask run --host 127.0.0.1 --port 5000

run: setup serve

# The demo with card payments: localstripe (a Stripe-compatible server from PyPI) on
# 127.0.0.1:8420 with the app's webhook registered, and the app pointed at it (README, Fidelity
# bonds). Both stop together.
STRIPE_DEMO := STRIPE_SECRET_KEY=sk_test_demo STRIPE_PUBLISHABLE_KEY=pk_test_demo \
	STRIPE_WEBHOOK_SECRET=whsec_demo STRIPE_API_BASE=http://127.0.0.1:8420
run-stripe: setup
	$(BIN)/python -m tests.localstripe --port 8420 --secret whsec_demo \
	  --webhook http://127.0.0.1:5000/stripe/webhook & pid=$$!; trap "kill $$pid" EXIT INT TERM; \
	  $(STRIPE_DEMO) $(BIN)/flask run --host 127.0.0.1 --port 5000

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
chromium:
	@command -v chromium >/dev/null || { \
	  (apt-get install -y -qq chromium >/dev/null 2>&1) || \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null); }

test: install chromium
	$(BIN)/ruff check marketplace search_index tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check marketplace search_index tests bench

bench: install
	$(BIN)/python bench/search_bench.py

clean:
	rm -rf $(VENV) instance .pytest_cache
