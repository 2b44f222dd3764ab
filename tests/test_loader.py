"""Validation of YAML content: every problem reported as file:line: reason; bad content changes nothing."""

import datetime as dt
import shutil

import pytest

from guide.loader import ContentError, load_into_database, read_directory
from guide.models import ContentState, Procedure, Source
from tests.conftest import BAD, GOOD

BAD_FILES = sorted(BAD.glob("*.yaml"))


def expectation(path):
    """(line, reason) written in the broken file itself."""
    lines = path.read_text().splitlines()
    reason = lines[0].removeprefix("# attendu : ")
    line = next(i for i, text in enumerate(lines, start=1) if text.endswith("# <- ici"))
    return line, reason


def test_the_corpus_has_at_least_25_broken_files():
    assert len(BAD_FILES) >= 25


def test_good_content_has_no_problem():
    content = read_directory(GOOD)
    assert content.problems == []
    assert content.path_counts == {"demo": 3}


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_broken_file_is_reported_with_its_line_and_reason(path, content_dir):
    shutil.copy(path, content_dir)
    line, reason = expectation(path)
    problems = read_directory(content_dir).problems
    messages = [str(p) for p in problems]
    assert any(p.file == path.name and p.line == line and reason in p.reason for p in problems), (
        messages
    )
    assert all(p.file == path.name for p in problems), "the good file must stay clean"


@pytest.mark.django_db
@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_broken_file_leaves_loaded_content_unchanged(path, content_dir):
    load_into_database(content_dir)
    before = (
        list(Procedure.objects.values()),
        list(Source.objects.values()),
        ContentState.objects.get().version,
    )
    shutil.copy(path, content_dir)
    with pytest.raises(ContentError):
        load_into_database(content_dir)
    after = (
        list(Procedure.objects.values()),
        list(Source.objects.values()),
        ContentState.objects.get().version,
    )
    assert after == before


def test_all_problems_are_reported_at_once(content_dir):
    text = (GOOD / "demo.yaml").read_text()
    text = text.replace("slug: demo", "slug: many").replace("source: loi", "source: nulle")
    text = text.replace("verified: 2025-01-01", "verified: demain")
    (content_dir / "many.yaml").write_text(text)
    problems = read_directory(content_dir).problems
    assert len(problems) == 7  # six items citing an unknown source, one bad date
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_broken_office_catalogue_is_reported(content_dir):
    (content_dir / "_offices.yaml").write_text("sources: []\noffices:\n  - id: x\n")
    problems = read_directory(content_dir).problems
    assert any(
        p.file == "_offices.yaml" and "clé obligatoire manquante : name" in p.reason
        for p in problems
    )


def test_non_utf8_file_is_reported(content_dir):
    (content_dir / "latin.yaml").write_bytes("title: démarche".encode("latin-1"))
    problems = read_directory(content_dir).problems
    assert [(p.file, p.line) for p in problems] == [("latin.yaml", 1)]
    assert "illisible" in problems[0].reason


def test_verification_dates_are_checked_against_today(content_dir):
    problems = read_directory(content_dir, today=dt.date(2024, 12, 31)).problems
    assert any("dans le futur" in p.reason for p in problems)


@pytest.mark.django_db
def test_loading_twice_changes_nothing(content_dir):
    assert load_into_database(content_dir)["created"] == 1
    loaded_at = Procedure.objects.get().loaded_at
    counts = load_into_database(content_dir)
    assert counts == {"created": 0, "updated": 0, "unchanged": 1, "deleted": 0}
    assert Procedure.objects.get().loaded_at == loaded_at


@pytest.mark.django_db
def test_changed_file_updates_its_procedure(content_dir):
    load_into_database(content_dir)
    path = content_dir / "demo.yaml"
    path.write_text(
        path.read_text().replace("title: Démarche de démonstration", "title: Nouveau titre")
    )
    assert load_into_database(content_dir)["updated"] == 1
    assert Procedure.objects.get().title == "Nouveau titre"


@pytest.mark.django_db
def test_deleted_file_removes_its_procedure(content_dir):
    shutil.copy(content_dir / "demo.yaml", content_dir / "copie.yaml")
    (content_dir / "copie.yaml").write_text(
        (content_dir / "copie.yaml").read_text().replace("slug: demo", "slug: copie")
    )
    load_into_database(content_dir)
    assert Procedure.objects.count() == 2
    (content_dir / "copie.yaml").unlink()
    assert load_into_database(content_dir)["deleted"] == 1
    assert list(Procedure.objects.values_list("slug", flat=True)) == ["demo"]
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_loaded_definition_compiles_like_the_file(content_dir):
    load_into_database(content_dir)
    stored = Procedure.objects.get().definition
    assert stored == read_directory(content_dir).procedures["demo"]
    assert stored["fees"][1]["amount"] == "12.50"


def test_the_documented_example_is_valid(tmp_path, settings):
    readme = (settings.PROCEDURES_DIR / "README.md").read_text()
    example, offices = [block.split("```", 1)[0] for block in readme.split("```yaml\n")[1:3]]
    (tmp_path / "exemple.yaml").write_text(example)
    (tmp_path / "_offices.yaml").write_text(offices)
    content = read_directory(tmp_path)
    assert [str(p) for p in content.problems] == []
    assert content.path_counts == {"exemple": 3}


def test_result_presentation_keys_are_checked_with_their_line(content_dir):
    """An unknown section, an answer without its source, a link without a label: each reported
    with its line; then, on a file otherwise valid, two `key: true` lines on one path."""
    demo = (GOOD / "demo.yaml").read_text().replace("slug: demo", "slug: presentation")
    text = demo.replace("outcomes:\n", "sections:\n  - id: etapes\noutcomes:\n", 1)
    text = text.replace("    title: À l'étranger\n", "    title: À l'étranger\n    kind: answer\n")
    text = text.replace(
        "    text: Timbre\n", "    text: Timbre\n    link: {url: https://example.org}\n"
    )
    (content_dir / "presentation.yaml").write_text(text)
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    found = {p.reason: p.line for p in read_directory(content_dir).problems}

    def line_for(words: str) -> int:
        return next(line for reason, line in found.items() if words in reason)

    assert line_for("section 'etapes' inconnue") == line_of("- id: etapes")
    assert line_for("une issue-réponse donne sa réponse dans summary, avec sa source") == (
        line_of("- id: a-l-etranger")
    )
    assert line_for("link attend url et label") == line_of("link:")
    text = demo.replace("    text: Passeport\n", "    text: Passeport\n    key: true\n")
    text = text.replace("    text: Timbre\n", "    text: Timbre\n    key: true\n")
    (content_dir / "presentation.yaml").write_text(text)
    reasons = [p.reason for p in read_directory(content_dir).problems]
    assert any("plusieurs key: true (passeport, timbre)" in r for r in reasons), reasons
