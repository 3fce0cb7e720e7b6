# One entry point for people and CI. `make run` sets everything up and serves the demo;
# `make test` runs the whole suite (SQLite; set DATABASE_URL for PostgreSQL).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?= -n 2
# The benchmark uses its own throw-away database (test_ntm_bench), so it never collides with test runs.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/ntm_bench
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run demo migrate test test-pg test-once lint format check messages locale-overrides bench clean

AXE_VERSION := 4.14.1

install: $(VENV)/.installed $(VENV)/axe/node_modules/axe-core/axe.min.js

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --requirement requirements.lock
	touch $@

# axe-core, for the accessibility checks of the browser tests (kept out of git, pinned).
$(VENV)/axe/node_modules/axe-core/axe.min.js: $(VENV)/.installed
	npm install --prefix $(VENV)/axe --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# The server and, beside it, the task worker (e-mails, exports); Ctrl+C stops both.
run: demo
	@echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/), task worker beside it - Ctrl+C to stop"
	@$(PY) manage.py run_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite: the ordinary tests on SQLite, then the browser tests and the multi-node test (real app servers, a
# worker, Redis, an S3-compatible server) once, on PostgreSQL, the production database. `make test-pg` runs the
# ordinary tests on PostgreSQL; CI runs both, so each test runs on both databases and the slow ones once.
ONCE_MARKERS := e2e or multinode
test: install
	$(PY) -m pytest -m "not ($(ONCE_MARKERS))" $(PYTEST_ARGS)
	DATABASE_URL=$(PG_URL) TOX_PARALLEL_ENV=once $(PY) -m pytest -m "$(ONCE_MARKERS)" $(PYTEST_ARGS)

test-pg: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not ($(ONCE_MARKERS))" $(PYTEST_ARGS)

# Only the browser and multi-node tests (PostgreSQL).
test-once: install
	DATABASE_URL=$(PG_URL) TOX_PARALLEL_ENV=once $(PY) -m pytest -m "$(ONCE_MARKERS)" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cms.settings.production DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-https://ntm.example.gov.vn} \
		$(PY) manage.py check --deploy --fail-level WARNING

messages: install
	$(PY) manage.py makemessages --locale en --no-obsolete --ignore '.venv/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale en --ignore '.venv/*'

# The Vietnamese that Wagtail, wagtail-modeladmin and Django lack: cms/locale_overrides/vi, edited by hand, with
# its .mo committed. `messages` never touches it (it writes the English catalogue, cms/locale, only); run this
# after editing an override.
locale-overrides: install
	$(PY) manage.py compilemessages --locale vi --ignore '.venv/*'

bench: install
	$(PY) manage.py bench --output bench-report.md
	DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py bench --output bench-report.md --append
	$(PY) manage.py bench_http --pg-url $(BENCH_PG_URL) --output bench-report.md --append

clean:
	rm -rf $(VENV) static
