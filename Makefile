# Two commands do all set-up on a fresh machine:
#   make chat   - terminal chat with the embedded defaults (SQLite, embedded NLU)
#   make test   - the whole quality gate: ruff, mypy, content checks, pytest
PYTHON ?= python3.11
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: chat test lint bench lock run rasa clean

$(STAMP): requirements/lock.txt pyproject.toml
	scripts/ensure-system-libs
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

chat: $(STAMP)
	$(VENV)/bin/digilotse chat

test: $(STAMP)
	scripts/test

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(VENV)/bin/python -m bench

run: $(STAMP)
	$(VENV)/bin/digilotse run

# The Rasa NLU server: .venv-rasa (Python 3.10), a trained model, then serving on 127.0.0.1:5005.
rasa:
	scripts/rasa install
	scripts/rasa train
	RASA_TOKEN=$${RASA_TOKEN:?set RASA_TOKEN} scripts/rasa serve

# Re-resolve the pinned versions after changing pyproject.toml dependencies: lock.txt for
# development and CI, runtime.txt (the same pins, no dev tools) for the Docker image.
lock:
	$(PYTHON) -m venv /tmp/digilotse-uv && /tmp/digilotse-uv/bin/pip install --quiet uv
	/tmp/digilotse-uv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--no-header -o requirements/lock.txt
	/tmp/digilotse-uv/bin/uv pip compile pyproject.toml -c requirements/lock.txt --python-version 3.11 \
		--no-header -o requirements/runtime.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
