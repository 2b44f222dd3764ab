"""Management commands and system checks."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from guide.checks import content_check
from tests.conftest import BAD


def test_check_procedures_prints_counts(capsys):
    call_command("check_procedures")
    out = capsys.readouterr().out
    assert "titre-sejour-perdu-vole: 9 questions, 78 parcours, 8 issues" in out
    assert "0 élément(s) sans source" in out


def test_check_procedures_fails_on_a_broken_file(content_dir, capsys):
    shutil.copy(BAD / "unknown-office.yaml", content_dir)
    with pytest.raises(CommandError, match="1 problème"):
        call_command("check_procedures", dir=content_dir)
    assert "unknown-office.yaml:" in capsys.readouterr().err


@pytest.mark.django_db
def test_load_procedures_reports_what_it_did(content_dir, capsys):
    call_command("load_procedures", dir=content_dir)
    assert "1 créée(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_procedures_refuses_broken_content(content_dir, capsys):
    shutil.copy(BAD / "yaml-syntax.yaml", content_dir)
    with pytest.raises(CommandError, match="rien n'a été chargé"):
        call_command("load_procedures", dir=content_dir)
    assert "yaml-syntax.yaml:" in capsys.readouterr().err


@pytest.mark.django_db
def test_check_warns_when_nothing_is_loaded():
    assert [w.id for w in content_check(databases=["default"])] == ["guide.W001"]


@pytest.mark.django_db
def test_check_warns_when_files_differ_from_the_database(content_dir, settings):
    from guide.loader import load_into_database

    load_into_database(content_dir)
    assert [w.id for w in content_check(databases=["default"])] == ["guide.W002"]
    settings.PROCEDURES_DIR = content_dir
    assert content_check(databases=["default"]) == []
