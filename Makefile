# Set-up and everyday commands. `make run` and `make test` do everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app locator
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint format clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(FLASK) seed --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

# The suite runs on SQLite, then again on PostgreSQL when LOCATOR_TEST_POSTGRES_URL is set.
test: install
	$(BIN)/python -m pytest -q
	@if [ -n "$$LOCATOR_TEST_POSTGRES_URL" ]; then \
		echo "--- again on PostgreSQL"; \
		LOCATOR_TEST_DATABASE_URL="$$LOCATOR_TEST_POSTGRES_URL" $(BIN)/python -m pytest -q; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance *.egg-info .pytest_cache .ruff_cache
