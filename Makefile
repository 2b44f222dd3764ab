# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := python3 -m uv
HOST ?= 127.0.0.1:8000

.PHONY: run test setup browser-deps

setup:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen

run: setup
	GUIDE_DEBUG=1 $(UV) run python manage.py migrate --verbosity 0
	GUIDE_DEBUG=1 $(UV) run python manage.py load_procedures
	GUIDE_DEBUG=1 $(UV) run python manage.py runserver $(HOST)

# Browser tests need Debian's Chromium (Playwright's own download does not work here) and axe-core.
browser-deps:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "Install Chromium first: sudo apt-get install chromium"; exit 1; }
	cd tests/browser && npm ci --no-audit --no-fund --silent

test: setup browser-deps
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	GUIDE_DEBUG=1 $(UV) run python manage.py check_procedures
	$(UV) run pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no test: failing on purpose"; exit 1; fi; \
	[ $$rc -eq 0 ] || exit $$rc; \
	if [ -n "$$GUIDE_TEST_POSTGRES_URL" ]; then \
	  echo "Again on PostgreSQL:"; DATABASE_URL="$$GUIDE_TEST_POSTGRES_URL" $(UV) run pytest -q -m "not browser"; \
	fi
