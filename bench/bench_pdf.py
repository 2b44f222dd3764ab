"""PDF rendering speed, size and memory, in a warm process.

    GUIDE_DEBUG=1 uv run python bench/bench_pdf.py [renders, default 30] [memory renders, default 500]

Renders the reference checklist (the longest result among all procedures and paths), a one-line
HTML document, and the reference result cut to one line (same template: header, situation, QR
code, sources, footer) through the same worker pool, stylesheet and fonts; prints median and p95
of each, the ratios, the PDF size, and the RSS of the web process and of the workers every 100
renders (workers are replaced after guide.pdf.RENDERS_PER_WORKER renders).
"""

import dataclasses
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guide.settings")
os.environ["GUIDE_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")

import django

django.setup()

import segno  # noqa: E402 (after django.setup)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from guide import commune, engine, pdf, pdf_worker, places, state  # noqa: E402
from guide.loader import read_directory  # noqa: E402


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def longest_result():
    best = None
    for procedure in read_directory(settings.PROCEDURES_DIR).compile().values():
        for answers in procedure.paths():
            result = procedure.result(answers)
            size = sum(1 for _ in result.lines())
            if best is None or size > best[0]:
                best = (size, procedure, answers, result)
    return best


def context_for(procedure, answers, result) -> dict:
    token, _ = state.dump_link(procedure, answers)
    link = f"https://guide.example/r/{procedure.slug}/{token}/"
    return {
        "procedure": procedure,
        "result": result,
        "situation": [r for r in result.answers if not r.question.sensitive],
        "produced": timezone.now(),
        "link_url": link,
        "link_expires": timezone.now(),
        "qr_data_uri": segno.make(link, error="m").svg_data_uri(scale=4, border=2),
        "commune": commune.get(),
        "paper": True,
        "office_lines": places.office_lines(result),
        "home_mairie": None,
        "attribution": "",
    }


ONE_LINE = (
    '<html lang="fr"><head><title>Une ligne</title></head><body><p>Une ligne.</p></body></html>'
)


def one_line_result(result):
    """The reference result cut to one checklist line: the same page furniture, one line of content."""
    return dataclasses.replace(
        result,
        documents=result.documents[:1],
        steps=(),
        offices=(),
        fees=engine.Fees((), Decimal("0.00")),
        deadlines=(),
        appeals=(),
        notes=(),
        sources=(result.documents[0].item.source,),
    )


def one_line() -> bytes:
    """The same path as a real PDF (worker pool, same stylesheet and fonts), for one line of text."""
    return pdf._pool().submit(pdf_worker.render, ONE_LINE).result()


def worker_rss_mib() -> list[float]:
    sizes = []
    for pid in list(pdf._pool()._processes):
        try:
            with open(f"/proc/{pid}/statm") as handle:
                sizes.append(int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20)
        except OSError:
            pass
    return sizes


def timed(function, runs: int) -> tuple[list[float], bytes]:
    function()  # warm-up
    timings, output = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        output = function()
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings), output


def p95(values: list[float]) -> float:
    return values[max(0, int(len(values) * 0.95) - 1)]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    memory_runs = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    call_command("migrate", verbosity=0)  # a throw-away database: no directory imported
    size, procedure, answers, result = longest_result()
    context = context_for(procedure, answers, result)
    short = context_for(procedure, answers, one_line_result(result))
    pdf.warm_up()
    checklist, document = timed(lambda: pdf.render(context), runs)
    line, _ = timed(one_line, runs)
    short_result, short_document = timed(lambda: pdf.render(short), runs)
    print(f"reference checklist: {procedure.slug}, {size} lines, {len(document) / 1024:.1f} KiB")
    print(
        f"  checklist median {statistics.median(checklist):6.1f} ms   p95 {p95(checklist):6.1f} ms   ({runs} renders)"
    )
    print(
        f"  one line  median {statistics.median(line):6.1f} ms   p95 {p95(line):6.1f} ms   ({runs} renders)"
    )
    print(f"  ratio of medians {statistics.median(checklist) / statistics.median(line):.2f}")
    print(
        f"  one-line result (same template: header, situation, QR, sources, footer; "
        f"{len(short_document) / 1024:.1f} KiB) median {statistics.median(short_result):6.1f} ms   "
        f"p95 {p95(short_result):6.1f} ms; ratio {statistics.median(checklist) / statistics.median(short_result):.2f}"
    )
    for index in range(1, memory_runs + 1):
        pdf.render(context)
        if index % 100 == 0 or index == memory_runs:
            workers = ", ".join(f"{size:.0f}" for size in worker_rss_mib())
            print(
                f"  after {index} renders: web process RSS {rss_mib():.1f} MiB; worker RSS {workers} MiB"
            )


if __name__ == "__main__":
    main()
