# Diplobot. `make run` and `make test` work on a fresh machine: they build .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# A .env file, when present, configures every target (see .env.example).
ifneq (,$(wildcard .env))
include .env
export
endif

.PHONY: setup setup-dev run chat test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime only (no torch): what `make run` needs.
$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Everything: runtime, ViT5 (torch==2.13.0 from the local CPU wheel), test tools.
$(VENV)/.installed-dev: requirements-dev.txt requirements-vit5.txt requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

# Ingest the seed articles (idempotent), then start the bot: Telegram when
# TELEGRAM_BOT_TOKEN is set, the terminal chat otherwise.
run: setup
	$(BIN)/diplobot ingest --no-progress seeds/
	$(BIN)/diplobot run

chat: setup
	$(BIN)/diplobot chat

test: setup-dev
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: setup-dev
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) data/*.db data/*.db-wal data/*.db-shm .pytest_cache
