"""Offices the deployment knows better than the directory (`local_offices` in the commune file):
checked at start with every problem named, shown with their own source, in place of the
directory's for their communes. Made-up offices (test data)."""

import html
import json
import re
from pathlib import Path

import pytest
from django.core.checks import run_checks

from guide import commune, places, state

pytestmark = pytest.mark.django_db
THEFT = {"evenement": "vole", "statut": "autre", "lieu": "france", "carte": "retraite"}
POLICE = {
    "kind": "police",
    "name": "Police municipale de test (fiche de test)",
    "address": "1 place de l'Essai, 84300 Cavaillon",
    "phone": "04 00 00 00 00",
    "hours": ["Lundi – Vendredi : 08:00–18:00"],
    "communes": ["84035"],
    "source": {"title": "Arrêté municipal de test", "url": "https://example.org/arrete"},
    "verified": "2026-11-20",
}


@pytest.fixture
def commune_file(settings, tmp_path):
    """Write a commune file: the demo's, with `local_offices` set."""
    original = settings.COMMUNE_FILE
    data = json.loads(Path(original).read_text(encoding="utf-8"))

    def write(offices):
        path = tmp_path / "commune.json"
        path.write_text(json.dumps({**data, "local_offices": offices}), encoding="utf-8")
        settings.COMMUNE_FILE = path
        commune.get.cache_clear()
        places.clear()

    yield write
    settings.COMMUNE_FILE = original
    commune.get.cache_clear()
    places.clear()


def text_of(client, slug, answers) -> str:
    page = client.get(f"/demarche/{slug}/resultat/", {"s": state.dump(slug, answers)})
    assert page.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())))


def test_a_local_office_replaces_the_directory_for_its_communes_with_its_source(
    client, loaded, commune_file
):
    commune_file([POLICE])
    assert all(m.id != "guide.E001" for m in run_checks())
    cavaillon = text_of(client, "titre-sejour-perdu-vole", {**THEFT, "commune": "84035"})
    assert "Police municipale de test (fiche de test)" in cavaillon
    assert "1 place de l'Essai, 84300 Cavaillon" in cavaillon
    assert "Source : Arrêté municipal de test , vérifiée le 20/11/2026" in cavaillon  # a link
    assert "Trouver le commissariat" not in cavaillon  # the office is known: no search link
    assert "DILA" not in cavaillon  # no directory credit for the commune's own data
    robion = text_of(client, "titre-sejour-perdu-vole", {**THEFT, "commune": "84099"})
    assert "Police municipale de test" not in robion  # only for the communes it serves


def test_a_wrong_local_office_is_refused_at_start_with_every_problem(commune_file):
    commune_file(
        [
            {**POLICE, "kind": "commissariat", "communes": ["Cavaillon"], "verified": "demain"},
            {"name": "Sans rien"},
        ]
    )
    messages = [m.msg for m in run_checks() if m.id == "guide.E001"]
    text = " | ".join(messages)
    assert (
        "local_offices n° 1 (Police municipale de test (fiche de test)) : kind 'commissariat' inconnu"
        in text
    )
    assert "communes est une liste de codes INSEE" in text
    assert "verified doit être une date AAAA-MM-JJ" in text
    for key in ("communes", "kind", "source", "verified"):
        assert f"local_offices n° 2 (Sans rien) : {key} manquant" in text
    assert commune.get()["local_offices"] == []  # none used while the file is wrong
