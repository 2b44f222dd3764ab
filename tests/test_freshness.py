"""Content that warns when it ages: check_sources on made-up fiches (tests/data/fiches), never
the network; /sources/ says « à relire »; guide.W007 warns of an old directory import."""

import datetime as dt
import html
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.utils import timezone

from guide import freshness, registry
from guide.models import FicheCheck, ImportRun
from guide.typography import french

pytestmark = pytest.mark.django_db
FICHES = Path(__file__).parent / "data" / "fiches"


def test_the_fiche_s_own_date_is_read_from_dila_s_xml_and_from_the_json_mirror():
    assert freshness.modified_date(FICHES / "F21032.json") == dt.date(2025, 7, 10)
    assert freshness.modified_date(FICHES / "F22312.xml") == dt.date(2026, 3, 2)


def test_check_sources_lists_what_to_read_again_and_fails(loaded, capsys):
    with pytest.raises(CommandError) as failure:
        call_command("check_sources", "--fiches", str(FICHES))
    assert failure.value.returncode == 1
    out = capsys.readouterr().out
    assert (
        "F22312 (titre-sejour-perdu-vole, _offices) : À RELIRE, fiche modifiée le 2026-03-02, "
        "nous avons lu la version du 2025-07-10"
    ) in out
    assert "F21032 (titre-sejour-perdu-vole, _offices) : à jour (version du 2025-07-10)" in out
    assert (
        "F2191 (titre-sejour-perdu-vole, attestation-accueil, _offices) : fiche introuvable" in out
    )
    assert FicheCheck.objects.get(fiche="F22312").modified == dt.date(2026, 3, 2)


def test_check_sources_passes_when_every_fiche_is_as_we_read_it(loaded, tmp_path, capsys):
    (tmp_path / "F21032.json").write_text((FICHES / "F21032.json").read_text())
    call_command("check_sources", "--fiches", str(tmp_path))  # no CommandError
    assert "0 à relire" in capsys.readouterr().out


def test_sources_page_shows_both_dates_and_what_to_read_again(client, loaded):
    page = html.unescape(client.get("/sources/").content.decode())
    assert french("version du 10 juillet 2025 ; lue le 27 novembre 2026") in page
    assert "à relire" not in page
    with pytest.raises(CommandError):
        call_command("check_sources", "--fiches", str(FICHES))
    registry.clear()
    page = html.unescape(client.get("/sources/").content.decode())
    assert french("à relire : la fiche a été modifiée le 2 mars 2026") in page
    assert page.count(french("à relire :")) == 1  # F22312, in the permit's sources


def test_an_old_directory_import_is_a_warning(db, settings):
    settings.ANNUAIRE_MAX_AGE_DAYS = 7
    run = ImportRun.objects.create(file_name="x-data.gouv_local.json", finished_at=timezone.now())
    ids = {m.id for m in run_checks(databases=["default"])}
    assert "guide.W007" not in ids
    run.finished_at = timezone.now() - dt.timedelta(days=8)
    run.save()
    ids = {m.id for m in run_checks(databases=["default"])}
    assert "guide.W007" in ids
