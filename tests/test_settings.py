"""Settings read from the environment."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from guide.settings import BASE_DIR, database_from_url


def test_database_url_is_parsed():
    db = database_from_url("postgres://guide:s%40cret@db.example:5433/guide")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "guide",
        "s@cret",
        "db.example",
        "5433",
        "guide",
    )


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x/y")


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")}
    code = "import guide.settings as s; print(s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_production_refuses_the_development_key():
    result = run_settings()
    assert result.returncode != 0
    assert "GUIDE_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked():
    assert run_settings(GUIDE_SECRET_KEY="k").stdout.strip() == "False"
    assert run_settings(GUIDE_DEBUG="1").stdout.strip() == "True"
