"""Wizard step and result latency, in a warm process, through Django's full request cycle.

    GUIDE_DEBUG=1 uv run python bench/bench_step.py

Uses a throw-away SQLite database; prints median and p95 in milliseconds.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guide.settings")
os.environ["GUIDE_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
os.environ["GUIDE_PROCEDURES_RECHECK_SECONDS"] = "5"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from guide import samples, state  # noqa: E402
from guide.loader import load_into_database  # noqa: E402

RUNS = 500
SLUG = "titre-sejour-perdu-vole"


def measure(label, request):
    request()  # warm-up
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = request()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == (
            302 if label.endswith(("(redirect)", "(postcode)")) else 200
        ), (
            label,
            response.status_code,
        )
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{label:<28} median {statistics.median(timings):6.2f} ms   p95 {p95:6.2f} ms   ({RUNS} runs)"
    )


def main():
    call_command("migrate", verbosity=0)
    load_into_database(settings.PROCEDURES_DIR)
    client = Client(HTTP_HOST="localhost")
    step = f"/demarche/{SLUG}/"
    middle = state.dump(SLUG, {"evenement": "vole", "statut": "autre", "lieu": "france"})
    ask_commune = state.dump(SLUG, samples.BEFORE_COMMUNE)
    full = state.dump(SLUG, samples.STOLEN_IN_CAVAILLON)
    measure("GET question (4th)", lambda: client.get(step, {"s": middle}))
    measure("POST answer (redirect)", lambda: client.post(step, {"s": middle, "answer": "un_an"}))
    htmx = {"HX-Request": "true", "HX-Target": "contenu"}
    measure(
        "POST answer (htmx swap)",
        lambda: client.post(step, {"s": middle, "answer": "un_an"}, headers=htmx),
    )
    measure("GET commune question", lambda: client.get(step, {"s": ask_commune}))
    measure("POST commune (postcode)", lambda: client.post(step, {"s": ask_commune, "q": "84200"}))
    measure(
        "POST commune suggestions",
        lambda: client.post("/communes/suggestions/", {"q": "84"}, headers=htmx),
    )
    measure("GET summary", lambda: client.get(f"/demarche/{SLUG}/recapitulatif/", {"s": full}))
    measure("GET result", lambda: client.get(f"/demarche/{SLUG}/resultat/", {"s": full}))


if __name__ == "__main__":
    main()
