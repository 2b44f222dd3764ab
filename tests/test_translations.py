"""Translations of the content (guide/translations.py): French is the reference; unknown ids and
changed numbers are errors with file and line; stale and missing texts fall back to French,
marked lang="fr", and are counted."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from guide import registry, translations
from guide.loader import read_directory

SLUG = "attestation-accueil"


@pytest.fixture
def content_copy(tmp_path, settings):
    target = tmp_path / "procedures"
    shutil.copytree(settings.PROCEDURES_DIR, target)
    return target


def english(directory):
    return directory / "translations" / "en" / f"{SLUG}.yaml"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_shipped_languages_translate_every_text_from_the_current_french(settings, language):
    content = read_directory(settings.PROCEDURES_DIR)
    assert content.problems == []
    reports = content.translation_reports[language]
    assert set(reports) == {*content.procedures, "_offices"}
    for slug, report in reports.items():
        assert (report.missing, report.stale, report.errors) == ([], [], []), slug
        french = content.offices if slug == "_offices" else content.procedures[slug]
        assert report.translated == len(list(translations.leaves(french))), slug
    assert sum(report.translated for report in reports.values()) == 459


def test_unknown_ids_and_changed_numbers_are_errors_with_file_and_line(content_copy):
    path = english(content_copy)
    text = path.read_text(encoding="utf-8")
    text = text.replace("questions:\n  visiteur:", "questions:\n  visiteurs:", 1)
    text = text.replace(
        '"Buy the electronic timbre fiscal (tax stamp) of €30:', '"Buy the stamp of €35:'
    )
    path.write_text(text, encoding="utf-8")
    content = read_directory(content_copy)
    found = {(p.file, p.reason.split(" :")[0]) for p in content.problems}
    name = f"translations/en/{SLUG}.yaml"
    assert (name, "texte inconnu") in found
    assert (name, "steps.timbre.text") in found
    lines = text.splitlines()
    for problem in content.problems:
        assert problem.line > 1
        if "nombres" in problem.reason:
            assert "€35" in lines[problem.line - 1] or "€35" in lines[problem.line]
            assert "30 ≠ 35" in problem.reason


def test_a_changed_french_text_makes_its_translation_stale_and_shown_in_french(
    content_copy, settings
):
    source = content_copy / f"{SLUG}.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "Prenez rendez-vous à la mairie du lieu", "Prenez vite rendez-vous à la mairie du lieu"
        ),
        encoding="utf-8",
    )
    content = read_directory(content_copy)
    assert content.problems == []
    report = content.translation_reports["en"][SLUG]
    assert [path for path, _ in report.stale] == [("steps", "rendez-vous", "text")]
    out = StringIO()
    call_command("check_procedures", "--dir", str(content_copy), stdout=out)
    assert f"translations/en/{SLUG}.yaml:" in out.getvalue()
    assert "1 à revoir" in out.getvalue()
    # The page shows the French, marked as French.
    definition = registry.in_language(content.procedures[SLUG], "en")
    step = next(s for s in definition["steps"] if s["id"] == "rendez-vous")
    assert isinstance(step["text"], translations.French)
    html = Template("{{ text }}").render(Context({"text": step["text"]}))
    assert html.startswith('<span lang="fr" dir="ltr">Prenez vite rendez-vous')
    other = next(s for s in definition["steps"] if s["id"] == "timbre")
    assert other["text"].startswith("Buy the electronic timbre fiscal")


def test_the_translations_command_keeps_translations_and_flags_stale_ones(content_copy):
    before = english(content_copy).read_text(encoding="utf-8")
    call_command("translations", "en", SLUG, "--dir", str(content_copy), stdout=StringIO())
    assert english(content_copy).read_text(encoding="utf-8") == before  # a round trip
    source = content_copy / f"{SLUG}.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Si le maire refuse", "Si le maire dit non"),
        encoding="utf-8",
    )
    call_command("translations", "en", SLUG, "--dir", str(content_copy), stdout=StringIO())
    text = english(content_copy).read_text(encoding="utf-8")
    assert "# À REVOIR" in text
    assert '"If the mayor refuses"' in text  # the old translation, to correct
    assert read_directory(content_copy).translation_reports["en"][SLUG].stale


def test_numbers_are_compared_whatever_their_spacing_or_digits():
    assert translations.numbers("au moins 30 000 €") == translations.numbers("at least €30,000")
    assert translations.numbers("30 000 €") == translations.numbers("٣٠ ٠٠٠ يورو")
    assert translations.numbers("25,00 €") != translations.numbers("€25")
    assert translations.numbers("cerfa n° 10798*04") == ["04", "10798"]


@pytest.mark.django_db
def test_the_site_serves_each_language_its_own_compiled_content(content_copy, settings):
    from guide.loader import load_into_database

    (content_copy / "translations" / "en" / "titre-sejour-perdu-vole.yaml").unlink()
    load_into_database(content_copy)
    settings.LANGUAGES = [("fr", "Français"), ("en", "English")]
    registry.clear()
    with translation.override("en"):
        procedure = registry.get(SLUG)
        assert procedure.title == "Attestation d'accueil (hosting certificate)"
        # Not translated: French, marked.
        other = registry.get("titre-sejour-perdu-vole")
        assert isinstance(other.title, translations.French)
    assert registry.get(SLUG).title == "Attestation d'accueil"
