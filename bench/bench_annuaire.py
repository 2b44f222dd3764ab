"""Import of a full-size synthetic DILA export: time and peak memory.

    GUIDE_DEBUG=1 uv run python bench/bench_annuaire.py [records, default 60000]

Writes N records in the DILA bulk format (a quarter of them of the types we import, like the real
file), imports them into a throw-away SQLite database, and prints the time and the peak RSS.
"""

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guide.settings")
os.environ["GUIDE_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from guide import annuaire  # noqa: E402

TYPES = ["mairie", "caf", "gendarmerie", "cpam", "sip", "ccas", "prefecture", "france_services"]


def write_export(path: Path, count: int) -> None:
    template = json.loads(
        (
            Path(__file__).resolve().parent.parent
            / "fixtures"
            / "annuaire"
            / "2026-09-12_003346-data.gouv_local.json"
        ).read_text()
    )["service"][1]
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"service": [\n')
        for index in range(count):
            record = dict(
                template,
                id=f"bench-{index:06d}",
                nom=f"Service {index}",
                ancien_code_pivot=f"x-{index}",
            )
            record["pivot"] = [
                {
                    "type_service_local": TYPES[index % len(TYPES)],
                    "code_insee_commune": [f"{index % 90000:05d}"],
                }
            ]
            out.write(("," if index else "") + json.dumps(record, ensure_ascii=False) + "\n")
        out.write("]}\n")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2026-11-01_000000-data.gouv_local.json"
        write_export(path, count)
        size = path.stat().st_size / 2**20
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        counts = annuaire.import_files(path)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{count} records ({size:.0f} MiB) → {counts['offices']} offices imported in {elapsed:.1f} s"
    )
    print(f"peak RSS {peak:.0f} MiB (before the import: {before:.0f} MiB)")


if __name__ == "__main__":
    main()
