"""The result as an A4 PDF: Django renders the HTML, a pool of worker processes runs WeasyPrint.

The HTML comes from the result page's partials (templates/guide/result_pdf.html). Rendering a PDF
is CPU-bound for ~250 ms; doing it in worker processes keeps it off the web process's GIL, so a
burst of PDFs cannot slow wizard steps, and recycling workers bounds WeasyPrint's native memory
growth. At most PDF_CONCURRENCY renders run at once; a request that cannot get a slot within
PDF_WAIT_SECONDS gets Busy (a 503). Nothing is cached: a PDF describes a personal situation.
"""

from __future__ import annotations

import functools
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from guide import pdf_worker

STYLESHEET = "guide/css/pdf.css"
RENDERS_PER_WORKER = 200
_slots = threading.BoundedSemaphore(settings.PDF_CONCURRENCY)


class Busy(Exception):
    """Every PDF slot of this process is taken."""


def static_files() -> dict[str, str]:
    """Every static file by its path under STATIC_URL: the only files a PDF may use."""
    files: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            files.setdefault(path.replace("\\", "/"), storage.path(path))
    return files


@functools.cache
def _pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=settings.PDF_CONCURRENCY,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=pdf_worker.load,
        initargs=(static_files(), STYLESHEET),
        max_tasks_per_child=RENDERS_PER_WORKER,
    )


def warm_up() -> None:
    """Start the workers (fonts and stylesheet loaded) before the first visitor asks for a PDF."""
    futures = [
        _pool().submit(pdf_worker.render, "<html lang='fr'><title>.</title><p>.</p></html>")
        for _ in range(settings.PDF_CONCURRENCY)
    ]
    for future in futures:
        future.result()


def render(context: dict, request=None) -> bytes:
    """The PDF bytes of `guide/result_pdf.html` with this context; raises Busy if no slot frees up."""
    if not _slots.acquire(timeout=settings.PDF_WAIT_SECONDS):
        raise Busy
    try:
        html = render_to_string("guide/result_pdf.html", context, request)
        return _pool().submit(pdf_worker.render, html).result(timeout=60)
    finally:
        _slots.release()
