"""Build fixtures/communes.csv.gz and fixtures/departements.csv from @etalab/decoupage-administratif.

    uv run python scripts/build_communes.py [version, default 6.0.0]

Downloads the npm package with `npm pack` into a temporary folder (npm is needed here only, never
at run time), and keeps, for every commune (current, delegated, associated, and the municipal
arrondissements of Paris, Lyon and Marseille): INSEE code, name, département and région codes as
the data gives them (2A/2B, 971–976: never derived from the code), type, parent commune, postcodes.
Data: INSEE COG, DGCL, La Poste, via Etalab, Licence Ouverte 2.0 (see fixtures/NOTICE-communes.md).
"""

import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPES = {
    "commune-actuelle": "actuelle",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else "6.0.0"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"@etalab/decoupage-administratif@{version}", "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        archive = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(archive) as tar:
            communes = json.load(tar.extractfile("package/data/communes.json"))
            departements = json.load(tar.extractfile("package/data/departements.json"))
    rows = []
    for commune in communes:
        rows.append(
            [
                commune["code"],
                commune["nom"],
                commune.get("departement", ""),
                commune.get("region", ""),
                TYPES[commune["type"]],
                commune.get("chefLieu") or commune.get("commune") or "",
                "|".join(commune.get("codesPostaux", [])),
            ]
        )
    rows.sort(key=lambda row: (row[0], row[4] != "actuelle", row[1]))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["code", "nom", "departement", "region", "type", "parent", "codes_postaux"])
    writer.writerows(rows)
    # mtime=0: the same data always gives the same bytes, so a re-run changes nothing in git.
    with (
        open(ROOT / "fixtures" / "communes.csv.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out,
    ):
        out.write(text.getvalue().encode("utf-8"))
    with open(ROOT / "fixtures" / "departements.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "nom", "region"])
        writer.writerows(sorted([d["code"], d["nom"], d["region"]] for d in departements))
    print(
        f"{len(rows)} communes, {len(departements)} départements (decoupage-administratif {version})"
    )


if __name__ == "__main__":
    main()
