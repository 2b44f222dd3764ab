"""Running without the database, and telling the load balancer the truth.

The compiled procedures live in memory (guide/registry.py): with the database down, every page
that needs only them keeps working. A page that needs the database (the offices of a commune not
looked up yet, a PDF with them) gets a friendly 503 instead of a 500, and the failure is logged
once per episode, not once per request.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guide import pdf, registry

log = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60
_last_logged = [float("-inf")]


def unavailable(request):
    response = render(request, "503.html", status=503)
    response["Retry-After"] = "30"
    response._has_been_logged = True  # logged here once a minute, not by Django at every request
    return response


class DatabaseDownMiddleware:
    """A database failure while answering becomes the 503 page (logged at most once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError | registry.Unavailable):
            return None
        now = time.monotonic()
        if now - _last_logged[0] >= LOG_EVERY_SECONDS:
            _last_logged[0] = now
            log.warning("Page %s sans base de données : 503 (%s)", request.path, exception)
        return unavailable(request)


@require_GET
@never_cache
def health(request):
    """For the load balancer: 200 when this server can answer everything, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "injoignable"
    try:
        count = len(registry.procedures())
    except registry.Unavailable:
        count = 0
    workers = pdf.health()
    healthy = database == "ok" and count > 0 and workers["ok"]
    response = JsonResponse(
        {"ok": healthy, "database": database, "procedures": count, "pdf": workers},
        status=200 if healthy else 503,
    )
    response._has_been_logged = True  # asked every few seconds: the status code is the answer
    return response
