"""Import of DILA's directory, on the committed fixture in the exact DILA format (no network)."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from guide import annuaire
from guide.models import Competence, ImportRun, Office

pytestmark = pytest.mark.django_db
FIXTURES = annuaire.Path(__file__).resolve().parent.parent / "fixtures" / "annuaire"
LOCAL = FIXTURES / "2026-09-12_003346-data.gouv_local.json"
COMMUNES = FIXTURES / "2026-09-12_003346-data.gouv_commune.zip"


def import_fixture():
    return annuaire.import_files(LOCAL, COMMUNES)


def test_import_keeps_only_the_types_we_use():
    counts = import_fixture()
    assert counts["records"] == 14
    assert counts["offices"] == 13
    assert counts["by_kind"] == {
        "mairie": 6,
        "prefecture": 3,
        "sous_prefecture": 1,
        "tribunal_judiciaire": 1,
        "commissariat": 1,
        "gendarmerie": 1,
    }
    assert not Office.objects.filter(name__contains="allocations").exists()


def test_real_record_is_read_as_published():
    import_fixture()
    office = Office.objects.get(id="00007e4d-264c-43a0-b0b7-7f3b7dd995ab")
    assert office.kind == "mairie"
    assert office.address == "3 rue du Général-Roux"
    assert (office.postcode, office.city) == ("77590", "Fontaine-le-Port")
    assert office.phones == [{"value": "01 64 38 30 52", "description": ""}]
    assert office.websites == ["http://www.ville-fontaineleport.fr"]
    assert office.hours == [
        "Mardi\u202f: 09:00–12:00, 18:00–19:00 (Accueil ouvert uniquement hors vacances scolaires l'après-midi.)"
    ]
    assert office.latitude == pytest.approx(48.4868, abs=1e-3)
    assert office.url_service_public.endswith("00007e4d-264c-43a0-b0b7-7f3b7dd995ab")


def test_junk_values_are_cleaned():
    import_fixture()
    mairie = Office.objects.get(id="test-0001-mairie-carpentras")
    assert mairie.phones == []  # "f"
    assert mairie.emails == [
        "accueil@example.invalid",
        "etat-civil@example.invalid",
    ]  # two in one string
    assert Office.objects.get(id="test-0003-prefecture-vaucluse").phones == []  # ""
    assert Office.objects.get(id="test-0012-mairie-saint-denis-974").hours == [
        "Lundi\u202f: 07:30–16:00"
    ]


def test_competences_follow_the_commune_files():
    import_fixture()
    mairies = Competence.objects.filter(commune_insee="01015", kind="mairie").order_by("rank")
    assert [c.office_id for c in mairies] == [
        "test-0008-mairie-deleguee-arbignieu",
        "test-0007-mairie-arboys",
    ]
    paris = Competence.objects.get(commune_insee="75101", kind="prefecture")
    assert paris.office.dila_types == ["paris_ppp"]
    assert Competence.objects.filter(commune_insee="84031").count() == 5  # the CAF is left out


def test_reimport_is_idempotent_and_records_each_run():
    import_fixture()
    before = list(Office.objects.order_by("id").values_list("id", "name", "phones"))
    counts = import_fixture()
    assert counts["removed"] == 0
    assert list(Office.objects.order_by("id").values_list("id", "name", "phones")) == before
    assert Competence.objects.count() == 12
    run = ImportRun.objects.latest("started_at")
    assert (ImportRun.objects.count(), run.file_name, str(run.file_date)) == (
        2,
        LOCAL.name,
        "2026-09-12",
    )
    assert run.counts["offices"] == 13
    assert run.finished_at is not None


def test_offices_that_left_the_file_are_removed(tmp_path):
    import_fixture()
    data = json.loads(LOCAL.read_text())
    data["service"] = [r for r in data["service"] if r["id"] != "test-0005-commissariat-carpentras"]
    smaller = tmp_path / "2026-10-01_000000-data.gouv_local.json"
    smaller.write_text(json.dumps(data))
    assert annuaire.import_files(smaller)["removed"] == 1
    assert not Competence.objects.filter(kind="commissariat").exists()


def test_a_bare_list_and_small_reads_give_the_same_records(tmp_path, monkeypatch):
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(json.loads(LOCAL.read_text())["service"]))
    monkeypatch.setattr(annuaire, "CHUNK", 97)  # forces a refill in the middle of most records
    assert [r["id"] for r in annuaire.iter_records(bare)] == [
        r["id"] for r in annuaire.iter_records(LOCAL)
    ]
    assert len(list(annuaire.iter_records(bare))) == 14


def test_api_shaped_records_with_json_strings_are_read():
    record = json.loads(LOCAL.read_text())["service"][1]
    for key in ("pivot", "adresse", "telephone", "site_internet", "plage_ouverture"):
        record[key] = json.dumps(record[key])
    record["adresse_courriel"] = "accueil@example.invalid"
    fields = annuaire.office_fields(record)
    assert fields["kind"] == "mairie"
    assert fields["emails"] == ["accueil@example.invalid"]
    assert fields["hours"] == ["Lundi – Vendredi\u202f: 08:30–12:00, 13:30–17:00"]


def test_a_broken_file_changes_nothing(tmp_path):
    import_fixture()
    before = Office.objects.count(), ImportRun.objects.count()
    broken = tmp_path / "broken.json"
    broken.write_text(LOCAL.read_text()[:5000])
    with pytest.raises(json.JSONDecodeError):
        annuaire.import_files(broken)
    assert (Office.objects.count(), ImportRun.objects.count()) == before


def test_command_reports_counts(capsys):
    call_command("import_annuaire", file=LOCAL, communes=COMMUNES)
    assert "13 services importés" in capsys.readouterr().out


def test_command_refuses_a_missing_or_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_annuaire", file=tmp_path / "absent.json")
    shutil.copy(LOCAL, tmp_path / "x.json")
    (tmp_path / "x.json").write_text("pas du json")
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_annuaire", file=tmp_path / "x.json")


def test_the_published_archive_is_read_directly(tmp_path):
    """all_latest.tar.bz2 holds both files under a folder; the command reads them from it."""
    import tarfile

    archive = tmp_path / "all_latest.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        tar.add(LOCAL, arcname=f"all/{LOCAL.name}")
        tar.add(COMMUNES, arcname=f"all/{COMMUNES.name}")
    call_command("import_annuaire", "--file", str(archive))
    run = ImportRun.objects.get()
    assert run.file_name == LOCAL.name
    assert str(run.file_date) == "2026-09-12"
    assert Office.objects.count() == 13
    assert Competence.objects.filter(commune_insee="84031").count() == 5
    assert Office.objects.get(id="test-0003-prefecture-vaucluse").departement == "84"
    assert Office.objects.get(id="test-0013-prefecture-reunion").departement == "974"


def test_an_archive_without_the_local_file_changes_nothing(tmp_path):
    import tarfile

    archive = tmp_path / "all_latest.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        tar.add(COMMUNES, arcname=COMMUNES.name)
    with pytest.raises(CommandError, match=r"pas de fichier …_local\.json"):
        call_command("import_annuaire", "--file", str(archive))
    assert not ImportRun.objects.exists()
