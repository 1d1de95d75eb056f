# Set-up and everyday commands. `make run` and `make test` do everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app locator
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install vendor run test check bench lint format clean lock messages
LEAFLET := locator/static/vendor/leaflet
# The Spanish site: catalogs (.po) are in the repository, their compiled .mo files are made here.
# The catalogs carry no header (no dates that change at every extraction), which Babel takes for
# "fuzzy": hence --use-fuzzy; tests/test_catalog.py makes sure no single message is fuzzy.
TRANSLATIONS := locator/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))
# The same options as tests/test_catalog.py: the test fails when the catalog is behind them.
BABEL_EXTRACT := extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output --omit-header \
	--ignore-dirs=".*"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Every install is the one that was tested: the pinned versions of requirements.lock, then the
# package itself without resolving anything again. Refresh the lock with `make lock`.
$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

lock: $(BIN)/activate
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --extra dev --extra bench --strip-extras \
		--no-emit-index-url --no-emit-find-links \
		--no-header --annotation-style=line -o requirements.lock setup.cfg

install: $(VENV)/.installed vendor $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile --use-fuzzy -l $* -i $< -o $@

# After changing a string people read: extract the strings again and merge them into each
# catalog (new ones come out untranslated; tests/test_catalog.py fails until they are written).
messages: $(VENV)/.installed
	$(BIN)/pybabel -q $(BABEL_EXTRACT) -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-fuzzy-matching --omit-header --ignore-obsolete
	rm -f $(TRANSLATIONS)/messages.pot

# Leaflet (the map) and axe-core (the accessibility tests) come from the npm registry, pinned by
# package-lock.json; Leaflet is copied into the app's static files. Without npm the map stays off.
vendor:
	@if command -v npm >/dev/null 2>&1; then \
		if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
			npm ci --no-audit --no-fund --loglevel=error || echo "npm ci failed: the map stays off."; \
		fi; \
		if [ -f node_modules/leaflet/dist/leaflet.js ]; then \
			mkdir -p $(LEAFLET) && cp -R node_modules/leaflet/dist/leaflet.js \
				node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(LEAFLET)/; \
		fi; \
	fi

run: install
	@[ -f $(LEAFLET)/leaflet.js ] || echo "Leaflet is not installed (npm is missing or failed): the map stays off."
	$(FLASK) seed --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

# The suite runs on SQLite, then again on PostgreSQL when LOCATOR_TEST_POSTGRES_URL is set, in
# parallel (pytest-xdist, one worker a core; `make test WORKERS=1` for one): each worker has its
# own database (tests/helpers/databases.py), and one worker runs the browser tests one after
# another while the others take the rest.
WORKERS ?= auto
# Bytecode caches on even where the environment turns them off (PYTHONDONTWRITEBYTECODE): else
# every worker compiles the app and the tests, and pytest rewrites the asserts of some 330
# modules (hypothesis's among them) again, about 3 s of CPU a process.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(WORKERS)
test: install
	$(PYTEST) --dist loadgroup
	@if [ -n "$$LOCATOR_TEST_POSTGRES_URL" ]; then \
		echo "--- again on PostgreSQL"; \
		LOCATOR_TEST_DATABASE_URL="$$LOCATOR_TEST_POSTGRES_URL" $(PYTEST) --dist loadgroup; \
	fi

# The development loop: the suite without the browser tests, on SQLite only,
# with a fifth of the property tests' examples (tests/helpers/examples.py). Work stealing: a
# worker that runs out takes tests still queued on the other (with `load` the queue left on
# one worker at the end, the gazetteer build among them, kept the other idle 4 to 6 s).
check: install
	$(PYTEST) --dist worksteal -m "not e2e" --hypothesis-profile=check

# The benchmark suite (not part of `make test`): 20,000 and 1,000,000 centers on SQLite and on
# PostgreSQL, gunicorn and wrk; writes bench/RESULTS.md. `make bench QUICK=1` for a smoke run.
bench: install
	$(BIN)/python -m bench.run $(if $(QUICK),--quick,)

# bandit: medium and high severity fail; a false positive carries a `# nosec` and the reason.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r locator -ll

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance *.egg-info .pytest_cache .ruff_cache node_modules $(LEAFLET)
