"""Commune search speed, in memory, warm process.

GUIDE_DEBUG=1 uv run python bench/bench_communes.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guide.settings")

import django

django.setup()

from guide import communes  # noqa: E402

QUERIES = [
    "84200",
    "84210",
    "75001",
    "971",
    "Carpentras",
    "pernes",
    "saint",
    "sur la sorgue",
    "Marseille 1",
    "zzz",
]


def main() -> None:
    start = time.perf_counter()
    directory = communes.directory()
    print(
        f"load: {(time.perf_counter() - start) * 1000:.0f} ms for {len(directory.communes)} communes"
    )
    timings = []
    for _ in range(50):
        for query in QUERIES:
            start = time.perf_counter()
            directory.search(query)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"search: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms ({len(timings)} queries)"
    )


if __name__ == "__main__":
    main()
