"""The PDF of a result in French and bilingual (English + French, Arabic + French), in a warm
process, through Django's full request cycle and the PDF worker pool.

    GUIDE_DEBUG=1 uv run python bench/bench_pdf_languages.py [renders, default 20]

The result is the longest path of the attestation d'accueil (the procedure translated into both
languages) and the longest result of all (English only, Arabic having no translation of it yet).
Prints the median and p95 in milliseconds, the ratio to French and the size of each PDF.
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
os.environ["GUIDE_LANGUAGES"] = "en,ar"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from guide import state  # noqa: E402
from guide.loader import load_into_database, read_directory  # noqa: E402


def longest(procedures, slugs):
    best = None
    for slug in slugs:
        procedure = procedures[slug]
        for answers in procedure.paths():
            size = sum(1 for _ in procedure.result(answers).lines())
            if best is None or size > best[0]:
                best = (size, slug, answers)
    return best


def measure(client, url, runs):
    client.get(url)  # warm-up
    timings, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)], size


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    call_command("migrate", verbosity=0)
    load_into_database(settings.PROCEDURES_DIR)
    procedures = read_directory(settings.PROCEDURES_DIR).compile()
    client = Client(HTTP_HOST="localhost")
    cases = [
        ("attestation d'accueil", longest(procedures, ["attestation-accueil"]), ["", "en", "ar"]),
        ("longest result", longest(procedures, procedures), ["", "en"]),
    ]
    for label, (lines, slug, answers), languages in cases:
        token = state.dump(slug, answers)
        french = None
        for language in languages:
            prefix = f"/{language}" if language else ""
            url = f"{prefix}/demarche/{slug}/resultat.pdf?s={token}"
            median, p95, size = measure(client, url, runs)
            french = french or median
            print(
                f"{label} ({lines} lines) {language or 'fr':>2}: median {median:6.0f} ms, "
                f"p95 {p95:6.0f} ms, {median / french:4.2f}× French, {size / 1024:5.0f} KiB"
            )


if __name__ == "__main__":
    main()
