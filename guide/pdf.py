"""The result as an A4 PDF: Django renders the HTML, a pool of worker processes runs WeasyPrint.

The HTML comes from the result page's partials (templates/guide/result_pdf.html). Rendering a PDF
is CPU-bound for ~250 ms; doing it in worker processes keeps it off the web process's GIL, and
the workers run at a lower CPU priority (nice), so a burst of PDFs cannot slow wizard steps;
recycling workers bounds WeasyPrint's native memory growth.

At most PDF_CONCURRENCY renders run at once per web process, and at most PDF_QUEUE requests wait
for a slot (up to PDF_WAIT_SECONDS): any other PDF request gets Busy (a 503) at once, so PDF
requests never hold the server's threads that wizard steps need. A pool whose worker died (an
OOM kill) is replaced and the render tried again; a pool belongs to the process that made it (a
server that forks after loading the app gets its own), and its workers exit with that process.
Nothing is cached: a PDF describes a personal situation.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import get_script_prefix, set_script_prefix

from guide import pdf_worker, translations

STYLESHEET = "guide/css/pdf.css"
RENDERS_PER_WORKER = 200
_slots = threading.BoundedSemaphore(settings.PDF_CONCURRENCY)
_queue = threading.BoundedSemaphore(settings.PDF_CONCURRENCY + settings.PDF_QUEUE)
_pools: dict[int, tuple[ProcessPoolExecutor, str]] = {}  # by process id: (pool, its temp folder)
_pools_lock = threading.Lock()


class Busy(Exception):
    """Every PDF slot of this process is taken."""


def static_files() -> dict[str, str]:
    """Every static file by its path under STATIC_URL (and its hashed name, when static files
    are collected with hashed names): the only files a PDF may use."""
    files: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            files.setdefault(path.replace("\\", "/"), storage.path(path))
    stored_name = getattr(staticfiles_storage, "stored_name", None)
    if settings.STATIC_MANIFEST and stored_name:
        for path, source in list(files.items()):
            files.setdefault(stored_name(path), source)
    return files


def _pool() -> ProcessPoolExecutor:
    """This process's pool, started on first use."""
    with _pools_lock:
        if os.getpid() not in _pools:
            # WeasyPrint writes the fonts it loads to temporary files: give the workers a folder
            # of their own, removed with the pool.
            folder = tempfile.mkdtemp(prefix="guide-pdf-")
            pool = ProcessPoolExecutor(
                max_workers=settings.PDF_CONCURRENCY,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=pdf_worker.load,
                initargs=(static_files(), STYLESHEET, os.getpid(), folder),
                max_tasks_per_child=RENDERS_PER_WORKER,
            )
            _pools[os.getpid()] = (pool, folder)
        return _pools[os.getpid()][0]


def _replace_pool(broken: ProcessPoolExecutor) -> None:
    """Drop a pool whose worker died; the next call to _pool starts a new one."""
    with _pools_lock:
        pool, folder = _pools.get(os.getpid(), (None, ""))
        if pool is not broken:
            return  # another thread replaced it already
        del _pools[os.getpid()]
    broken.shutdown(wait=False, cancel_futures=True)
    shutil.rmtree(folder, ignore_errors=True)


def health() -> dict:
    """This process's PDF pool: started, and how many of its workers are alive."""
    with _pools_lock:
        pool = _pools.get(os.getpid(), (None, ""))[0]
    if pool is None:
        return {"ok": True, "started": False, "workers": 0}  # starts on the first PDF
    alive = sum(1 for process in list(pool._processes.values()) if process.is_alive())
    broken = bool(getattr(pool, "_broken", False))
    return {"ok": not broken, "started": True, "workers": alive}


def shutdown() -> None:
    """Stop this process's workers and remove their folder (tests, server shutdown)."""
    with _pools_lock:
        pool, folder = _pools.pop(os.getpid(), (None, ""))
    if pool is not None:
        pool.shutdown(wait=True)
        shutil.rmtree(folder, ignore_errors=True)


def warm_up() -> None:
    """Start the workers (fonts and stylesheet loaded) before the first visitor asks for a PDF."""
    futures = [
        _pool().submit(pdf_worker.render, "<html lang='fr'><title>.</title><p>.</p></html>")
        for _ in range(settings.PDF_CONCURRENCY)
    ]
    for future in futures:
        future.result()


_busy_pages: dict[tuple[str, str, str], bytes] = {}


def busy_page(mode: str = "site", language: str = "fr", base: str = "/") -> bytes:
    """The 503 page of a PDF request over capacity, rendered once per process, mode and language
    (its links stay under /embed/ or /guichet/ and in the language, as the mode middleware would
    make them; `base` is the site's own script prefix)."""
    key = (mode, language, base)
    if key not in _busy_pages:
        from django.utils import translation

        from guide import commune
        from guide.modes import MODE_PREFIX, language_prefix

        previous = get_script_prefix()
        set_script_prefix(base.rstrip("/") + language_prefix(language) + MODE_PREFIX[mode] + "/")
        try:
            with translation.override(language):
                _busy_pages[key] = render_to_string(
                    "503.html",
                    {
                        "reason": "pdf",
                        "commune": commune.get(),
                        "embed": mode == "embed",
                        "counter": mode == "counter",
                        "counter_title": "",
                        "counter_idle": settings.COUNTER_IDLE_SECONDS,
                        "visit_token": "",  # the same page for everyone (wizard.js takes the address's)
                        "language": language,
                        "bidi": translation.get_language_bidi(),
                        "languages": [],
                    },
                ).encode()
        finally:
            set_script_prefix(previous)
    return _busy_pages[key]


def admit() -> bool:
    """Take a place among the PDF requests this process accepts (rendering or waiting); False at
    once when they are all taken. Give it back with `leave`."""
    return _queue.acquire(blocking=False)


def leave() -> None:
    _queue.release()


ADMITTED = "guide.pdf.admitted"  # set in the WSGI environ when guide.wsgi admitted the request


def render(context: dict, request=None) -> bytes:
    """The PDF bytes of `guide/result_pdf.html` with this context; raises Busy if no slot frees up."""
    admitted = request is not None and request.META.get(ADMITTED)
    if not admitted and not admit():
        raise Busy  # enough requests render or wait already: answer at once
    try:
        if not _slots.acquire(timeout=settings.PDF_WAIT_SECONDS):
            raise Busy
        try:
            # In another language than French, the sheet is bilingual: each translated text is
            # followed by its French (guide/translations.py).
            with translations.bilingual():
                html = render_to_string("guide/result_pdf.html", context, request)
            return _submit(html)
        finally:
            _slots.release()
    finally:
        if not admitted:
            leave()


def _submit(html: str) -> bytes:
    pool = _pool()
    try:
        return pool.submit(pdf_worker.render, html).result(timeout=60)
    except BrokenProcessPool:
        _replace_pool(pool)  # a worker was killed (out of memory, by hand): once more, anew
        return _pool().submit(pdf_worker.render, html).result(timeout=60)
