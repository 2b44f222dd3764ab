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


def compare(*cases, rounds=10):
    """Like `measure`, for cases timed in alternating rounds."""
    timings = {label: [] for label, _ in cases}
    for _label, request in cases:
        request()  # warm-up
    for _ in range(rounds):
        for label, request in cases:
            for _ in range(RUNS // rounds):
                start = time.perf_counter()
                assert request().status_code == 200, label
                timings[label].append((time.perf_counter() - start) * 1000)
    for label, values in timings.items():
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"{label:<28} median {statistics.median(values):6.2f} ms   p95 {p95:6.2f} ms   ({len(values)} runs)"
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
    result = f"/demarche/{SLUG}/resultat/"
    measure("GET result", lambda: client.get(result, {"s": full}))
    # Anonymous statistics (on in the demo): the result reached from the summary (`vu=1`) counts.
    # Interleaved rounds, since the machine's speed drifts.
    compare(
        ("GET result (htmx)", lambda: client.get(result, {"s": full}, headers=htmx)),
        (
            "GET result, counted (htmx)",
            lambda: client.get(result, {"s": full, "vu": "1"}, headers=htmx),
        ),
    )
    # At the counter: one ended-visit lookup, the short code written (the same one each time).
    with state.mode(state.COUNTER):
        at_counter = state.dump(SLUG, samples.STOLEN_IN_CAVAILLON)
    measure("GET result at the counter", lambda: client.get(f"/guichet{result}", {"s": at_counter}))


if __name__ == "__main__":
    main()
