# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := python3 -m uv
HOST ?= 127.0.0.1:8000

# Debian packages, installed only when missing (needs root, as on CI).
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
APT_END = >/dev/null; else echo "Missing system packages: run as root, or install them with apt-get"; exit 1; fi

.PHONY: run serve test setup system-deps browser-deps

setup: system-deps
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	GUIDE_DEBUG=1 $(UV) run python manage.py compilemessages --ignore=.venv --verbosity 0

# WeasyPrint (the PDF) needs Pango; the interface's catalogues (locale/) are compiled with gettext's msgfmt.
system-deps:
	@ldconfig -p | grep -q libpangoft2-1.0 || { $(APT_INSTALL) libpango-1.0-0 libpangoft2-1.0-0 $(APT_END); }
	@command -v msgfmt >/dev/null || { $(APT_INSTALL) gettext $(APT_END); }

DEMO_ANNUAIRE := fixtures/annuaire-demo/2026-10-06_190201-data.gouv

run: setup
	GUIDE_DEBUG=1 $(UV) run python manage.py migrate --verbosity 0
	GUIDE_DEBUG=1 $(UV) run python manage.py load_procedures
	GUIDE_DEBUG=1 $(UV) run python manage.py import_annuaire --demo \
	  --file $(DEMO_ANNUAIRE)_local.json --communes $(DEMO_ANNUAIRE)_commune.zip
	GUIDE_DEBUG=1 $(UV) run python manage.py runserver $(HOST)

# Production: DEBUG off, GUIDE_SECRET_KEY required (the site refuses the development key),
# static files collected with hashed names, gunicorn (deploy/gunicorn.conf.py). README: "Mettre en service".
serve: setup
	@[ -n "$$GUIDE_SECRET_KEY" ] || { echo "GUIDE_SECRET_KEY is not set: see README, Mettre en service"; exit 1; }
	GUIDE_STATIC_MANIFEST=1 $(UV) run python manage.py collectstatic --noinput --verbosity 0
	$(UV) run python manage.py migrate --verbosity 0
	$(UV) run python manage.py load_procedures
	HOST=$(HOST) $(UV) run gunicorn -c deploy/gunicorn.conf.py

# Browser tests need Debian's Chromium (Playwright's own download does not work here) and axe-core.
browser-deps:
	@command -v chromium >/dev/null || { $(APT_INSTALL) chromium $(APT_END); }
	cd tests/browser && npm ci --no-audit --no-fund --silent

test: setup browser-deps
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	GUIDE_DEBUG=1 $(UV) run python manage.py check_procedures
	$(UV) run pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no test: failing on purpose"; exit 1; fi; \
	[ $$rc -eq 0 ] || exit $$rc; \
	if [ -n "$$GUIDE_TEST_POSTGRES_URL" ]; then \
	  echo "Again on PostgreSQL:"; DATABASE_URL="$$GUIDE_TEST_POSTGRES_URL" $(UV) run pytest -q -m "not browser and not servers"; \
	fi
