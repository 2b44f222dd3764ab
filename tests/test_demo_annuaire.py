"""The demo's directory extract (fixtures/annuaire-demo/): REAL DILA records, not test data.

These tests check the real records and how they are built; the tests that need made-up cases
(junk values, Paris arrondissements…) use fixtures/annuaire/ instead.
"""

import html
import importlib.util
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from guide import places, registry, state

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "annuaire-demo"
LOCAL = DEMO / "2026-10-06_190201-data.gouv_local.json"
COMMUNES = DEMO / "2026-10-06_190201-data.gouv_commune.zip"
SHARED = ROOT.parent / "shared" / "data" / "annuaire-lmv"
# The demo intercommunality's 16 communes (../shared/data/annuaire-lmv/README.md).
LMV = {
    "84013": "Les Beaumettes",
    "84025": "Cabrières-d'Avignon",
    "84035": "Cavaillon",
    "84038": "Cheval-Blanc",
    "84050": "Gordes",
    "84062": "Lagnes",
    "84065": "Lauris",
    "84068": "Lourmarin",
    "84071": "Maubec",
    "84074": "Mérindol",
    "84086": "Oppède",
    "84093": "Puget-sur-Durance",
    "84095": "Puyvert",
    "84099": "Robion",
    "84131": "Les Taillades",
    "84140": "Vaugines",
}
HOSTING = {
    "visiteur": "non_europeen",
    "sejour": "oui",
    "dispense": "aucun",
    "hebergeant": "autre",
    "mineur": "non",
}


def builder():
    spec = importlib.util.spec_from_file_location("build", ROOT / "scripts/build_demo_annuaire.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_extract_is_exactly_what_the_script_makes_of_the_shared_records(tmp_path):
    assert SHARED.is_dir(), f"{SHARED} is missing: CI puts ../shared beside the clone"
    build = builder()
    for path in build.build(SHARED, tmp_path):
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), path.name
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    for path in [*(SHARED / name for name in build.INPUTS), LOCAL, COMMUNES]:
        assert build.sha256(path) in readme, f"README: checksum of {path.name}"


def test_every_value_of_the_real_records_is_kept_under_dila_s_key():
    lines = (SHARED / "mairies-lmv.frontiere.jsonl").read_text(encoding="utf-8").splitlines()
    shared = [json.loads(line) for line in lines]
    demo = {r["id"]: r for r in json.loads(LOCAL.read_text(encoding="utf-8"))["service"]}
    assert len(demo) == 17  # 16 mairies and the préfecture
    for record in shared:
        out = demo[record["identifiants"]["dila_local_id"]]
        local = record["donnees_annuaire_local"]
        assert out["nom"] == record["nom_officiel"]
        assert out["date_modification"] == local["dates_source"]["modification"]
        assert out["plage_ouverture"] == local.get("plage_ouverture", [])
        phones = [c["valeur"] for c in record["coordonnees"] if c["type"] == "TELEPHONE"]
        assert [p["valeur"] for p in out["telephone"]] == phones
        streets = [c["numero_voie"] for c in record["coordonnees"] if c["type"] == "ADRESSE"]
        assert [a["numero_voie"] for a in out["adresse"]] == streets


def test_a_resident_of_each_of_the_16_communes_sees_their_real_mairie_with_its_hours(client):
    call_command("load_procedures", verbosity=0)
    registry.clear()
    call_command(
        "import_annuaire", "--demo", "--file", str(LOCAL), "--communes", str(COMMUNES), verbosity=0
    )
    places.clear()
    for insee, name in LMV.items():
        token = state.dump("attestation-accueil", {**HOSTING, "commune": insee})
        page = client.get("/demarche/attestation-accueil/resultat/", {"s": token})
        text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())))
        assert f"Mairie - {name}" in text, insee
        assert "Horaires" in text, insee
        assert "Préfecture - Vaucluse" in text, insee
        assert "2 avenue de la Folie, 84000 Avignon" in text, insee


def test_the_demo_never_replaces_a_directory_already_imported(capsys):
    from tests.test_annuaire import COMMUNES as TEST_COMMUNES
    from tests.test_annuaire import LOCAL as TEST_LOCAL

    call_command("import_annuaire", "--file", str(TEST_LOCAL), "--communes", str(TEST_COMMUNES))
    call_command("import_annuaire", "--demo", "--file", str(LOCAL), "--communes", str(COMMUNES))
    assert "n'est pas importé" in capsys.readouterr().out
    from guide.models import Office

    assert not Office.objects.filter(name="Mairie - Cavaillon").exists()
