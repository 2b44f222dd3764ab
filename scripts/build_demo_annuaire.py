"""Build the demo's directory extract, in DILA's export format, from the real records in
../shared/data/annuaire-lmv/ (see its README for where each file comes from).

    uv run python scripts/build_demo_annuaire.py [shared folder] [output folder]

Defaults: ../shared/data/annuaire-lmv and fixtures/annuaire-demo. Writes
`2026-10-06_190201-data.gouv_local.json` (the 16 mairies and the préfecture, as DILA's
`…-data.gouv_local.json` has them) and `2026-10-06_190201-data.gouv_commune.zip` (each mairie
competent for the commune its DILA pivot names), then checks its inputs against the checksums
in the output's README. Every value is copied as it is; nothing is filled in. The same inputs
always give the same bytes (tests/test_demo_annuaire.py checks the committed extract).
"""

import hashlib
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "annuaire-lmv"
OUTPUT = ROOT / "fixtures" / "annuaire-demo"
# The republisher collected DILA's export on 2026-10-06 at 19:02:01 (`observe_le`): the file's date.
STEM = "2026-10-06_190201-data.gouv"
INPUTS = ("mairies-lmv.frontiere.jsonl", "prefecture-vaucluse.2026-08-19.json")
# The préfecture's record was quoted without its DILA id: this key is ours, and says so.
PREFECTURE_ID = "demo-sans-id-dila-prefecture-vaucluse"

# The republisher's `coordonnees[].type` → DILA's list.
COORDINATES = {
    "TELEPHONE": "telephone",
    "TELECOPIE": "telecopie",
    "COURRIEL": "adresse_courriel",
    "SITE_INTERNET": "site_internet",
}
# DILA's inner keys of an address, in the export's order (only those the record has are kept).
ADDRESS_KEYS = (
    "type_adresse",
    "numero_voie",
    "complement1",
    "complement2",
    "service_distribution",
    "code_postal",
    "nom_commune",
    "pays",
    "longitude",
    "latitude",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dila_record(record: dict) -> dict:
    """A record of mairies-lmv.frontiere.jsonl back in DILA's shape (mapping: the shared README)."""
    local = record["donnees_annuaire_local"]
    ids = record["identifiants"]
    out: dict = {
        "id": ids["dila_local_id"],
        "ancien_code_pivot": local["ancien_code_pivot"],
        "nom": record["nom_officiel"],
        "pivot": local["pivot"],
        # DILA's export repeats the pivot's commune at the top level; the republisher kept only
        # the pivot's copy.
        "code_insee_commune": local["pivot"][0]["code_insee_commune"][0],
        "categorie": local["categorie"],
        "adresse": [],
        "telephone": [],
        "telecopie": [],
        "adresse_courriel": [],
        "site_internet": [],
    }
    for entry in record["coordonnees"]:
        kind = entry["type"]
        if kind == "ADRESSE":
            out["adresse"].append({key: entry[key] for key in ADDRESS_KEYS if key in entry})
        elif kind == "TELEPHONE":
            out["telephone"].append(
                {"valeur": entry["valeur"], "description": entry.get("description", "")}
            )
        elif kind == "SITE_INTERNET":
            out["site_internet"].append(
                {"libelle": entry.get("libelle", ""), "valeur": entry["valeur"]}
            )
        elif kind in COORDINATES:
            out[COORDINATES[kind]].append(entry["valeur"])
        # RESEAU_SOCIAL: not in DILA's local export format; left out.
    out["plage_ouverture"] = local.get("plage_ouverture", [])
    if "commentaire_plage_ouverture" in local:
        out["commentaire_plage_ouverture"] = local["commentaire_plage_ouverture"]
    for key in ("siret", "siren", "itm_identifiant"):
        if key in ids:
            out[key] = ids[key]
    out["url_service_public"] = local["url_service_public"]
    out["date_creation"] = local["dates_source"]["creation"]
    out["date_modification"] = local["dates_source"]["modification"]
    return out


def prefecture_record(quoted: dict) -> dict:
    """The préfecture as DILA's API gave it on 2026-08-19: name, commune, SIREN, two addresses;
    no phone, no hours, no id, no change date were quoted, so none is given."""
    return {
        "id": PREFECTURE_ID,
        "nom": quoted["nom"],
        "pivot": [
            {
                "type_service_local": "prefecture",
                "code_insee_commune": [quoted["code_insee_commune"]],
            }
        ],
        "code_insee_commune": quoted["code_insee_commune"],
        "adresse": quoted["adresse"],
        "siren": quoted["siren"],
    }


def competences(records: list[dict]) -> dict[str, list[dict]]:
    """Per commune, the mairie DILA's pivot names for it (the competence files are not
    republished; for a mairie the pivot says the same)."""
    by_commune: dict[str, list[dict]] = {}
    for record in records:
        for pivot in record["pivot"]:
            if pivot["type_service_local"] != "mairie":
                continue
            for insee in pivot["code_insee_commune"]:
                by_commune.setdefault(insee, []).append(
                    {"code_type_service_local": "mairie", "organisme": [record["id"]]}
                )
    return by_commune


def build(shared: Path = SHARED, output: Path = OUTPUT) -> list[Path]:
    mairies = [
        dila_record(json.loads(line))
        for line in (shared / INPUTS[0]).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    mairies.sort(key=lambda record: record["code_insee_commune"])
    quoted = json.loads((shared / INPUTS[1]).read_text(encoding="utf-8"))
    records = [*mairies, prefecture_record(quoted)]
    output.mkdir(parents=True, exist_ok=True)
    local = output / f"{STEM}_local.json"
    local.write_text(
        json.dumps({"service": records}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    zipped = output / f"{STEM}_commune.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        for insee, entries in sorted(competences(mairies).items()):
            info = zipfile.ZipInfo(f"{insee}.json", date_time=(2026, 10, 6, 19, 2, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = {"code_insee_commune": insee, "type_service_local": entries}
            archive.writestr(info, json.dumps(data, ensure_ascii=False))
    return [local, zipped]


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else OUTPUT
    for path in build(shared, output):
        print(f"{path.relative_to(output.parent)}  sha256 {sha256(path)}")
    for name in INPUTS:
        print(f"input {name}  sha256 {sha256(shared / name)}")


if __name__ == "__main__":
    main()
